import { describe, expect, it } from 'vitest';
import { ok } from '../../tests/helpers/test-hall.ts';
import { testKiosk } from '../../tests/helpers/test-kiosk.ts';
import type { Bss } from '../integrations/bss/bss.ts';
import type { CustomerSession } from './identify.ts';

/** Identifies a demo customer by their ID card at kiosk k1 and returns the session behind the token. */
async function customerAt(t: ReturnType<typeof testKiosk>, idNumber: string): Promise<CustomerSession> {
  const read = await t.kiosk.recordDeviceRead('k1', { kind: 'id-card', name: '测试', idNumber });
  const { token } = ok(await t.kiosk.identify.redeemDeviceRead('k1', read.readId));
  return ok(t.kiosk.identify.customer(token, 'k1'));
}
const ZHANG = '110101199001010011'; // 13800000001: bill due, balance 56.20
const LI = '110105198503150026'; // 13800000002: VIP, bill paid, balance 888.00
const ZHAO = '110106199807080035'; // 13800000004: balance 3.00, bill 56.99 (declined by the simulator)

function steps(t: ReturnType<typeof testKiosk>, orderId: string): string[] {
  return t.db
    .prepare<[string], { step: string }>('SELECT step FROM transactions WHERE order_id = ? ORDER BY id')
    .all(orderId)
    .map((r) => r.step);
}

describe('account', () => {
  it('shows plan, balance, the current bill, usage and invoice periods', async () => {
    const t = testKiosk();
    const summary = ok(await t.kiosk.selfService.account(await customerAt(t, ZHANG)));
    expect(summary).toMatchObject({
      maskedPhone: '138****0001',
      plan: { zh: '畅享套餐 128元', en: 'Enjoy plan ¥128' },
      balanceFen: 5620,
      bill: { period: '2026-10', amountFen: 12800, dueDate: '2026-11-20', paid: false },
      usage: { dataMb: { used: 12_595, included: 30_720 }, voiceMinutes: { used: 210, included: 500 } },
    });
    expect(summary.invoicePeriods).toEqual(['2026-09', '2026-08', '2026-07', '2026-06', '2026-05']);
    expect(ok(await t.kiosk.selfService.packs(await customerAt(t, ZHANG))).map((p) => p.id)).toEqual([
      'voice-100',
      'data-10g',
      'roam-asia-7d',
    ]);
  });

  it('refuses someone identified by an ID card without a line here (404 not-a-customer)', async () => {
    const t = testKiosk();
    const nobody = await customerAt(t, '11010819500101001X');
    expect(await t.kiosk.selfService.account(nobody)).toMatchObject({ status: 404, code: 'not-a-customer' });
  });
});

