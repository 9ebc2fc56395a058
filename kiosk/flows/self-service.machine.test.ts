import { describe, expect, it, vi } from 'vitest';
import { createActor, fromCallback, fromPromise, SimulatedClock } from 'xstate';
import type { InvoiceAnswer, Order } from '../../server/contract/kiosk.ts';
import { account, elderlyCustomer, order, packs } from './fixtures.ts';
import { identifyMachine } from './identify.machine.ts';
import { ORDER_POLL_MS, type OrderAttempt, selfServiceMachine } from './self-service.machine.ts';
import { refusal, settle, unreachable } from './testing.ts';

type Fakes = {
  loadAccount?: () => Promise<typeof account>;
  createOrder?: (attempt: OrderAttempt) => Promise<Order>;
  fetchOrder?: () => Promise<Order>;
  cancelOrder?: () => Promise<Order>;
  printInvoice?: () => Promise<InvoiceAnswer>;
  loadPacks?: () => Promise<typeof packs>;
};

function start(fakes: Fakes = {}, serviceId: string | null = 'payments') {
  const clock = new SimulatedClock();
  const loadAccount = vi.fn(fakes.loadAccount ?? (() => Promise.resolve(account)));
  const createOrder = vi.fn(fakes.createOrder ?? (() => Promise.resolve(order())));
  const fetchOrder = vi.fn(
    fakes.fetchOrder ?? (() => Promise.resolve(order({ status: 'paid', receipt: 'printed' }))),
  );
  const cancelOrder = vi.fn(fakes.cancelOrder ?? (() => Promise.resolve(order({ status: 'cancelled' }))));
  const printInvoice = vi.fn(
    fakes.printInvoice ?? (() => Promise.resolve({ print: 'printed' as const, printProblem: null })),
  );
  const holdPresence = vi.fn();
  const releasePresence = vi.fn();
  const actor = createActor(
    selfServiceMachine.provide({
      actions: { holdPresence, releasePresence },
      actors: {
        identify: identifyMachine.provide({
          actors: {
            redeemDeviceRead: fromPromise(() => Promise.resolve(elderlyCustomer)),
            watchIdentityDevices: fromCallback(() => {}),
          },
        }),
        loadAccount: fromPromise(() => loadAccount()),
        loadPacks: fromPromise(() => (fakes.loadPacks ?? (() => Promise.resolve(packs)))()),
        createOrder: fromPromise(({ input }) => createOrder(input)),
        fetchOrder: fromPromise(() => fetchOrder()),
        cancelOrder: fromPromise(() => cancelOrder()),
        printInvoice: fromPromise(() => printInvoice()),
      },
    }),
    { input: { topUpAmountsFen: [3000, 5000], serviceId }, clock },
  );
  actor.start();
  return {
    actor,
    clock,
    loadAccount,
    createOrder,
    fetchOrder,
    cancelOrder,
    printInvoice,
    holdPresence,
    releasePresence,
  };
}

type Started = ReturnType<typeof start>;
const state = (t: Started) => t.actor.getSnapshot();

async function toMenu(fakes: Fakes = {}, serviceId: string | null = 'payments') {
  const t = start(fakes, serviceId);
  t.actor.getSnapshot().children.identify?.send({ type: 'DEVICE.READ', readId: 'card' });
  await settle();
  await settle();
  return t;
}

async function topUp(t: Started, amountFen = 5000) {
  t.actor.send({ type: 'TOP_UP.START' });
  t.actor.send({ type: 'AMOUNT.CHOOSE', amountFen });
  await settle();
}

describe('self-service machine: identification and account', () => {
  it('requires identification, then shows the account', async () => {
    const t = start();
    t.actor.getSnapshot().children.identify?.send({ type: 'SKIP' });
    expect(state(t).value).toBe('identifying');
    t.actor.getSnapshot().children.identify?.send({ type: 'DEVICE.READ', readId: 'card' });
    await settle();
    await settle();
    expect(state(t).value).toBe('menu');
    expect(state(t).context.account).toEqual(account);
  });

  it('ends when the customer backs out of identification', () => {
    const t = start();
    t.actor.getSnapshot().children.identify?.send({ type: 'BACK' });
    expect(state(t).output).toEqual({ next: 'attract' });
  });

  it('offers a retry when the account cannot be loaded', async () => {
    let calls = 0;
    const t = await toMenu({
      loadAccount: () => (++calls === 1 ? Promise.reject(unreachable()) : Promise.resolve(account)),
    });
    expect(state(t).value).toBe('unavailable');
    expect(state(t).context.problem).toBe('unreachable');
    t.actor.send({ type: 'RETRY' });
    await settle();
    expect(state(t).value).toBe('menu');
  });

  it('takes a ticket instead, keeping the identified customer', async () => {
    const t = await toMenu();
    t.actor.send({ type: 'TICKET.TAKE' });
    expect(state(t).output).toEqual({ next: 'ticket', serviceId: 'payments', customer: elderlyCustomer });
  });
});

