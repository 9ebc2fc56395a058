import { describe, expect, it } from 'vitest';
import { HALL_MORNING } from '../../tests/helpers/test-hall.ts';
import { openDatabase } from './open.ts';
import { createOrderRepository, type NewOrder } from './orders.ts';

const order = (id: string, kind: NewOrder['kind'], kioskId = 'k1'): NewOrder => ({
  id,
  idempotency_key: `key-${id}`,
  request_hash: `hash-${id}`,
  customer_ref: 'C1001',
  phone_masked: '138****0001',
  kiosk_id: kioskId,
  kind,
  period: null,
  pack_id: kind === 'pack' ? 'data-1g' : null,
  label_zh: '话费充值',
  label_en: 'Top-up',
  amount_fen: 5000,
  created_at: HALL_MORNING,
});

describe('the order rows', () => {
  it('a new order awaits payment, found by its id and by its Idempotency-Key', () => {
    const rows = createOrderRepository(openDatabase(':memory:'));
    rows.create(order('o1', 'top-up'));
    const row = rows.byKey('key-o1');
    expect(row).toEqual(rows.byId('o1'));
    expect(row).toMatchObject({
      status: 'awaiting-payment',
      credit_state: 'none',
      receipt_state: 'none',
      problem_zh: null,
      updated_at: HALL_MORNING,
    });
    expect(rows.awaitingPayment().map((r) => r.id)).toEqual(['o1']);
  });

  it("a kiosk's terminal takes one payment at a time; a pack is not paid at the terminal", () => {
    const rows = createOrderRepository(openDatabase(':memory:'));
    rows.create(order('pack', 'pack'));
    expect(rows.isPaymentUnderway('k1')).toBe(false);
    rows.create(order('bill', 'bill'));
    expect(rows.isPaymentUnderway('k1')).toBe(true);
    expect(rows.isPaymentUnderway('k2')).toBe(false);
    expect(() => rows.create(order('top-up', 'top-up'))).toThrow(/UNIQUE/);
    rows.create(order('elsewhere', 'top-up', 'k2'));
    rows.markEnded({
      id: 'bill',
      status: 'declined',
      problem_zh: '拒绝',
      problem_en: 'Declined',
      updated_at: 1,
    });
    expect(rows.isPaymentUnderway('k1')).toBe(false);
  });

  it('a payment that comes after a timeout makes the order paid, forgets the problem, and asks for a receipt', () => {
    const rows = createOrderRepository(openDatabase(':memory:'));
    rows.create(order('o1', 'top-up'));
    const ended = rows.markEnded({
      id: 'o1',
      status: 'timeout',
      problem_zh: '支付超时',
      problem_en: 'Timed out',
      updated_at: HALL_MORNING + 1,
    });
    expect(ended).toMatchObject({ status: 'timeout', problem_en: 'Timed out', updated_at: HALL_MORNING + 1 });
    const paid = rows.markPaid({
      id: 'o1',
      reference: 'T-9',
      credit_state: 'pending',
      updated_at: HALL_MORNING + 2,
    });
    expect(paid).toMatchObject({
      status: 'paid',
      reference: 'T-9',
      problem_zh: null,
      problem_en: null,
      credit_state: 'pending',
      receipt_state: 'pending',
      updated_at: HALL_MORNING + 2,
    });
    expect(rows.creditPending().map((r) => r.id)).toEqual(['o1']);
    rows.markCredited('o1', HALL_MORNING + 3);
    expect(rows.creditPending()).toEqual([]);
    rows.recordReceipt({
      id: 'o1',
      receipt_state: 'failed',
      receipt_problem: 'paper out',
      updated_at: HALL_MORNING + 4,
    });
    expect(rows.byId('o1')).toMatchObject({
      credit_state: 'done',
      receipt_state: 'failed',
      receipt_problem: 'paper out',
      updated_at: HALL_MORNING + 4,
    });
  });

  it('the journal keeps every step in order, an invoice print without an order', () => {
    const db = openDatabase(':memory:');
    const rows = createOrderRepository(db);
    const step = { at: HALL_MORNING, day: '2026-11-25', kiosk_id: 'k1', customer_ref: 'C1001' };
    rows.appendJournal({
      ...step,
      order_id: 'o1',
      kind: 'top-up',
      step: 'created',
      amount_fen: 5000,
      reference: null,
      detail: null,
    });
    rows.appendJournal({
      ...step,
      order_id: null,
      kind: 'invoice',
      step: 'invoice-printed',
      amount_fen: 12800,
      reference: 'INV-1',
      detail: null,
    });
    expect(db.prepare('SELECT order_id, kind, step FROM transactions ORDER BY id').all()).toEqual([
      { order_id: 'o1', kind: 'top-up', step: 'created' },
      { order_id: null, kind: 'invoice', step: 'invoice-printed' },
    ]);
  });
});
