import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LedDriver } from '../../hardware/serial/led/driver.ts';
import { LedSimulator } from '../../hardware/serial/led/simulator.ts';
import type { Cable } from '../../hardware/serial/mock-cable.ts';
import { deviceTargets, LineProbe, useTarget } from '../helpers/device-targets.ts';
import { allOpen, CABLES, cableEnds, type RecordingLogger } from '../helpers/pty.ts';

// The LED window screen's contract (PROTOCOLS.md §3), written once and run against the simulator over an
// in-memory cable and a socat pty pair, and against a real screen when HALLQ_TEST_LED names its port.

const TARGETS = deviceTargets({
  kind: 'led',
  env: 'HALLQ_TEST_LED',
  simulator: (connection) => new LedSimulator(connection),
});

describe.each(TARGETS)('LED screen contract: $name', (target) => {
  const led = useTarget(target);

  it('answers SHOW, BLINK and CLEAR with ACK under the same SEQ', async () => {
    const line = await led.open((host) => new LineProbe(host));
    expect(await line.ask('10 SHOW 请 A001 到 3 号窗口*A2')).toBe('10 ACK');
    expect(await line.ask('11 BLINK 5*77')).toBe('11 ACK');
    expect(await line.ask('12 CLEAR*7A')).toBe('12 ACK');
  });

  it('refuses a wrong checksum, an unknown verb, a blink out of range and a malformed line', async () => {
    const line = await led.open((host) => new LineProbe(host));
    expect(await line.ask('13 BLINK 5*76')).toBe('13 NAK BAD-CHECKSUM');
    expect(await line.ask('14 NEXT')).toBe('14 NAK UNKNOWN-VERB');
    expect(await line.ask('15 BLINK 61')).toBe('15 NAK BAD-ARGS');
    expect(await line.ask('16 BLINK 0')).toBe('16 NAK BAD-ARGS');
    expect(await line.ask('17 CLEAR now')).toBe('17 NAK BAD-ARGS');
    expect(await line.ask('18 blink 5')).toBe('18 NAK BAD-SYNTAX');
  });

  it('takes a call from the driver: show, blink and clear each resolve on the ACK', async () => {
    const driver = await led.open((host) => new LedDriver(host));
    await expect(driver.show('请 A001 到 3 号窗口')).resolves.toBeUndefined();
    await expect(driver.blink(2)).resolves.toBeUndefined();
    await expect(driver.clear()).resolves.toBeUndefined();
  });
});

// HallQ's LED driver when the line misbehaves: faults only a simulator can make on purpose.
describe.each(CABLES)('LED driver against the simulator over a $name', ({ connect }) => {
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

  it('displays the call it was sent, blinks it, and blanks on CLEAR', async () => {
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