describe('self-service machine: paying at the terminal', () => {
  it('tops up: creates the order, follows it to paid with the receipt printed, then refreshes the account', async () => {
    const answers = [
      order({ status: 'awaiting-payment' }),
      order({ status: 'paid', receipt: 'pending' }),
      order({ status: 'paid', receipt: 'printed', reference: 'P123' }),
    ];
    const t = await toMenu({ fetchOrder: () => Promise.resolve(answers.shift() ?? order()) });
    await topUp(t);
    expect(t.createOrder).toHaveBeenCalledWith(
      expect.objectContaining({ token: 'tok-elderly', request: { kind: 'top-up', amountFen: 5000 } }),
    );
    expect(t.holdPresence).toHaveBeenCalledOnce();
    for (let i = 0; i < 3; i++) {
      t.clock.increment(ORDER_POLL_MS);
      await settle();
    }
    expect(state(t).matches('settled')).toBe(true);
    expect(state(t).context.order).toMatchObject({ status: 'paid', reference: 'P123' });
    expect(t.releasePresence).toHaveBeenCalledOnce();
    t.actor.send({ type: 'FINISH' });
    await settle();
    expect(state(t).value).toBe('menu');
    expect(t.loadAccount).toHaveBeenCalledTimes(2);
  });

  it('accepts only the offered amounts', async () => {
    const t = await toMenu();
    await topUp(t, 1);
    expect(state(t).value).toBe('topUp');
    expect(t.createOrder).not.toHaveBeenCalled();
  });

  it('pays the open bill', async () => {
    const t = await toMenu();
    t.actor.send({ type: 'BILL.PAY' });
    await settle();
    expect(t.createOrder).toHaveBeenCalledWith(
      expect.objectContaining({ request: { kind: 'bill', period: '2025-03' } }),
    );
  });

  it('does not offer to pay a bill that is paid', async () => {
    const t = await toMenu({
      loadAccount: () =>
        Promise.resolve({
          ...account,
          bill: { period: '2025-03', amountFen: 100, dueDate: '2025-04-20', paid: true },
        }),
    });
    t.actor.send({ type: 'BILL.PAY' });
    expect(state(t).value).toBe('menu');
  });

  it('retries the order under the same key while the server is away, so money is never taken twice', async () => {
    let calls = 0;
    const t = await toMenu({
      createOrder: () =>
        ++calls < 3 ? Promise.reject(unreachable()) : Promise.resolve(order({ status: 'paid' })),
    });
    await topUp(t);
    expect(state(t).matches({ paying: 'reconnecting' })).toBe(true);
    t.clock.increment(1_000);
    await settle();
    t.clock.increment(2_000);
    await settle();
    expect(state(t).matches('settled')).toBe(true);
    const keys = new Set(t.createOrder.mock.calls.map(([attempt]) => attempt.attemptKey));
    expect(t.createOrder).toHaveBeenCalledTimes(3);
    expect(keys.size).toBe(1);
  });

  it('shows a declined payment and tries again under a new key', async () => {
    const t = await toMenu({
      fetchOrder: () =>
        Promise.resolve(order({ status: 'declined', problem: { zh: '余额不足', en: 'Insufficient funds' } })),
    });
    await topUp(t);
    t.clock.increment(ORDER_POLL_MS);
    await settle();
    expect(state(t).matches('settled')).toBe(true);
    expect(state(t).context.order?.status).toBe('declined');
    t.actor.send({ type: 'RETRY' });
    await settle();
    expect(t.createOrder).toHaveBeenCalledTimes(2);
    expect(t.createOrder.mock.calls[0]?.[0].attemptKey).not.toBe(t.createOrder.mock.calls[1]?.[0].attemptKey);
  });

  it('cancels a payment at the terminal', async () => {
    const t = await toMenu({ fetchOrder: () => Promise.resolve(order()) });
    await topUp(t);
    t.actor.send({ type: 'PAYMENT.CANCEL' });
    await settle();
    expect(t.cancelOrder).toHaveBeenCalledOnce();
    expect(state(t).matches('settled')).toBe(true);
    expect(state(t).context.order?.status).toBe('cancelled');
  });

  it('follows the order to its real outcome when cancelling is too late', async () => {
    const t = await toMenu({
      cancelOrder: () => Promise.reject(refusal(409, 'already-paid')),
      fetchOrder: () => Promise.resolve(order({ status: 'paid' })),
    });
    await topUp(t);
    t.actor.send({ type: 'PAYMENT.CANCEL' });
    await settle();
    expect(state(t).matches({ paying: 'following' })).toBe(true);
    t.clock.increment(ORDER_POLL_MS);
    await settle();
    expect(state(t).context.order?.status).toBe('paid');
  });

  it('keeps asking for the outcome while the server is away, and does not let the customer leave for a ticket', async () => {
    let calls = 0;
    const t = await toMenu({
      fetchOrder: () =>
        ++calls < 3 ? Promise.reject(unreachable()) : Promise.resolve(order({ status: 'timeout' })),
    });
    await topUp(t);
    t.actor.send({ type: 'TICKET.TAKE' });
    expect(state(t).matches('paying')).toBe(true);
    for (let i = 0; i < 3; i++) {
      t.clock.increment(ORDER_POLL_MS);
      await settle();
    }
    expect(state(t).context.order?.status).toBe('timeout');
  });

  it('explains a refused order on the menu', async () => {
    const t = await toMenu({ createOrder: () => Promise.reject(refusal(409, 'payment-unavailable')) });
    await topUp(t);
    expect(state(t).value).toBe('menu');
    expect(state(t).context.problem).toBe('payment-unavailable');
    expect(t.releasePresence).toHaveBeenCalledOnce();
  });
});

