import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeRequest } from '../../hardware/serial/id-reader/codec.ts';
import { type IdCardSummary, IdReaderDriver } from '../../hardware/serial/id-reader/driver.ts';
import { IdReaderSimulator, SAMPLE_CARD } from '../../hardware/serial/id-reader/simulator.ts';
import type { Cable } from '../../hardware/serial/mock-cable.ts';
import { byHand, deviceTargets, FrameProbe, useTarget } from '../helpers/device-targets.ts';
import { allOpen, CABLES, cableEnds, type RecordingLogger } from '../helpers/pty.ts';

// The 二代证 reader's contract (PROTOCOLS.md §2), written once and run against the simulator over an
// in-memory cable and a socat pty pair, and against a real reader, with no card on it, when
// HALLQ_TEST_ID_READER names its port.

const options = {
  salt: 'test-hall-salt',
  timeZone: 'Asia/Shanghai',
  clock: { now: () => Date.parse('2026-03-12T00:30:00+08:00') },
  replyTimeoutMs: 500,
  pollIntervalMs: 50,
};

const hex = (text: string) => Uint8Array.from(text.split(' ').map((b) => Number.parseInt(b, 16)));

const TARGETS = deviceTargets({
  kind: 'id-reader',
  env: 'HALLQ_TEST_ID_READER',
  baudRate: 115_200,
  simulator: (connection) => new IdReaderSimulator(connection),
});

describe.each(TARGETS)('ID card reader contract: $name', (target) => {
  const reader = useTarget(target);

  it('answers the SAM status request ready, and a find with no card on it with SW3 80', async () => {
    const frames = await reader.open((host) => new FrameProbe(host));
    expect(await frames.ask(hex('aa aa aa 96 69 00 03 11 ff ed'))).toMatchObject({ sw3: 0x90 });
    expect(await frames.ask(hex('aa aa aa 96 69 00 03 20 01 22'))).toEqual({ sw3: 0x80, data: [] });
  });

  it('refuses a wrong checksum, an unknown command and a wrong length with their SW3', async () => {
    const frames = await reader.open((host) => new FrameProbe(host));
    expect(await frames.ask(hex('aa aa aa 96 69 00 03 20 01 23'))).toEqual({ sw3: 0x10, data: [] });
    expect(await frames.ask(hex('aa aa aa 96 69 00 03 20 09 2a'))).toEqual({ sw3: 0x21, data: [] });
    expect(await frames.ask(hex('aa aa aa 96 69 00 04 20 01 00 25'))).toEqual({ sw3: 0x11, data: [] });
  });

  it('tells the driver it is ready, and that there is no card', async () => {
    const driver = await reader.open((host) => new IdReaderDriver(host, options));
    expect(await driver.samReady()).toBe(true);
    expect(await driver.read()).toEqual({ ok: false, problem: 'no-card', detail: 'SW3 0x80 (noCard)' });
  });

  it('gives a card placed on it to the driver once, minimised', { timeout: 90_000 }, async ({ skip }) => {
    const driver = await reader.open((host) => new IdReaderDriver(host, options));
    const cards: IdCardSummary[] = [];
    driver.onCard((card) => cards.push(card));
    await byHand(
      reader.device,
      (d) => d.placeCard(),
      'place an ID card on the reader and leave it there',
      skip,
    );
    await vi.waitFor(() => expect(cards.length).toBeGreaterThan(0), { timeout: 30_000 });
    await new Promise((resolve) => setTimeout(resolve, 300)); // several polls with the card still there
    expect(cards).toEqual([
      {
        name: expect.stringMatching(/\S/),
        maskedId: expect.stringMatching(/^\d{3}\*{11}[\dX]{4}$/),
        idHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        age: expect.any(Number),
      },
    ]);
  });
});

// HallQ's ID reader driver with the simulator: exact card data, faults and noise on purpose.
describe.each(CABLES)('ID card reader driver against the simulator over a $name', ({ connect }) => {
  let cable: Cable;
  let reader: IdReaderDriver;
  let device: IdReaderSimulator;
  let hostLogger: RecordingLogger;

  beforeEach(async () => {
    cable = await connect('idreader');
    const ends = cableEnds(cable, 'id-1');
    hostLogger = ends.hostLogger;
    reader = new IdReaderDriver(ends.host, options);
    device = new IdReaderSimulator(ends.simulator);
    await allOpen(reader, device);
  });
  afterEach(async () => {
    await Promise.all([reader.close(), device.close()]);
    await cable.close();
  });

  it('reads a card into minimised data: name, masked number, salted hash and age, no photo', async () => {
    expect(await reader.samReady()).toBe(true);
    expect(await reader.read()).toEqual({ ok: false, problem: 'no-card', detail: 'SW3 0x80 (noCard)' });
    device.placeCard();
    const read = await reader.read();
    expect(read).toEqual({
      ok: true,
      card: {
        name: '张晓燕',
        maskedId: '110***********0025',
        idHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        age: 70,
      },
    });
    expect(JSON.stringify(read)).not.toContain(SAMPLE_CARD.idNumber);
    expect(device.requestsReceived()).toEqual(['status', 'find', 'find', 'select', 'read']);
  });

  it('reports a card once when it is placed, and again only after it was taken away', async () => {
    const cards: IdCardSummary[] = [];
    const stop = reader.onCard((card) => cards.push(card));
    device.placeCard();
    await vi.waitFor(() => expect(cards).toHaveLength(1), { timeout: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 300)); // several polls with the card still there
    expect(cards).toHaveLength(1);
    device.removeCard();
    await vi.waitFor(() => expect(device.requestsReceived().at(-1)).toBe('find'));
    await new Promise((resolve) => setTimeout(resolve, 150));
    device.placeCard({ ...SAMPLE_CARD, name: '李四', birthDate: '19900101', idNumber: '11010219900101001X' });
    await vi.waitFor(() => expect(cards.map((c) => c.name)).toEqual(['张晓燕', '李四']), { timeout: 5000 });
    stop();
  });

  it('asks again after a garbled or missing reply, then gives up with a timeout', async () => {
    device.placeCard();
    device.injectFault({ kind: 'corrupt-checksum' }, 1);
    expect(await reader.read()).toMatchObject({ ok: true });
    device.injectFault({ kind: 'ignore' });
    await expect(reader.read()).rejects.toMatchObject({ timeout: true });
    expect(hostLogger.calls).toContainEqual([
      'id reader: no valid reply',
      expect.objectContaining({ attempt: 2 }),
    ]);
  });

  it('reports reader errors as results, and drops noise and unexpected frames with a warning', async () => {
    device.placeCard();
    device.injectFault({ kind: 'status', sw3: 0x80, request: 'find' }, 1);
    expect(await reader.read()).toMatchObject({ ok: false, problem: 'no-card' });
    device.injectFault({ kind: 'status', sw3: 0x81, request: 'select' }, 1);
    await device.sendRaw(Uint8Array.of(0x13, 0x37, ...encodeRequest('find')));
    await vi.waitFor(() =>
      expect(hostLogger.calls).toContainEqual(['id reader: unexpected frame dropped', expect.anything()]),
    );
    expect(await reader.read()).toMatchObject({ ok: false, problem: 'select-failed' });
    expect(await reader.read()).toMatchObject({ ok: true });
  });
});
