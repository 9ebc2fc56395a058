/**
 * The kiosk's endpoints (server/contract/kiosk.ts) through the real server: every endpoint, with its
 * success and its refusals, in the one error envelope; the kiosk events on the kiosk's own stream only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, MINUTE } from '../../server/domain/clock.ts';
import type { RunningHall } from '../../server/main.ts';
import { type Answer, Client, startTestServer } from '../helpers/http.ts';
import { readEvents } from '../helpers/sse.ts';

let hall: RunningHall;
let anon: Client;
let manager: Client;
const clock = new ManualClock(Date.UTC(2026, 10, 25, 2, 0)); // 10:00 in Shanghai

beforeAll(async () => {
  hall = await startTestServer({ clock });
  anon = new Client(hall.url);
  manager = new Client(hall.url);
  expect((await manager.login('manager')).status).toBe(200);
});
afterAll(() => hall.close());

const envelope = (code: string) => ({
  error: expect.objectContaining({ code, message: expect.any(String) }),
});
const at = (kioskId: string, extra: Record<string, string> = {}) => ({ 'X-Kiosk-Id': kioskId, ...extra });

function expectError(res: Answer, status: number, code: string) {
  expect({ status: res.status, body: res.json }).toEqual({ status, body: envelope(code) });
}

/** The newest code the outbox holds for a masked number. */
async function codeFor(maskedPhone: string): Promise<string> {
  const outbox = await manager.get('/api/v1/sms/outbox');
  const message = (outbox.json as { to: string; text: string }[]).find((m) => m.to === maskedPhone);
  return /(\d{6})/.exec(message?.text ?? '')?.[1] ?? '';
}

/** Identifies a demo customer by phone and code; moves the clock past the resend wait first. */
async function identify(phone: string, kioskId: string): Promise<string> {
  clock.advance(MINUTE + 1000);
  const challenge = await anon.post('/api/v1/identify/phone', { phone }, at(kioskId));
  expect(challenge.status).toBe(200);
  const code = await codeFor(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
  const verified = await anon.post('/api/v1/identify/verify', {
    challengeId: challenge.json.challengeId,
    code,
  });
  expect(verified.status).toBe(200);
  return verified.json.customer.token;
}

/** Polls an order until the terminal and the receipt printer have answered. */
async function settled(token: string, kioskId: string, orderId: string): Promise<Answer> {
  for (let i = 0; i < 150; i++) {
    const res = await anon.get(
      `/api/v1/self-service/orders/${orderId}`,
      at(kioskId, { 'X-Customer-Token': token }),
    );
    if (res.json.status !== 'awaiting-payment' && res.json.receipt !== 'pending') return res;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the order never settled');
}

const steer = async (outcome: string, delayMs = 0) =>
  expect((await manager.post('/api/v1/demo/payment', { outcome, delayMs })).status).toBe(200);

describe('GET /kiosks/:kioskId', () => {
  it('describes a kiosk of the hall', async () => {
    const res = await anon.get('/api/v1/kiosks/k1');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      id: 'k1',
      idleSeconds: 30,
      warningSeconds: 10,
      complaintsServiceId: 'complaints',
      topUpAmountsFen: [1000, 2000, 5000, 10000],
      devices: expect.arrayContaining([
        { id: 'k1-id-reader', kind: 'id-reader', status: 'ok' },
        { id: 'k1-payment', kind: 'payment', status: 'ok' },
      ]),
    });
  });

  it('answers 404 unknown-kiosk for a kiosk the hall does not have', async () => {
    expectError(await anon.get('/api/v1/kiosks/k9'), 404, 'unknown-kiosk');
    expectError(await anon.get('/api/v1/kiosks/not%20a%20kiosk'), 404, 'unknown-kiosk');
  });
});

