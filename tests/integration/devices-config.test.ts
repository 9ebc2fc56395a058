/**
 * The manager changes the serial devices while the hall runs: a keypad added on a socat pseudo-terminal
 * works at once, moving it to another counter keeps its link, removing it closes the port; bad lists
 * are refused by field and change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrinterEmulator } from '../../hardware/index.ts';
import { KeypadSimulator } from '../../hardware/serial/keypad/simulator.ts';
import type { ConfigView } from '../../server/contract/manager.ts';
import type { RunningHall } from '../../server/main.ts';
import { decodeEscPos } from '../helpers/escpos-decoder.ts';
import { deviceLink, lanAddress } from '../helpers/hall-network.ts';
import { Client, startTestServer } from '../helpers/http.ts';
import { allOpen, cableEnds, PtyPair } from '../helpers/pty.ts';
import { until } from '../helpers/until.ts';

let hall: RunningHall;
let cable: PtyPair;
/** The keypad's port as the manager names it: a device under /dev/ (web-connections.ts). */
let port: string;
let keypad: KeypadSimulator;
let manager: Client;
let staff: Client;

const put = (body: unknown, headers?: Record<string, string>) =>
  manager.request('PUT', '/api/v1/config/devices', { body, headers });
const devices = async () =>
  (await manager.get('/api/v1/devices')).json.devices as { id: string; status: string; counterId?: string }[];

beforeAll(async () => {
  cable = await PtyPair.start('keypad-live');
  port = deviceLink(cable.hostPath, 'keypad-live');
  hall = await startTestServer({ settings: { devices: [] } });
  manager = new Client(hall.url);
  staff = new Client(hall.url);
  expect((await manager.login('manager')).status).toBe(200);
  expect((await staff.login('staff1')).status).toBe(200);
  expect((await staff.post('/api/v1/counters/1/open')).status).toBe(200);
  keypad = new KeypadSimulator(cableEnds(cable, 'keypad').simulator);
});

afterAll(async () => {
  await hall?.close();
  await keypad?.close();
  await cable?.close();
});

