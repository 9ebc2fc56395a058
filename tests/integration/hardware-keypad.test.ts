import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KeypadPress } from '../../hardware/serial/keypad/codec.ts';
import { KeypadDriver } from '../../hardware/serial/keypad/driver.ts';
import { KeypadSimulator } from '../../hardware/serial/keypad/simulator.ts';
import { formatLine } from '../../hardware/serial/line-protocol.ts';
import type { Cable } from '../../hardware/serial/mock-cable.ts';
import { byHand, deviceTargets, LineProbe, useTarget } from '../helpers/device-targets.ts';
import { allOpen, CABLES, cableEnds, type RecordingLogger } from '../helpers/pty.ts';

// The call keypad's contract (PROTOCOLS.md §3), written once and run against the simulator over an
// in-memory cable and a socat pty pair, and against a real keypad when HALLQ_TEST_KEYPAD names its port.

const TARGETS = deviceTargets({
  kind: 'keypad',
  env: 'HALLQ_TEST_KEYPAD',
  simulator: (connection) => new KeypadSimulator(connection),
});

describe.each(TARGETS)('keypad contract: $name', (target) => {
  const keypad = useTarget(target);

  it('answers SHOW with ACK under the same SEQ, with a checksum or without', async () => {
    const line = await keypad.open((host) => new LineProbe(host));
    expect(await line.ask('0 SHOW HallQ 测试*61')).toBe('0 ACK');
    expect(await line.ask('1 SHOW A012')).toBe('1 ACK');
  });

  it('refuses a wrong checksum, an unknown verb, an empty SHOW and a malformed line with their NAKs', async () => {
    const line = await keypad.open((host) => new LineProbe(host));
    expect(await line.ask('2 SHOW HallQ 测试*62')).toBe('2 NAK BAD-CHECKSUM');
    expect(await line.ask('3 DANCE')).toBe('3 NAK UNKNOWN-VERB');
    expect(await line.ask('4 SHOW')).toBe('4 NAK BAD-ARGS');
    expect(await line.ask('5 show A012')).toBe('5 NAK BAD-SYNTAX');
  });

  it('takes screen text from the driver, which resolves on the ACK', async () => {
    const driver = await keypad.open((host) => new KeypadDriver(host));
    await expect(driver.show('A012 等候 4')).resolves.toBeUndefined();
  });

  it('reports each key once: NEXT, then a transfer with its prefix', { timeout: 90_000 }, async ({
    skip,
  }) => {
    const driver = await keypad.open((host) => new KeypadDriver(host));
    const presses: KeypadPress[] = [];
    driver.onPress((press) => presses.push(press));
    await byHand(keypad.device, (d) => d.press('NEXT'), 'press NEXT on the keypad, once', skip);
    await vi.waitFor(() => expect(presses.length).toBeGreaterThan(0), { timeout: 30_000 });
    await byHand(
      keypad.device,
      (d) => d.press({ key: 'XFER', servicePrefix: 'B' }),
      'transfer to the service with prefix B on the keypad (XFER B)',
      skip,
    );
    await vi.waitFor(() => expect(presses.length).toBeGreaterThan(1), { timeout: 30_000 });
    await new Promise((resolve) => setTimeout(resolve, 500)); // a second delivery would be here by now
    expect(presses).toEqual([{ key: 'NEXT' }, { key: 'XFER', servicePrefix: 'B' }]);
  });
});

