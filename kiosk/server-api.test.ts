import { describe, expect, it } from 'vitest';
import { elderlyCustomer, hall, ticketView } from './flows/fixtures.ts';
import { kioskApi } from './server-api.ts';

type Call = { url: string; method: string; headers: Record<string, string>; body: unknown };

/** A fetch that records each request and answers from a table of `METHOD path` → [status, body]. */
function fakeFetch(answers: Record<string, [number, unknown]>) {
  const calls: Call[] = [];
  const fetch = async (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    calls.push({
      url,
      method,
      headers: init?.headers as Record<string, string>,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    });
    const [status, body] = answers[`${method} ${url}`] ?? [
      404,
      { error: { code: 'not-found', message: 'no' } },
    ];
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  return { fetch, calls };
}

describe('kiosk server api', () => {
  it('issues a walk-in ticket with the attempt key, the kiosk id and the identified customer’s token', async () => {
    const { fetch, calls } = fakeFetch({ 'POST /api/v1/tickets': [201, ticketView()] });
    const ticket = await kioskApi('k2', fetch).issueTicket({
      kind: 'walk-in',
      serviceId: 'general',
      customer: elderlyCustomer,
      lang: 'en',
      attemptKey: 'key-1',
    });
    expect(ticket.number).toBe('A012');
    expect(calls[0]?.headers).toMatchObject({
      'Idempotency-Key': 'key-1',
      'X-Kiosk-Id': 'k2',
      'X-Customer-Token': 'tok-elderly',
    });
    // The tier is the server's to take from the token: a body claiming one would be refused.
    expect(calls[0]?.body).toEqual({ serviceId: 'general', channel: 'kiosk', lang: 'en' });
  });

  it('sends no customer for an anonymous walk-in', async () => {
    const { fetch, calls } = fakeFetch({ 'POST /api/v1/tickets': [201, ticketView()] });
    await kioskApi('k1', fetch).issueTicket({
      kind: 'walk-in',
      serviceId: 'general',
      customer: null,
      lang: 'zh',
      attemptKey: 'k',
    });
    expect(calls[0]?.body).toEqual({ serviceId: 'general', channel: 'kiosk', lang: 'zh' });
    expect(calls[0]?.headers).not.toHaveProperty('X-Customer-Token');
  });

  it('checks in an appointment by code or by scan', async () => {
    const { fetch, calls } = fakeFetch({ 'POST /api/v1/appointments/check-in': [201, ticketView()] });
    const server = kioskApi('k1', fetch);
    await server.issueTicket({ kind: 'appointment', code: '123456', lang: 'zh', attemptKey: 'a' });
    await server.issueTicket({ kind: 'appointment', readId: 'r9', lang: 'en', attemptKey: 'b' });
    expect(calls.map((c) => c.body)).toEqual([
      { code: '123456', lang: 'zh' },
      { readId: 'r9', lang: 'en' },
    ]);
    expect(calls[1]?.headers).toMatchObject({ 'Idempotency-Key': 'b', 'X-Kiosk-Id': 'k1' });
  });

  it('loads the hall and this kiosk, falling back to defaults for a kiosk the server does not know', async () => {
    const { fetch } = fakeFetch({ 'GET /api/v1/hall': [200, hall] });
    const { kiosk } = await kioskApi('k9', fetch).loadKiosk();
    expect(kiosk).toMatchObject({
      id: 'k9',
      idleSeconds: 30,
      complaintsServiceId: 'complaints',
      devices: [],
    });
  });

  it('fails the load when the server is in trouble, so the kiosk retries', async () => {
    const { fetch } = fakeFetch({
      'GET /api/v1/hall': [200, hall],
      'GET /api/v1/kiosks/k1': [503, { error: { code: 'unavailable', message: 'x' } }],
    });
    await expect(kioskApi('k1', fetch).loadKiosk()).rejects.toMatchObject({ status: 503 });
  });

  it('pays with an idempotent order carrying the customer token', async () => {
    const { fetch, calls } = fakeFetch({ 'POST /api/v1/self-service/orders': [201, { id: 'o1' }] });
    await kioskApi('k1', fetch).createOrder({
      token: 'tok',
      request: { kind: 'top-up', amountFen: 5000 },
      attemptKey: 'pay-1',
    });
    expect(calls[0]?.headers).toMatchObject({ 'Idempotency-Key': 'pay-1', 'X-Customer-Token': 'tok' });
    expect(calls[0]?.body).toEqual({ kind: 'top-up', amountFen: 5000 });
  });

  it('names the kiosk when asking for and checking a one-time code (the token is good there only)', async () => {
    const { fetch, calls } = fakeFetch({
      'POST /api/v1/identify/phone': [
        200,
        { challengeId: 'c', expiresInSeconds: 300, resendAfterSeconds: 60 },
      ],
      'POST /api/v1/identify/verify': [200, { customer: elderlyCustomer }],
    });
    const server = kioskApi('k3', fetch);
    await server.requestCode({ phone: '13800000001' });
    expect(await server.verifyCode({ challengeId: 'c', code: '123456' })).toEqual(elderlyCustomer);
    expect(calls.map((c) => c.headers['X-Kiosk-Id'])).toEqual(['k3', 'k3']);
  });

  it('redeems a device read at this kiosk and returns the customer', async () => {
    const { fetch, calls } = fakeFetch({
      'POST /api/v1/identify/device': [200, { customer: elderlyCustomer }],
    });
    expect(await kioskApi('k1', fetch).redeemDeviceRead({ readId: 'r1' })).toEqual(elderlyCustomer);
    expect(calls[0]?.headers).toMatchObject({ 'X-Kiosk-Id': 'k1' });
  });
});
