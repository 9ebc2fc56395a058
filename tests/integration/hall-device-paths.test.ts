/**
 * Device paths into a real hall over real pseudo-terminals (socat): a rating pad and a keypad at counter
 * 1, an ID card reader, a scanner and a payment terminal at kiosk k1, each named by its pty in the hall's
 * device list. The device ends are HallQ's simulators speaking the real bytes, as a device on a cable.
 * What each reaches is read through the API: the tickets CSV, the counter, the kiosk's own event stream,
 * the order and the customer's balance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdReaderSimulator, SAMPLE_CARD } from '../../hardware/serial/id-reader/simulator.ts';
import { KeypadSimulator } from '../../hardware/serial/keypad/simulator.ts';
import { PaymentTerminalSimulator } from '../../hardware/serial/payment/simulator.ts';
import { RatingPadSimulator } from '../../hardware/serial/rating-pad/simulator.ts';
import { ScannerSimulator } from '../../hardware/serial/scanner/simulator.ts';
import type { DeviceConfig } from '../../server/contract/devices.ts';
import type { RunningHall } from '../../server/main.ts';
import { parseCsv } from '../helpers/csv.ts';
import { Client, startTestServer } from '../helpers/http.ts';
import { allOpen, cableEnds, PtyPair } from '../helpers/pty.ts';
import { readEvents } from '../helpers/sse.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { until } from '../helpers/until.ts';

const KINDS = ['keypad', 'rating-pad', 'id-reader', 'scanner', 'payment'] as const;
type Kind = (typeof KINDS)[number];

let dbPath: string;
let hall: RunningHall;
const cables = {} as Record<Kind, PtyPair>;
let keypad: KeypadSimulator;
let pad: RatingPadSimulator;
let reader: IdReaderSimulator;
let scanner: ScannerSimulator;
let terminal: PaymentTerminalSimulator;
let staff: Client;
let manager: Client;
const anon = () => new Client(hall.url);

function devices(): DeviceConfig[] {
  return [
    { id: 'keypad-1', kind: 'keypad', path: cables.keypad.hostPath, counterId: '1' },
    { id: 'rating-pad-1', kind: 'rating-pad', path: cables['rating-pad'].hostPath, counterId: '1' },
    { id: 'k1-id-reader', kind: 'id-reader', path: cables['id-reader'].hostPath, kioskId: 'k1' },
    { id: 'k1-scanner', kind: 'scanner', path: cables.scanner.hostPath, kioskId: 'k1' },
    { id: 'k1-payment', kind: 'payment', path: cables.payment.hostPath, kioskId: 'k1' },
  ];
}

async function startHallOnPtys(): Promise<void> {
  hall = await startTestServer({ settings: { devices: devices(), dbPath } });
  staff = new Client(hall.url);
  manager = new Client(hall.url);
  expect((await staff.login('staff1')).status).toBe(200);
  expect((await manager.login('manager')).status).toBe(200);
  await until(
    async () => (await manager.get('/api/v1/devices')).json.devices as { id: string; status: string }[],
    (list) => devices().every((d) => list.some((s) => s.id === d.id && s.status === 'ok')),
    'every device linked',
  );
}

beforeAll(async () => {
  dbPath = `${tempDir()}/hall.sqlite`;
  for (const kind of KINDS) cables[kind] = await PtyPair.start(kind);
  await startHallOnPtys();
  keypad = new KeypadSimulator(cableEnds(cables.keypad, 'keypad').simulator);
  pad = new RatingPadSimulator(cableEnds(cables['rating-pad'], 'rating-pad').simulator);
  reader = new IdReaderSimulator(cableEnds(cables['id-reader'], 'id-reader').simulator);
  scanner = new ScannerSimulator(cableEnds(cables.scanner, 'scanner').simulator);
  terminal = new PaymentTerminalSimulator(cableEnds(cables.payment, 'payment').simulator);
  await allOpen(keypad, pad, reader, scanner, terminal);
  expect((await staff.post('/api/v1/counters/1/open')).status).toBe(200);
});

afterAll(async () => {
  await hall?.close();
  await Promise.all([keypad, pad, reader, scanner, terminal].map((d) => d?.close()));
  await Promise.all(KINDS.map((k) => cables[k]?.close()));
});

const issue = async (serviceId: string) => {
  const res = await anon().post('/api/v1/tickets', { serviceId, channel: 'reception' });
  expect(res.status).toBe(201);
  return res.json as { id: string; number: string };
};

/** Calls at counter 1 by keypad until `number` is at the counter (earlier tests may leave tickets waiting). */
async function callByKeypad(number: string): Promise<void> {
  for (let i = 0; i < 6; i++) {
    await keypad.press('NEXT');
    const current = await until(
      async () => (await staff.get('/api/v1/counters/1/current')).json.ticket?.number as string | undefined,
      (n) => n !== undefined,
      'a ticket at counter 1',
    );
    if (current === number) return;
    await keypad.press('FINISH');
  }
  throw new Error(`${number} never reached counter 1`);
}

