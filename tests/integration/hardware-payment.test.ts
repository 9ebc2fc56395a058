import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Cable } from '../../hardware/serial/mock-cable.ts';
import type { PaymentReport } from '../../hardware/serial/payment/codec.ts';
import { PaymentTerminalDriver } from '../../hardware/serial/payment/driver.ts';
import { PaymentTerminalSimulator } from '../../hardware/serial/payment/simulator.ts';
import { byHand, deviceTargets, LineProbe, useTarget } from '../helpers/device-targets.ts';
import { allOpen, CABLES, cableEnds, type RecordingLogger } from '../helpers/pty.ts';

// The payment terminal's contract (PROTOCOLS.md §3), written once and run against the simulator over an
// in-memory cable and a socat pty pair, and against a real terminal when HALLQ_TEST_PAYMENT names its port.

const TARGETS = deviceTargets({
  kind: 'payment',
  env: 'HALLQ_TEST_PAYMENT',
  simulator: (connection) => new PaymentTerminalSimulator(connection),
});

describe.each(TARGETS)('payment terminal contract: $name', (target) => {
  const terminal = useTarget(target);

  it('answers CANCEL with ACK under the same SEQ, for an order it does not know too', async () => {
    const line = await terminal.open((host) => new LineProbe(host));
    expect(await line.ask('31 CANCEL ORD-77*70')).toBe('31 ACK');
  });

  it('refuses a wrong checksum, an unknown verb, an amount that is not whole fen and a malformed line', async () => {
    const line = await terminal.open((host) => new LineProbe(host));
    expect(await line.ask('32 CANCEL ORD-77*71')).toBe('32 NAK BAD-CHECKSUM');
    expect(await line.ask('33 REFUND ORD-77 500')).toBe('33 NAK UNKNOWN-VERB');
    expect(await line.ask('34 PAY ORD-77 05000')).toBe('34 NAK BAD-ARGS');
    expect(await line.ask('35 PAY ORD-77 12.50')).toBe('35 NAK BAD-ARGS');
    expect(await line.ask('36 PAY ORD-77')).toBe('36 NAK BAD-ARGS');
    expect(await line.ask('37 pay ORD-77 5000')).toBe('37 NAK BAD-SYNTAX');
  });

  it('takes a payment and reports it paid, for the amount asked, with a reference', {
    timeout: 90_000,
  }, async ({ skip }) => {
    const driver = await terminal.open(
      (host) => new PaymentTerminalDriver(host, { resultTimeoutMs: 60_000 }),
    );
    await byHand(
      terminal.device,
      (d) => d.setBehaviour({ kind: 'approve', afterMs: 20 }),
      'pay ¥0.01 for order HALLQ-TEST-1 at the terminal',
      skip,
    );
    expect(await driver.pay('HALLQ-TEST-1', 1)).toEqual({
      ok: true,
      orderId: 'HALLQ-TEST-1',
      amountFen: 1,
      reference: expect.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
    });
  });
});

// HallQ's payment driver with the simulator: declines, timeouts, late results and refusals on purpose.
describe.each(CABLES)('payment driver against the simulator over a $name', ({ connect }) => {
  let cable: Cable;
  let terminal: PaymentTerminalDriver;
  let device: PaymentTerminalSimulator;
  let hostLogger: RecordingLogger;
  let results: PaymentReport[];

  beforeEach(async () => {
    cable = await connect('payment');
    const ends = cableEnds(cable, 'pay-1');
    hostLogger = ends.hostLogger;
    terminal = new PaymentTerminalDriver(ends.host, { resultTimeoutMs: 600 });
    device = new PaymentTerminalSimulator(ends.simulator);
    results = [];
    terminal.onResult((report) => results.push(report));
    await allOpen(terminal, device);
  });
  afterEach(async () => {
    await Promise.all([terminal.close(), device.close()]);
    await cable.close();
  });

  it('takes a payment and resolves with the reference', async () => {
    const paid = await terminal.pay('ORD-1', 5000);
    expect(paid).toEqual({
      ok: true,
      orderId: 'ORD-1',
      amountFen: 5000,
      reference: expect.stringMatching(/^SIM\d+$/),
    });
    expect(device.receivedCommands()).toEqual([{ kind: 'pay', orderId: 'ORD-1', amountFen: 5000 }]);
  });

  it('resolves a declined payment with the reason', async () => {
    device.setBehaviour({ kind: 'decline', reason: 'insufficient funds', afterMs: 10 });
    expect(await terminal.pay('ORD-2', 100)).toEqual({
      ok: false,
      orderId: 'ORD-2',
      problem: 'declined',
      detail: 'insufficient funds',
    });
  });

  it('cancels after the timeout, and a late result is still reported, not lost', async () => {
    device.setBehaviour({ kind: 'silent' });
    expect(await terminal.pay('ORD-3', 200)).toMatchObject({ ok: false, problem: 'timeout' });
    expect(device.receivedCommands().at(-1)).toEqual({ kind: 'cancel', orderId: 'ORD-3' });
    await device.emit({ kind: 'paid', orderId: 'ORD-3', amountFen: 200, reference: 'LATE1' });
    expect(results).toEqual([{ kind: 'paid', orderId: 'ORD-3', amountFen: 200, reference: 'LATE1' }]);
    expect(hostLogger.calls).toContainEqual(['payment result for no waiting order', expect.anything()]);
  });

  it('closes a payment abandoned on CANCEL with DECLINED CANCELLED: pay() resolves cancelled', async () => {
    device.setBehaviour({ kind: 'approve', afterMs: 60_000 }); // the customer never taps
    const paying = terminal.pay('ORD-6', 700);
    await device.waitFor(() => (device.receivedCommands().length > 0 ? true : undefined));
    await terminal.cancel('ORD-6');
    expect(await paying).toEqual({ ok: false, orderId: 'ORD-6', problem: 'cancelled', detail: 'CANCELLED' });
    // Too late: a CANCEL after the result is acknowledged and changes nothing.
    device.setBehaviour({ kind: 'approve', afterMs: 10 });
    expect(await terminal.pay('ORD-7', 800)).toMatchObject({ ok: true });
    await terminal.cancel('ORD-7');
    expect(results.map((r) => r.kind)).toEqual(['declined', 'paid']);
  });

  it('flags a payment whose amount differs from the one asked', async () => {
    device.setBehaviour({ kind: 'silent' });
    const paying = terminal.pay('ORD-4', 300);
    await device.waitFor(() => (device.receivedCommands().length > 0 ? true : undefined));
    await device.emit({ kind: 'paid', orderId: 'ORD-4', amountFen: 30000, reference: 'R4' });
    expect(await paying).toMatchObject({ ok: false, problem: 'amount-mismatch' });
  });

  it('rejects when the terminal refuses the request', async () => {
    device.injectFault({ kind: 'nak', code: 'BUSY' }, 1);
    await expect(terminal.pay('ORD-5', 100)).rejects.toMatchObject({ nak: 'BUSY' });
    expect(await terminal.pay('ORD-5', 100)).toMatchObject({ ok: true });
  });
});
