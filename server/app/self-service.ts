/**
 * Self-service (自助办理): the account at a glance, top-ups and bill payments through the kiosk's payment
 * terminal, add-on packs charged to the balance, invoices and receipts printed at the kiosk.
 *
 * Money is never taken twice and never lost:
 * - An order is created once per `Idempotency-Key`: the same key answers the same order; the order row
 *   exists before the terminal is asked, and the terminal is asked at most once per order.
 * - The terminal's `paid` is the truth (order-payments.ts).
 * - The credit to the BSS is never forgotten (order-fulfilment.ts).
 * - Every step of every order is appended to `transactions` (order-records.ts).
 */
import type { Text } from '../contract/api.ts';
import type { AccountSummary, AddOnPack, InvoiceAnswer, Order, OrderRequest } from '../contract/kiosk.ts';
import type { OrderRow } from '../db/orders.ts';
import type { PaymentResult, PaymentTerminal } from '../integrations/payment/payment.ts';
import { sha256 } from '../integrations/privacy.ts';
import { type Outcome, ok, refusal } from './command-path.ts';
import type { CustomerSession } from './identify.ts';
import { askBss, type KioskDeps, newId, printAt } from './kiosk-common.ts';
import { createOrderFulfilment } from './order-fulfilment.ts';
import { createOrderPayments } from './order-payments.ts';
import { createOrderRecords } from './order-records.ts';

export type SelfService = ReturnType<typeof createSelfService>;

export function createSelfService(deps: KioskDeps) {
  const { clock, config, bss } = deps;
  const records = createOrderRecords(deps);
  const { rows, track, journal, view } = records;
  const fulfilment = createOrderFulfilment(deps, records);
  const { retryCredits } = fulfilment;
  const { startPayment, settle, chargePack, endInterrupted } = createOrderPayments(deps, records, fulfilment);

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
    const created = deps.commands.runAnswer('order', (): Outcome<{ row: OrderRow; fresh: boolean }> => {
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
    });
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
   * At start: payments the server stopped in the middle of end for staff to reconcile, and credits left
   * pending are tried again.
   */
  function recover(): void {
    endInterrupted();
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
    idle: records.idle,
  };
}