describe('POST /identify/phone and /identify/verify', () => {
  it('sends a code to the outbox and identifies the customer with it', async () => {
    const res = await anon.post('/api/v1/identify/phone', { phone: '13800000001' }, at('k1'));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      challengeId: expect.any(String),
      expiresInSeconds: 300,
      resendAfterSeconds: 60,
    });
    const wrong = await anon.post('/api/v1/identify/verify', {
      challengeId: res.json.challengeId,
      code: '0000000',
    });
    expectError(wrong, 409, 'wrong-code');
    const code = await codeFor('138****0001');
    const ok = await anon.post('/api/v1/identify/verify', { challengeId: res.json.challengeId, code });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({
      customer: {
        token: expect.any(String),
        maskedPhone: '138****0001',
        maskedName: '张*',
        tier: 'regular',
        age: 36,
      },
    });
    expectError(
      await anon.post('/api/v1/identify/verify', { challengeId: res.json.challengeId, code }),
      410,
      'code-expired',
    );
  });

  it('refuses a resend within the minute with 429 and Retry-After', async () => {
    clock.advance(MINUTE + 1000);
    expect((await anon.post('/api/v1/identify/phone', { phone: '13800000002' }, at('k1'))).status).toBe(200);
    const again = await anon.post('/api/v1/identify/phone', { phone: '13800000002' }, at('k1'));
    expectError(again, 429, 'too-many-requests');
    expect(again.headers.get('retry-after')).toBe('60');
  });

  it('answers 404 not-a-customer, 404 unknown-challenge and 400 for bad input', async () => {
    expectError(
      await anon.post('/api/v1/identify/phone', { phone: '13912345678' }, at('k1')),
      404,
      'not-a-customer',
    );
    expectError(
      await anon.post('/api/v1/identify/verify', { challengeId: 'nope', code: '123456' }),
      404,
      'unknown-challenge',
    );
    const bad = await anon.post('/api/v1/identify/phone', { phone: '12345' }, at('k1'));
    expectError(bad, 400, 'invalid-request');
    expect(bad.json.error.fields).toEqual([{ path: 'body.phone', message: expect.any(String) }]);
    // A token is bound to the kiosk that asked for the code: asking names one.
    const nowhere = await anon.post('/api/v1/identify/phone', { phone: '13800000001' });
    expectError(nowhere, 400, 'invalid-request');
    expect(nowhere.json.error.fields).toEqual([{ path: 'header.x-kiosk-id', message: expect.any(String) }]);
    expectError(
      await anon.post('/api/v1/identify/phone', { phone: '13800000001', name: 'x' }, at('k1')),
      400,
      'invalid-request',
    );
    expectError(
      await anon.post('/api/v1/identify/verify', { challengeId: 'x', code: 'abc' }),
      400,
      'invalid-request',
    );
    expectError(
      await anon.request('POST', '/api/v1/identify/phone', {
        raw: 'phone=13800000001',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
      'unsupported-media-type',
    );
    expectError(
      await anon.post('/api/v1/identify/phone', { phone: '13800000001' }, at('bad id!')),
      400,
      'invalid-request',
    );
  });
});

describe('ID card and scanner reads', () => {
  it('tells only the kiosk’s own stream, and identifies there once', async () => {
    const mine = readEvents(`${hall.url}/api/v1/events?kioskId=k2`);
    const everyone = readEvents(`${hall.url}/api/v1/events`);
    await mine.next('snapshot');
    await everyone.next('snapshot');
    const read = await manager.post('/api/v1/demo/kiosks/k2/id-card', {
      name: '王秀英',
      idNumber: '110102195404120048',
    });
    expect(read.status).toBe(201);
    expect(read.json).toEqual({ readId: expect.any(String), kind: 'id-card' });
    const event = await mine.next('kiosk.id-card');
    expect(event.data).toEqual({
      at: expect.any(String),
      committedAt: expect.any(String),
      data: { kioskId: 'k2', readId: read.json.readId },
    });

    expect((await anon.post('/api/v1/tickets', { serviceId: 'general' })).status).toBe(201);
    await everyone.next('ticket.issued');
    await expect(everyone.next('kiosk.id-card', 300)).rejects.toThrow();
    await Promise.all([mine.close(), everyone.close()]);

    expectError(
      await anon.post('/api/v1/identify/device', { readId: read.json.readId }),
      400,
      'invalid-request',
    );
    expectError(
      await anon.post('/api/v1/identify/device', { readId: read.json.readId }, at('k1')),
      404,
      'unknown-read',
    );
    const res = await anon.post('/api/v1/identify/device', { readId: read.json.readId }, at('k2'));
    expect(res.status).toBe(200);
    expect(res.json.customer).toMatchObject({
      maskedPhone: '138****0003',
      maskedName: '王**',
      tier: 'elderly',
      age: 72,
    });
    expectError(
      await anon.post('/api/v1/identify/device', { readId: read.json.readId }, at('k2')),
      404,
      'unknown-read',
    );
  });

  it('recognises a member code, and refuses a code that is not one (404 not-a-customer)', async () => {
    const member = await manager.post('/api/v1/demo/kiosks/k1/scan', { code: 'HALLQ-M-1002' });
    expect(member.json).toEqual({ readId: expect.any(String), kind: 'member' });
    const vip = await anon.post('/api/v1/identify/device', { readId: member.json.readId }, at('k1'));
    expect(vip.json.customer.tier).toBe('vip');
    const other = await manager.post('/api/v1/demo/kiosks/k1/scan', { code: 'hello' });
    expect(other.json.kind).toBe('unknown');
    expectError(
      await anon.post('/api/v1/identify/device', { readId: other.json.readId }, at('k1')),
      404,
      'not-a-customer',
    );
  });

  it('keeps the demo controls for managers in demo mode, with checked input', async () => {
    expectError(await anon.post('/api/v1/demo/kiosks/k1/scan', { code: 'x' }), 401, 'unauthenticated');
    const staff = new Client(hall.url);
    await staff.login('staff1');
    expectError(await staff.post('/api/v1/demo/kiosks/k1/scan', { code: 'x' }), 403, 'forbidden');
    expectError(
      await manager.post('/api/v1/demo/kiosks/k1/id-card', { name: '张伟', idNumber: '123' }),
      400,
      'invalid-request',
    );
    expectError(await manager.post('/api/v1/demo/payment', { outcome: 'maybe' }), 400, 'invalid-request');
    expectError(await anon.get('/api/v1/sms/outbox'), 401, 'unauthenticated');
    expectError(await staff.get('/api/v1/sms/outbox'), 403, 'forbidden');
  });
});

