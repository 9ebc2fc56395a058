/**
 * The rows of self-service: orders (one per Idempotency-Key, one payment at a time at a kiosk's
 * terminal) and the append-only journal of every step of every money movement and invoice print.
 * Each change of an order is a statement of its own, so a misspelt column cannot compile.
 */
import type { PrintState } from '../contract/api.ts';
import type { OrderRequest, OrderStatus } from '../contract/kiosk.ts';
import type { Db } from './open.ts';

export type OrderRow = {
  id: string;
  idempotency_key: string;
  request_hash: string;
  customer_ref: string;
  phone_masked: string | null;
  kiosk_id: string;
  kind: OrderRequest['kind'];
  period: string | null;
  pack_id: string | null;
  label_zh: string;
  label_en: string;
  amount_fen: number;
  status: OrderStatus;
  problem_zh: string | null;
  problem_en: string | null;
  reference: string | null;
  credit_state: 'none' | 'pending' | 'done';
  receipt_state: PrintState;
  receipt_problem: string | null;
  created_at: number;
  updated_at: number;
};

/** What creating an order writes: it awaits payment, with nothing credited, receipted or gone wrong. */
export type NewOrder = Pick<
  OrderRow,
  | 'id'
  | 'idempotency_key'
  | 'request_hash'
  | 'customer_ref'
  | 'phone_masked'
  | 'kiosk_id'
  | 'kind'
  | 'period'
  | 'pack_id'
  | 'label_zh'
  | 'label_en'
  | 'amount_fen'
  | 'created_at'
>;

/** One step in the journal (`transactions`); an invoice print has no order. */
export type JournalRow = {
  id: number;
  at: number;
  day: string;
  order_id: string | null;
  kiosk_id: string | null;
  customer_ref: string | null;
  kind: OrderRow['kind'] | 'invoice' | 'other';
  step: string;
  amount_fen: number | null;
  reference: string | null;
  detail: string | null;
};

/** Paid: at the terminal (credit to the BSS pending) or charged to the balance (done). */
export type OrderPaid = Pick<OrderRow, 'id' | 'reference' | 'credit_state' | 'updated_at'>;
/** Ended unpaid, with the reason the customer is shown. */
export type OrderEnded = Pick<OrderRow, 'id' | 'problem_zh' | 'problem_en' | 'updated_at'> & {
  status: Exclude<OrderStatus, 'awaiting-payment' | 'paid'>;
};
export type OrderReceipt = Pick<OrderRow, 'id' | 'receipt_state' | 'receipt_problem' | 'updated_at'>;

export type OrderRepository = ReturnType<typeof createOrderRepository>;

export function createOrderRepository(db: Db) {
  const st = {
    byId: db.prepare<[string], OrderRow>('SELECT * FROM orders WHERE id = ?'),
    byKey: db.prepare<[string], OrderRow>('SELECT * FROM orders WHERE idempotency_key = ?'),
    paymentAt: db.prepare<[string], { id: string }>(
      `SELECT id FROM orders WHERE kiosk_id = ? AND status = 'awaiting-payment' AND kind IN ('top-up', 'bill')`,
    ),
    create: db.prepare<NewOrder>(
      `INSERT INTO orders(id, idempotency_key, request_hash, customer_ref, phone_masked, kiosk_id, kind, period, pack_id,
         label_zh, label_en, amount_fen, status, created_at, updated_at)
       VALUES (@id, @idempotency_key, @request_hash, @customer_ref, @phone_masked, @kiosk_id, @kind, @period, @pack_id,
         @label_zh, @label_en, @amount_fen, 'awaiting-payment', @created_at, @created_at)`,
    ),
    creditPending: db.prepare<[], OrderRow>("SELECT * FROM orders WHERE credit_state = 'pending'"),
    awaitingPayment: db.prepare<[], OrderRow>("SELECT * FROM orders WHERE status = 'awaiting-payment'"),
    paid: db.prepare<OrderPaid, OrderRow>(
      `UPDATE orders SET status = 'paid', reference = @reference, problem_zh = NULL, problem_en = NULL,
         credit_state = @credit_state, receipt_state = 'pending', updated_at = @updated_at
       WHERE id = @id RETURNING *`,
    ),
    ended: db.prepare<OrderEnded, OrderRow>(
      `UPDATE orders SET status = @status, problem_zh = @problem_zh, problem_en = @problem_en, updated_at = @updated_at
       WHERE id = @id RETURNING *`,
    ),
    credited: db.prepare<[number, string]>(
      "UPDATE orders SET credit_state = 'done', updated_at = ? WHERE id = ?",
    ),
    receipt: db.prepare<OrderReceipt>(
      `UPDATE orders SET receipt_state = @receipt_state, receipt_problem = @receipt_problem, updated_at = @updated_at
       WHERE id = @id`,
    ),
    journal: db.prepare<Omit<JournalRow, 'id'>>(
      `INSERT INTO transactions(at, day, order_id, kiosk_id, customer_ref, kind, step, amount_fen, reference, detail)
       VALUES (@at, @day, @order_id, @kiosk_id, @customer_ref, @kind, @step, @amount_fen, @reference, @detail)`,
    ),
  };

  return {
    byId: (id: string): OrderRow | undefined => st.byId.get(id),
    byKey: (idempotencyKey: string): OrderRow | undefined => st.byKey.get(idempotencyKey),
    /** Whether the kiosk's terminal is busy: a top-up or bill there awaits payment. */
    isPaymentUnderway: (kioskId: string): boolean => st.paymentAt.get(kioskId) !== undefined,
    create: (order: NewOrder) => void st.create.run(order),
    /** Paid orders whose credit to the BSS is still to be made. */
    creditPending: (): OrderRow[] => st.creditPending.all(),
    awaitingPayment: (): OrderRow[] => st.awaitingPayment.all(),

    /** The order is paid (a problem told before, e.g. a timeout, forgotten); its receipt is to print. */
    markPaid: (paid: OrderPaid): OrderRow => st.paid.get(paid)!,
    markEnded: (ended: OrderEnded): OrderRow => st.ended.get(ended)!,
    markCredited: (id: string, at: number) => void st.credited.run(at, id),
    recordReceipt: (receipt: OrderReceipt) => void st.receipt.run(receipt),

    appendJournal: (step: Omit<JournalRow, 'id'>) => void st.journal.run(step),
  };
}