describe('the rating pad at counter 1', () => {
  it('is asked for the finished ticket, and the rating with its SERVQUAL scores is stored with that ticket', async () => {
    const ticket = await issue('general');
    await callByKeypad(ticket.number);
    const stream = readEvents(`${hall.url}/api/v1/events`);
    await stream.next('snapshot');
    await keypad.press('FINISH');
    await until(
      () => pad.askedFor(),
      (n) => n === ticket.number,
      'the pad asked for the ticket',
    );
    await pad.rate(ticket.number, 4, { responsiveness: 5, empathy: 3 });
    const rated = await stream.next('ticket.rated');
    await stream.close();
    expect(rated.data.data).toMatchObject({ ticket: { number: ticket.number }, rating: 4 });

    // Around today in any time zone: the hall's day is Shanghai's.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const csv = await manager.get(`/api/v1/stats/tickets.csv?from=${day(-1)}&to=${day(1)}`);
    const [header, ...rows] = parseCsv(csv.text);
    const row = rows.find((r) => r[header!.indexOf('number')] === ticket.number)!;
    const cell = (name: string) => row[header!.indexOf(name)];
    expect(cell('rating')).toBe('4');
    expect(cell('responsiveness')).toBe('5');
    expect(cell('empathy')).toBe('3');
    expect(cell('status')).toBe('done');
  });

  it('stores nothing for a number that did not finish at its counter, and says so', async () => {
    const stream = readEvents(`${hall.url}/api/v1/events`);
    await stream.next('snapshot');
    await pad.rate('Z999', 5);
    await expect(stream.next('ticket.rated', 500)).rejects.toThrow(/no ticket.rated/);
    await stream.close();
  });
});

describe('keypad XFER <prefix> at counter 1', () => {
  it('moves the ticket at the counter to the service of that prefix, waiting again, and frees the counter', async () => {
    const ticket = await issue('general');
    await callByKeypad(ticket.number);
    await keypad.press({ key: 'XFER', servicePrefix: 'D' });
    const moved = await until(
      async () => (await anon().get(`/api/v1/tickets/${ticket.id}`)).json,
      (t) => t.serviceId === 'broadband',
      'the ticket in broadband',
    );
    expect(moved).toMatchObject({ number: ticket.number, status: 'waiting', serviceId: 'broadband' });
    const counter = (await anon().get('/api/v1/counters')).json.find((c: { id: string }) => c.id === '1');
    expect(counter).toMatchObject({ status: 'open', currentTicket: null });
  });

  it('refuses a prefix no service has, showing why on the keypad, and keeps the ticket at the counter', async () => {
    const ticket = await issue('general');
    await callByKeypad(ticket.number);
    await keypad.press({ key: 'XFER', servicePrefix: 'Q' });
    expect(
      await until(
        () => keypad.screenText() ?? '',
        (t) => /prefix Q/.test(t),
        'keypad message',
      ),
    ).toMatch(/no service with prefix Q/);
    expect((await anon().get(`/api/v1/tickets/${ticket.id}`)).json).toMatchObject({
      status: 'called',
      serviceId: 'general',
    });
    await keypad.press('FINISH');
  });
});

