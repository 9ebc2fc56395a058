/**
 * Self-service (自助办理, "the best service is no service"): identify (required), then balance, bill and
 * usage at a glance; top-up or bill payment at the payment terminal; add-on packs with an explicit
 * confirmation; invoice printing. A ticket for a counter is one tap away at every step.
 *
 * Money is handled like tickets: every order attempt has one Idempotency-Key and is retried under it
 * while the server is away, so a payment is never taken twice. While an order is open the kiosk's idle
 * reset is held — the customer is at the terminal, not touching the screen — and the flow keeps asking
 * the server until the order has an outcome.
 */
import { assign, not, sendParent, setup, stateIn } from 'xstate';
import type {
  AccountSummary,
  AddOnPack,
  IdentifiedCustomer,
  InvoiceAnswer,
  Order,
  OrderRequest,
} from '../../server/contract/kiosk.ts';
import type { FlowOutput } from './flow-output.ts';
import { identifyMachine } from './identify.machine.ts';
import { promisePlaceholder } from './placeholders.ts';
import { isTransient, newAttemptKey, type ProblemCode, problemOf, retryDelayMs } from './retry.ts';

export type SelfServiceInput = {
  topUpAmountsFen: number[];
  /** The counter service this self-service stands in for: "take a ticket instead" goes there. */
  serviceId: string | null;
};

type WithToken = { token: string };
export type OrderAttempt = { request: OrderRequest; attemptKey: string };

export type SelfServiceEvent =
  | { type: 'TOP_UP.START' }
  | { type: 'AMOUNT.CHOOSE'; amountFen: number }
  | { type: 'BILL.PAY' }
  | { type: 'PACKS.START' }
  | { type: 'PACK.CHOOSE'; packId: string }
  | { type: 'INVOICE.START' }
  | { type: 'INVOICE.PRINT'; period: string }
  | { type: 'PAYMENT.CANCEL' }
  | { type: 'CONFIRM' }
  | { type: 'RETRY' }
  | { type: 'TICKET.TAKE' }
  | { type: 'BACK' }
  | { type: 'FINISH' };

export type SelfServiceContext = {
  topUpAmountsFen: number[];
  serviceId: string | null;
  customer: IdentifiedCustomer | null;
  account: AccountSummary | null;
  packs: AddOnPack[];
  chosenPack: AddOnPack | null;
  attempt: OrderAttempt | null;
  order: Order | null;
  /** The balance read again once an order was paid, for its receipt screen; null until then. */
  balanceAfter: number | null;
  retries: number;
  invoice: InvoiceAnswer | null;
  problem: ProblemCode | null;
  result: FlowOutput;
};

export const ORDER_POLL_MS = 1_000;

/** The order being followed, as the server calls take it. */
function orderOf(context: SelfServiceContext): { token: string; orderId: string } {
  return { token: context.customer?.token ?? '', orderId: context.order?.id ?? '' };
}