describe('self-service machine: packs and invoices', () => {
  it('buys a pack only after an explicit confirmation', async () => {
    const t = await toMenu({
      loadAccount: () => Promise.resolve({ ...account, balanceFen: 5000 }),
      createOrder: () => Promise.resolve(order({ kind: 'pack', status: 'paid' })),
    });
    t.actor.send({ type: 'PACKS.START' });
    await settle();
    t.actor.send({ type: 'PACK.CHOOSE', packId: 'nope' });
    expect(state(t).matches({ packs: 'choosing' })).toBe(true);
    t.actor.send({ type: 'PACK.CHOOSE', packId: 'data-10g' });
    expect(state(t).matches({ packs: 'confirming' })).toBe(true);
    expect(t.createOrder).not.toHaveBeenCalled();
    t.actor.send({ type: 'BACK' });
    t.actor.send({ type: 'PACK.CHOOSE', packId: 'data-10g' });
    t.actor.send({ type: 'CONFIRM' });
    await settle();
    expect(t.createOrder).toHaveBeenCalledWith(
      expect.objectContaining({ request: { kind: 'pack', packId: 'data-10g' } }),
    );
    expect(state(t).matches('settled')).toBe(true);
  });

  it('offers a top-up instead of a pack the balance cannot pay, and never orders it', async () => {
    const t = await toMenu(); // ¥23.50 against a ¥30.00 pack
    t.actor.send({ type: 'PACKS.START' });
    await settle();
    t.actor.send({ type: 'PACK.CHOOSE', packId: 'data-10g' });
    expect(state(t).can({ type: 'CONFIRM' })).toBe(false);
    t.actor.send({ type: 'CONFIRM' });
    expect(t.createOrder).not.toHaveBeenCalled();
    t.actor.send({ type: 'TOP_UP.START' });
    expect(state(t).value).toBe('topUp');
  });

  it('reads the balance again after a payment, for its receipt screen', async () => {
    let reads = 0;
    const t = await toMenu({
      loadAccount: () => Promise.resolve({ ...account, balanceFen: ++reads === 1 ? 2350 : 7350 }),
    });
    await topUp(t);
    t.clock.increment(ORDER_POLL_MS);
    await settle();
    await settle();
    expect(state(t).matches({ settled: 'shown' })).toBe(true);
    expect(state(t).context.balanceAfter).toBe(7350);
  });

  it('prints an invoice and reports a printer problem', async () => {
    const t = await toMenu({
      printInvoice: () => Promise.resolve({ print: 'failed', printProblem: 'paper-out' }),
    });
    t.actor.send({ type: 'INVOICE.START' });
    t.actor.send({ type: 'INVOICE.PRINT', period: '2025-02' });
    await settle();
    expect(state(t).matches({ invoice: 'printed' })).toBe(true);
    expect(state(t).context.invoice).toEqual({ print: 'failed', printProblem: 'paper-out' });
    t.actor.send({ type: 'BACK' });
    expect(state(t).value).toBe('menu');
    expect(state(t).context.invoice).toBeNull();
  });

  it('stays on the invoice list when printing is refused', async () => {
    const t = await toMenu({ printInvoice: () => Promise.reject(refusal(404, 'unknown-period')) });
    t.actor.send({ type: 'INVOICE.START' });
    t.actor.send({ type: 'INVOICE.PRINT', period: '1999-01' });
    await settle();
    expect(state(t).matches({ invoice: 'choosing' })).toBe(true);
    expect(state(t).context.problem).toBe('unknown-period');
  });

  it('explains on the menu when the packs cannot be loaded', async () => {
    const t = await toMenu({ loadPacks: () => Promise.reject(unreachable()) });
    t.actor.send({ type: 'PACKS.START' });
    expect(state(t).matches({ packs: 'loading' })).toBe(true);
    await settle();
    expect(state(t).value).toBe('menu');
    expect(state(t).context.problem).toBe('unreachable');
  });

  it('goes home from the menu or when the account stays unavailable', async () => {
    const t = await toMenu();
    t.actor.send({ type: 'FINISH' });
    expect(state(t).output).toEqual({ next: 'attract' });
    const u = await toMenu({ loadAccount: () => Promise.reject(refusal(401, 'customer-expired')) });
    expect(state(u).context.problem).toBe('customer-expired');
    u.actor.send({ type: 'FINISH' });
    expect(state(u).output).toEqual({ next: 'attract' });
  });

  it('takes a ticket from the start when there was no counter service to hand back to', async () => {
    const t = await toMenu({}, null);
    t.actor.send({ type: 'TICKET.TAKE' });
    expect(state(t).output).toEqual({ next: 'ticket', serviceId: null, customer: elderlyCustomer });
  });
});
