import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, MINUTE } from '../../server/domain/clock.ts';
import type { RunningHall } from '../../server/main.ts';
import { Client, startTestServer } from '../helpers/http.ts';

let hall: RunningHall;
let anon: Client;
let staff: Client;
let manager: Client;
const clock = new ManualClock(Date.UTC(2026, 10, 25, 2, 0)); // 10:00 in Shanghai
const range = 'from=2026-11-25&to=2026-11-25';

beforeAll(async () => {
  hall = await startTestServer({ clock });
  anon = new Client(hall.url);
  staff = new Client(hall.url);
  manager = new Client(hall.url);
  expect((await staff.login('staff1')).status).toBe(200);
  expect((await manager.login('manager')).status).toBe(200);
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
    const rows = res.json.map((e: { kind: string; action: string }) => `${e.kind} ${e.action}`);
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
    const byAction = (a: string) => res.json.find((e: { action: string }) => e.action === a);
    expect(byAction('ticket.called')).toMatchObject({
      kind: 'action',
      userId: 'staff1',
      userName: '营业员1',
      target: 'ticket A003 @ counter 1',
      before: { status: 'waiting' },
      after: { status: 'called' },
      at: '2026-11-25T02:08:00.000Z',
    });
    expect(byAction('ticket.finished')).toMatchObject({
      target: 'ticket A001 @ counter 1',
      after: { status: 'done', rating: 5 },
    });
    expect(byAction('ticket.transferred')).toMatchObject({
      before: { serviceId: 'general' },
      after: { serviceId: 'payments' },
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
    expect((await manager.get('/api/v1/audit?from=2026-11-24&to=2026-11-24')).json).toEqual([]);
  });

  it('exports as CSV that Excel opens (UTF-8 BOM, header, one row per entry, JSON before/after)', async () => {
    const res = await manager.get(`/api/v1/audit.csv?${range}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toContain('hallq-audit-2026-11-25-2026-11-25.csv');
    const raw = Buffer.from(
      await (
        await fetch(`${hall.url}/api/v1/audit.csv?${range}`, {
          headers: { cookie: (manager as unknown as { cookie: string }).cookie },
        })
      ).arrayBuffer(),
    );
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = res.text
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('at,kind,userId,userName,action,target,before,after');
    expect(lines).toHaveLength(15);
    expect(lines).toContain(
      '2026-11-25T02:09:00.000Z,action,staff1,营业员1,ticket.transferred,ticket A003 @ counter 1,"{""serviceId"":""general""}","{""serviceId"":""payments""}"',
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