// HallQ's keypad driver when the line misbehaves: faults only a simulator can make on purpose.
describe.each(CABLES)('keypad driver against the simulator over a $name', ({ connect }) => {
  let cable: Cable;
  let keypad: KeypadDriver;
  let device: KeypadSimulator;
  let hostLogger: RecordingLogger;
  let presses: KeypadPress[];

  beforeEach(async () => {
    cable = await connect('keypad');
    const ends = cableEnds(cable, 'keypad-1');
    hostLogger = ends.hostLogger;
    keypad = new KeypadDriver(ends.host);
    device = new KeypadSimulator(ends.simulator);
    presses = [];
    keypad.onPress((press) => presses.push(press));
    await allOpen(keypad, device);
  });
  afterEach(async () => {
    await Promise.all([keypad.close(), device.close()]);
    await cable.close();
  });

  it('has the press acknowledged before it is reported, and shows text on the keypad screen', async () => {
    await device.press('FINISH');
    expect(presses).toEqual([{ key: 'FINISH' }]);
    expect(device.linesReceived().map((l) => l.replace(/\*[0-9A-F]{2}$/, ''))).toEqual(['0 ACK']);
    await keypad.show('A012 等候 4');
    expect(device.screenText()).toBe('A012 等候 4');
  });

  it('acts once on a line the keypad repeats because it missed the ACK', async () => {
    const line = formatLine(40, 'NEXT', [], true);
    await device.sendRaw(line + line);
    await device.waitFor(() =>
      device.linesReceived().filter((l) => l.startsWith('40 ACK')).length === 2 ? true : undefined,
    );
    expect(presses).toEqual([{ key: 'NEXT' }]);
  });

  it('answers bad lines with NAK codes or drops them with a warning, and keeps working', async () => {
    await device.sendRaw('11 NEXT*00\r\n'); // wrong checksum
    await device.sendRaw('12 DANCE\r\n'); // unknown verb
    await device.sendRaw('13 XFER\r\n'); // missing argument
    await device.sendRaw('\u0000\u00ff\u0013garbage\r\n'); // no SEQ: nothing to NAK
    await device.sendRaw(`14 SHOW ${'x'.repeat(400)}\r\n`); // longer than any line
    await device.sendRaw('300 NEXT\r\n'); // SEQ out of range: nothing to NAK
    await device.sendRaw('15 NE'); // truncated: the rest of the line never comes
    await device.sendRaw('\r\n');
    await device.waitFor(() =>
      device.linesReceived().some((l) => l.startsWith('15 NAK')) ? true : undefined,
    );
    const naks = device.linesReceived().map((l) => l.replace(/\*[0-9A-F]{2}$/, ''));
    expect(naks).toEqual([
      '11 NAK BAD-CHECKSUM',
      '12 NAK UNKNOWN-VERB',
      '13 NAK BAD-ARGS',
      '15 NAK UNKNOWN-VERB',
    ]);
    const warnings = hostLogger.messages();
    expect(warnings).toContain('line protocol: bad line');
    expect(warnings).toContain('serial bytes discarded');
    await device.press('RECALL');
    expect(presses).toEqual([{ key: 'RECALL' }]);
    expect(keypad.health().state).toBe('open');
  });

  it('drops an ACK whose SEQ matches nothing, with a warning', async () => {
    await device.sendRaw('201 ACK\r\n');
    await vi.waitFor(() =>
      expect(hostLogger.calls).toContainEqual([
        'line protocol: reply with no matching SEQ dropped',
        expect.objectContaining({ line: '201 ACK' }),
      ]),
    );
  });

  it('retries a line the keypad ignores, then reports the timeout; reports a NAK at once', async () => {
    device.injectFault({ kind: 'ignore' }, 2);
    await keypad.show('A013');
    expect(device.linesReceived().filter((l) => l.startsWith('0 SHOW A013'))).toHaveLength(3);
    device.injectFault({ kind: 'ignore' });
    await expect(keypad.show('A014')).rejects.toMatchObject({ timeout: true });
    device.injectFault({ kind: 'nak', code: 'BUSY' });
    await expect(keypad.show('A015')).rejects.toMatchObject({ nak: 'BUSY' });
  });

  it('resumes after an unplug; a key pressed meanwhile arrives once replugged', async () => {
    await cable.unplug();
    await vi.waitFor(() => expect(keypad.health().state).toBe('down'), { timeout: 5000 });
    const pressed = device.press('NOSHOW');
    const replugged = Date.now();
    await cable.replug();
    await allOpen(keypad, device);
    expect(Date.now() - replugged).toBeLessThan(2000);
    await pressed;
    expect(presses).toEqual([{ key: 'NOSHOW' }]);
  });
});
