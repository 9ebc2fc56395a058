import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LedDriver } from '../../hardware/serial/led/driver.ts';
import { LedSimulator } from '../../hardware/serial/led/simulator.ts';
import type { Cable } from '../../hardware/serial/mock-cable.ts';
import { allOpen, CABLES, cableEnds, type RecordingLogger, realDeviceEnd } from '../helpers/pty.ts';

// The LED window screen's contract, written once: over an in-memory cable and a socat pty pair against
// the simulator, and against a real screen when HALLQ_TEST_LED names its port.

describe.each(CABLES)('LED screen contract over a $name', ({ connect }) => {
  let cable: Cable;
  let led: LedDriver;
  let screen: LedSimulator;
  let hostLogger: RecordingLogger;

  beforeEach(async () => {
    cable = await connect('led');
    const ends = cableEnds(cable, 'led-1');
    hostLogger = ends.hostLogger;
    led = new LedDriver(ends.host);
    screen = new LedSimulator(ends.simulator);
    await allOpen(led, screen);
  });
  afterEach(async () => {
    await Promise.all([led.close(), screen.close()]);
    await cable.close();
  });

  it('shows a call, blinks it and clears, each resolved on the ACK', async () => {
    await led.show('请 A001 到 3 号窗口');
    await led.blink(5);
    expect(screen.display()).toEqual({ text: '请 A001 到 3 号窗口', blinkSeconds: 5 });
    await led.clear();
    expect(screen.display()).toEqual({ text: null, blinkSeconds: null });
  });

  it('reports what the screen refuses instead of pretending it showed', async () => {
    screen.injectFault({ kind: 'nak', code: 'BAD-ARGS' }, 1);
    await expect(led.show('A002')).rejects.toMatchObject({ nak: 'BAD-ARGS' });
    await expect(led.show('')).rejects.toThrow(/visible text/);
  });

  it('refuses lines from a screen that has nothing to report, and stays up', async () => {
    await screen.sendRaw('3 NEXT\r\n');
    await screen.waitFor(() =>
      screen.linesReceived().some((l) => l.startsWith('3 NAK UNKNOWN-VERB')) ? true : undefined,
    );
    expect(hostLogger.calls).toContainEqual(['line protocol: line refused', expect.anything()]);
    await led.show('A003');
    expect(screen.display().text).toBe('A003');
  });

  it('delivers a call made while unplugged once the cable is back, within 2 s of the replug', async () => {
    await cable.unplug();
    await vi.waitFor(() => expect(led.health().state).toBe('down'), { timeout: 5000 });
    const call = led.show('请 A004 到 1 号窗口');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const replugged = Date.now();
    await cable.replug();
    await call;
    expect(Date.now() - replugged).toBeLessThan(2000);
    expect(screen.display().text).toBe('请 A004 到 1 号窗口');
  });

  it('reports a call as failed when the cable stays unplugged, never dropping it silently', async () => {
    await cable.unplug();
    await vi.waitFor(() => expect(led.health().state).toBe('down'), { timeout: 5000 });
    // writeWaitMs (2 s by default) bounds how long a call waits for the screen to come back.
    await expect(led.show('A005')).rejects.toMatchObject({ disconnected: true });
    await cable.replug();
    await allOpen(led, screen);
    expect(screen.receivedCommands()).toEqual([]);
  });
});

const realLed = process.env.HALLQ_TEST_LED;
describe.runIf(realLed)(`LED screen contract on the real device at ${realLed}`, () => {
  it('acknowledges SHOW, BLINK and CLEAR', async () => {
    const led = new LedDriver(realDeviceEnd(realLed!, 'led (real)'));
    try {
      await led.show('HallQ test');
      await led.blink(2);
      await led.clear();
    } finally {
      await led.close();
    }
  });
});
describe.skipIf(realLed)('LED screen contract on a real device', () => {
  it.skip('skipped: set HALLQ_TEST_LED=/dev/ttyUSB1 (a screen speaking HallQ lines) to run it', () => {});
});