describe('the ID card reader and the scanner at kiosk k1, through their drivers', () => {
  const kioskStream = (kioskId: string) =>
    readEvents(`${hall.url}/api/v1/events?kioskId=${kioskId}`, { 'X-Kiosk-Id': kioskId });

  it('a card placed on the reader reaches kiosk k1 only, as a read only k1 can redeem, once', async () => {
    const k1 = kioskStream('k1');
    const k2 = kioskStream('k2');
    await k1.next('snapshot');
    await k2.next('snapshot');
    reader.placeCard();
    const event = await k1.next('kiosk.id-card', 5000);
    expect(event.data.data).toEqual({ kioskId: 'k1', readId: expect.any(String) });
    expect(JSON.stringify(event.data)).not.toContain(SAMPLE_CARD.idNumber);
    const { readId } = event.data.data;
    await expect(k2.next('kiosk.id-card', 300)).rejects.toThrow();
    await Promise.all([k1.close(), k2.close()]);
    reader.removeCard();

    const elsewhere = await anon().post('/api/v1/identify/device', { readId }, { 'X-Kiosk-Id': 'k2' });
    expect(elsewhere.status).toBe(404);
    const redeemed = await anon().post('/api/v1/identify/device', { readId }, { 'X-Kiosk-Id': 'k1' });
    expect(redeemed.status).toBe(200);
    // 张晓燕, born 1956: an elderly customer, shown masked.
    expect(redeemed.json.customer).toMatchObject({ tier: 'elderly', maskedName: '张**' });
    const again = await anon().post('/api/v1/identify/device', { readId }, { 'X-Kiosk-Id': 'k1' });
    expect(again.status).toBe(404);
  });

  it('a scanned member QR code reaches kiosk k1 as a member read that identifies the star customer', async () => {
    const k1 = kioskStream('k1');
    await k1.next('snapshot');
    await scanner.scan('HALLQ-M-1002');
    const event = await k1.next('kiosk.scan', 5000);
    await k1.close();
    expect(event.data.data).toEqual({ kioskId: 'k1', readId: expect.any(String), kind: 'member' });
    const { readId } = event.data.data;
    const redeemed = await anon().post('/api/v1/identify/device', { readId }, { 'X-Kiosk-Id': 'k1' });
    expect(redeemed.status).toBe(200);
    expect(redeemed.json.customer).toMatchObject({ tier: 'vip', maskedPhone: '138****0002' });
  });
});