describe('top-up at the terminal', () => {
  it('is awaiting payment, then paid, credited once and receipted', async () => {
    const t = testKiosk();
    const customer = await customerAt(t, ZHANG);
    const order = ok(
      await t.kiosk.selfService.createOrder(customer, 'k1', { kind: 'top-up', amountFen: 5000 }, 'key-1'),
    );
    expect(order).toMatchObject({
      kind: 'top-up',
      amountFen: 5000,
      status: 'awaiting-payment',
      receipt: 'none',
    });
    await t.kiosk.selfService.idle();
    const paid = ok(t.kiosk.selfService.getOrder(customer, order.id));
    expect(paid).toMatchObject({
      status: 'paid',
      reference: expect.stringMatching(/^SIM-/),
      receipt: 'printed',
    });
    expect(ok(await t.kiosk.selfService.account(customer)).balanceFen).toBe(5620 + 5000);
    expect(t.receipts).toEqual([
      {
        kioskId: 'k1',
        receipt: {
          title: '话费充值凭条 Top-up receipt',
          lines: [{ label: '话费充值 Top-up 138****0001', amountFen: 5000 }],
          totalFen: 5000,
          reference: paid.reference,
          issuedAt: expect.any(String),
          timeZone: 'Asia/Shanghai',
        },
      },
    ]);
    expect(steps(t, order.id)).toEqual(['created', 'paid', 'credited', 'receipt-printed']);
  });

  it('answers a retry under the same key with the same order and never charges twice', async () => {
    const t = testKiosk();
    const customer = await customerAt(t, ZHANG);
    const request = { kind: 'top-up' as const, amountFen: 2000 };
    const [a, b] = await Promise.all([
      t.kiosk.selfService.createOrder(customer, 'k1', request, 'same-key'),
      t.kiosk.selfService.createOrder(customer, 'k1', request, 'same-key'),
    ]);
    await t.kiosk.selfService.idle();
    const c = ok(await t.kiosk.selfService.createOrder(customer, 'k1', request, 'same-key'));
    expect(ok(a).id).toBe(ok(b).id);
    expect(c).toMatchObject({ id: ok(a).id, status: 'paid' });
    expect(t.terminal!.history).toHaveLength(1);
    expect(ok(await t.kiosk.selfService.account(customer)).balanceFen).toBe(5620 + 2000);
    expect(
      await t.kiosk.selfService.createOrder(customer, 'k1', { kind: 'top-up', amountFen: 3000 }, 'same-key'),
    ).toMatchObject({
      status: 409,
      code: 'idempotency-key-reused',
    });
  });

  it('records a decline with the terminal’s reason and credits nothing', async () => {
    const t = testKiosk();
    const customer = await customerAt(t, ZHANG);
    const order = ok(
      await t.kiosk.selfService.createOrder(customer, 'k1', { kind: 'top-up', amountFen: 1099 }, 'k'),
    );
    await t.kiosk.selfService.idle();
    expect(ok(t.kiosk.selfService.getOrder(customer, order.id))).toMatchObject({
      status: 'declined',
      problem: { zh: expect.any(String), en: expect.stringContaining('declined') },
      reference: null,
      receipt: 'none',
    });
    expect(ok(await t.kiosk.selfService.account(customer)).balanceFen).toBe(5620);
    expect(steps(t, order.id)).toEqual(['created', 'declined']);
  });

  it('records the terminal’s timeout and credits nothing', async () => {
    const t = testKiosk();
    const customer = await customerAt(t, ZHANG);
    t.terminal!.next('timeout');
    const order = ok(
      await t.kiosk.selfService.createOrder(customer, 'k1', { kind: 'top-up', amountFen: 1000 }, 'k'),
    );
    await t.kiosk.selfService.idle();
    expect(ok(t.kiosk.selfService.getOrder(customer, order.id))).toMatchObject({
      status: 'timeout',
      receipt: 'none',
    });
    expect(ok(await t.kiosk.selfService.account(customer)).balanceFen).toBe(5620);
  });

  it('cancels a payment the customer has not made; a cancelled order cancels again harmlessly', async () => {
    const t = testKiosk();
    const customer = await customerAt(t, ZHANG);
    t.terminal!.next('hold');
    const order = ok(
      await t.kiosk.selfService.createOrder(customer, 'k1', { kind: 'top-up', amountFen: 1000 }, 'k'),
    );
    expect(ok(await t.kiosk.selfService.cancelOrder(customer, order.id))).toMatchObject({
      status: 'cancelled',
      problem: { en: expect.stringContaining('cancelled') },
    });
    await t.kiosk.selfService.idle();
    expect(ok(await t.kiosk.selfService.cancelOrder(customer, order.id)).status).toBe('cancelled');
    expect(ok(await t.kiosk.selfService.account(customer)).balanceFen).toBe(5620);
    expect(steps(t, order.id)).toEqual(['created', 'cancel-asked', 'cancelled']);
  });

  it('refuses to cancel a paid order (409 already-paid)', async () => {
    const t = testKiosk();
    const customer = await customerAt(t, ZHANG);
    const order = ok(
      await t.kiosk.selfService.createOrder(customer, 'k1', { kind: 'top-up', amountFen: 1000 }, 'k'),
    );
    await t.kiosk.selfService.idle();
    expect(await t.kiosk.selfService.cancelOrder(customer, order.id)).toMatchObject({
      status: 409,
      code: 'already-paid',
    });
  });

  it('still credits and receipts a payment that comes after the server stopped waiting', async () => {
    const t = testKiosk({ paymentGuardMs: 20 });
    const customer = await customerAt(t, ZHANG);
    t.terminal!.next('hold');
    const order = ok(
      await t.kiosk.selfService.createOrder(customer, 'k1', { kind: 'top-up', amountFen: 1000 }, 'k'),
    );
    // The guard gives up and asks the terminal to cancel; this terminal is too late to cancel.
    const cancel = t.terminal!.cancel.bind(t.terminal);
    t.terminal!.cancel = async () => false;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ok(t.kiosk.selfService.getOrder(customer, order.id)).status).toBe('timeout');
    t.terminal!.answer(order.id, 'paid');
    await t.kiosk.selfService.idle();
    t.terminal!.cancel = cancel;
    expect(ok(t.kiosk.selfService.getOrder(customer, order.id))).toMatchObject({
      status: 'paid',
      receipt: 'printed',
    });
    expect(ok(await t.kiosk.selfService.account(customer)).balanceFen).toBe(5620 + 1000);
    expect(steps(t, order.id)).toEqual(['created', 'timeout', 'paid', 'credited', 'receipt-printed']);
  });

  it('records a paid result a terminal driver reports after its own timeout', async () => {
    const t = testKiosk();
    const customer = await customerAt(t, ZHANG);
    const order = ok(
      await t.kiosk.selfService.createOrder(customer, 'k1', { kind: 'top-up', amountFen: 1098 }, 'k'),
    );
    await t.kiosk.selfService.idle();
    expect(ok(t.kiosk.selfService.getOrder(customer, order.id)).status).toBe('timeout');
    t.kiosk.recordPaymentResult(order.id, { outcome: 'declined', reason: { zh: '拒绝', en: 'no' } });
    await t.kiosk.selfService.idle();
    expect(ok(t.kiosk.selfService.getOrder(customer, order.id)).status).toBe('timeout');
    t.kiosk.recordPaymentResult(order.id, { outcome: 'paid', reference: 'LATE-1' });
    await t.kiosk.selfService.idle();
    expect(ok(t.kiosk.selfService.getOrder(customer, order.id))).toMatchObject({
      status: 'paid',
      reference: 'LATE-1',
    });
    expect(ok(await t.kiosk.selfService.account(customer)).balanceFen).toBe(5620 + 1098);
  });

  it('refuses when the kiosk has no terminal, or its terminal is busy (409 payment-unavailable)', async () => {
    const none = testKiosk({ terminal: null });
    const c1 = await customerAt(none, ZHANG);
    expect(
      await none.kiosk.selfService.createOrder(c1, 'k1', { kind: 'top-up', amountFen: 1000 }, 'k'),
    ).toMatchObject({
      status: 409,
      code: 'payment-unavailable',
    });

    const t = testKiosk();
    const customer = await customerAt(t, ZHANG);
    t.terminal!.next('hold');
    ok(await t.kiosk.selfService.createOrder(customer, 'k1', { kind: 'top-up', amountFen: 1000 }, 'a'));
    expect(
      await t.kiosk.selfService.createOrder(customer, 'k1', { kind: 'top-up', amountFen: 2000 }, 'b'),
    ).toMatchObject({
      code: 'payment-unavailable',
    });
    t.terminal!.reset();
    await t.kiosk.selfService.idle();
  });

  it('keeps a credit the BSS could not take pending and credits it later, once', async () => {
    let down = true;
    const t = testKiosk({
      bss: (real): Bss => ({
        ...real,
        topUp: async (order) => {
          if (down) throw new Error('BSS unreachable');
          return real.topUp(order);
        },
      }),
    });
    const customer = await customerAt(t, ZHANG);
    const order = ok(
      await t.kiosk.selfService.createOrder(customer, 'k1', { kind: 'top-up', amountFen: 1000 }, 'k'),
    );
    await t.kiosk.selfService.idle();
    expect(ok(t.kiosk.selfService.getOrder(customer, order.id))).toMatchObject({
      status: 'paid',
      receipt: 'printed',
    });
    await t.kiosk.selfService.idle();
    expect(ok(await t.kiosk.selfService.account(customer)).balanceFen).toBe(5620);
    down = false;
    t.kiosk.selfService.retryCredits();
    t.kiosk.selfService.retryCredits();
    await t.kiosk.selfService.idle();
    expect(ok(await t.kiosk.selfService.account(customer)).balanceFen).toBe(5620 + 1000);
    const credits = steps(t, order.id).filter((s) => s.startsWith('credit'));
    expect(credits[0]).toBe('credit-failed');
    expect(credits.filter((s) => s === 'credited')).toHaveLength(1);
    expect(credits.at(-1)).toBe('credited');
  });

  it('records a receipt the printer could not print, and the money is still credited', async () => {
    const t = testKiosk({ printReceipt: async () => ({ ok: false, problem: 'paper-out' }) });
    const customer = await customerAt(t, ZHANG);
    const order = ok(
      await t.kiosk.selfService.createOrder(customer, 'k1', { kind: 'top-up', amountFen: 1000 }, 'k'),
    );
    await t.kiosk.selfService.idle();
    expect(ok(t.kiosk.selfService.getOrder(customer, order.id))).toMatchObject({
      status: 'paid',
      receipt: 'failed',
    });
    expect(ok(await t.kiosk.selfService.account(customer)).balanceFen).toBe(6620);
  });

  it('shows an order to its own customer only', async () => {
    const t = testKiosk();
    const zhang = await customerAt(t, ZHANG);
    const li = await customerAt(t, LI);
    const order = ok(
      await t.kiosk.selfService.createOrder(zhang, 'k1', { kind: 'top-up', amountFen: 1000 }, 'k'),
    );
    expect(t.kiosk.selfService.getOrder(li, order.id)).toMatchObject({
      status: 404,
      code: 'order-not-found',
    });
    expect(await t.kiosk.selfService.cancelOrder(li, order.id)).toMatchObject({ status: 404 });
    await t.kiosk.selfService.idle();
  });
});

