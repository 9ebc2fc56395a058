/**
 * The "your turn is near" text through the real server: asked for on the phone page with a typed
 * number, sent through the SMS outbox when three people are ahead, the number never at rest (the
 * database files are read for it), a restart losing the request visibly, and the refusals.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/domain/clock.ts';
import { type Answer, Client, startTestServer } from '../helpers/http.ts';

const PHONE = '13912345678';
const MASKED = '139****5678';
const clock = () => new ManualClock(Date.UTC(2026, 10, 25, 2, 0)); // 10:00 in Shanghai

const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

/** A demo hall with counter 1 open, five general tickets, and the phone page's client. */
async function hallWithLine(dbPath?: string) {
  const time = clock();
  const hall = await startTestServer({ clock: time, settings: dbPath ? { dbPath } : {} });
  closing.push(() => hall.close());
  const [anon, staff, manager] = [new Client(hall.url), new Client(hall.url), new Client(hall.url)];
  expect((await staff.login('staff1')).status).toBe(200);
  expect((await manager.login('manager')).status).toBe(200);
  // A second apart, as customers come: tickets of the same instant have no order but their random ids.
  const issue = async () => {
    time.advance(1000);
    return (await anon.post('/api/v1/tickets', { serviceId: 'general', channel: 'mobile' })).json;
  };
  return { hall, anon, staff, manager, issue };
}

const alertOf = (id: string) => `/api/v1/tickets/${id}/turn-alert`;
const outboxTo = async (manager: Client, masked: string) =>
  ((await manager.get('/api/v1/sms/outbox')).json as { to: string; text: string }[]).filter(
    (m) => m.to === masked,
  );
const expectError = (res: Answer, status: number, code: string) =>
  expect({ status: res.status, code: res.json?.error?.code }).toEqual({ status, code });

describe('the "your turn is near" text', () => {
  it('is sent once through the outbox when three people are ahead, to the number typed on the page', async () => {
    const { anon, staff, manager, issue } = await hallWithLine();
    const tickets = [];
    for (let i = 0; i < 6; i++) tickets.push(await issue());
    const last = tickets[5];
    expect((await anon.get(alertOf(last.id))).json).toEqual({
      state: 'none',
      maskedPhone: null,
      identifiedPhone: null,
    });
    const asked = await anon.post(alertOf(last.id), { phone: PHONE });
    expect(asked.status).toBe(200);
    expect(asked.json).toMatchObject({ state: 'armed', maskedPhone: MASKED });

    expect((await staff.post('/api/v1/counters/1/open')).status).toBe(200);
    // Five ahead, then four: nothing yet.
    expect((await staff.post('/api/v1/counters/1/call')).status).toBe(200);
    expect(await outboxTo(manager, MASKED)).toEqual([]);
    await staff.post('/api/v1/counters/1/finish', {});
    await staff.post('/api/v1/counters/1/call');
    const sent = await outboxTo(manager, MASKED);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain(`您的号码 ${last.number}：前面还有 3 人`);
    expect(sent[0]!.text).toContain('3 people ahead of you');
    expect((await anon.get(alertOf(last.id))).json).toMatchObject({ state: 'sent', maskedPhone: MASKED });
    // Further calls send nothing more.
    await staff.post('/api/v1/counters/1/finish', {});
    await staff.post('/api/v1/counters/1/call');
    expect(await outboxTo(manager, MASKED)).toHaveLength(1);
  });

  it('keeps the number in memory only: a restart loses the request, and the page is told', async () => {
    const first = await hallWithLine();
    const tickets = [];
    for (let i = 0; i < 6; i++) tickets.push(await first.issue());
    const asked = await first.anon.post(alertOf(tickets[5].id), { phone: PHONE });
    expect(asked.json).toMatchObject({ state: 'armed' });
    const { dbPath } = first.hall as unknown as { dbPath: string };
    // The masked form was written (so the files hold the request), the number nowhere.
    const files = [dbPath, `${dbPath}-wal`].map((file) => readFileSync(file));
    expect(files.some((bytes) => bytes.includes(Buffer.from(MASKED)))).toBe(true);
    for (const bytes of files) expect(bytes.includes(Buffer.from(PHONE))).toBe(false);
    await closing.shift()!();
    const second = await hallWithLine(dbPath);
    expect((await second.anon.get(alertOf(tickets[5].id))).json).toMatchObject({
      state: 'lost',
      maskedPhone: MASKED,
    });
    // Asked again, it works again.
    expect((await second.anon.post(alertOf(tickets[5].id), { phone: PHONE })).json.state).toBe('armed');
  });

  it('ends with the ticket when it leaves the line first, and can be withdrawn', async () => {
    const { anon, issue } = await hallWithLine();
    for (let i = 0; i < 5; i++) await issue();
    const mine = await issue();
    await anon.post(alertOf(mine.id), { phone: PHONE });
    expect((await anon.request('DELETE', alertOf(mine.id))).json).toMatchObject({
      state: 'none',
      maskedPhone: null,
    });
    await anon.post(alertOf(mine.id), { phone: PHONE });
    await anon.post(`/api/v1/tickets/${mine.id}/cancel`);
    // The next event of the hall ends it.
    await issue();
    expect((await anon.get(alertOf(mine.id))).json.state).toBe('ended');
  });

  it('refuses a bad number (400), an unknown ticket (404), a turn already near (409), and asking too often (429)', async () => {
    const { anon, issue } = await hallWithLine();
    const near = await issue();
    for (let i = 0; i < 4; i++) await issue();
    const far = await issue();
    expectError(await anon.post(alertOf(far.id), { phone: '12345' }), 400, 'invalid-request');
    expectError(await anon.post(alertOf(far.id), { phone: PHONE, extra: 1 }), 400, 'invalid-request');
    expectError(await anon.get(alertOf('x'.repeat(22))), 404, 'ticket-not-found');
    expectError(await anon.get(alertOf('not-an-id')), 404, 'ticket-not-found');
    expectError(await anon.post(alertOf(near.id), { phone: PHONE }), 409, 'turn-already-near');
    for (let i = 0; i < 3; i++) expect((await anon.post(alertOf(far.id), { phone: PHONE })).status).toBe(200);
    const refused = await anon.post(alertOf(far.id), { phone: PHONE });
    expectError(refused, 429, 'too-many-requests');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
