import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Cable } from '../../hardware/serial/mock-cable.ts';
import { ScannerDriver } from '../../hardware/serial/scanner/driver.ts';
import { ScannerSimulator } from '../../hardware/serial/scanner/simulator.ts';
import { byHand, deviceTargets, useTarget } from '../helpers/device-targets.ts';
import { allOpen, CABLES, cableEnds, type RecordingLogger } from '../helpers/pty.ts';

// The QR / barcode scanner's contract (PROTOCOLS.md §4), written once and run against the simulator over
// an in-memory cable and a socat pty pair, and against a real scanner when HALLQ_TEST_SCANNER names its
// port. A scanner only talks when someone scans, so at a real one a person does (HALLQ_TEST_PERSON=1).

const TARGETS = deviceTargets({
  kind: 'scanner',
  env: 'HALLQ_TEST_SCANNER',
  simulator: (connection) => new ScannerSimulator(connection),
});

describe.each(TARGETS)('scanner contract: $name', (target) => {
  const scanner = useTarget(target);

  it('reports a scanned code once, exactly as printed', { timeout: 90_000 }, async ({ skip }) => {
    const driver = await scanner.open((host) => new ScannerDriver(host));
    const codes: string[] = [];
    driver.onScan((code) => codes.push(code));
    await byHand(
      scanner.device,
      (d) => d.scan('HALLQ-TEST-42'),
      'scan a code that reads HALLQ-TEST-42',
      skip,
    );
    await vi.waitFor(() => expect(codes.length).toBeGreaterThan(0), { timeout: 30_000 });
    await new Promise((resolve) => setTimeout(resolve, 300)); // a second report would be here by now
    expect(codes).toEqual(['HALLQ-TEST-42']);
  });
});

// HallQ's scanner driver with the simulator: noise, oversized lines and unplugs on purpose.
describe.each(CABLES)('scanner driver against the simulator over a $name', ({ connect }) => {
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
