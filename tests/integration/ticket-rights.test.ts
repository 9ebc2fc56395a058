/**
 * Who may make a ticket, tried as a visitor on the hall network would: against a real hall (not the
 * demo) whose ticket printer is a device file, every path that issues a ticket — `POST /tickets`, a
 * complaint with a ticket, appointment check-in, transfer — needs a paired kiosk or a signed-in person;
 * an `X-Kiosk-Id` header opens nothing; a priority tier comes only from an identified customer or staff;
 * a customer's token works only at the kiosk that identified them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth } from '../../server/app/auth.ts';
import { DEMO_HALL, type HallConfig, parseHallConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/open.ts';
import { ManualClock, MINUTE } from '../../server/domain/clock.ts';
import { seedDemoBss } from '../../server/integrations/bss/demo-bss.ts';
import type { RunningHall } from '../../server/main.ts';
import { decodeEscPos } from '../helpers/escpos-decoder.ts';
import { type Answer, Client, startTestServer } from '../helpers/http.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { addAccounts, testPasswords } from '../helpers/test-hall.ts';

const START = Date.UTC(2026, 10, 25, 2, 0); // 10:00 in Shanghai
const clock = new ManualClock(START);
const HALL: HallConfig = parseHallConfig(
  { ...DEMO_HALL, staff: [], kiosks: [{ id: 'k1' }, { id: 'k2' }] },
  'test',
);
const VIP_PHONE = '13800000002'; // 李娜, a star customer of the demo BSS

let hall: RunningHall;
let dbPath: string;
let printerFile: string;
let anon: Client;
let staff: Client;
const kioskTokens: Record<'k1' | 'k2', string> = { k1: '', k2: '' };

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const atKiosk = (kioskId: 'k1' | 'k2', extra: Record<string, string> = {}) => ({
  ...bearer(kioskTokens[kioskId]),
  'X-Kiosk-Id': kioskId,
  ...extra,
});
const complaint = { kind: 'complaint', topics: ['billing'], lang: 'zh', ticket: true };

function expectRefused(res: Answer, status: number, code: string) {
  expect({ status: res.status, code: res.json?.error?.code }).toEqual({ status, code });
}

/** Every line the ticket printer has printed so far. */
const printedLines = () => decodeEscPos(readFileSync(printerFile)).lines;

async function untilPrinted(text: string): Promise<void> {
  for (let i = 0; i < 250 && !printedLines().includes(text); i++) await new Promise((r) => setTimeout(r, 20));
  expect(printedLines()).toContain(text);
}

const waitingIn = async (serviceId: string) =>
  (await anon.get('/api/v1/services')).json.find((s: { id: string }) => s.id === serviceId).waiting;

/** The customer's phone: the newest one-time code in the hall's SMS outbox (the embedded gateway). */
function lastCode(): string {
  const db = new Database(dbPath, { readonly: true });
  try {
    const row = db.prepare('SELECT text FROM sms_outbox ORDER BY id DESC LIMIT 1').get() as { text: string };
    return /(\d{6})/.exec(row.text)![1]!;
  } finally {
    db.close();
  }
}

/** Identifies the VIP customer at a kiosk (phone and code) and returns their token. */
async function identifyAt(kioskId: 'k1' | 'k2'): Promise<string> {
  clock.advance(MINUTE + 1000); // past the resend wait of the previous code
  const asked = await anon.post('/api/v1/identify/phone', { phone: VIP_PHONE }, atKiosk(kioskId));
  expect(asked.status).toBe(200);
  const verified = await anon.post('/api/v1/identify/verify', {
    challengeId: asked.json.challengeId,
    code: lastCode(),
  });
  expect(verified.json.customer).toMatchObject({ tier: 'vip' });
  return verified.json.customer.token;
}

