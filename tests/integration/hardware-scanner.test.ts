import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Cable } from '../../hardware/serial/mock-cable.ts';
import { ScannerDriver } from '../../hardware/serial/scanner/driver.ts';
import { ScannerSimulator } from '../../hardware/serial/scanner/simulator.ts';
import { allOpen, CABLES, cableEnds, type RecordingLogger, realDeviceEnd } from '../helpers/pty.ts';

// The QR / barcode scanner's contract, written once: over an in-memory cable and a socat pty pair
// against the simulator, and against a real scanner when HALLQ_TEST_SCANNER names its port.

describe.each(CABLES)('scanner contract over a $name', ({ connect }) => {
  let cable: Cable;
  let scanner: ScannerDriver;
  let customer: ScannerSimulator;
  let hostLogger: RecordingLogger;
  let codes: string[];

  beforeEach(async () => {
    cable = await connect('scanner');
    const ends = cableEnds(cable, 'scanner-1');
    hostLogger = ends.hostLogger;
    scanner = new ScannerDriver(ends.host);
    customer = new ScannerSimulator(ends.simulator);
    codes = [];
    scanner.onScan((code) => codes.push(code));
    await allOpen(scanner, customer);
  });
  afterEach(async () => {
    await Promise.all([scanner.close(), customer.close()]);
    await cable.close();
  });

  it('reports each scanned code as it was printed', async () => {
    await customer.scan('https://hall.example/appointments/APPT-2026-0042');
    await customer.scan('6901234567892');
    await vi.waitFor(() =>
      expect(codes).toEqual(['https://hall.example/appointments/APPT-2026-0042', '6901234567892']),
    );
  });

  it('drops noise and oversized lines with a warning and keeps scanning', async () => {
    await customer.sendRaw(Uint8Array.of(0x01, 0x02, 0x0d, 0x0a));
    await customer.sendRaw(`${'9'.repeat(600)}\r\n`);
    await customer.scan('AFTER-NOISE');
    await vi.waitFor(() => expect(codes).toEqual(['AFTER-NOISE']));
    const warnings = hostLogger.messages();
    expect(warnings).toEqual(expect.arrayContaining(['scanner line dropped', 'serial bytes discarded']));
  });

  it('resumes after an unplug and reports scans made after the replug', async () => {
    await cable.unplug();
    await vi.waitFor(() => expect(scanner.health().state).toBe('down'), { timeout: 5000 });
    await cable.replug();
    await allOpen(scanner, customer);
    await customer.scan('BACK');
    await vi.waitFor(() => expect(codes).toEqual(['BACK']));
  });
});

const realScanner = process.env.HALLQ_TEST_SCANNER;
describe.runIf(realScanner)(`scanner contract on the real device at ${realScanner}`, () => {
  it('opens the port (scanning needs a person: scan any code within 20 s)', { timeout: 30_000 }, async () => {
    const scanner = new ScannerDriver(realDeviceEnd(realScanner!, 'scanner (real)'));
    try {
      const code = await new Promise<string>((resolve) => scanner.onScan(resolve));
      expect(code.length).toBeGreaterThan(0);
    } finally {
      await scanner.close();
    }
  });
});
describe.skipIf(realScanner)('scanner contract on a real device', () => {
  it.skip('skipped: set HALLQ_TEST_SCANNER=/dev/ttyACM0 to run it (someone scans a code)', () => {});
});