describe('bill payment', () => {
  it('pays the current bill at the terminal; the bill is then paid and invoiceable', async () => {
    const t = testKiosk();
    const customer = await customerAt(t, ZHANG);
    const order = ok(
      await t.kiosk.selfService.createOrder(customer, 'k1', { kind: 'bill', period: '2026-10' }, 'k'),
    );
    expect(order.amountFen).toBe(12800);
    await t.kiosk.selfService.idle();
    const summary = ok(await t.kiosk.selfService.account(customer));
    expect(summary.bill).toMatchObject({ period: '2026-10', paid: true });
    expect(summary.balanceFen).toBe(5620);
    expect(summary.invoicePeriods[0]).toBe('2026-10');
  });

  it('refuses a paid bill (409) and a period without a bill (404 unknown-period)', async () => {
    const t = testKiosk();
    const li = await customerAt(t, LI);
    expect(
      await t.kiosk.selfService.createOrder(li, 'k1', { kind: 'bill', period: '2026-10' }, 'a'),
    ).toMatchObject({
      status: 409,
      code: 'bill-already-paid',
    });
    expect(
      await t.kiosk.selfService.createOrder(li, 'k1', { kind: 'bill', period: '2020-01' }, 'b'),
    ).toMatchObject({
      status: 404,
      code: 'unknown-period',
    });
  });

  it('declines the demo bill ending in 99 fen at the simulated terminal', async () => {
    const t = testKiosk();
    const zhao = await customerAt(t, ZHAO);
    const order = ok(
      await t.kiosk.selfService.createOrder(zhao, 'k1', { kind: 'bill', period: '2026-10' }, 'k'),
    );
    expect(order.amountFen).toBe(5699);
    await t.kiosk.selfService.idle();
    expect(ok(t.kiosk.selfService.getOrder(zhao, order.id)).status).toBe('declined');
    expect(ok(await t.kiosk.selfService.account(zhao)).bill?.paid).toBe(false);
  });
});

