/**
 * The kiosk's card/QR payment terminal. The embedded default is `SimulatedPaymentTerminal`; the real
 * serial terminal is adapted to this interface and chosen per kiosk in server/main.ts.
 */
import type { Text } from '../../contract/api.ts';

export type PaymentResult =
  | {
      outcome: 'paid';
      reference: string;
      /** The amount the terminal says it took, when it says: another amount than asked is never credited. */
      amountFen?: number;
    }
  /** The bank or the terminal refused; `reason` is shown to the customer as is. */
  | { outcome: 'declined'; reason: Text }
  /** The customer never presented a card or code within the terminal's own time limit: nothing taken. */
  | { outcome: 'timeout' }
  /** `cancel()` stopped it before anything was taken. */
  | { outcome: 'cancelled' };

/**
 * Guarantees every implementation gives:
 * - `pay()` settles within the terminal's own time limit (at most a couple of minutes) and resolves with
 *   the terminal's answer; it rejects only when the terminal could not be reached *and* nothing can
 *   have been taken (the caller then treats the order as not paid). An adapter that lost the line in the
 *   middle of a payment must ask the terminal what happened before it settles.
 * - `paid` means the money was taken: the server credits and receipts it whatever happened meanwhile
 *   (even after it gave up waiting or a cancel was asked for).
 * - The server calls `pay()` at most once per order id and one order at a time per terminal.
 * - `cancel()` resolves `true` when the terminal abandoned the payment and will take nothing (the
 *   pending `pay()` then resolves `cancelled`), `false` when it is too late (authorising, or already
 *   settled) or the order is unknown to it; the pending `pay()` then resolves with its real outcome.
 */
export interface PaymentTerminal {
  pay(orderId: string, amountFen: number): Promise<PaymentResult>;
  cancel(orderId: string): Promise<boolean>;
}
