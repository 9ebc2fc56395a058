/**
 * The printer and devices a manager may connect through the web, tried over HTTP against a real hall
 * whose installer gave it a file as ticket printer and a keypad on a pseudo-terminal outside /dev/:
 * the installer's connections keep working (and may be saved again), while the web may name only
 * devices under /dev/ and printers on the hall's network — never a file, loopback or a host name, and
 * with one answer for files that exist and files that do not.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrinterEmulator } from '../../hardware/index.ts';
import { DEMO_HALL, type HallConfig, parseHallConfig } from '../../server/config.ts';
import type { RunningHall } from '../../server/main.ts';
import { decodeEscPos } from '../helpers/escpos-decoder.ts';
import { lanAddress } from '../helpers/hall-network.ts';
import { Client, startTestServer } from '../helpers/http.ts';
import { PtyPair } from '../helpers/pty.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { addAccounts } from '../helpers/test-hall.ts';

const HALL: HallConfig = parseHallConfig({ ...DEMO_HALL, staff: [], kiosks: [{ id: 'k1' }] }, 'test');
const BOSS = { id: 'boss', name: '张经理', role: 'manager' as const, password: 'boss-password-1' };

let dir: string;
let dbPath: string;
let printerFile: string;
let cable: PtyPair;
let hall: RunningHall;
let manager: Client;
let settings: Parameters<typeof startTestServer>[0];

async function start() {
  hall = await startTestServer(settings);
  manager = new Client(hall.url);
  expect((await manager.login('boss', BOSS.password)).status).toBe(200);
}

const put = (path: string, body: unknown) => manager.request('PUT', `/api/v1${path}`, { body });
const config = async () => (await manager.get('/api/v1/config')).json;

/** A kiosk ticket (a manager naming kiosk k1): it prints on the hall's one ticket printer. */
async function kioskTicket(): Promise<string> {
  const res = await manager.post('/api/v1/tickets', { serviceId: 'general' }, { 'X-Kiosk-Id': 'k1' });
  expect(res.status).toBe(201);
  return res.json.number;
}

async function untilIn(read: () => string[], text: string): Promise<void> {
  for (let i = 0; i < 250 && !read().includes(text); i++) await new Promise((r) => setTimeout(r, 20));
  expect(read()).toContain(text);
}
const printedToFile = () => decodeEscPos(readFileSync(printerFile)).lines;

beforeAll(async () => {
  dir = tempDir();
  dbPath = join(dir, 'hall.sqlite');
  printerFile = join(dir, 'printer');
  writeFileSync(printerFile, '');
  cable = await PtyPair.start('installer-keypad');
  await addAccounts(dbPath, [BOSS]);
  // The installer's word: a file as printer (HALLQ_PRINTER) and a keypad on a path outside /dev/.
  settings = {
    settings: {
      demo: false,
      hall: HALL,
      dbPath,
      printer: printerFile,
      devices: [{ id: 'keypad-1', kind: 'keypad', path: cable.hostPath, counterId: '1' }],
    },
  };
  await start();
});
afterAll(async () => {
  await hall?.close();
  await cable?.close();
});

describe('the installer’s connections', () => {
  it('a file printer seeded by the installer prints, may be saved again, and still prints after a restart', async () => {
    await untilIn(printedToFile, await kioskTicket());
    const { version } = await config();
    const again = await put('/config/printer', { connection: printerFile });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ printer: printerFile, version: version + 1 });
    await hall.close();
    await start();
    expect((await config()).printer).toBe(printerFile);
    await untilIn(printedToFile, await kioskTicket());
  });

  it('a keypad seeded outside /dev/ may move to another counter with its path as it is', async () => {
    const [keypad] = (await config()).devices;
    expect(keypad.path).toBe(cable.hostPath);
    const moved = await put('/config/devices', [{ ...keypad, counterId: '2' }]);
    expect(moved.status).toBe(200);
    expect(moved.json.devices).toEqual([{ ...keypad, counterId: '2' }]);
  });
});

describe('what the web may not connect', () => {
  it('no file as printer: one answer for files that exist and files that do not, and nothing written', async () => {
    const passwd = statSync('/etc/passwd');
    const before = await config();
    const answers = [];
    for (const connection of [
      '/etc/passwd',
      dbPath,
      join(dir, 'no-such-file'),
      '/no/such/dir/file',
      '/dev/../etc/passwd',
      'serial:/dev/%2e%2e/etc/passwd',
      '/dev/shm/tickets',
      '/dev/pts/0',
    ]) {
      const res = await put('/config/printer', { connection });
      expect(res.status, connection).toBe(400);
      expect(res.json.error.fields.map((f: { path: string }) => f.path)).toEqual(['body.connection']);
      answers.push(res.json.error.fields[0].message);
    }
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toMatch(/installer/);
    expect(statSync('/etc/passwd')).toMatchObject({ size: passwd.size, mtimeMs: passwd.mtimeMs });
    expect(await config()).toMatchObject({ printer: before.printer, version: before.version });
  });

  it('no printer on loopback, by host name, or off the hall’s network; nothing is connected to', async () => {
    const local = new PrinterEmulator('127.0.0.1');
    await local.start(0);
    try {
      for (const connection of [
        local.uri,
        `tcp://localhost:${local.port}`,
        `tcp://[::1]:${local.port}`,
        `tcp://[::ffff:127.0.0.1]:${local.port}`,
        'tcp://169.254.169.254:80',
        'tcp://203.0.113.9:9100',
        'tcp://printer.example.com:9100',
      ]) {
        const res = await put('/config/printer', { connection });
        expect(res.status, connection).toBe(400);
      }
      await kioskTicket();
      await new Promise((r) => setTimeout(r, 200));
      expect(local.jobs()).toEqual([]);
    } finally {
      await local.stop();
    }
  });

  it('no device outside /dev/ or on a terminal; a serial port under /dev/ is taken', async () => {
    const [keypad] = (await config()).devices;
    for (const path of [join(dir, 'pty'), '/etc/passwd', '/dev/pts/0', '/dev/tty1', '/dev/kmsg']) {
      const res = await put('/config/devices', [keypad, { id: 'led-9', kind: 'led', path, counterId: '1' }]);
      expect(res.status, path).toBe(400);
      expect(res.json.error.fields).toEqual([
        { path: 'body.1.path', message: expect.stringMatching(/installer/) },
      ]);
    }
    const usb = await put('/config/devices', [
      keypad,
      { id: 'led-9', kind: 'led', path: '/dev/ttyUSB7', counterId: '1' },
    ]);
    expect(usb.status).toBe(200);
  });
});

describe('what the web may connect', () => {
  it.skipIf(lanAddress() === null)('a network printer on the hall’s network, which then prints', async () => {
    const printer = new PrinterEmulator(lanAddress()!);
    await printer.start(0);
    try {
      const res = await put('/config/printer', { connection: printer.uri });
      expect(res.status).toBe(200);
      const number = await kioskTicket();
      const [job] = await printer.waitForJobs(1);
      expect(decodeEscPos(job!.bytes).lines).toContain(number);
    } finally {
      await printer.stop();
    }
  });
});