describe('devices changed in the configuration, live', () => {
  it('a keypad added on a serial port calls the next ticket at its counter without a restart', async () => {
    const before: ConfigView = (await manager.get('/api/v1/config')).json;
    expect(before.devices).toEqual([]);
    const res = await put([{ id: 'keypad-7', kind: 'keypad', path: port, counterId: '1' }], {
      'if-match': `"${before.version}"`,
    });
    expect(res.status).toBe(200);
    expect(res.json.version).toBe(before.version + 1);
    expect(res.json.devices).toEqual([{ id: 'keypad-7', kind: 'keypad', path: port, counterId: '1' }]);
    await until(devices, (list) => list.some((d) => d.id === 'keypad-7' && d.status === 'ok'), 'keypad up');
    await allOpen(keypad);

    const ticket = await staff.post('/api/v1/tickets', { serviceId: 'general' });
    await keypad.press('NEXT');
    const called = await until(
      () => staff.get(`/api/v1/tickets/${ticket.json.id}`),
      (r) => r.json.status === 'called',
      'ticket called by the keypad',
    );
    expect(called.json.counterId).toBe('1');
    // The hall answers on the keypad's own screen with the number it called.
    await keypad.waitFor(() => (keypad.screenText() === ticket.json.number ? true : undefined));
  });

  it('moving the keypad to another counter keeps its link and acts there', async () => {
    const [device] = (await manager.get('/api/v1/config')).json.devices;
    expect((await put([{ ...device, counterId: '2' }])).status).toBe(200);
    expect((await devices()).find((d) => d.id === 'keypad-7')).toMatchObject({
      status: 'ok',
      counterId: '2',
    });
    // Nobody is seated at counter 2: the keypad says so instead of calling.
    await keypad.press('NEXT');
    await keypad.waitFor(() => (keypad.screenText()?.includes('Counter closed') ? true : undefined));
    expect(keypad.health().state).toBe('open');
  });

  it('refuses a list that cannot work, by field, and keeps the devices running', async () => {
    const version = (await manager.get('/api/v1/config')).json.version;
    const bad = await put([
      { id: 'keypad-7', kind: 'keypad', path: port, kioskId: 'k1' },
      { id: 'led-7', kind: 'led', vendorId: '1a86', counterId: '9' },
      { id: 'x', kind: 'printer', path: '/dev/ttyS0' },
    ]);
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('invalid-request');
    expect(bad.json.error.fields.map((f: { path: string }) => f.path)).toEqual(
      expect.arrayContaining(['body.0', 'body.1', 'body.2.kind']),
    );
    expect((await put({ id: 'keypad-7' })).status).toBe(400);
    expect((await put([], { 'if-match': `"${version - 1}"` })).status).toBe(409);
    const now: ConfigView = (await manager.get('/api/v1/config')).json;
    expect(now.version).toBe(version);
    expect(now.devices.map((d) => d.id)).toEqual(['keypad-7']);
  });

  it('removing the keypad stops the hall listening to it; adding it back re-opens the port', async () => {
    expect((await put([])).status).toBe(200);
    expect((await devices()).map((d) => d.id)).toEqual(['printer']);
    const waiting = await staff.post('/api/v1/tickets', { serviceId: 'general' });
    expect((await staff.post('/api/v1/counters/1/finish')).status).toBe(200);
    // Nobody reads the port: the press is never acknowledged (three tries) and nothing is called.
    await expect(keypad.press('NEXT')).rejects.toThrow();
    expect((await staff.get(`/api/v1/tickets/${waiting.json.id}`)).json.status).toBe('waiting');

    const back = [{ id: 'keypad-7', kind: 'keypad', path: port, counterId: '1' }];
    expect((await put(back)).status).toBe(200);
    await until(devices, (list) => list.some((d) => d.id === 'keypad-7' && d.status === 'ok'), 'keypad up');
    await keypad.press('NEXT');
    await until(
      () => staff.get(`/api/v1/tickets/${waiting.json.id}`),
      (r) => r.json.status === 'called',
      'called after the keypad came back',
    );
    const year = new Date().getUTCFullYear(); // this hall runs on the real clock
    const audit = (await manager.get(`/api/v1/audit?from=${year - 1}-01-01&to=${year + 1}-12-31`)).json
      .entries;
    expect(audit.filter((a: { action: string }) => a.action === 'config.devices')).toHaveLength(4);
  });
});

describe('the ticket printer changed in the configuration, live', () => {
  // A network printer on the hall's network: the only kind of address a manager may give (a box with
  // no network but loopback has no such address).
  it.skipIf(lanAddress() === null)(
    'prints the next kiosk ticket on the new network printer, and refuses a bad connection',
    async () => {
      const emulator = new PrinterEmulator(lanAddress()!);
      await emulator.start(0);
      try {
        const bad = await manager.request('PUT', '/api/v1/config/printer', { body: { connection: 'lpt1' } });
        expect(bad.status).toBe(400);
        expect(bad.json.error.fields[0].path).toBe('body.connection');
        const res = await manager.request('PUT', '/api/v1/config/printer', {
          body: { connection: emulator.uri },
        });
        expect(res.status).toBe(200);
        expect(res.json.printer).toBe(emulator.uri);
        expect((await devices()).find((d) => d.id === 'printer')).toMatchObject({ connection: emulator.uri });

        const issued = await staff.post('/api/v1/tickets', { serviceId: 'payments' }, { 'X-Kiosk-Id': 'k1' });
        expect(issued.status).toBe(201);
        const [job] = await emulator.waitForJobs(1);
        expect(decodeEscPos(job!.bytes).lines).toContain(issued.json.number);
      } finally {
        await manager.request('PUT', '/api/v1/config/printer', { body: { connection: 'sim' } });
        await emulator.stop();
      }
    },
  );
});