beforeAll(async () => {
  const dir = tempDir();
  dbPath = join(dir, 'real.sqlite');
  // A printer behind a device file (/dev/usb/lp0 in a hall): the installer's choice, here a plain file.
  printerFile = join(dir, 'printer');
  writeFileSync(printerFile, '');
  await addAccounts(dbPath, [
    { id: 'boss', name: '张经理', role: 'manager', password: 'boss-password-1' },
    { id: 'li', name: '李营业员', role: 'staff', password: 'li-password-22' },
  ]);
  const db = openDatabase(dbPath);
  seedDemoBss(db, clock, HALL.timeZone); // the operator's accounts, for identification
  const auth = createAuth(db, clock, testPasswords());
  kioskTokens.k1 = auth.createDeviceToken('kiosk', 'k1'); // as `npm run hallq -- kiosk-token k1`
  kioskTokens.k2 = auth.createDeviceToken('kiosk', 'k2');
  db.close();
  hall = await startTestServer({
    clock,
    settings: { demo: false, hall: HALL, devices: [], dbPath, printer: printerFile },
  });
  anon = new Client(hall.url);
  staff = new Client(hall.url);
  expect((await staff.login('li', 'li-password-22')).status).toBe(200);
});
afterAll(() => hall.close());

describe('every path that makes a ticket needs a paired kiosk or a signed-in person', () => {
  it('a complaint with a ticket: refused without credentials, nothing queued or printed', async () => {
    expectRefused(await anon.post('/api/v1/feedback', complaint), 401, 'unauthenticated');
    expectRefused(
      await anon.post('/api/v1/feedback', complaint, { 'X-Kiosk-Id': 'k1' }),
      401,
      'unauthenticated',
    );
    expectRefused(
      await anon.post('/api/v1/feedback', complaint, bearer('not-a-token')),
      401,
      'unauthenticated',
    );
    expect(await waitingIn('complaints')).toBe(0);
    expect(readFileSync(printerFile)).toHaveLength(0);

    const filed = await anon.post('/api/v1/feedback', complaint, atKiosk('k1'));
    expect(filed.status).toBe(201);
    expect(filed.json.ticket).toMatchObject({ serviceId: 'complaints', number: 'F001', tier: 'regular' });
    await untilPrinted('F001');
  });

  it('POST /tickets: an X-Kiosk-Id header alone is no credential', async () => {
    const before = await waitingIn('general');
    for (const headers of [
      { 'X-Kiosk-Id': 'k1' },
      { 'X-Kiosk-Id': 'k1', ...bearer(kioskTokens.k1.slice(1)) },
    ])
      expectRefused(
        await anon.post('/api/v1/tickets', { serviceId: 'general' }, headers),
        401,
        'unauthenticated',
      );
    expect(await waitingIn('general')).toBe(before);
    const issued = await anon.post('/api/v1/tickets', { serviceId: 'general' }, atKiosk('k1'));
    expect(issued.status).toBe(201);
    await untilPrinted(issued.json.number);
  });

  it('appointment check-in: only a kiosk (or staff) checks in, and the ticket gets the appointment tier', async () => {
    const booked = await anon.post('/api/v1/appointments', {
      serviceId: 'broadband',
      slot: new Date(START + 15 * MINUTE).toISOString(),
      phone: '13800000003',
    });
    expect(booked.status).toBe(201);
    const checkIn = (headers: Record<string, string>) =>
      anon.post('/api/v1/appointments/check-in', { code: booked.json.code }, headers);
    expectRefused(await checkIn({ 'X-Kiosk-Id': 'k1' }), 401, 'unauthenticated');
    expect(await waitingIn('broadband')).toBe(0);
    const ticket = await checkIn(atKiosk('k1'));
    expect(ticket.status).toBe(201);
    expect(ticket.json).toMatchObject({
      serviceId: 'broadband',
      tier: 'appointment',
      channel: 'appointment',
    });
  });

  it('transfer: staff only; a kiosk or a header cannot move a ticket', async () => {
    for (const headers of [{ 'X-Kiosk-Id': 'k1' }, atKiosk('k1')])
      expectRefused(
        await anon.post('/api/v1/counters/1/transfer', { serviceId: 'vip', front: true }, headers),
        401,
        'unauthenticated',
      );
  });
});

