import { describe, expect, it } from 'vitest';
import { SimulatedPaymentTerminal } from './simulated-terminal.ts';

describe('simulated payment terminal', () => {
  it('pays, declines amounts ending in 99 fen and times out amounts ending in 98 fen', async () => {
    const terminal = new SimulatedPaymentTerminal();
    expect(await terminal.pay('a', 5000)).toEqual({
      outcome: 'paid',
      reference: expect.stringMatching(/^SIM-/),
    });
    expect(await terminal.pay('b', 5699)).toMatchObject({
      outcome: 'declined',
      reason: { zh: expect.any(String) },
    });
    expect(await terminal.pay('c', 5698)).toEqual({ outcome: 'timeout' });
    expect(terminal.history.map((h) => h.result?.outcome)).toEqual(['paid', 'declined', 'timeout']);
  });

  it('follows the steering for the next payment only', async () => {
    const terminal = new SimulatedPaymentTerminal();
    terminal.next('declined');
    expect((await terminal.pay('a', 5000)).outcome).toBe('declined');
    expect((await terminal.pay('b', 5000)).outcome).toBe('paid');
  });

  it('holds a payment until it is cancelled, and cannot cancel what has settled', async () => {
    const terminal = new SimulatedPaymentTerminal();
    terminal.next('hold');
    const paying = terminal.pay('a', 5000);
    expect(terminal.waiting()).toEqual(['a']);
    expect(await terminal.cancel('a')).toBe(true);
    expect(await paying).toEqual({ outcome: 'cancelled' });
    expect(await terminal.cancel('a')).toBe(false);
  });

  it('answers a held payment on command, or times out after its limit', async () => {
    const terminal = new SimulatedPaymentTerminal({ holdLimitMs: 10 });
    terminal.next('hold');
    const answered = terminal.pay('a', 100);
    expect(terminal.answer('a', 'paid')).toBe(true);
    expect((await answered).outcome).toBe('paid');
    terminal.next('hold');
    expect(await terminal.pay('b', 100)).toEqual({ outcome: 'timeout' });
  });
});