describe('POST /tickets with X-Customer-Token', () => {
  it('takes the tier from the identified customer', async () => {
    const token = await identify('13800000002', 'k1');
    const res = await anon.post(
      '/api/v1/tickets',
      { serviceId: 'vip' },
      at('k1', { 'X-Customer-Token': token }),
    );
    expect(res.status).toBe(201);
    expect(res.json.tier).toBe('vip');
  });

  it('refuses an identification that has expired (401 customer-expired)', async () => {
    const res = await anon.post(
      '/api/v1/tickets',
      { serviceId: 'general' },
      at('k1', { 'X-Customer-Token': 'stale' }),
    );
    expectError(res, 401, 'customer-expired');
  });
});

describe('appointments', () => {
  it('books from the phone page and checks in at the kiosk inside the window', async () => {
    const now = new Date(clock.now());
    const slot = new Date(Math.ceil((clock.now() + 10 * MINUTE) / (15 * MINUTE)) * 15 * MINUTE).toISOString();
    const booked = await anon.post('/api/v1/appointments', {
      serviceId: 'broadband',
      slot,
      phone: '13800000003',
    });
    expect(booked.status).toBe(201);
    expect(booked.json).toMatchObject({
      serviceId: 'broadband',
      maskedPhone: '138****0003',
      code: expect.stringMatching(/^\d{6}$/),
    });
    expect(Date.parse(booked.json.slot)).toBeGreaterThan(now.getTime());

    const ticket = await anon.post(
      '/api/v1/appointments/check-in',
      { code: booked.json.code, lang: 'en' },
      at('k1', { 'Idempotency-Key': 'check-in-1' }),
    );
    expect(ticket.status).toBe(201);
    expect(ticket.json).toMatchObject({
      serviceId: 'broadband',
      tier: 'appointment',
      channel: 'appointment',
      status: 'waiting',
    });
    expect(ticket.headers.get('location')).toBe(`/api/v1/tickets/${ticket.json.id}`);
    const retry = await anon.post(
      '/api/v1/appointments/check-in',
      { code: booked.json.code, lang: 'en' },
      at('k1', { 'Idempotency-Key': 'check-in-1' }),
    );
    expect(retry.json.id).toBe(ticket.json.id);
    expectError(
      await anon.post('/api/v1/appointments/check-in', { code: booked.json.code }, at('k1')),
      409,
      'already-checked-in',
    );
  });

  it('lists the free slots of a day for the phone page, and books one of them', async () => {
    const res = await anon.get('/api/v1/appointments/slots?serviceId=general&day=2026-11-26');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ serviceId: 'general', day: '2026-11-26', slotMinutes: 15 });
    expect(res.json.days[0]).toBe(new Date(clock.now() + 8 * 60 * MINUTE).toISOString().slice(0, 10));
    const first = res.json.slots[0];
    expect(first).toEqual({
      slot: expect.any(String),
      time: expect.any(String),
      remaining: expect.any(Number),
    });
    const booked = await anon.post('/api/v1/appointments', {
      serviceId: 'general',
      slot: first.slot,
      phone: '13800000005',
    });
    expect(booked.status).toBe(201);
    const after = await anon.get('/api/v1/appointments/slots?serviceId=general&day=2026-11-26');
    expect(after.json.slots[0]).toEqual({ ...first, remaining: first.remaining - 1 });
    const today = await anon.get('/api/v1/appointments/slots?serviceId=general');
    expect(today.json.day).toBe(res.json.days[0]);
    expectError(await anon.get('/api/v1/appointments/slots?serviceId=nope'), 404, 'service-not-found');
    expectError(
      await anon.get('/api/v1/appointments/slots?serviceId=general&day=tomorrow'),
      400,
      'invalid-request',
    );
  });

  it('checks in a scanned appointment code', async () => {
    const scan = await manager.post('/api/v1/demo/kiosks/k1/scan', { code: '100001' });
    expect(scan.json.kind).toBe('appointment');
    const ticket = await anon.post('/api/v1/appointments/check-in', { readId: scan.json.readId }, at('k1'));
    expect(ticket.status).toBe(201);
    expect(ticket.json.tier).toBe('appointment');
  });

  it('refuses too early, too late, an unknown code, and bad input', async () => {
    const early = await anon.post('/api/v1/appointments/check-in', { code: '100002' }, at('k1'));
    expectError(early, 409, 'too-early');
    // The booked time, for the kiosk to say (the demo's 100002 is three hours from the start).
    expect(early.json.error.details).toEqual({
      slot: expect.stringMatching(/^\d\d:\d\d$/),
      from: expect.stringMatching(/^\d\d:\d\d$/),
      until: expect.stringMatching(/^\d\d:\d\d$/),
    });
    expectError(
      await anon.post('/api/v1/appointments/check-in', { code: '100003' }, at('k1')),
      409,
      'too-late',
    );
    expectError(
      await anon.post('/api/v1/appointments/check-in', { code: '424242' }, at('k1')),
      404,
      'unknown-appointment',
    );
    expectError(await anon.post('/api/v1/appointments/check-in', { code: '100002' }), 400, 'invalid-request');
    expectError(
      await anon.post('/api/v1/appointments/check-in', { code: '100002', readId: 'x' }, at('k1')),
      400,
      'invalid-request',
    );
    expectError(
      await anon.post('/api/v1/appointments', {
        serviceId: 'general',
        slot: 'tomorrow',
        phone: '13800000001',
      }),
      400,
      'invalid-request',
    );
    expectError(
      await anon.post('/api/v1/appointments', {
        serviceId: 'general',
        slot: '2026-11-25T08:07:00+08:00',
        phone: '13800000001',
      }),
      409,
      'slot-unavailable',
    );
    expectError(
      await anon.post('/api/v1/appointments', {
        serviceId: 'nope',
        slot: '2026-11-26T10:00:00+08:00',
        phone: '13800000001',
      }),
      404,
      'service-not-found',
    );
  });
});