describe('a tier above regular comes only from an identified customer or staff', () => {
  it('a kiosk asking for vip, elderly or an appointment in the body is refused with 403', async () => {
    const before = await waitingIn('general');
    for (const body of [
      { serviceId: 'general', customer: { tier: 'vip' } },
      { serviceId: 'general', customer: { tier: 'elderly' } },
      { serviceId: 'general', channel: 'appointment' },
    ])
      expectRefused(await anon.post('/api/v1/tickets', body, atKiosk('k1')), 403, 'tier-not-allowed');
    expect(await waitingIn('general')).toBe(before);
    const regular = await anon.post(
      '/api/v1/tickets',
      { serviceId: 'general', customer: { tier: 'regular' } },
      atKiosk('k1'),
    );
    expect(regular.json).toMatchObject({ status: 'waiting', tier: 'regular' });
  });

  it('staff may give a tier; an identified star customer gets vip at the kiosk that identified them', async () => {
    const byStaff = await staff.post('/api/v1/tickets', {
      serviceId: 'general',
      channel: 'reception',
      customer: { tier: 'elderly' },
    });
    expect(byStaff.json).toMatchObject({ status: 'waiting', tier: 'elderly' });

    const token = await identifyAt('k1');
    const issued = await anon.post(
      '/api/v1/tickets',
      { serviceId: 'vip', channel: 'kiosk' },
      atKiosk('k1', { 'X-Customer-Token': token }),
    );
    expect(issued.status).toBe(201);
    expect(issued.json).toMatchObject({ tier: 'vip', serviceId: 'vip' });
  });
});

describe('a customer token is bound to its kiosk', () => {
  it('is refused at another kiosk, by anyone naming the kiosk in a header, and with no kiosk at all', async () => {
    const token = await identifyAt('k1');
    const ticket = (headers: Record<string, string>, client = anon) =>
      client.post('/api/v1/tickets', { serviceId: 'vip' }, { 'X-Customer-Token': token, ...headers });
    const account = (headers: Record<string, string>) =>
      anon.get('/api/v1/self-service/account', { 'X-Customer-Token': token, ...headers });

    expectRefused(await ticket(atKiosk('k2')), 401, 'customer-expired');
    expectRefused(await account(atKiosk('k2')), 401, 'customer-expired');
    expectRefused(await ticket({ 'X-Kiosk-Id': 'k1' }), 401, 'unauthenticated');
    expectRefused(await account({ 'X-Kiosk-Id': 'k1' }), 401, 'unauthenticated');
    expectRefused(await account({}), 401, 'unauthenticated');
    // A signed-in person who names no kiosk cannot use a kiosk's customer either.
    expectRefused(await ticket({}, staff), 401, 'customer-expired');

    expect((await account(atKiosk('k1'))).status).toBe(200);
    expect((await ticket(atKiosk('k1'))).json).toMatchObject({ tier: 'vip' });
  });

  it('in the demo too, where the kiosk is named by its header: no header, no customer', async () => {
    const demo = await startTestServer({ clock });
    try {
      const visitor = new Client(demo.url);
      const manager = new Client(demo.url); // the demo's stand-in for the kiosk's card reader
      await manager.login('manager');
      const card = await manager.post('/api/v1/demo/kiosks/k1/id-card', {
        name: '李娜',
        idNumber: '110105198503150026',
      });
      const identified = await visitor.post(
        '/api/v1/identify/device',
        { readId: card.json.readId },
        { 'X-Kiosk-Id': 'k1' },
      );
      const token = identified.json.customer.token;
      const ticket = (headers: Record<string, string>) =>
        visitor.post('/api/v1/tickets', { serviceId: 'vip' }, { 'X-Customer-Token': token, ...headers });
      expectRefused(await ticket({}), 401, 'customer-expired');
      expectRefused(await ticket({ 'X-Kiosk-Id': 'k2' }), 401, 'customer-expired');
      expect((await ticket({ 'X-Kiosk-Id': 'k1' })).json).toMatchObject({ tier: 'vip' });
    } finally {
      await demo.close();
    }
  });
});
