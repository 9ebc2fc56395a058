/**
 * What follows a payment: the credit to the BSS and the receipt at the kiosk. The credit goes under the
 * order id (idempotent there); when it fails it stays pending and is tried again (on the next order call
 * and at start), never forgotten.
 */
import type { OrderRequest } from '../contract/kiosk.ts';
import type { OrderRow } from '../db/orders.ts';
import type { BssCredit } from '../integrations/bss/bss.ts';
import { type KioskDeps, printAt, type ReceiptData } from './kiosk-common.ts';
import type { OrderRecords } from './order-records.ts';

const TITLES: Record<OrderRequest['kind'], string> = {
  'top-up': '话费充值凭条 Top-up receipt',
  bill: '账单缴费凭条 Bill payment receipt',
  pack: '增值包购买凭条 Add-on pack receipt',
};

export type OrderFulfilment = ReturnType<typeof createOrderFulfilment>;

export function createOrderFulfilment(deps: KioskDeps, records: OrderRecords) {
  const { clock, config, bss } = deps;
  const { rows, track, journal, write } = records;

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
      write('order-credited', () => {
        rows.markCredited(row.id, clock.now());
        journal(row, 'credited', { amountFen: result.amountFen, reference: result.reference });
      });
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
    write('order-receipt', () => {
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
    });
  }

  return { credit, retryCredits, printReceipt };
}
