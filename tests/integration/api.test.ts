import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/domain/clock.ts';
import type { RunningHall } from '../../server/main.ts';
import { BOM } from '../helpers/csv.ts';
import { Client, startTestServer } from '../helpers/http.ts';
import { readEvents } from '../helpers/sse.ts';

let hall: RunningHall;
let anon: Client;
const clock = new ManualClock(Date.UTC(2026, 10, 25, 2, 0)); // 10:00 in Shanghai

beforeAll(async () => {
  hall = await startTestServer({ clock });
  anon = new Client(hall.url);
});
afterAll(() => hall.close());

const envelope = (code: string) => ({
  error: expect.objectContaining({ code, message: expect.any(String) }),
});

async function signedIn(username: string): Promise<Client> {
  const c = new Client(hall.url);
  expect((await c.login(username)).status).toBe(200);
  return c;
}

describe('services, counters, hall', () => {
  it('lists the demo hall’s services with live figures', async () => {
    const res = await anon.get('/api/v1/services');
    expect(res.status).toBe(200);
    expect(res.json.map((s: { id: string }) => s.id)).toEqual([
      'general',
      'payments',
      'devices',
      'broadband',
      'business',
      'vip',
      'complaints',
      'retention',
    ]);
    expect(res.json[0]).toEqual({
      id: 'general',
      prefix: 'A',
      name: { zh: '业务办理', en: 'General business' },
      open: true,
      waiting: expect.any(Number),
      etaMinutes: expect.any(Number),
      waitTargetMinutes: 15,
      longestWaitMinutes: expect.any(Number),
    });
  });

  it('lists counters with status and numbers, never ticket ids', async () => {
    const res = await anon.get('/api/v1/counters');
    expect(res.status).toBe(200);
    expect(res.json).toHaveLength(6);
    expect(res.json[3]).toMatchObject({
      id: '4',
      name: '4号窗口 贵宾',
      status: 'closed',
      currentTicket: null,
      serviceIds: ['vip', 'general'],
    });
  });

  it('describes the hall for screens', async () => {
    const res = await anon.get('/api/v1/hall');
    expect(res.json).toMatchObject({ demo: true, timeZone: 'Asia/Shanghai' });
    expect(res.json.services.find((s: { id: string }) => s.id === 'payments')).toMatchObject({
      selfService: true,
    });
  });

  it('reports health', async () => {
    const res = await anon.get('/api/v1/health');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ok: true, db: 'ok' });
    // The demo hall's simulated printer and devices, each with a status.
    expect(res.json.devices).toContainEqual(
      expect.objectContaining({ id: 'printer', kind: 'printer', status: 'ok' }),
    );
    expect(res.json.devices.map((d: { kind: string }) => d.kind)).toEqual(
      expect.arrayContaining(['keypad', 'led', 'rating-pad', 'id-reader', 'scanner']),
    );
  });
});