export const selfServiceMachine = setup({
  types: {
    children: {} as { identify: 'identify' },
    input: {} as SelfServiceInput,
    context: {} as SelfServiceContext,
    events: {} as SelfServiceEvent,
    output: {} as FlowOutput,
  },
  actors: {
    identify: identifyMachine,
    loadAccount: promisePlaceholder<AccountSummary, WithToken>('loadAccount'),
    loadPacks: promisePlaceholder<AddOnPack[], WithToken>('loadPacks'),
    createOrder: promisePlaceholder<Order, WithToken & OrderAttempt>('createOrder'),
    fetchOrder: promisePlaceholder<Order, WithToken & { orderId: string }>('fetchOrder'),
    cancelOrder: promisePlaceholder<Order, WithToken & { orderId: string }>('cancelOrder'),
    printInvoice: promisePlaceholder<InvoiceAnswer, WithToken & { period: string }>('printInvoice'),
  },
  guards: {
    identified: (_, params: { outcome: string }) => params.outcome === 'identified',
    billDue: ({ context }) => context.account?.bill?.paid === false,
    knownPack: ({ context }, params: { packId: string }) => context.packs.some((p) => p.id === params.packId),
    offeredAmount: ({ context }, params: { amountFen: number }) =>
      context.topUpAmountsFen.includes(params.amountFen),
    transient: (_, params: { error: unknown }) => isTransient(params.error),
    awaitingPayment: ({ context }) => context.order?.status === 'awaiting-payment',
    orderPaid: ({ context }) => context.order?.status === 'paid',
    balanceRead: ({ context }) => context.balanceAfter !== null,
    // A pack is charged to the balance: one the balance cannot pay is not offered as a yes.
    affordable: ({ context }) =>
      context.chosenPack !== null && (context.account?.balanceFen ?? 0) >= context.chosenPack.priceFen,
    // Settled once the terminal has answered and, if paid, the receipt has come out or failed.
    orderSettled: ({ context }) =>
      context.order !== null &&
      context.order.status !== 'awaiting-payment' &&
      context.order.receipt !== 'pending',
  },
  delays: {
    retryDelay: ({ context }) => retryDelayMs(context.retries),
    orderPoll: ORDER_POLL_MS,
  },
  actions: {
    storeCustomer: assign((_, params: { customer: IdentifiedCustomer | null }) => ({
      customer: params.customer,
    })),
    storeAccount: assign((_, params: { account: AccountSummary }) => ({
      account: params.account,
      problem: null,
    })),
    storePacks: assign((_, params: { packs: AddOnPack[] }) => ({ packs: params.packs })),
    choosePack: assign(({ context }, params: { packId: string }) => ({
      chosenPack: context.packs.find((p) => p.id === params.packId) ?? null,
    })),
    // A new order attempt: a new key. Retries of the same attempt keep it.
    startOrder: assign((_, params: { request: OrderRequest }) => ({
      attempt: { request: params.request, attemptKey: newAttemptKey() },
      order: null,
      balanceAfter: null,
      retries: 0,
      problem: null,
    })),
    countRetry: assign({ retries: ({ context }) => context.retries + 1 }),
    storeOrder: assign((_, params: { order: Order }) => ({ order: params.order })),
    storeBalanceAfter: assign((_, params: { account: AccountSummary }) => ({
      account: params.account,
      balanceAfter: params.account.balanceFen,
    })),
    storeInvoice: assign((_, params: { invoice: InvoiceAnswer }) => ({ invoice: params.invoice })),
    storeProblem: assign((_, params: { error: unknown }) => ({ problem: problemOf(params.error) })),
    clearProblem: assign({ problem: null, invoice: null }),
    // The kiosk machine pauses its idle reset while money is in flight; tests replace these with spies.
    holdPresence: sendParent({ type: 'PRESENCE.HOLD' }),
    releasePresence: sendParent({ type: 'PRESENCE.RELEASE' }),
    toTicket: assign(({ context }) => ({
      result: { next: 'ticket' as const, serviceId: context.serviceId, customer: context.customer },
    })),
  },
}).createMachine({
  id: 'selfService',
  context: ({ input }) => ({
    topUpAmountsFen: input.topUpAmountsFen,
    serviceId: input.serviceId,
    customer: null,
    account: null,
    packs: [],
    chosenPack: null,
    attempt: null,
    order: null,
    balanceAfter: null,
    retries: 0,
    invoice: null,
    problem: null,
    result: { next: 'attract' },
  }),
  on: {
    // Never in the middle of a payment: its outcome comes first.
    'TICKET.TAKE': { guard: not(stateIn('#selfService.paying')), target: '.finished', actions: 'toTicket' },
  },
  initial: 'identifying',
  states: {
    identifying: {
      invoke: {
        id: 'identify',
        src: 'identify',
        input: { required: true },
        onDone: [
          {
            guard: { type: 'identified', params: ({ event }) => event.output },
            target: 'loading',
            actions: {
              type: 'storeCustomer',
              params: ({ event }) => ({
                customer: event.output.outcome === 'identified' ? event.output.customer : null,
              }),
            },
          },
          { target: 'finished' },
        ],
      },
    },
    loading: {
      invoke: {
        src: 'loadAccount',
        input: ({ context }) => ({ token: context.customer?.token ?? '' }),
        onDone: {
          target: 'menu',
          actions: { type: 'storeAccount', params: ({ event }) => ({ account: event.output }) },
        },
        onError: {
          target: 'unavailable',
          actions: { type: 'storeProblem', params: ({ event }) => ({ error: event.error }) },
        },
      },
    },
    unavailable: {
      on: { RETRY: 'loading', FINISH: 'finished' },
    },
    menu: {
      on: {
        'TOP_UP.START': { target: 'topUp', actions: 'clearProblem' },
        'BILL.PAY': {
          guard: 'billDue',
          target: 'paying',
          actions: {
            type: 'startOrder',
            params: ({ context }) => ({
              request: { kind: 'bill' as const, period: context.account?.bill?.period ?? '' },
            }),
          },
        },
        'PACKS.START': { target: 'packs', actions: 'clearProblem' },
        'INVOICE.START': { target: 'invoice', actions: 'clearProblem' },
        FINISH: 'finished',
      },
    },
    topUp: {
      on: {
        'AMOUNT.CHOOSE': {
          guard: { type: 'offeredAmount', params: ({ event }) => event },
          target: 'paying',
          actions: {
            type: 'startOrder',
            params: ({ event }) => ({ request: { kind: 'top-up' as const, amountFen: event.amountFen } }),
          },
        },
        BACK: 'menu',
      },
    },
    packs: {
      initial: 'loading',
      states: {
        loading: {
          invoke: {
            src: 'loadPacks',
            input: ({ context }) => ({ token: context.customer?.token ?? '' }),
            onDone: {
              target: 'choosing',
              actions: { type: 'storePacks', params: ({ event }) => ({ packs: event.output }) },
            },
            onError: {
              target: '#selfService.menu',
              actions: { type: 'storeProblem', params: ({ event }) => ({ error: event.error }) },
            },
          },
        },
        choosing: {
          on: {
            'PACK.CHOOSE': {
              guard: { type: 'knownPack', params: ({ event }) => event },
              target: 'confirming',
              actions: { type: 'choosePack', params: ({ event }) => event },
            },
            BACK: '#selfService.menu',
          },
        },
        // Buying a pack takes money from the balance: it needs an explicit yes on a screen of its own.
        confirming: {
          on: {
            CONFIRM: {
              guard: 'affordable',
              target: '#selfService.paying',
              actions: {
                type: 'startOrder',
                params: ({ context }) => ({
                  request: { kind: 'pack' as const, packId: context.chosenPack?.id ?? '' },
                }),
              },
            },
            // The balance is too low for it: a top-up first.
            'TOP_UP.START': { target: '#selfService.topUp', actions: 'clearProblem' },
            BACK: 'choosing',
          },
        },
      },
    },
    paying: {
      entry: 'holdPresence',
      exit: 'releasePresence',
      initial: 'creating',
      states: {
        creating: {
          invoke: {
            src: 'createOrder',
            input: ({ context }) => ({
              token: context.customer?.token ?? '',
              request: context.attempt?.request ?? { kind: 'top-up', amountFen: 0 },
              attemptKey: context.attempt?.attemptKey ?? '',
            }),
            onDone: {
              target: 'following',
              actions: { type: 'storeOrder', params: ({ event }) => ({ order: event.output }) },
            },
            onError: [
              {
                guard: { type: 'transient', params: ({ event }) => ({ error: event.error }) },
                target: 'reconnecting',
              },
              {
                target: '#selfService.menu',
                actions: { type: 'storeProblem', params: ({ event }) => ({ error: event.error }) },
              },
            ],
          },
        },
        reconnecting: {
          after: { retryDelay: { target: 'creating', actions: 'countRetry' } },
        },
        following: {
          always: { guard: 'orderSettled', target: '#selfService.settled' },
          after: { orderPoll: 'checking' },
          on: {
            'PAYMENT.CANCEL': { guard: 'awaitingPayment', target: 'cancelling' },
          },
        },
        checking: {
          invoke: {
            src: 'fetchOrder',
            input: ({ context }) => orderOf(context),
            onDone: {
              target: 'following',
              actions: { type: 'storeOrder', params: ({ event }) => ({ order: event.output }) },
            },
            // Keep asking: the outcome of a payment must be known before the customer leaves.
            onError: 'following',
          },
        },
        cancelling: {
          invoke: {
            src: 'cancelOrder',
            input: ({ context }) => orderOf(context),
            onDone: {
              target: 'following',
              actions: { type: 'storeOrder', params: ({ event }) => ({ order: event.output }) },
            },
            // Already paid, or the server is away: follow the order to its real outcome.
            onError: 'following',
          },
        },
      },
    },
    settled: {
      // Paid: the balance is read again, so the screen can say what it is now.
      initial: 'reading',
      states: {
        reading: {
          always: { guard: not('orderPaid'), target: 'shown' },
          invoke: {
            src: 'loadAccount',
            input: ({ context }) => ({ token: context.customer?.token ?? '' }),
            onDone: {
              target: 'shown',
              actions: { type: 'storeBalanceAfter', params: ({ event }) => ({ account: event.output }) },
            },
            onError: 'shown',
          },
        },
        shown: {},
      },
      on: {
        // Back to the menu with fresh figures: a top-up or a pack changes the balance.
        FINISH: [{ guard: 'balanceRead', target: 'menu' }, { target: 'loading' }],
        RETRY: {
          target: 'paying',
          actions: {
            type: 'startOrder',
            params: ({ context }) => ({
              request: context.attempt?.request ?? { kind: 'top-up' as const, amountFen: 0 },
            }),
          },
        },
      },
    },
    invoice: {
      initial: 'choosing',
      states: {
        choosing: {
          on: {
            'INVOICE.PRINT': 'printing',
            BACK: '#selfService.menu',
          },
        },
        printing: {
          invoke: {
            src: 'printInvoice',
            input: ({ context, event }) => ({
              token: context.customer?.token ?? '',
              period: event.type === 'INVOICE.PRINT' ? event.period : '',
            }),
            onDone: {
              target: 'printed',
              actions: { type: 'storeInvoice', params: ({ event }) => ({ invoice: event.output }) },
            },
            onError: {
              target: 'choosing',
              actions: { type: 'storeProblem', params: ({ event }) => ({ error: event.error }) },
            },
          },
        },
        printed: {
          on: { BACK: { target: '#selfService.menu', actions: 'clearProblem' } },
        },
      },
    },
    finished: { type: 'final' },
  },
  output: ({ context }) => context.result,
});
