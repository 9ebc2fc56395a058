import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Cable } from '../../hardware/serial/mock-cable.ts';
import type { PaymentReport } from '../../hardware/serial/payment/codec.ts';
import { PaymentTerminalDriver } from '../../hardware/serial/payment/driver.ts';
import { PaymentTerminalSimulator } from '../../hardware/serial/payment/simulator.ts';
import { allOpen, CABLES, cableEnds, type RecordingLogger, realDeviceEnd } from '../helpers/pty.ts';

// The payment terminal's contract, written once: over an in-memory cable and a socat pty pair against
// the simulator, and against a real terminal when HALLQ_TEST_PAYMENT names its port.

describe.each(CABLES)('payment terminal contract over a $name', ({ connect }) => {
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

const realTerminal = process.env.HALLQ_TEST_PAYMENT;
describe.runIf(realTerminal)(`payment terminal contract on the real device at ${realTerminal}`, () => {
  it('acknowledges CANCEL of an order it does not know', async () => {
    const terminal = new PaymentTerminalDriver(realDeviceEnd(realTerminal!, 'payment (real)'));
    try {
      await terminal.cancel('HALLQ-TEST-0');
    } finally {
      await terminal.close();
    }
  });
});
describe.skipIf(realTerminal)('payment terminal contract on a real device', () => {
  it.skip('skipped: set HALLQ_TEST_PAYMENT=/dev/ttyUSB3 (a terminal speaking HallQ lines) to run it', () => {});
});