describe('add-on packs', () => {
  it('charges the balance once the customer confirms, and receipts it', async () => {
    const t = testKiosk();
    const customer = await customerAt(t, ZHANG);
    const order = ok(
      await t.kiosk.selfService.createOrder(customer, 'k1', { kind: 'pack', packId: 'data-10g' }, 'k'),
    );
    expect(order).toMatchObject({
      kind: 'pack',
      amountFen: 3000,
      status: 'paid',
      reference: expect.stringMatching(/^BSS-/),
    });
    await t.kiosk.selfService.idle();
    const summary = ok(await t.kiosk.selfService.account(customer));
    expect(summary.balanceFen).toBe(5620 - 3000);
    expect(summary.usage.dataMb.included).toBe(30_720 + 10_240);
    expect(
      ok(await t.kiosk.selfService.createOrder(customer, 'k1', { kind: 'pack', packId: 'data-10g' }, 'k')).id,
    ).toBe(order.id);
    expect(ok(await t.kiosk.selfService.account(customer)).balanceFen).toBe(5620 - 3000);
    expect(t.receipts).toHaveLength(1);
    expect(t.terminal!.history).toHaveLength(0);
  });

  it('refuses a pack the balance does not cover (409 insufficient-balance) and an unknown pack (404)', async () => {
    const t = testKiosk();
    const zhao = await customerAt(t, ZHAO);
    expect(
      await t.kiosk.selfService.createOrder(zhao, 'k1', { kind: 'pack', packId: 'data-10g' }, 'a'),
    ).toMatchObject({
      status: 409,
      code: 'insufficient-balance',
    });
    expect(
      await t.kiosk.selfService.createOrder(zhao, 'k1', { kind: 'pack', packId: 'nope' }, 'b'),
    ).toMatchObject({
      status: 404,
      code: 'unknown-pack',
    });
    expect(ok(await t.kiosk.selfService.account(zhao)).balanceFen).toBe(300);
  });
});

