import { describe, expect, it } from 'vitest';
import { ok } from '../../tests/helpers/test-hall.ts';
import { databaseText, testKiosk } from '../../tests/helpers/test-kiosk.ts';
import { MINUTE } from '../domain/clock.ts';
import { hallSalt, hashIdNumber } from '../integrations/privacy.ts';
import {
  CODES_PER_PHONE_PER_HOUR,
  CODES_PER_SOURCE_PER_HOUR,
  MAX_WRONG_TRIES,
  TOKEN_MAX_MS,
  TOKEN_TTL_MS,
} from './identify.ts';

const REGULAR = '13800000001';
const VIP = '13800000002';
const ELDERLY = '13800000003';
const here = 'k1';

async function identifyByPhone(t: ReturnType<typeof testKiosk>, phone: string) {
  const challenge = ok(await t.kiosk.identify.requestCode(phone, here));
  return ok(await t.kiosk.identify.verifyCode(challenge.challengeId, t.lastCode(phone)));
}

describe('one-time codes', () => {
  it('texts a 6-digit code and identifies the customer with masked data only', async () => {
    const t = testKiosk();
    const challenge = ok(await t.kiosk.identify.requestCode(REGULAR, here));
    expect(challenge).toMatchObject({ expiresInSeconds: 300, resendAfterSeconds: 60 });
    expect(t.texts).toHaveLength(1);
    expect(t.texts[0]!.to).toBe(REGULAR);
    expect(t.lastCode(REGULAR)).toMatch(/^\d{6}$/);
    const customer = ok(await t.kiosk.identify.verifyCode(challenge.challengeId, t.lastCode(REGULAR)));
    expect(customer).toEqual({
      token: expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/),
      maskedPhone: '138****0001',
      maskedName: '张*',
      tier: 'regular',
      age: 36,
    });
  });

  it('gives a star customer the vip tier and a customer of 72 the elderly tier', async () => {
    const t = testKiosk();
    expect((await identifyByPhone(t, VIP)).tier).toBe('vip');
    const elderly = await identifyByPhone(t, ELDERLY);
    expect(elderly).toMatchObject({ tier: 'elderly', age: 72, maskedName: '王**' });
  });

  it('refuses a number without a line (404 not-a-customer) and sends nothing', async () => {
    const t = testKiosk();
    expect(await t.kiosk.identify.requestCode('13912345678', here)).toMatchObject({
      ok: false,
      status: 404,
      code: 'not-a-customer',
    });
    expect(t.texts).toEqual([]);
  });

  it('lets a code expire after 5 minutes (410 code-expired)', async () => {
    const t = testKiosk();
    const challenge = ok(await t.kiosk.identify.requestCode(REGULAR, here));
    t.clock.advance(5 * MINUTE);
    expect(await t.kiosk.identify.verifyCode(challenge.challengeId, t.lastCode(REGULAR))).toMatchObject({
      status: 410,
      code: 'code-expired',
    });
  });

  it('answers wrong-code while tries are left, then closes the challenge for good', async () => {
    const t = testKiosk();
    const challenge = ok(await t.kiosk.identify.requestCode(REGULAR, here));
    const right = t.lastCode(REGULAR);
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 1; i < MAX_WRONG_TRIES; i++)
      expect(await t.kiosk.identify.verifyCode(challenge.challengeId, wrong)).toMatchObject({
        status: 409,
        code: 'wrong-code',
      });
    expect(await t.kiosk.identify.verifyCode(challenge.challengeId, wrong)).toMatchObject({
      status: 410,
      code: 'code-expired',
    });
    expect(await t.kiosk.identify.verifyCode(challenge.challengeId, right)).toMatchObject({
      status: 410,
      code: 'code-expired',
    });
  });

  it('accepts a code once, and only the newest code of a phone', async () => {
    const t = testKiosk();
    const first = ok(await t.kiosk.identify.requestCode(REGULAR, here));
    const firstCode = t.lastCode(REGULAR);
    t.clock.advance(MINUTE);
    const second = ok(await t.kiosk.identify.requestCode(REGULAR, here));
    expect(await t.kiosk.identify.verifyCode(first.challengeId, firstCode)).toMatchObject({ status: 410 });
    ok(await t.kiosk.identify.verifyCode(second.challengeId, t.lastCode(REGULAR)));
    expect(await t.kiosk.identify.verifyCode(second.challengeId, t.lastCode(REGULAR))).toMatchObject({
      status: 410,
    });
    expect(await t.kiosk.identify.verifyCode('no-such-challenge', '123456')).toMatchObject({
      status: 404,
      code: 'unknown-challenge',
    });
  });

  it('throttles a resend to one a minute, with a Retry-After', async () => {
    const t = testKiosk();
    ok(await t.kiosk.identify.requestCode(REGULAR, here));
    t.clock.advance(20_000);
    expect(await t.kiosk.identify.requestCode(REGULAR, here)).toMatchObject({
      status: 429,
      code: 'too-many-requests',
      retryAfterSeconds: 40,
    });
    t.clock.advance(40_000);
    ok(await t.kiosk.identify.requestCode(REGULAR, here));
  });

  it('allows 5 codes per phone an hour, whatever the kiosk', async () => {
    const t = testKiosk();
    for (let i = 0; i < CODES_PER_PHONE_PER_HOUR; i++) {
      ok(await t.kiosk.identify.requestCode(REGULAR, `k${i}`));
      t.clock.advance(MINUTE);
    }
    const refused = await t.kiosk.identify.requestCode(REGULAR, 'k9');
    expect(refused).toMatchObject({ status: 429, retryAfterSeconds: 55 * 60 });
    t.clock.advance(55 * MINUTE);
    ok(await t.kiosk.identify.requestCode(REGULAR, here));
  });

  it('allows 30 code requests per kiosk an hour, counting numbers that are not customers', async () => {
    const t = testKiosk();
    for (let i = 0; i < CODES_PER_SOURCE_PER_HOUR; i++)
      await t.kiosk.identify.requestCode(`139000000${String(i).padStart(2, '0')}`, 'k1');
    expect(await t.kiosk.identify.requestCode(REGULAR, 'k1')).toMatchObject({
      status: 429,
      retryAfterSeconds: 3600,
    });
    // Another kiosk is not held back by this one.
    ok(await t.kiosk.identify.requestCode(REGULAR, 'k2'));
  });

  it('answers 503 sms-unavailable when the text cannot be sent, and the code is void', async () => {
    const t = testKiosk({
      sms: {
        send: async () => {
          throw new Error('gateway down');
        },
      },
    });
    expect(await t.kiosk.identify.requestCode(REGULAR, here)).toMatchObject({
      status: 503,
      code: 'sms-unavailable',
    });
  });

  it('answers 503 bss-unavailable when the BSS cannot be asked', async () => {
    const t = testKiosk({
      bss: (real) => ({
        ...real,
        findCustomer: async () => {
          throw new Error('BSS timeout');
        },
      }),
    });
    expect(await t.kiosk.identify.requestCode(REGULAR, here)).toMatchObject({
      status: 503,
      code: 'bss-unavailable',
    });
  });
});

