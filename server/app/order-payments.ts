/**
 * Taking the money of an order: at the kiosk's payment terminal (top-ups and bills) or from the balance
 * through the BSS (add-on packs). The terminal's `paid` is the truth: it is recorded, credited and
 * receipted even if it comes after the server stopped waiting or a cancel was asked for.
 */
import type { Text } from '../contract/api.ts';
import type { OrderEnded, OrderRow } from '../db/orders.ts';
import { MINUTE } from '../domain/clock.ts';
import type { BssCredit } from '../integrations/bss/bss.ts';
import type { PaymentResult, PaymentTerminal } from '../integrations/payment/payment.ts';
import type { KioskDeps } from './kiosk-common.ts';
import type { OrderFulfilment } from './order-fulfilment.ts';
import type { OrderRecords } from './order-records.ts';

export const PAYMENT_GUARD_MS = 3 * MINUTE;

const PROBLEMS = {
  timeout: { zh: '支付超时，未扣款', en: 'The payment timed out; nothing was taken' },
  cancelled: { zh: '支付已取消，未扣款', en: 'The payment was cancelled; nothing was taken' },
  unreachable: {
    zh: '支付终端无法连接，未扣款',
    en: 'The payment terminal could not be reached; nothing was taken',
  },
  insufficient: { zh: '余额不足', en: 'Insufficient balance' },
  refused: { zh: '账户系统拒绝了此订单', en: 'The account system refused this order' },
  interrupted: {
    zh: '支付过程中系统重启，请向工作人员核实',
    en: 'The system restarted during the payment: please check with staff',
  },
  amountMismatch: { zh: '金额核对不符，请联系工作人员', en: 'The amount did not match: please ask staff' },
} satisfies Record<string, Text>;

/** What the customer is told when the terminal took another amount than asked. */
export const AMOUNT_MISMATCH: Text = PROBLEMS.amountMismatch;

export type OrderPayments = ReturnType<typeof createOrderPayments>;