describe('feedback', () => {
  it('files feedback and, for a complaint, a complaints ticket; managers read the list', async () => {
    const praise = await anon.post(
      '/api/v1/feedback',
      { kind: 'praise', topics: ['staff'], lang: 'zh' },
      at('k1'),
    );
    expect(praise.status).toBe(201);
    expect(praise.json).toEqual({
      id: expect.any(String),
      reference: expect.stringMatching(/^FB-1125-\d{3}$/),
    });
    const token = await identify('13800000004', 'k1');
    const complaint = await anon.post(
      '/api/v1/feedback',
      { kind: 'complaint', topics: ['billing'], lang: 'en', ticket: true },
      at('k1', { 'X-Customer-Token': token }),
    );
    expect(complaint.status).toBe(201);
    expect(complaint.json.ticket).toMatchObject({
      serviceId: 'complaints',
      number: expect.stringMatching(/^F\d{3}$/),
    });
    const list = await manager.get('/api/v1/feedback');
    expect(list.status).toBe(200);
    expect(list.json[0]).toMatchObject({
      reference: complaint.json.reference,
      kind: 'complaint',
      maskedPhone: '138****0004',
      ticketNumber: complaint.json.ticket.number,
    });
    expectError(await anon.get('/api/v1/feedback'), 401, 'unauthenticated');
  });

  it('refuses bad feedback', async () => {
    expectError(
      await anon.post('/api/v1/feedback', { kind: 'praise', topics: [], lang: 'zh' }),
      400,
      'invalid-request',
    );
    expectError(
      await anon.post('/api/v1/feedback', { kind: 'rant', topics: ['staff'], lang: 'zh' }),
      400,
      'invalid-request',
    );
    expectError(
      await anon.post('/api/v1/feedback', { kind: 'praise', topics: ['staff'], lang: 'zh', ticket: true }),
      400,
      'invalid-request',
    );
  });
});