describe('customer tokens', () => {
  it('requires a token and refuses an unknown one', async () => {
    const t = testKiosk();
    expect(t.kiosk.identify.customer(undefined, 'k1')).toMatchObject({
      status: 401,
      code: 'customer-required',
    });
    expect(t.kiosk.identify.customer('made-up', 'k1')).toMatchObject({
      status: 401,
      code: 'customer-expired',
    });
  });

  it('expires ten minutes after the last use', async () => {
    const t = testKiosk();
    const { token } = await identifyByPhone(t, REGULAR);
    t.clock.advance(TOKEN_TTL_MS - 1000);
    expect(ok(t.kiosk.identify.customer(token, 'k1'))).toMatchObject({
      customerRef: 'demo-0001',
      tier: 'regular',
    });
    t.clock.advance(TOKEN_TTL_MS - 1000); // still alive: the use above slid it
    ok(t.kiosk.identify.customer(token, 'k1'));
    t.clock.advance(TOKEN_TTL_MS);
    expect(t.kiosk.identify.customer(token, 'k1')).toMatchObject({ status: 401, code: 'customer-expired' });
  });

  it('never lives beyond half an hour, however much it is used', async () => {
    const t = testKiosk();
    const { token } = await identifyByPhone(t, REGULAR);
    for (let used = 0; used < TOKEN_MAX_MS; used += 5 * MINUTE) {
      ok(t.kiosk.identify.customer(token, 'k1'));
      t.clock.advance(5 * MINUTE);
    }
    expect(t.kiosk.identify.customer(token, 'k1')).toMatchObject({ code: 'customer-expired' });
  });

  it('is refused at another kiosk than the one that identified the customer, or with no kiosk named', async () => {
    const t = testKiosk();
    const read = await t.kiosk.recordDeviceRead('k1', {
      kind: 'id-card',
      name: '张伟',
      idNumber: '110101199001010011',
    });
    const { token } = ok(await t.kiosk.identify.redeemDeviceRead('k1', read.readId));
    ok(t.kiosk.identify.customer(token, 'k1'));
    expect(t.kiosk.identify.customer(token, 'k2')).toMatchObject({ code: 'customer-expired' });
    expect(t.kiosk.identify.customer(token, undefined)).toMatchObject({ code: 'customer-expired' });
  });
});

