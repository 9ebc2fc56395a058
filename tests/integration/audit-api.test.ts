import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_LIST_LIMIT } from '../../server/contract/manager.ts';
import { HOUR, ManualClock, MINUTE } from '../../server/domain/clock.ts';
import { BOM, parseCsv } from '../helpers/csv.ts';
import { type Client, hallWithCallers } from '../helpers/http.ts';

let hall: Awaited<ReturnType<typeof hallWithCallers>>['hall'];
let anon: Client;
let staff: Client;
let manager: Client;
const clock = new ManualClock(Date.UTC(2026, 10, 25, 2, 0)); // 10:00 in Shanghai
const range = 'from=2026-11-25&to=2026-11-25';

beforeAll(async () => {
  ({ hall, anon, staff, manager } = await hallWithCallers({ clock }));
});
afterAll(() => hall.close());

/** One step a minute, so the audit's order is the order of the steps. */
async function step(c: Client, path: string, body?: unknown) {
  clock.advance(MINUTE);
  const res = await c.post(`/api/v1${path}`, body);
  expect(res.status, path).toBeLessThan(300);
  return res;
}

describe('audit of manual actions', () => {
  it('lists every counter action by a person beside the configuration changes, newest first', async () => {
    for (const serviceId of ['general', 'general', 'general'])
      expect((await anon.post('/api/v1/tickets', { serviceId })).status).toBe(201);
    await step(staff, '/counters/1/open');
    await step(staff, '/counters/1/call');
    await step(staff, '/counters/1/recall');
    await step(staff, '/counters/1/start');
    await step(staff, '/counters/1/finish', { rating: 5 });
    await step(staff, '/counters/1/call');
    await step(staff, '/counters/1/no-show');
    await step(staff, '/counters/1/call');
    await step(staff, '/counters/1/transfer', { serviceId: 'payments' });
    await step(staff, '/counters/1/pause', { reason: 'break' });
    await step(staff, '/counters/1/resume');
    await step(staff, '/counters/1/close');
    clock.advance(MINUTE);
    const config = (await manager.get('/api/v1/config')).json;
    const services = config.services.map((s: { id: string }) =>
      s.id === 'vip' ? { ...s, waitTargetMinutes: 5 } : s,
    );
    expect((await manager.request('PUT', '/api/v1/config/services', { body: services })).status).toBe(200);

    const res = await manager.get(`/api/v1/audit?${range}`);
    expect(res.status).toBe(200);
    const rows = res.json.entries.map((e: { kind: string; action: string }) => `${e.kind} ${e.action}`);
    expect(rows).toEqual([
      'change config.services',
      'action counter.close',
      'action counter.resume',
      'action counter.pause',
      'action ticket.transferred',
      'action ticket.called',
      'action ticket.no-show',
      'action ticket.called',
      'action ticket.finished',
      'action ticket.serving',
      'action ticket.recalled',
      'action ticket.called',
      'action counter.open',
      'change config.seed',
    ]);
    const byAction = (a: string) => res.json.entries.find((e: { action: string }) => e.action === a);
    expect(byAction('ticket.called')).toMatchObject({
      kind: 'action',
      userId: 'staff1',
      userName: '营业员1',
      target: 'ticket A003 @ counter 1',
      before: { status: 'waiting' },
      after: { status: 'called' },
      at: '2026-11-25T02:08:00.000Z',
    });
    // A001 was started before it was finished: its real prior status, not "called | serving".
    expect(byAction('ticket.finished')).toMatchObject({
      target: 'ticket A001 @ counter 1',
      before: { status: 'serving' },
      after: { status: 'done', rating: 5 },
    });
    expect(byAction('ticket.transferred')).toMatchObject({
      before: { status: 'called', serviceId: 'general' },
      after: { status: 'waiting', serviceId: 'payments' },
    });
    expect(byAction('counter.pause')).toMatchObject({
      target: 'counter 1',
      before: { status: 'open' },
      after: { status: 'paused', pauseReason: 'break' },
    });
    expect(byAction('counter.open')).toMatchObject({
      before: { status: 'closed' },
      after: { status: 'open' },
    });
    // Customers' own steps (taking a ticket) are not a person's action at a counter.
    expect(rows.some((r: string) => r.includes('issued'))).toBe(false);
    // Another day has none of them.
    expect((await manager.get('/api/v1/audit?from=2026-11-24&to=2026-11-24')).json.entries).toEqual([]);
  });

  it('exports as CSV that Excel opens (UTF-8 BOM, header, one row per entry, JSON before/after)', async () => {
    const res = await manager.get(`/api/v1/audit.csv?${range}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toContain('hallq-audit-2026-11-25-2026-11-25.csv');
    expect([...res.bytes.subarray(0, 3)]).toEqual(BOM);
    const lines = res.text
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('at,kind,userId,userName,action,target,before,after');
    expect(lines).toHaveLength(15);
    expect(lines).toContain(
      '2026-11-25T02:09:00.000Z,action,staff1,营业员1,ticket.transferred,ticket A003 @ counter 1,"{""status"":""called"",""serviceId"":""general""}","{""status"":""waiting"",""serviceId"":""payments""}"',
    );
  });

  it('is for managers only', async () => {
    for (const path of [`/api/v1/audit?${range}`, `/api/v1/audit.csv?${range}`]) {
      expect((await anon.get(path)).status).toBe(401);
      expect((await staff.get(path)).status).toBe(403);
    }
    expect((await manager.get('/api/v1/audit.csv?from=2026-11-26')).status).toBe(400);
  });
});

describe('audit of a busy range (more than the JSON answer holds)', () => {
  // 24 days of October in Shanghai (UTC+8, no DST): written straight into the hall's database.
  const busy = 'from=2026-10-01&to=2026-10-24';
  const start = Date.UTC(2026, 9, 1) - 8 * HOUR;
  const end = Date.UTC(2026, 9, 25) - 8 * HOUR;
  const CHANGES = 1200;
  const ACTIONS = 1300;

  beforeAll(() => {
    const db = new Database(hall.dbPath);
    try {
      const change = db.prepare(
        'INSERT INTO audit_log(at, user_id, action, target, before, after) VALUES (?, ?, ?, ?, ?, ?)',
      );
      const event = db.prepare(
        `INSERT INTO events(at, type, ticket_id, counter_id, staff_id, reason, payload)
         VALUES (?, ?, ?, '1', 'staff1', ?, ?)`,
      );
      const span = end - start;
      db.transaction(() => {
        for (let i = 0; i < CHANGES; i++)
          // Runs of 7 at the same millisecond: pages (500 rows) must not lose or repeat rows at a tie.
          change.run(
            start + Math.floor(((i / CHANGES) * span) / 7) * 7,
            'manager',
            'config.services',
            i % 3 === 0 ? `configuration, "line"\r\nnext ${i}` : `configuration ${i}`,
            JSON.stringify({ services: [{ id: 'general', note: `a,"b"${i}` }] }),
            JSON.stringify({ services: [] }),
          );
        for (let i = 0; i < ACTIONS; i++)
          event.run(
            start + Math.floor((((i + 0.5) / ACTIONS) * span) / 5) * 5,
            'ticket.called',
            `t${i}`,
            null,
            JSON.stringify({ ticket: { number: `A${i}`, serviceId: 'general' } }),
          );
        // Outside the range on both sides: not listed.
        change.run(start - 1, 'manager', 'config.services', 'before the range', null, null);
        change.run(end, 'manager', 'config.services', 'after the range', null, null);
        // A customer's own step (no person) and a counter event without a reason: not audit entries.
        db.prepare(
          `INSERT INTO events(at, type, ticket_id, payload) VALUES (?, 'ticket.issued', 'tx', '{}')`,
        ).run(start + HOUR);
      })();
    } finally {
      db.close();
    }
  });

  function countInDatabase(): number {
    const db = new Database(hall.dbPath, { readonly: true });
    try {
      const changes = db
        .prepare<[number, number], { n: number }>(
          'SELECT COUNT(*) AS n FROM audit_log WHERE at >= ? AND at < ?',
        )
        .get(start, end)!.n;
      const actions = db
        .prepare<[number, number], { n: number }>(
          `SELECT COUNT(*) AS n FROM events WHERE at >= ? AND at < ? AND staff_id IS NOT NULL
             AND (type LIKE 'ticket.%' OR (type = 'counter.updated' AND reason IS NOT NULL))`,
        )
        .get(start, end)!.n;
      return changes + actions;
    } finally {
      db.close();
    }
  }

  it('exports every entry of the range as CSV, streamed, newest first, each row once', async () => {
    const total = countInDatabase();
    expect(total).toBe(CHANGES + ACTIONS);
    expect(total).toBeGreaterThan(AUDIT_LIST_LIMIT);

    const res = await manager.get(`/api/v1/audit.csv?${busy}`);
    expect(res.status).toBe(200);
    // Streamed: no length known beforehand.
    expect(res.headers.get('content-length')).toBeNull();
    expect([...res.bytes.subarray(0, 3)]).toEqual(BOM);
    const [header, ...rows] = parseCsv(res.text);
    expect(header).toEqual(['at', 'kind', 'userId', 'userName', 'action', 'target', 'before', 'after']);
    expect(rows).toHaveLength(total);
    expect(rows.every((r) => r.length === 8)).toBe(true);
    const times = rows.map((r) => Date.parse(r[0]!));
    expect(times.every((t, i) => t >= start && t < end && (i === 0 || t <= times[i - 1]!))).toBe(true);
    expect(rows.filter((r) => r[1] === 'change')).toHaveLength(CHANGES);
    expect(new Set(rows.filter((r) => r[1] === 'change').map((r) => r[5])).size).toBe(CHANGES);
    expect(new Set(rows.filter((r) => r[1] === 'action').map((r) => r[5])).size).toBe(ACTIONS);
    // Quoted cells come back whole: commas, quotes, line breaks, JSON.
    const quoted = rows.find((r) => r[5] === 'configuration, "line"\r\nnext 0')!;
    expect(JSON.parse(quoted[6]!)).toEqual({ services: [{ id: 'general', note: 'a,"b"0' }] });
    expect(rows.find((r) => r[5] === 'ticket A0 @ counter 1')).toMatchObject({
      1: 'action',
      2: 'staff1',
      3: '营业员1',
      4: 'ticket.called',
    });
  });

  it('answers the newest entries as JSON and says the list was cut', async () => {
    const latest = await manager.get(`/api/v1/audit?${busy}`);
    expect(latest.status).toBe(200);
    expect(latest.json.truncated).toBe(true);
    expect(latest.json.limit).toBe(AUDIT_LIST_LIMIT);
    expect(latest.json.entries).toHaveLength(AUDIT_LIST_LIMIT);
    const csv = parseCsv((await manager.get(`/api/v1/audit.csv?${busy}`)).text).slice(1);
    // The JSON list is the head of the CSV, in the same order.
    expect(latest.json.entries.map((e: { at: string; target: string }) => `${e.at} ${e.target}`)).toEqual(
      csv.slice(0, AUDIT_LIST_LIMIT).map((r) => `${r[0]} ${r[5]}`),
    );
    // A range that fits is not cut.
    const day = await manager.get(`/api/v1/audit?${range}`);
    expect(day.json.truncated).toBe(false);
    expect(day.json.entries).toHaveLength(14);
    expect((await staff.get(`/api/v1/audit?${busy}`)).status).toBe(403);
    expect((await anon.get(`/api/v1/audit?${busy}`)).status).toBe(401);
  });

  it('a ticket finished straight from its call was called before, not serving', async () => {
    clock.advance(HOUR);
    expect((await anon.post('/api/v1/tickets', { serviceId: 'general' })).status).toBe(201);
    await step(staff, '/counters/1/open');
    await step(staff, '/counters/1/call');
    await step(staff, '/counters/1/finish');
    const entries = (await manager.get(`/api/v1/audit?${range}`)).json.entries;
    expect(entries.map((e: { action: string }) => e.action).slice(0, 3)).toEqual([
      'ticket.finished',
      'ticket.called',
      'counter.open',
    ]);
    // A003 (transferred to payments earlier) comes first: called, transferred, called again, finished.
    expect(entries[0]).toMatchObject({
      target: 'ticket A003 @ counter 1',
      before: { status: 'called' },
      after: { status: 'done' },
    });
  });
});
