/**
 * Self-service (自助办理): the account at a glance, top-ups and bill payments through the kiosk's payment
 * terminal, add-on packs charged to the balance, invoices and receipts printed at the kiosk.
 *
 * Money is never taken twice and never lost:
 * - An order is created once per `Idempotency-Key`: the same key answers the same order; the order row
 *   exists before the terminal is asked, and the terminal is asked at most once per order.
 * - The terminal's `paid` is the truth: it is recorded, credited and receipted even if it comes after
 *   the server stopped waiting or a cancel was asked for.
 * - The credit to the BSS goes under the order id (idempotent there); when it fails it stays pending
 *   and is tried again (on the next order call and at start), never forgotten.
 * - Every step of every order is appended to `transactions`.
 */
import type { Text } from '../contract/api.ts';
import type { AccountSummary, AddOnPack, InvoiceAnswer, Order, OrderRequest } from '../contract/kiosk.ts';
import { createOrderRepository, type OrderEnded, type OrderRow } from '../db/orders.ts';
import { MINUTE } from '../domain/clock.ts';
import { localTime } from '../domain/hall-time.ts';
import type { BssCredit } from '../integrations/bss/bss.ts';
import type { PaymentResult, PaymentTerminal } from '../integrations/payment/payment.ts';
import { sha256 } from '../integrations/privacy.ts';
import { type Outcome, ok, refusal } from './command-path.ts';
import type { CustomerSession } from './identify.ts';
import { askBss, type KioskDeps, newId, printAt, type ReceiptData, textOf } from './kiosk-common.ts';

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

const TITLES: Record<OrderRequest['kind'], string> = {
  'top-up': '话费充值凭条 Top-up receipt',
  bill: '账单缴费凭条 Bill payment receipt',
  pack: '增值包购买凭条 Add-on pack receipt',
};

export type SelfService = ReturnType<typeof createSelfService>;

