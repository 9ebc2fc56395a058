/**
 * A payment terminal that needs no card: the default in the demo and in tests.
 *
 * Outcomes, unless steered: an amount ending in 99 fen is declined, one ending in 98 fen times out,
 * anything else is paid, each after `delayMs` (the customer "tapping the card"). Test and demo controls
 * steer the next payment (`next`), hold a payment until it is cancelled or answered (`hold`), answer a
 * held payment (`answer`), and show what was asked (`history`).
 */
import { randomBytes } from 'node:crypto';
import type { PaymentResult, PaymentTerminal } from './payment.ts';

export type SimulatedOutcome = 'paid' | 'declined' | 'timeout' | 'hold';

type Pending = { orderId: string; amountFen: number; settle: (result: PaymentResult) => void };

export const DECLINED_REASON = {
  zh: '银行卡余额不足（模拟）',
  en: 'Card declined: insufficient funds (simulated)',
};

export class SimulatedPaymentTerminal implements PaymentTerminal {
  private pending = new Map<string, Pending>();
  private steer: { outcome: SimulatedOutcome; delayMs?: number } | null = null;
  readonly history: { orderId: string; amountFen: number; result: PaymentResult | null }[] = [];

  constructor(
    private options: {
      /** How long an automatic answer takes. */
      delayMs?: number;
      /** How long a held payment waits before the terminal gives up with `timeout`. */
      holdLimitMs?: number;
    } = {},
  ) {}

  /** Steers the next payment only; later ones follow the amount rule again. */
  next(outcome: SimulatedOutcome, delayMs?: number): void {
    this.steer = { outcome, delayMs };
  }

  /** Order ids waiting for an answer (held or still "tapping"). */
  waiting(): string[] {
    return [...this.pending.keys()];
  }

  /** Answers a waiting payment now; false when there is none for this order. */
  answer(orderId: string, outcome: Exclude<SimulatedOutcome, 'hold'>): boolean {
    const p = this.pending.get(orderId);
    if (!p) return false;
    p.settle(this.resultOf(outcome));
    return true;
  }

  reset(): void {
    this.steer = null;
    for (const id of this.waiting()) this.answer(id, 'timeout');
    this.history.length = 0;
  }

  pay(orderId: string, amountFen: number): Promise<PaymentResult> {
    const steer = this.steer;
    this.steer = null;
    const outcome: SimulatedOutcome =
      steer?.outcome ?? (amountFen % 100 === 99 ? 'declined' : amountFen % 100 === 98 ? 'timeout' : 'paid');
    const entry: (typeof this.history)[number] = { orderId, amountFen, result: null };
    this.history.push(entry);
    return new Promise<PaymentResult>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = (result: PaymentResult) => {
        if (!this.pending.has(orderId)) return;
        this.pending.delete(orderId);
        clearTimeout(timer);
        entry.result = result;
        resolve(result);
      };
      this.pending.set(orderId, { orderId, amountFen, settle });
      const wait =
        outcome === 'hold'
          ? (this.options.holdLimitMs ?? 60_000)
          : (steer?.delayMs ?? this.options.delayMs ?? 0);
      timer = setTimeout(() => settle(this.resultOf(outcome === 'hold' ? 'timeout' : outcome)), wait);
      timer.unref?.();
    });
  }

  async cancel(orderId: string): Promise<boolean> {
    const p = this.pending.get(orderId);
    if (!p) return false;
    p.settle({ outcome: 'cancelled' });
    return true;
  }

  private resultOf(outcome: Exclude<SimulatedOutcome, 'hold'>): PaymentResult {
    if (outcome === 'paid')
      return { outcome, reference: `SIM-${randomBytes(5).toString('hex').toUpperCase()}` };
    if (outcome === 'declined') return { outcome, reason: DECLINED_REASON };
    return { outcome };
  }
}