describe('self-service', () => {
  let zhang: string;
  let li: string;
  let zhao: string;
  beforeAll(async () => {
    zhang = await identify('13800000001', 'k1');
    li = await identify('13800000002', 'k2');
    zhao = await identify('13800000004', 'k3');
  });
  const as = (token: string, kioskId = 'k1', extra: Record<string, string> = {}) =>
    at(kioskId, { 'X-Customer-Token': token, ...extra });

  it('needs an identified customer (401 customer-required, customer-expired)', async () => {
    expectError(await anon.get('/api/v1/self-service/account'), 401, 'customer-required');
    expectError(
      await anon.get('/api/v1/self-service/account', { 'X-Customer-Token': 'nope' }),
      401,
      'customer-expired',
    );
  });

  it('shows the account and the packs', async () => {
    const account = await anon.get('/api/v1/self-service/account', as(zhang));
    expect(account.status).toBe(200);
    expect(account.json).toMatchObject({
      maskedPhone: '138****0001',
      bill: { period: '2026-10', paid: false },
    });
    const packs = await anon.get('/api/v1/self-service/packs', as(zhang));
    expect(packs.json.map((p: { id: string }) => p.id)).toEqual(['voice-100', 'data-10g', 'roam-asia-7d']);
  });

  it('takes a top-up at the terminal, once per Idempotency-Key, and receipts it', async () => {
    await steer('paid');
    const before = (await anon.get('/api/v1/self-service/account', as(zhang))).json.balanceFen;
    const first = await anon.post(
      '/api/v1/self-service/orders',
      { kind: 'top-up', amountFen: 5000 },
      as(zhang, 'k1', { 'Idempotency-Key': 'top-1' }),
    );
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ kind: 'top-up', amountFen: 5000, status: 'awaiting-payment' });
    const again = await anon.post(
      '/api/v1/self-service/orders',
      { kind: 'top-up', amountFen: 5000 },
      as(zhang, 'k1', { 'Idempotency-Key': 'top-1' }),
    );
    expect(again.json.id).toBe(first.json.id);
    const done = await settled(zhang, 'k1', first.json.id);
    expect(done.json).toMatchObject({
      status: 'paid',
      reference: expect.stringMatching(/^SIM-/),
      receipt: 'printed',
    });
    expect((await anon.get('/api/v1/self-service/account', as(zhang))).json.balanceFen).toBe(before + 5000);
    expectError(
      await anon.post(
        '/api/v1/self-service/orders',
        { kind: 'top-up', amountFen: 1000 },
        as(zhang, 'k1', { 'Idempotency-Key': 'top-1' }),
      ),
      409,
      'idempotency-key-reused',
    );
    expectError(
      await anon.post(`/api/v1/self-service/orders/${first.json.id}/cancel`, undefined, as(zhang)),
      409,
      'already-paid',
    );
  });

  it('records a declined payment and a cancelled one', async () => {
    await steer('declined');
    const declined = await anon.post(
      '/api/v1/self-service/orders',
      { kind: 'top-up', amountFen: 2000 },
      as(zhang, 'k1', { 'Idempotency-Key': 'top-2' }),
    );
    expect((await settled(zhang, 'k1', declined.json.id)).json).toMatchObject({
      status: 'declined',
      problem: { zh: expect.any(String), en: expect.any(String) },
      receipt: 'none',
    });
    await steer('hold');
    const held = await anon.post(
      '/api/v1/self-service/orders',
      { kind: 'top-up', amountFen: 2000 },
      as(zhang, 'k1', { 'Idempotency-Key': 'top-3' }),
    );
    expect(held.json.status).toBe('awaiting-payment');
    const cancelled = await anon.post(
      `/api/v1/self-service/orders/${held.json.id}/cancel`,
      undefined,
      as(zhang),
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.json.status).toBe('cancelled');
  });

  it('refuses a paid bill, an unknown period, a pack the balance cannot cover', async () => {
    expectError(
      await anon.post(
        '/api/v1/self-service/orders',
        { kind: 'bill', period: '2026-10' },
        as(li, 'k2', { 'Idempotency-Key': 'bill-1' }),
      ),
      409,
      'bill-already-paid',
    );
    expectError(
      await anon.post(
        '/api/v1/self-service/orders',
        { kind: 'bill', period: '2001-01' },
        as(li, 'k2', { 'Idempotency-Key': 'bill-2' }),
      ),
      404,
      'unknown-period',
    );
    expectError(
      await anon.post(
        '/api/v1/self-service/orders',
        { kind: 'pack', packId: 'data-10g' },
        as(zhao, 'k3', { 'Idempotency-Key': 'pack-1' }),
      ),
      409,
      'insufficient-balance',
    );
  });

  it('sells a pack against the balance after the confirmation the request is', async () => {
    const pack = await anon.post(
      '/api/v1/self-service/orders',
      { kind: 'pack', packId: 'voice-100' },
      as(li, 'k2', { 'Idempotency-Key': 'pack-2' }),
    );
    expect(pack.status).toBe(201);
    expect(pack.json).toMatchObject({ kind: 'pack', amountFen: 1000, status: 'paid' });
  });

  it('refuses bad order input and a token from another kiosk', async () => {
    expectError(
      await anon.post('/api/v1/self-service/orders', { kind: 'top-up', amountFen: 5000 }, as(zhang)),
      400,
      'invalid-request',
    );
    expectError(
      await anon.post(
        '/api/v1/self-service/orders',
        { kind: 'top-up', amountFen: 50 },
        as(zhang, 'k1', { 'Idempotency-Key': 'x' }),
      ),
      400,
      'invalid-request',
    );
    // Without a kiosk named, the token's kiosk binding refuses it (it is never skipped).
    expectError(
      await anon.post(
        '/api/v1/self-service/orders',
        { kind: 'top-up', amountFen: 5000 },
        { 'X-Customer-Token': zhang, 'Idempotency-Key': 'y' },
      ),
      401,
      'customer-expired',
    );
    expectError(
      await anon.post(
        '/api/v1/self-service/orders',
        { kind: 'top-up', amountFen: 5000 },
        as(zhang, 'k1', { 'Idempotency-Key': 'has space' }),
      ),
      400,
      'invalid-request',
    );
    expectError(await anon.get('/api/v1/self-service/orders/nope', as(zhang)), 404, 'order-not-found');
    expectError(
      await anon.get('/api/v1/self-service/orders/AAAAAAAAAAAAAAAAAAAAAA', as(zhang)),
      404,
      'order-not-found',
    );
    expectError(
      await anon.post('/api/v1/self-service/orders/nope/cancel', undefined, as(zhang)),
      404,
      'order-not-found',
    );
  });

  it('prints an invoice at the kiosk, and refuses a period without one', async () => {
    const res = await anon.post('/api/v1/self-service/invoices', { period: '2026-10' }, as(li, 'k2'));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ print: 'printed', printProblem: null });
    expectError(
      await anon.post('/api/v1/self-service/invoices', { period: '2001-01' }, as(li, 'k2')),
      404,
      'unknown-period',
    );
    expectError(
      await anon.post('/api/v1/self-service/invoices', { period: 'October' }, as(li, 'k2')),
      400,
      'invalid-request',
    );
  });
});

describe('outside demo mode', () => {
  let real: RunningHall;
  beforeAll(async () => {
    real = await startTestServer({ clock, settings: { demo: false, devices: [] } });
  });
  afterAll(() => real.close());

  it('has no simulated devices or demo controls, and identification is for paired kiosks', async () => {
    const c = new Client(real.url);
    const kiosk = await c.get('/api/v1/kiosks/k1');
    expect(kiosk.json.devices).toEqual([]);
    expectError(
      await c.post('/api/v1/identify/phone', { phone: '13800000001' }, at('k1')),
      401,
      'unauthenticated',
    );
    expectError(await c.post('/api/v1/identify/device', { readId: 'x' }, at('k1')), 401, 'unauthenticated');
    expectError(await c.post('/api/v1/demo/payment', { outcome: 'paid' }), 401, 'unauthenticated');
  });
});