export function createOrderPayments(deps: KioskDeps, records: OrderRecords, fulfilment: OrderFulfilment) {
  const { clock, bss } = deps;
  const guardMs = deps.paymentGuardMs ?? PAYMENT_GUARD_MS;
  const { rows, track, journal, write } = records;
  const { credit, printReceipt } = fulfilment;

  // ---------- payment at the terminal ----------

  function startPayment(row: OrderRow, terminal: PaymentTerminal): void {
    const payment = terminal.pay(row.id, row.amount_fen).then(
      (result) => result,
      (error: unknown): PaymentResult | 'unreachable' => {
        deps.log({
          msg: 'payment terminal failed',
          error: error instanceof Error ? error.message : String(error),
        });
        return 'unreachable';
      },
    );
    // The server stops waiting after the guard; a late `paid` still counts when it comes.
    const guard = setTimeout(() => {
      try {
        if (rows.byId(row.id)?.status !== 'awaiting-payment') return;
        void settle(row.id, { outcome: 'timeout' }, 'server gave up waiting');
        void terminal.cancel(row.id).catch(() => false);
      } catch (error) {
        deps.log({ msg: 'payment guard failed', order: row.id, error: String(error) });
      }
    }, guardMs);
    guard.unref?.();
    track(
      payment.then(async (result) => {
        clearTimeout(guard);
        if (result === 'unreachable') settle(row.id, 'unreachable');
        else await settle(row.id, result);
      }),
    );
  }

  /** Records the terminal's answer; a `paid` goes on to the credit and the receipt. */
  function settle(id: string, answer: PaymentResult | 'unreachable', detail?: string): Promise<void> {
    const row = rows.byId(id)!;
    let result = answer;
    if (
      result !== 'unreachable' &&
      result.outcome === 'paid' &&
      result.amountFen !== undefined &&
      result.amountFen !== row.amount_fen
    ) {
      // Money moved, but not the amount asked: never credited. Staff reconcile with the terminal's
      // reference; an order still open ends declined with the customer sent to staff.
      journal(row, 'amount-mismatch', {
        amountFen: result.amountFen,
        reference: result.reference,
        detail: `asked for ${row.amount_fen} fen`,
      });
      deps.log({
        msg: 'payment amount mismatch',
        level: 'warn',
        order: id,
        askedFen: row.amount_fen,
        reportedFen: result.amountFen,
        reference: result.reference,
      });
      if (row.status !== 'awaiting-payment') return Promise.resolve();
      result = { outcome: 'declined', reason: PROBLEMS.amountMismatch };
    }
    if (result !== 'unreachable' && result.outcome === 'paid') {
      if (row.status === 'paid') return Promise.resolve();
      const late = row.status !== 'awaiting-payment';
      const paid = write('order-paid', () => {
        const next = rows.markPaid({
          id,
          reference: result.reference,
          credit_state: 'pending',
          updated_at: clock.now(),
        });
        journal(next, 'paid', {
          amountFen: row.amount_fen,
          reference: result.reference,
          detail: late ? `paid after the order was ${row.status}` : null,
        });
        return next;
      });
      if (!paid) return Promise.resolve();
      if (late) deps.log({ msg: 'payment came after the order ended', order: id, was: row.status });
      return credit(paid).then(() => printReceipt(rows.byId(id)!));
    }
    if (row.status !== 'awaiting-payment') return Promise.resolve();
    const [status, problem]: [OrderEnded['status'], Text] =
      result === 'unreachable'
        ? ['declined', PROBLEMS.unreachable]
        : result.outcome === 'declined'
          ? ['declined', result.reason]
          : result.outcome === 'timeout'
            ? ['timeout', PROBLEMS.timeout]
            : ['cancelled', PROBLEMS.cancelled];
    write('order-ended', () => {
      const next = rows.markEnded({
        id,
        status,
        problem_zh: problem.zh,
        problem_en: problem.en,
        updated_at: clock.now(),
      });
      journal(next, status, { amountFen: row.amount_fen, detail: detail ?? problem.en });
    });
    return Promise.resolve();
  }

  // ---------- packs ----------

  async function chargePack(row: OrderRow): Promise<void> {
    let result: BssCredit;
    try {
      result = await bss.buyPack({ orderId: row.id, customerId: row.customer_ref, packId: row.pack_id! });
    } catch (error) {
      // Unknown whether the BSS charged: leave it awaiting; the same order id asks again, idempotently.
      journal(row, 'charge-failed', {
        amountFen: row.amount_fen,
        detail: error instanceof Error ? error.message : String(error),
      });
      track(retryPack(row.id));
      return;
    }
    recordPack(row, result);
  }

  async function retryPack(id: string): Promise<void> {
    for (const wait of [2_000, 10_000, 30_000]) {
      await new Promise((resolve) => setTimeout(resolve, wait).unref?.());
      const row = rows.byId(id)!;
      if (row.status !== 'awaiting-payment') return;
      try {
        recordPack(
          row,
          await bss.buyPack({ orderId: row.id, customerId: row.customer_ref, packId: row.pack_id! }),
        );
        return;
      } catch {
        // try again after the next wait
      }
    }
    settle(id, { outcome: 'declined', reason: PROBLEMS.refused }, 'the account system did not answer');
  }

  function recordPack(row: OrderRow, result: BssCredit): void {
    if (result.ok) {
      const paid = write('pack-charged', () => {
        const next = rows.markPaid({
          id: row.id,
          reference: result.reference,
          credit_state: 'done',
          updated_at: clock.now(),
        });
        journal(next, 'charged', { amountFen: result.amountFen, reference: result.reference });
        return next;
      });
      if (paid) track(printReceipt(paid));
      return;
    }
    const problem = result.reason === 'insufficient-balance' ? PROBLEMS.insufficient : PROBLEMS.refused;
    write('pack-declined', () => {
      const next = rows.markEnded({
        id: row.id,
        status: 'declined',
        problem_zh: problem.zh,
        problem_en: problem.en,
        updated_at: clock.now(),
      });
      journal(next, 'declined', { amountFen: row.amount_fen, detail: result.reason });
    });
  }

  /**
   * At start: a payment that was waiting when the server stopped has lost its terminal call. Nothing
   * tells what the terminal did, so the order ends as `timeout` and is flagged in the journal for staff
   * to reconcile against the terminal's own record; a pack's charge is asked for again.
   */
  function endInterrupted(): void {
    for (const row of rows.awaitingPayment()) {
      if (row.kind === 'pack') {
        track(retryPack(row.id));
        continue;
      }
      write('order-interrupted', () => {
        const next = rows.markEnded({
          id: row.id,
          status: 'timeout',
          problem_zh: PROBLEMS.interrupted.zh,
          problem_en: PROBLEMS.interrupted.en,
          updated_at: clock.now(),
        });
        journal(next, 'interrupted', {
          amountFen: row.amount_fen,
          detail: 'reconcile with the terminal journal',
        });
      });
      deps.log({ msg: 'payment interrupted by a restart: reconcile with the terminal', order: row.id });
    }
  }

  return { startPayment, settle, chargePack, endInterrupted };
}