describe('device reads', () => {
  it('announces an ID card read with only the kiosk and a one-time readId', async () => {
    const t = testKiosk();
    const read = await t.kiosk.recordDeviceRead('k1', {
      kind: 'id-card',
      name: '李娜',
      idNumber: '110105198503150026',
    });
    expect(read).toEqual({ readId: expect.any(String), kind: 'id-card' });
    const event = t.events.at(-1)!;
    expect(event).toMatchObject({ type: 'kiosk.id-card', id: expect.any(Number) });
    expect(event.data).toEqual({ kioskId: 'k1', readId: read.readId });
  });

  it('is redeemable once, by its own kiosk only, within a minute', async () => {
    const t = testKiosk();
    const card = { kind: 'id-card' as const, name: '李娜', idNumber: '110105198503150026' };
    const a = await t.kiosk.recordDeviceRead('k1', card);
    expect(await t.kiosk.identify.redeemDeviceRead('k2', a.readId)).toMatchObject({
      status: 404,
      code: 'unknown-read',
    });
    const customer = ok(await t.kiosk.identify.redeemDeviceRead('k1', a.readId));
    expect(customer).toMatchObject({ tier: 'vip', maskedPhone: '138****0002', maskedName: '李*', age: 41 });
    expect(await t.kiosk.identify.redeemDeviceRead('k1', a.readId)).toMatchObject({ code: 'unknown-read' });

    const b = await t.kiosk.recordDeviceRead('k1', card);
    t.clock.advance(MINUTE);
    expect(await t.kiosk.identify.redeemDeviceRead('k1', b.readId)).toMatchObject({ code: 'unknown-read' });
  });

  it('identifies someone without a line by the card alone: elderly from the age, no phone', async () => {
    const t = testKiosk();
    const read = await t.kiosk.recordDeviceRead('k1', {
      kind: 'id-card',
      name: '赵建国',
      idNumber: '11010819500101001X',
    });
    const customer = ok(await t.kiosk.identify.redeemDeviceRead('k1', read.readId));
    expect(customer).toMatchObject({ maskedPhone: null, maskedName: '赵**', tier: 'elderly', age: 76 });
    expect(ok(t.kiosk.identify.customer(customer.token, 'k1')).customerRef).toBeNull();
  });

  it('takes the card reader driver’s summary (hash made with the hall’s salt) instead of the number', async () => {
    const t = testKiosk();
    const idHash = hashIdNumber(hallSalt(t.db), '110102195404120048');
    const read = await t.kiosk.recordDeviceRead('k1', {
      kind: 'id-card',
      name: '王秀英',
      maskedId: '110***********0048',
      idHash,
      age: 72,
    });
    expect(ok(await t.kiosk.identify.redeemDeviceRead('k1', read.readId))).toMatchObject({
      maskedPhone: '138****0003',
      tier: 'elderly',
      age: 72,
    });
    expect(databaseText(t.db)).not.toContain('王秀英');
  });

  it('refuses a misread card number', async () => {
    const t = testKiosk();
    await expect(
      t.kiosk.recordDeviceRead('k1', { kind: 'id-card', name: '张伟', idNumber: '12345' }),
    ).rejects.toThrow(RangeError);
  });

  it('recognises member codes, appointment codes and unknown codes on the scanner', async () => {
    const t = testKiosk();
    const member = await t.kiosk.recordDeviceRead('k1', { kind: 'scan', code: 'HALLQ-M-1002' });
    expect(member.kind).toBe('member');
    expect(t.events.at(-1)).toMatchObject({ type: 'kiosk.scan', data: { kioskId: 'k1', kind: 'member' } });
    expect(ok(await t.kiosk.identify.redeemDeviceRead('k1', member.readId))).toMatchObject({ tier: 'vip' });

    const unknown = await t.kiosk.recordDeviceRead('k1', { kind: 'scan', code: 'https://example.com/x' });
    expect(unknown.kind).toBe('unknown');
    expect(await t.kiosk.identify.redeemDeviceRead('k1', unknown.readId)).toMatchObject({
      status: 404,
      code: 'not-a-customer',
    });

    const appointment = await t.kiosk.recordDeviceRead('k1', { kind: 'scan', code: '100001' });
    expect(appointment.kind).toBe('appointment');
    // Not an identification: it stays for the check-in.
    expect(await t.kiosk.identify.redeemDeviceRead('k1', appointment.readId)).toMatchObject({
      code: 'unknown-read',
    });
    expect(ok(t.kiosk.appointments.checkIn('k1', { readId: appointment.readId }))).toMatchObject({
      tier: 'appointment',
    });
  });
});