describe('the serial payment terminal at kiosk k1', () => {
  const phone = '13800000001';
  let token: string;
  const as = (extra: Record<string, string> = {}) => ({
    'X-Kiosk-Id': 'k1',
    'X-Customer-Token': token,
    ...extra,
  });
  const balance = async () =>
    (await anon().get('/api/v1/self-service/account', as())).json.balanceFen as number;
  const order = (key: string, amountFen: number) =>
    anon().post('/api/v1/self-service/orders', { kind: 'top-up', amountFen }, as({ 'Idempotency-Key': key }));
  const orderNow = async (id: string) => (await anon().get(`/api/v1/self-service/orders/${id}`, as())).json;
  const settled = (id: string) =>
    until(
      () => orderNow(id),
      (o) => o.status !== 'awaiting-payment' && o.receipt !== 'pending',
      'the order settled',
    );
  /** The PAY the terminal received for an order. */
  const payFor = (id: string) =>
    until(
      () => terminal.receivedCommands().find((c) => c.kind === 'pay' && c.orderId === id),
      (c) => c !== undefined,
      'PAY at the terminal',
    );

  beforeAll(async () => {
    const challenge = await anon().post('/api/v1/identify/phone', { phone }, { 'X-Kiosk-Id': 'k1' });
    const outbox = (await manager.get('/api/v1/sms/outbox')).json as { text: string }[];
    const code = /(\d{6})/.exec(outbox.at(-1)!.text)![1];
    const verified = await anon().post('/api/v1/identify/verify', {
      challengeId: challenge.json.challengeId,
      code,
    });
    token = verified.json.customer.token;
  });

  it('pays and credits a top-up the terminal approves', async () => {
    const before = await balance();
    terminal.setBehaviour({ kind: 'approve', afterMs: 50 });
    const created = await order('pay-ok', 2000);
    expect(created.status).toBe(201);
    expect(await settled(created.json.id)).toMatchObject({
      status: 'paid',
      reference: expect.stringMatching(/^SIM/),
    });
    expect(await balance()).toBe(before + 2000);
  });

  it('does not credit a payment whose amount differs from the one asked, and sends the customer to staff', async () => {
    const before = await balance();
    terminal.setBehaviour({ kind: 'silent' });
    const created = await order('pay-mismatch', 3000);
    await payFor(created.json.id);
    await terminal.emit({
      kind: 'paid',
      orderId: created.json.id,
      amountFen: 30000,
      reference: 'R-MISMATCH',
    });
    const done = await settled(created.json.id);
    expect(done).toMatchObject({
      status: 'declined',
      problem: { zh: expect.stringContaining('工作人员'), en: expect.stringContaining('ask staff') },
    });
    await new Promise((r) => setTimeout(r, 200)); // anything still on its way
    expect(await balance()).toBe(before);
    expect((await orderNow(created.json.id)).status).toBe('declined');
  });

  it('cancels a payment the customer has not made: the terminal drops it, the order ends cancelled at once', async () => {
    const before = await balance();
    terminal.setBehaviour({ kind: 'approve', afterMs: 60_000 }); // the customer never taps
    const created = await order('pay-cancel', 4000);
    await payFor(created.json.id);
    const started = Date.now();
    const cancelled = await anon().post(
      `/api/v1/self-service/orders/${created.json.id}/cancel`,
      undefined,
      as(),
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.json).toMatchObject({
      status: 'cancelled',
      problem: { en: expect.stringContaining('cancelled') },
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(terminal.receivedCommands().at(-1)).toEqual({ kind: 'cancel', orderId: created.json.id });
    expect(await balance()).toBe(before);
  });

  it('credits a PAID that comes after the hall stopped waiting (a restart in the middle of the payment)', async () => {
    const before = await balance();
    terminal.setBehaviour({ kind: 'silent' });
    const created = await order('pay-late', 5000);
    await payFor(created.json.id);
    await hall.close();
    await startHallOnPtys();
    // The restarted hall cannot know what the terminal did: the order ends as interrupted, for staff.
    expect(await orderNow(created.json.id)).toMatchObject({ status: 'timeout' });
    await terminal.emit({ kind: 'paid', orderId: created.json.id, amountFen: 5000, reference: 'R-LATE' });
    expect(await settled(created.json.id)).toMatchObject({
      status: 'paid',
      reference: 'R-LATE',
      receipt: 'printed',
    });
    expect(await balance()).toBe(before + 5000);
  });

  it('never credits a late PAID for another amount', async () => {
    const before = await balance();
    terminal.setBehaviour({ kind: 'silent' });
    const created = await order('pay-late-mismatch', 6000);
    await payFor(created.json.id);
    await hall.close();
    await startHallOnPtys();
    await terminal.emit({ kind: 'paid', orderId: created.json.id, amountFen: 600, reference: 'R-LATE-2' });
    await new Promise((r) => setTimeout(r, 300));
    expect(await orderNow(created.json.id)).toMatchObject({ status: 'timeout' });
    expect(await balance()).toBe(before);
  });
});