describe('invoices', () => {
  it('prints an invoice for a paid period at the kiosk, logged, and refuses another period', async () => {
    const t = testKiosk();
    const customer = await customerAt(t, LI);
    expect(ok(await t.kiosk.selfService.printInvoice(customer, 'k2', '2026-10'))).toEqual({
      print: 'printed',
      printProblem: null,
    });
    expect(t.receipts[0]).toMatchObject({
      kioskId: 'k2',
      receipt: {
        title: '电子发票 Invoice 2026-10',
        totalFen: 58_800,
        reference: expect.stringMatching(/^INV-202610-/),
      },
    });
    expect(await t.kiosk.selfService.printInvoice(customer, 'k2', '2019-01')).toMatchObject({
      status: 404,
      code: 'unknown-period',
    });
    const logged = t.db.prepare("SELECT * FROM transactions WHERE kind = 'invoice'").all();
    expect(logged).toMatchObject([{ step: 'invoice-printed', kiosk_id: 'k2', amount_fen: 58_800 }]);
  });

  it('says when the invoice did not print', async () => {
    const t = testKiosk({
      printReceipt: async () => {
        throw new Error('cover open');
      },
    });
    const customer = await customerAt(t, LI);
    expect(ok(await t.kiosk.selfService.printInvoice(customer, 'k1', '2026-10'))).toEqual({
      print: 'failed',
      printProblem: 'cover open',
    });
  });
});

describe('restart', () => {
  it('ends a payment that was waiting when the server stopped as timed out, flagged for staff', async () => {
    const t = testKiosk();
    const customer = await customerAt(t, ZHANG);
    t.terminal!.next('hold');
    const order = ok(
      await t.kiosk.selfService.createOrder(customer, 'k1', { kind: 'top-up', amountFen: 1000 }, 'k'),
    );
    t.kiosk.selfService.recover(); // as a new process would at start
    expect(ok(t.kiosk.selfService.getOrder(customer, order.id))).toMatchObject({
      status: 'timeout',
      problem: { en: expect.stringContaining('restarted') },
    });
    expect(steps(t, order.id)).toContain('interrupted');
    t.terminal!.reset();
    await t.kiosk.selfService.idle();
  });
});