describe('privacy', () => {
  it('keeps no phone number, ID number, full name, code or token in clear, and events carry none', async () => {
    const t = testKiosk();
    const byPhone = await identifyByPhone(t, REGULAR);
    const read = await t.kiosk.recordDeviceRead('k1', {
      kind: 'id-card',
      name: '王秀英',
      idNumber: '110102195404120048',
    });
    const byCard = ok(await t.kiosk.identify.redeemDeviceRead('k1', read.readId));
    await t.kiosk.recordDeviceRead('k2', { kind: 'id-card', name: '赵建国', idNumber: '11010819500101001X' });
    await t.kiosk.recordDeviceRead('k1', { kind: 'scan', code: 'HALLQ-M-1001' });

    const stored = databaseText(t.db);
    for (const secret of [
      REGULAR,
      VIP,
      ELDERLY,
      '110102195404120048',
      '11010819500101001X',
      '110101199001010011',
      '王秀英',
      '赵建国',
      '张伟',
      'HALLQ-M-1001',
      byPhone.token,
      byCard.token,
    ])
      expect(stored).not.toContain(secret);
    // The one-time code is in the demo outbox's message (that is its job) and nowhere else.
    const code = t.lastCode(REGULAR);
    expect(t.outbox.list()[0]!.text).toContain(code);
    expect(databaseText(t.db, ['sms_outbox'])).not.toContain(`"${code}"`);
    expect(JSON.stringify(t.db.prepare('SELECT * FROM code_challenges').all())).not.toContain(code);

    const kioskEvents = t.events.filter((e) => e.type.startsWith('kiosk.'));
    expect(kioskEvents).toHaveLength(3);
    for (const e of kioskEvents)
      expect(Object.keys(e.data).sort()).toEqual(expect.arrayContaining(['kioskId', 'readId']));
    for (const e of kioskEvents)
      expect(Object.keys(e.data).every((k) => ['kioskId', 'readId', 'kind'].includes(k))).toBe(true);
  });
});