export function createSelfService(deps: KioskDeps) {
  const { db, clock, config, bss } = deps;
  const guardMs = deps.paymentGuardMs ?? PAYMENT_GUARD_MS;
  const rows = createOrderRepository(db);

  /** Background work (payments, credits, receipts) still running; tests and shutdown wait for it. */
  const running = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    const p = work
      .catch((error: unknown) =>
        deps.log({
          msg: 'self-service task failed',
          error: error instanceof Error ? error.stack : String(error),
        }),
      )
      .finally(() => running.delete(p));
    running.add(p);
  };

  function journal(
    row: Pick<OrderRow, 'id' | 'kiosk_id' | 'customer_ref' | 'kind'> | null,
    step: string,
    extra: {
      amountFen?: number | null;
      reference?: string | null;
      detail?: string | null;
      kind?: 'invoice';
    } = {},
    context: { kioskId?: string; customerRef?: string | null } = {},
  ): void {
    const at = clock.now();
    rows.appendJournal({
      at,
      day: localTime(at, config.timeZone).day,
      order_id: row?.id ?? null,
      kiosk_id: row?.kiosk_id ?? context.kioskId ?? null,
      customer_ref: row?.customer_ref ?? context.customerRef ?? null,
      kind: extra.kind ?? row?.kind ?? 'other',
      step,
      amount_fen: extra.amountFen ?? null,
      reference: extra.reference ?? null,
      detail: extra.detail ?? null,
    });
  }

  function view(row: OrderRow): Order {
    return {
      id: row.id,
      kind: row.kind,
      amountFen: row.amount_fen,
      status: row.status,
      problem: textOf(row.problem_zh, row.problem_en),
      reference: row.reference,
      receipt: row.receipt_state,
    };
  }

  const needsAccount = (customer: CustomerSession): Outcome<string> =>
    customer.customerRef
      ? ok(customer.customerRef)
      : refusal(404, 'not-a-customer', 'identified by an ID card, but without a line here');

  async function account(customer: CustomerSession): Promise<Outcome<AccountSummary>> {
    const ref = needsAccount(customer);
    if (!ref.ok) return ref;
    const found = await askBss(deps, 'account', () => bss.account(ref.value));
    if (!found.ok) return found;
    return found.value ? ok(found.value) : refusal(404, 'not-a-customer', 'no such account');
  }

  async function packs(customer: CustomerSession): Promise<Outcome<AddOnPack[]>> {
    const ref = needsAccount(customer);
    if (!ref.ok) return ref;
    return askBss(deps, 'packs', () => bss.packs(ref.value));
  }

  /** The same key with the same request answers the same order; with another request it is refused. */
  function existing(key: string, hash: string): Outcome<Order> | null {
    const row = rows.byKey(key);
    if (!row) return null;
    if (row.request_hash !== hash)
      return refusal(409, 'idempotency-key-reused', 'this Idempotency-Key was used for a different order');
    return ok(view(row));
  }

  async function createOrder(
    customer: CustomerSession,
    kioskId: string,
    request: OrderRequest,
    idempotencyKey: string,
  ): Promise<Outcome<Order>> {
    const ref = needsAccount(customer);
    if (!ref.ok) return ref;
    const customerRef = ref.value;
    retryCredits();
    const hash = sha256(JSON.stringify([customerRef, kioskId, request]));
    const seen = existing(idempotencyKey, hash);
    if (seen) return seen;

    let terminal: PaymentTerminal | null = null;
    let amountFen: number;
    let label: Text;
    if (request.kind === 'pack') {
      const [offer, summary] = await Promise.all([
        askBss(deps, 'packs', () => bss.packs(customerRef)),
        askBss(deps, 'account', () => bss.account(customerRef)),
      ]);
      if (!offer.ok) return offer;
      if (!summary.ok) return summary;
      const pack = offer.value.find((p) => p.id === request.packId);
      if (!pack) return refusal(404, 'unknown-pack', `no pack ${request.packId}`);
      if (!summary.value || summary.value.balanceFen < pack.priceFen)
        return refusal(409, 'insufficient-balance', 'the balance does not cover this pack: top up first');
      amountFen = pack.priceFen;
      label = pack.name;
    } else {
      terminal = deps.paymentTerminal(kioskId);
      if (!terminal) return refusal(409, 'payment-unavailable', 'this kiosk has no payment terminal');
      if (request.kind === 'bill') {
        const summary = await askBss(deps, 'account', () => bss.account(customerRef));
        if (!summary.ok) return summary;
        const bill = summary.value?.bill;
        if (!bill || bill.period !== request.period)
          return refusal(404, 'unknown-period', `no bill to pay for ${request.period}`);
        if (bill.paid) return refusal(409, 'bill-already-paid', `the bill for ${request.period} is paid`);
        amountFen = bill.amountFen;
        label = { zh: `${request.period} 账单`, en: `Bill ${request.period}` };
      } else {
        amountFen = request.amountFen;
        label = { zh: '话费充值', en: 'Top-up' };
      }
    }

    // Nothing awaited from here to the insert: a concurrent retry under the same key finds this order.
    const created = db.transaction((): Outcome<{ row: OrderRow; fresh: boolean }> => {
      const again = existing(idempotencyKey, hash);
      if (again) return again.ok ? ok({ row: rows.byKey(idempotencyKey)!, fresh: false }) : again;
      if (terminal && rows.isPaymentUnderway(kioskId))
        return refusal(409, 'payment-unavailable', 'the payment terminal is busy with another payment');
      const id = newId();
      rows.create({
        id,
        idempotency_key: idempotencyKey,
        request_hash: hash,
        customer_ref: customerRef,
        phone_masked: customer.maskedPhone,
        kiosk_id: kioskId,
        kind: request.kind,
        period: request.kind === 'bill' ? request.period : null,
        pack_id: request.kind === 'pack' ? request.packId : null,
        label_zh: label.zh,
        label_en: label.en,
        amount_fen: amountFen,
        created_at: clock.now(),
      });
      const row = rows.byId(id)!;
      journal(row, 'created', { amountFen });
      return ok({ row, fresh: true });
    })();
    if (!created.ok) return created;
    const { row, fresh } = created.value;
    if (!fresh) return ok(view(row));
    if (request.kind === 'pack') {
      await chargePack(row);
    } else if (terminal) {
      startPayment(row, terminal);
    }
    return ok(view(rows.byId(row.id)!));
  }

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
      const paid = db.transaction(() => {
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
      })();
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
    db.transaction(() => {
      const next = rows.markEnded({
        id,
        status,
        problem_zh: problem.zh,
        problem_en: problem.en,
        updated_at: clock.now(),
      });
      journal(next, status, { amountFen: row.amount_fen, detail: detail ?? problem.en });
    })();
    return Promise.resolve();
  }

  const crediting = new Set<string>();

  /** Credits a paid top-up or bill to the BSS; a bill the BSS will not take goes to the balance. */
  async function credit(row: OrderRow): Promise<void> {
    if (crediting.has(row.id)) return;
    crediting.add(row.id);
    try {
      await creditOnce(row);
    } finally {
      crediting.delete(row.id);
    }
  }

  async function creditOnce(row: OrderRow): Promise<void> {
    const call = (): Promise<BssCredit> =>
      row.kind === 'bill'
        ? bss.payBill({
            orderId: row.id,
            customerId: row.customer_ref,
            period: row.period!,
            amountFen: row.amount_fen,
          })
        : bss.topUp({ orderId: row.id, customerId: row.customer_ref, amountFen: row.amount_fen });
    let result: BssCredit;
    try {
      result = await call();
      if (!result.ok && row.kind === 'bill' && result.reason !== 'unknown-customer') {
        // Paid at the terminal but the bill cannot take it (paid meanwhile elsewhere): keep the money
        // on the customer's balance rather than lose it.
        journal(row, 'bill-refused', { amountFen: row.amount_fen, detail: result.reason });
        result = await bss.topUp({
          orderId: `${row.id}:balance`,
          customerId: row.customer_ref,
          amountFen: row.amount_fen,
        });
      }
    } catch (error) {
      journal(row, 'credit-failed', {
        amountFen: row.amount_fen,
        detail: error instanceof Error ? error.message : String(error),
      });
      return;
    }
    if (result.ok) {
      db.transaction(() => {
        rows.markCredited(row.id, clock.now());
        journal(row, 'credited', { amountFen: result.amountFen, reference: result.reference });
      })();
    } else {
      // Money taken, customer unknown to the BSS: stays pending for staff, loudly.
      journal(row, 'credit-refused', { amountFen: row.amount_fen, detail: result.reason });
      deps.log({ msg: 'paid order could not be credited', order: row.id, reason: result.reason });
    }
  }

  let retrying = false;
  /** Tries the credits left pending by an outage or a crash again (idempotent at the BSS). */
  function retryCredits(): void {
    if (retrying) return;
    const pending = rows.creditPending().filter((r) => r.status === 'paid' && !crediting.has(r.id));
    if (pending.length === 0) return;
    retrying = true;
    track(
      (async () => {
        for (const row of pending) await credit(row);
      })().finally(() => {
        retrying = false;
      }),
    );
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
      const paid = db.transaction(() => {
        const next = rows.markPaid({
          id: row.id,
          reference: result.reference,
          credit_state: 'done',
          updated_at: clock.now(),
        });
        journal(next, 'charged', { amountFen: result.amountFen, reference: result.reference });
        return next;
      })();
      track(printReceipt(paid));
      return;
    }
    const problem = result.reason === 'insufficient-balance' ? PROBLEMS.insufficient : PROBLEMS.refused;
    db.transaction(() => {
      const next = rows.markEnded({
        id: row.id,
        status: 'declined',
        problem_zh: problem.zh,
        problem_en: problem.en,
        updated_at: clock.now(),
      });
      journal(next, 'declined', { amountFen: row.amount_fen, detail: result.reason });
    })();
  }

  // ---------- receipts and invoices ----------

  function receiptOf(row: OrderRow): ReceiptData {
    const who = row.phone_masked ? ` ${row.phone_masked}` : '';
    return {
      title: TITLES[row.kind],
      lines: [{ label: `${row.label_zh} ${row.label_en}${who}`, amountFen: row.amount_fen }],
      totalFen: row.amount_fen,
      reference: row.reference ?? row.id,
      issuedAt: new Date(clock.now()).toISOString(),
      timeZone: config.timeZone,
    };
  }

  async function printReceipt(row: OrderRow): Promise<void> {
    const outcome = await printAt(deps, row.kiosk_id, receiptOf(row));
    db.transaction(() => {
      rows.recordReceipt({
        id: row.id,
        receipt_state: outcome.print,
        receipt_problem: outcome.printProblem,
        updated_at: clock.now(),
      });
      journal(row, outcome.print === 'printed' ? 'receipt-printed' : 'receipt-failed', {
        reference: row.reference,
        detail: outcome.printProblem,
      });
    })();
  }

  function getOrder(customer: CustomerSession, orderId: string): Outcome<Order> {
    retryCredits();
    const row = rows.byId(orderId);
    if (!row || row.customer_ref !== customer.customerRef)
      return refusal(404, 'order-not-found', 'no such order');
    return ok(view(row));
  }

  async function cancelOrder(customer: CustomerSession, orderId: string): Promise<Outcome<Order>> {
    const row = rows.byId(orderId);
    if (!row || row.customer_ref !== customer.customerRef)
      return refusal(404, 'order-not-found', 'no such order');
    if (row.status === 'paid')
      return refusal(409, 'already-paid', 'this order is paid: it cannot be cancelled');
    if (row.status !== 'awaiting-payment' || row.kind === 'pack') return ok(view(row));
    const terminal = deps.paymentTerminal(row.kiosk_id);
    journal(row, 'cancel-asked', { amountFen: row.amount_fen });
    const cancelled = terminal ? await terminal.cancel(row.id).catch(() => false) : false;
    if (cancelled) await settle(row.id, { outcome: 'cancelled' });
    else journal(row, 'cancel-too-late', { amountFen: row.amount_fen });
    const now = rows.byId(orderId)!;
    if (now.status === 'paid')
      return refusal(409, 'already-paid', 'this order was paid before it could be cancelled');
    return ok(view(now));
  }

  async function printInvoice(
    customer: CustomerSession,
    kioskId: string,
    period: string,
  ): Promise<Outcome<InvoiceAnswer>> {
    const ref = needsAccount(customer);
    if (!ref.ok) return ref;
    const found = await askBss(deps, 'invoice', () => bss.invoice(ref.value, period));
    if (!found.ok) return found;
    const invoice = found.value;
    if (!invoice) return refusal(404, 'unknown-period', `no invoice for ${period}`);
    const outcome = await printAt(deps, kioskId, {
      title: `电子发票 Invoice ${period}`,
      lines: invoice.lines.map((l) => ({ label: `${l.label.zh} ${l.label.en}`, amountFen: l.amountFen })),
      totalFen: invoice.totalFen,
      reference: invoice.number,
      issuedAt: new Date(clock.now()).toISOString(),
      timeZone: config.timeZone,
    });
    journal(
      null,
      outcome.print === 'printed' ? 'invoice-printed' : 'invoice-failed',
      {
        kind: 'invoice',
        amountFen: invoice.totalFen,
        reference: invoice.number,
        detail: outcome.printProblem,
      },
      { kioskId, customerRef: ref.value },
    );
    return ok(outcome);
  }

  /**
   * At start: a payment that was waiting when the server stopped has lost its terminal call. Nothing
   * tells what the terminal did, so the order ends as `timeout` and is flagged in the journal for staff
   * to reconcile against the terminal's own record; credits left pending are tried again.
   */
  function recover(): void {
    for (const row of rows.awaitingPayment()) {
      if (row.kind === 'pack') {
        track(retryPack(row.id));
        continue;
      }
      db.transaction(() => {
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
      })();
      deps.log({ msg: 'payment interrupted by a restart: reconcile with the terminal', order: row.id });
    }
    retryCredits();
  }

  /**
   * A terminal's answer that came outside `pay()` (a driver's late result, after it gave up waiting):
   * a late `paid` is recorded, credited and receipted; anything else for an ended order changes nothing.
   */
  function recordPaymentResult(orderId: string, result: PaymentResult): void {
    if (!rows.byId(orderId)) {
      deps.log({ msg: 'payment result for an unknown order', order: orderId, outcome: result.outcome });
      return;
    }
    track(settle(orderId, result));
  }

  /** Resolves when the background work started so far has finished (tests, orderly shutdown). */
  async function idle(): Promise<void> {
    while (running.size > 0) await Promise.all([...running]);
  }

  return {
    account,
    packs,
    createOrder,
    getOrder,
    cancelOrder,
    printInvoice,
    recordPaymentResult,
    recover,
    retryCredits,
    idle,
  };
}
