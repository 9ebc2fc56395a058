/**
 * The hall with real device links: a TCP-9100 printer emulator named by HALLQ_PRINTER, and a keypad and
 * an LED screen for counter 1 on socat pseudo-terminal pairs named by the devices list. The device ends
 * are HallQ's simulators speaking the real bytes, as a device on a cable would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrinterEmulator } from '../../hardware/index.ts';
import { KeypadSimulator } from '../../hardware/serial/keypad/simulator.ts';
import { LedSimulator } from '../../hardware/serial/led/simulator.ts';
import type { RunningHall } from '../../server/main.ts';
import { decodeEscPos } from '../helpers/escpos-decoder.ts';
import { Client, startTestServer } from '../helpers/http.ts';
import { allOpen, cableEnds, PtyPair } from '../helpers/pty.ts';
import { until } from '../helpers/until.ts';

let hall: RunningHall;
let emulator: PrinterEmulator;
let keypadCable: PtyPair;
let ledCable: PtyPair;
let keypad: KeypadSimulator;
let led: LedSimulator;
let staff: Client;
const anon = () => new Client(hall.url);

beforeAll(async () => {
  emulator = new PrinterEmulator();
  await emulator.start(0);
  keypadCable = await PtyPair.start('keypad');
  ledCable = await PtyPair.start('led');
  hall = await startTestServer({
    settings: {
      printer: emulator.uri,
      devices: [
        { id: 'keypad-1', kind: 'keypad', path: keypadCable.hostPath, counterId: '1' },
        { id: 'led-1', kind: 'led', path: ledCable.hostPath, counterId: '1' },
      ],
    },
  });
  keypad = new KeypadSimulator(cableEnds(keypadCable, 'keypad').simulator);
  led = new LedSimulator(cableEnds(ledCable, 'led').simulator);
  await allOpen(keypad, led);
  staff = new Client(hall.url);
  await staff.login('staff1');
  await staff.post('/api/v1/counters/1/open');
});

afterAll(async () => {
  await hall?.close();
  await Promise.all([keypad?.close(), led?.close()]);
  await Promise.all([keypadCable?.close(), ledCable?.close(), emulator?.stop()]);
});

describe('printing a kiosk ticket on a TCP ESC/POS printer', () => {
  it('sends FS &, GB18030 Chinese, the number, the tracking URL in the QR code and a cut', async () => {
    const issued = await anon().post('/api/v1/tickets', { serviceId: 'broadband' }, { 'X-Kiosk-Id': 'k1' });
    expect(issued.status).toBe(201);
    const [job] = await emulator.waitForJobs(1);
    const ticket = decodeEscPos(job!.bytes);
    expect(ticket.chineseMode).toBe(true);
    expect(ticket.cut).toBe(true);
    expect(ticket.lines).toContain('宽带固话');
    expect(ticket.lines).toContain(issued.json.number);
    expect(ticket.qr).toEqual([issued.json.trackUrl]);
    const printed = await until(
      () => anon().get(`/api/v1/tickets/${issued.json.id}`),
      (r) => r.json.print !== 'pending',
      'print state',
    );
    expect(printed.json.print).toBe('printed');
  });

  it('still issues the ticket when the paper is out, says so, and shows the printer state in health', async () => {
    emulator.set({ paperOut: true });
    try {
      const issued = await anon().post('/api/v1/tickets', { serviceId: 'general' }, { 'X-Kiosk-Id': 'k1' });
      expect(issued.status).toBe(201);
      const failed = await until(
        () => anon().get(`/api/v1/tickets/${issued.json.id}`),
        (r) => r.json.print !== 'pending',
        'print state',
      );
      expect(failed.json).toMatchObject({ status: 'waiting', print: 'failed', printProblem: 'paper-out' });
      const health = await anon().get('/api/v1/health');
      expect(health.json.devices).toContainEqual(
        expect.objectContaining({ id: 'printer', status: 'paper-out' }),
      );
    } finally {
      emulator.set({ paperOut: false });
    }
  });
});

describe('a keypad and an LED screen at counter 1', () => {
  it('calls the next ticket for the person seated there on NEXT (ACKed), and the LED screen shows it', async () => {
    const issued = await anon().post('/api/v1/tickets', { serviceId: 'payments', channel: 'reception' });
    // Waiting tickets from the printing tests come first; the keypad calls until it reaches ours.
    let current = '';
    for (let i = 0; i < 4 && current !== issued.json.number; i++) {
      await keypad.press('NEXT'); // resolves on the host's ACK
      const counter = await until(
        () => anon().get('/api/v1/counters'),
        (r) => r.json[0].status === 'serving',
        'counter 1 serving',
      );
      current = counter.json[0].currentTicket;
      expect(
        await until(
          () => led.display().text,
          (t) => t === current,
          'LED text',
        ),
      ).toBe(current);
      if (current !== issued.json.number) await keypad.press('FINISH');
    }
    expect(current).toBe(issued.json.number);
    // SHOW and BLINK are two lines: the blink may follow the text by a moment.
    expect(
      await until(
        () => led.display().blinkSeconds ?? 0,
        (seconds) => seconds > 0,
        'LED blinking',
      ),
    ).toBeGreaterThan(0);
    const detail = await staff.get('/api/v1/counters/1/current');
    expect(detail.json.ticket).toMatchObject({ number: issued.json.number, status: 'called' });
    expect(
      await until(
        () => keypad.screenText(),
        (t) => t === current,
        'keypad screen',
      ),
    ).toBe(current);
  });

  it('refuses a second NEXT while a ticket is at the counter, and tells the keypad why', async () => {
    await keypad.press('NEXT');
    expect(
      await until(
        () => keypad.screenText() ?? '',
        (t) => /serving/.test(t),
        'keypad message',
      ),
    ).toMatch(/serving/);
    await keypad.press('FINISH');
    await until(
      () => anon().get('/api/v1/counters'),
      (r) => r.json[0].status === 'open',
      'counter 1 open again',
    );
  });
});