describe('tickets', () => {
  it('issues a ticket with 201 and the contract’s fields', async () => {
    const res = await anon.post('/api/v1/tickets', {
      serviceId: 'devices',
      channel: 'reception',
      lang: 'en',
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      number: 'C001',
      serviceId: 'devices',
      status: 'waiting',
      position: 1,
      etaMinutes: 0,
    });
    expect(res.json.trackUrl).toBe(`/t/${res.json.id}`);
    expect(new Date(res.json.issuedAt).getTime()).toBe(clock.now());
    const got = await anon.get(`/api/v1/tickets/${res.json.id}`);
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({
      id: res.json.id,
      number: 'C001',
      status: 'waiting',
      position: 1,
      counterId: null,
    });
  });

  it('returns the same ticket for a repeated Idempotency-Key, never a second number', async () => {
    const headers = { 'Idempotency-Key': 'kiosk-1-attempt-42' };
    const first = await anon.post('/api/v1/tickets', { serviceId: 'broadband' }, headers);
    const again = await anon.post('/api/v1/tickets', { serviceId: 'broadband' }, headers);
    expect(first.status).toBe(201);
    expect(again.json.id).toBe(first.json.id);
    expect(again.json.number).toBe(first.json.number);
    const reused = await anon.post('/api/v1/tickets', { serviceId: 'general' }, headers);
    expect(reused.status).toBe(409);
    expect(reused.json).toEqual(envelope('idempotency-key-reused'));
  });

  it.each([
    ['a missing service', {}],
    ['an unknown field', { serviceId: 'general', colour: 'red' }],
    ['a phone that is not digits', { serviceId: 'general', customer: { phone: '138-1234' } }],
    ['a phone given as a number', { serviceId: 'general', customer: { phone: 13812345678 } }],
    ['an unknown tier', { serviceId: 'general', customer: { tier: 'gold' } }],
    ['the appointment tier asked for directly', { serviceId: 'general', customer: { tier: 'appointment' } }],
    ['an unknown channel', { serviceId: 'general', channel: 'fax' }],
    ['an unknown language', { serviceId: 'general', lang: 'fr' }],
    ['an array body', [1, 2]],
  ])('refuses %s with 400 naming the field', async (_, body) => {
    const res = await anon.post('/api/v1/tickets', body);
    expect(res.status).toBe(400);
    expect(res.json).toEqual(envelope('invalid-request'));
    expect(res.json.error.fields.length).toBeGreaterThan(0);
  });

  it('refuses a body that is not JSON with 415, broken JSON with 400, and a huge one with 413', async () => {
    const text = await anon.request('POST', '/api/v1/tickets', {
      raw: 'serviceId=general',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    expect(text.json).toEqual(envelope('unsupported-media-type'));
    const broken = await anon.request('POST', '/api/v1/tickets', {
      raw: '{"serviceId":',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.status).toBe(400);
    expect(broken.json).toEqual(envelope('invalid-request'));
    const huge = await anon.post('/api/v1/tickets', { serviceId: 'general', pad: 'x'.repeat(70_000) });
    expect(huge.status).toBe(413);
    expect(huge.json).toEqual(envelope('payload-too-large'));
  });

  it('refuses a bad Idempotency-Key header with 400', async () => {
    const res = await anon.post(
      '/api/v1/tickets',
      { serviceId: 'general' },
      { 'Idempotency-Key': 'has spaces in it' },
    );
    expect(res.status).toBe(400);
  });

  it('answers 404 for an unknown service or ticket', async () => {
    expect((await anon.post('/api/v1/tickets', { serviceId: 'nope' })).status).toBe(404);
    expect((await anon.get('/api/v1/tickets/AAAAAAAAAAAAAAAAAAAAAA')).json).toEqual(
      envelope('ticket-not-found'),
    );
    expect((await anon.get('/api/v1/tickets/short')).status).toBe(404);
    expect((await anon.post('/api/v1/tickets/AAAAAAAAAAAAAAAAAAAAAA/cancel')).status).toBe(404);
  });

  it('lets the holder cancel a waiting ticket', async () => {
    const t = await anon.post('/api/v1/tickets', { serviceId: 'retention', channel: 'mobile' });
    const res = await anon.post(`/api/v1/tickets/${t.json.id}/cancel`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: t.json.id, status: 'cancelled' });
  });

  it('answers JSON 404 for unknown API routes', async () => {
    const res = await anon.get('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.json).toEqual(envelope('not-found'));
    expect((await anon.get('/api/v2/services')).json).toEqual(envelope('not-found'));
  });
});

describe('sign-in and roles', () => {
  it('signs in with an HttpOnly SameSite=Strict cookie and signs out', async () => {
    const c = new Client(hall.url);
    const res = await c.login('staff2');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ user: { id: 'staff2', name: '营业员2', role: 'staff' } });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect((await c.get('/api/v1/auth/me')).json.user.id).toBe('staff2');
    expect((await c.post('/api/v1/auth/logout')).status).toBe(204);
    expect((await c.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('refuses bad credentials with 401', async () => {
    const res = await new Client(hall.url).login('staff3', 'wrong');
    expect(res.status).toBe(401);
    expect(res.json).toEqual(envelope('bad-credentials'));
  });

  it('needs a session for counter actions (401) and the manager role for statistics (403)', async () => {
    const staff = await signedIn('staff4');
    const manager = await signedIn('manager');
    const matrix: [string, string, Client, number][] = [
      ['POST', '/api/v1/counters/1/open', anon, 401],
      ['POST', '/api/v1/counters/1/call', anon, 401],
      ['POST', '/api/v1/counters/1/finish', anon, 401],
      ['GET', '/api/v1/counters/1/current', anon, 401],
      ['POST', '/api/v1/auth/logout', anon, 401],
      ['GET', '/api/v1/stats/summary?from=2026-11-25&to=2026-11-25', anon, 401],
      ['GET', '/api/v1/stats/summary?from=2026-11-25&to=2026-11-25', staff, 403],
      ['GET', '/api/v1/stats/tickets.csv?from=2026-11-25&to=2026-11-25', staff, 403],
      ['GET', '/api/v1/stats/summary?from=2026-11-25&to=2026-11-25', manager, 200],
    ];
    for (const [method, path, who, status] of matrix) {
      const res = await who.request(method, path);
      expect(`${method} ${path} → ${res.status}`).toBe(`${method} ${path} → ${status}`);
    }
  });

  it('refuses a cookie-authenticated write from another origin with 403', async () => {
    const staff = await signedIn('staff5');
    const res = await staff.post('/api/v1/counters/5/open', undefined, { origin: 'http://evil.example' });
    expect(res.status).toBe(403);
    expect(res.json).toEqual(envelope('cross-origin-refused'));
    const same = await staff.post('/api/v1/counters/5/open', undefined, { origin: hall.url });
    expect(same.status).toBe(200);
    expect((await staff.post('/api/v1/counters/5/close')).status).toBe(200);
  });

  it('sets security headers on every answer', async () => {
    for (const path of ['/api/v1/services', '/api/v1/nothing', '/kiosk/']) {
      const res = await anon.get(path);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    }
  });
});

describe('a counter’s day', () => {
  it('opens, calls with a reason, recalls, starts, finishes with a rating, and closes', async () => {
    const staff = await signedIn('staff1');
    const issued = await anon.post('/api/v1/tickets', { serviceId: 'payments', channel: 'reception' });
    expect((await staff.post('/api/v1/counters/1/open')).json).toMatchObject({ id: '1', status: 'open' });
    const call = await staff.post('/api/v1/counters/1/call');
    expect(call.status).toBe(200);
    expect(call.json.ticket).toMatchObject({ id: issued.json.id, status: 'called', counterId: '1' });
    expect(call.json.reason).toEqual(expect.any(String));
    expect(call.json.explanation).toMatchObject({
      rule: expect.any(String),
      zh: expect.any(String),
      en: call.json.reason,
    });
    expect((await anon.get('/api/v1/counters')).json[0]).toMatchObject({
      status: 'serving',
      currentTicket: 'B001',
    });
    expect((await staff.post('/api/v1/counters/1/recall')).json.ticket.status).toBe('called');
    expect((await staff.post('/api/v1/counters/1/start')).json.ticket.status).toBe('serving');
    const finish = await staff.post('/api/v1/counters/1/finish', {
      rating: { score: 5, dimensions: { empathy: 5 } },
    });
    expect(finish.json.ticket.status).toBe('done');
    expect((await staff.post('/api/v1/counters/1/close')).json.status).toBe('closed');
  });

  it('answers 204 when nothing can be served, 409 on conflicts, 403 for someone not seated', async () => {
    const staff = await signedIn('staff6');
    const other = await signedIn('staff3');
    await staff.post('/api/v1/counters/6/open');
    expect((await staff.post('/api/v1/counters/6/call')).status).toBe(204);
    await anon.post('/api/v1/tickets', { serviceId: 'complaints', channel: 'reception' });
    await anon.post('/api/v1/tickets', { serviceId: 'complaints', channel: 'reception' });
    expect((await staff.post('/api/v1/counters/6/call')).status).toBe(200);
    const again = await staff.post('/api/v1/counters/6/call');
    expect(again.status).toBe(409);
    expect(again.json.error.message).toContain('F001');
    expect((await other.post('/api/v1/counters/6/no-show')).status).toBe(403);
    expect((await other.post('/api/v1/counters/6/open')).status).toBe(409);
    expect((await staff.post('/api/v1/counters/6/no-show')).json.ticket.status).toBe('no-show');
    expect((await staff.post('/api/v1/counters/99/open')).status).toBe(404);
    expect((await staff.post('/api/v1/counters/6/pause', { reason: 'nap' })).status).toBe(400);
    expect((await staff.post('/api/v1/counters/6/pause', { reason: 'lunch' })).json).toMatchObject({
      status: 'paused',
      pauseReason: 'lunch',
    });
    expect((await staff.post('/api/v1/counters/6/call')).status).toBe(409);
    expect((await staff.post('/api/v1/counters/6/resume')).json.status).toBe('open');
    expect((await staff.post('/api/v1/counters/6/finish', { rating: 9 })).status).toBe(400);
    expect((await staff.post('/api/v1/counters/6/finish')).status).toBe(409);
    await staff.post('/api/v1/counters/6/close');
  });

  it('transfers a ticket, which keeps its number, and shows the counter’s current state', async () => {
    const staff = await signedIn('staff2');
    await anon.post('/api/v1/tickets', { serviceId: 'general', channel: 'reception' });
    await staff.post('/api/v1/counters/2/open');
    const called = await staff.post('/api/v1/counters/2/call');
    const current = await staff.get('/api/v1/counters/2/current');
    expect(current.json).toMatchObject({
      counter: { id: '2', status: 'serving' },
      ticket: { id: called.json.ticket.id },
    });
    expect(current.json.explanation.rule).toEqual(called.json.explanation.rule);
    const moved = await staff.post('/api/v1/counters/2/transfer', { serviceId: 'broadband' });
    expect(moved.json.ticket).toMatchObject({
      number: called.json.ticket.number,
      serviceId: 'broadband',
      status: 'waiting',
    });
    expect(
      (await staff.post('/api/v1/counters/2/transfer', { serviceId: 'broadband', extra: 1 })).status,
    ).toBe(400);
    await staff.post('/api/v1/counters/2/close');
  });
});

describe('statistics', () => {
  it('validates the date range', async () => {
    const manager = await signedIn('manager');
    for (const q of [
      '',
      '?from=2026-11-25',
      '?from=2026-11-26&to=2026-11-25',
      '?from=2026-02-30&to=2026-03-01',
      '?from=x&to=y',
    ]) {
      const res = await manager.get(`/api/v1/stats/summary${q}`);
      expect(`${q} → ${res.status}`).toBe(`${q} → 400`);
      expect(res.json).toEqual(envelope('invalid-request'));
    }
  });

  it('summarises today and exports a CSV with a BOM that parses back', async () => {
    const manager = await signedIn('manager');
    const summary = await manager.get('/api/v1/stats/summary?from=2026-11-25&to=2026-11-25');
    expect(summary.status).toBe(200);
    expect(summary.json).toMatchObject({ tickets: expect.any(Number), served: 1, noShows: 1 });
    for (const key of [
      'waitMinutes',
      'serviceMinutes',
      'withinTargetPct',
      'byService',
      'byCounter',
      'byHour',
    ])
      expect(summary.json).toHaveProperty(key);
    const res = await manager.get('/api/v1/stats/tickets.csv?from=2026-11-25&to=2026-11-25');
    expect([...res.bytes.subarray(0, 3)]).toEqual(BOM);
    const lines = res.text.trim().split('\r\n');
    const header = lines[0]!.split(',');
    for (const col of [
      'number',
      'serviceId',
      'status',
      'issuedAt',
      'calledAt',
      'finishedAt',
      'counterId',
      'waitMinutes',
      'serviceMinutes',
    ])
      expect(header).toContain(col);
    expect(lines).toHaveLength(summary.json.tickets + 1);
  });
});

describe('events', () => {
  it('streams a snapshot, then events with increasing ids, and resumes with Last-Event-ID', async () => {
    const first = readEvents(`${hall.url}/api/v1/events`);
    const snapshot = await first.next('snapshot');
    expect(snapshot.data.services).toHaveLength(8);
    const a = await anon.post('/api/v1/tickets', { serviceId: 'vip', channel: 'reception' });
    const b = await anon.post('/api/v1/tickets', { serviceId: 'vip', channel: 'reception' });
    const e1 = await first.next('ticket.issued');
    const e2 = await first.next('ticket.issued');
    first.close();
    expect(e2.id).toBeGreaterThan(e1.id);
    expect(e1.data.data.ticket.number).toBe(a.json.number);
    expect(JSON.stringify([e1, e2])).not.toContain(a.json.id); // no ticket ids on the public stream
    const c = await anon.post('/api/v1/tickets', { serviceId: 'vip', channel: 'reception' });

    const resumed = readEvents(`${hall.url}/api/v1/events`, { 'Last-Event-ID': String(e1.id) });
    await resumed.next('snapshot');
    const r1 = await resumed.next('ticket.issued');
    const r2 = await resumed.next('ticket.issued');
    resumed.close();
    expect([r1.id, r2.data.data.ticket.number]).toEqual([e2.id, c.json.number]);
    expect(r1.data.data.ticket.number).toBe(b.json.number);
  });

  it('refuses a malformed Last-Event-ID with 400', async () => {
    const res = await anon.get('/api/v1/events', { 'Last-Event-ID': 'abc' });
    expect(res.status).toBe(400);
  });
});

describe('sign-in rate limit', () => {
  it('answers 429 with Retry-After after 10 failures for one username', async () => {
    const c = new Client(hall.url);
    for (let i = 0; i < 10; i++) expect((await c.login('staff3', `wrong-${i}`)).status).toBe(401);
    const blocked = await c.login('staff3', 'demo-staff');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    clock.advance(16 * 60_000);
    expect((await c.login('staff3', 'demo-staff')).status).toBe(200);
  });
});
