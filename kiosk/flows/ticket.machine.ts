/**
 * Getting a ticket, by walking in or by checking in an appointment.
 *
 * Walk-in: category → service → (self-service offered first where it covers the job) → optional
 * identification → (elderly mode offered at 65+) → confirm → issue → print → done.
 * Appointment: code typed or scanned → issue → print → done.
 *
 * Issuing is where a customer could be stranded or get two numbers, so it is careful: each confirmation
 * starts one attempt with one Idempotency-Key, and while the server cannot be reached the same request is
 * retried with backoff under that key. A printer fault does not matter to the ticket: the done screen
 * always shows the number and a QR code of the tracking page, and says when the paper did not come out.
 *
 * In elderly mode the steps that ask something (the service, the confirmation, the appointment code) and
 * the number are also spoken (kiosk/voice/prompts.ts) through the `speak` placeholder.
 */
import { assign, sendParent, setup } from 'xstate';
import type { HallInfo, Lang, TicketView } from '../../server/contract/api.ts';
import type { IdentifiedCustomer } from '../../server/contract/kiosk.ts';
import type { PromptName, SpokenPrompt } from '../voice/prompts.ts';
import type { FlowOutput } from './flow-output.ts';
import { identifyMachine } from './identify.machine.ts';
import { callbackPlaceholder, promisePlaceholder } from './placeholders.ts';
import { isTransient, newAttemptKey, problemOf, retryDelayMs } from './retry.ts';

export type HallService = HallInfo['services'][number];

export type TicketFlowInput = {
  services: HallService[];
  lang: Lang;
  elderly: boolean;
  mode: 'walk-in' | 'appointment';
  /** Start at this service (handed over from feedback or self-service). */
  serviceId?: string | null;
  /** Already identified in the flow that handed over. */
  customer?: IdentifiedCustomer | null;
};

/** One request to the server, retried as is: the attempt key makes a retry safe. */
export type TicketRequest = { attemptKey: string; lang: Lang } & (
  | { kind: 'walk-in'; serviceId: string; customer: IdentifiedCustomer | null }
  | { kind: 'appointment'; code: string }
  | { kind: 'appointment'; readId: string }
);

export type AppointmentScanEvent = { type: 'APPOINTMENT.SCANNED'; readId: string };

export type TicketFlowEvent =
  | AppointmentScanEvent
  | { type: 'CATEGORY.CHOOSE'; category: string }
  | { type: 'SERVICE.CHOOSE'; serviceId: string }
  | { type: 'SELF_SERVICE.START' }
  | { type: 'TICKET.CONTINUE' }
  | { type: 'ELDERLY.ACCEPT' }
  | { type: 'ELDERLY.DECLINE' }
  | { type: 'CODE.SUBMIT'; code: string }
  | { type: 'WALK_IN' }
  | { type: 'CONFIRM' }
  | { type: 'RETRY_NOW' }
  | { type: 'BACK' }
  | { type: 'FINISH' }
  | { type: 'SETTINGS'; lang: Lang; elderly: boolean };

type PendingRequest =
  | { kind: 'walk-in' }
  | { kind: 'appointment'; code: string }
  | { kind: 'appointment'; readId: string };

export type TicketFlowContext = {
  services: HallService[];
  lang: Lang;
  elderly: boolean;
  mode: TicketFlowInput['mode'];
  category: string | null;
  serviceId: string | null;
  customer: IdentifiedCustomer | null;
  pending: PendingRequest | null;
  attemptKey: string | null;
  retries: number;
  ticket: TicketView | null;
  problem: string | null;
  result: FlowOutput;
};

/** How often and how long the done screen waits to learn whether the paper came out. */
export const PRINT_POLL_MS = 1_000;
export const PRINT_PATIENCE_MS = 8_000;

export function categoriesOf(services: HallService[]): string[] {
  return [...new Set(services.map((s) => s.category))];
}

const ticketSetup = setup({
  types: {
    children: {} as { identify: 'identify' },
    input: {} as TicketFlowInput,
    context: {} as TicketFlowContext,
    events: {} as TicketFlowEvent,
    output: {} as FlowOutput,
  },
  actors: {
    identify: identifyMachine,
    issueTicket: promisePlaceholder<TicketView, TicketRequest>('issueTicket'),
    fetchTicket: promisePlaceholder<TicketView, { id: string }>('fetchTicket'),
    watchAppointmentScans: callbackPlaceholder('watchAppointmentScans'),
  },
  guards: {
    appointmentMode: ({ context }) => context.mode === 'appointment',
    handedOver: ({ context }) => context.serviceId !== null,
    // Fewer steps in elderly mode, and no menu of one.
    skipCategories: ({ context }) => context.elderly || categoriesOf(context.services).length < 2,
    knownService: ({ context }, params: { serviceId: string }) =>
      context.services.some((s) => s.id === params.serviceId),
    offerSelfService: ({ context }, params: { serviceId: string }) =>
      !context.elderly && context.services.some((s) => s.id === params.serviceId && s.selfService),
    knownCustomer: ({ context }) => context.customer !== null,
    offerElderly: ({ context }) => context.customer?.tier === 'elderly' && !context.elderly,
    identifiedOrSkipped: (_, params: { outcome: string }) => params.outcome !== 'back',
    transient: (_, params: { error: unknown }) => isTransient(params.error),
    printSettled: ({ context }) => context.ticket?.print !== 'pending',
  },
  delays: {
    retryDelay: ({ context }) => retryDelayMs(context.retries),
    printPoll: PRINT_POLL_MS,
    printPatience: PRINT_PATIENCE_MS,
  },
  actions: {
    applySettings: assign((_, params: { lang: Lang; elderly: boolean }) => params),
    chooseCategory: assign((_, params: { category: string }) => ({ category: params.category })),
    chooseService: assign((_, params: { serviceId: string }) => ({ serviceId: params.serviceId })),
    storeCustomer: assign((_, params: { customer: IdentifiedCustomer | null }) => ({
      customer: params.customer,
    })),
    enterElderlyMode: assign({ elderly: true }),
    // The root kiosk machine owns the look of the screen; tests replace this with a spy.
    tellKioskElderly: sendParent({ type: 'ELDERLY.SET', on: true }),
    // A new attempt: a new key. Retries of this attempt never come here, so they keep the key.
    startAttempt: assign((_, params: { pending: PendingRequest }) => ({
      pending: params.pending,
      attemptKey: newAttemptKey(),
      retries: 0,
      problem: null,
    })),
    countRetry: assign({ retries: ({ context }) => context.retries + 1 }),
    storeTicket: assign((_, params: { ticket: TicketView }) => ({ ticket: params.ticket })),
    storeProblem: assign((_, params: { error: unknown }) => ({ problem: problemOf(params.error) })),
    clearProblem: assign({ problem: null }),
    leaveFor: assign((_, params: { result: FlowOutput }) => ({ result: params.result })),
    // Plays a spoken prompt (kiosk/main.tsx; a spy in tests). Silent by default: sound is a help, and a
    // kiosk without it still works.
    speak: (_, _prompt: SpokenPrompt) => {},
  },
});

/** On entering a step: its spoken prompt, in elderly mode only, in the language on screen. */
const prompt = (name: PromptName) =>
  ticketSetup.enqueueActions(({ context, enqueue }) => {
    if (!context.elderly) return;
    const spoken: SpokenPrompt = { prompt: name, lang: context.lang };
    if (name === 'your-number') spoken.number = context.ticket?.number ?? '';
    enqueue({ type: 'speak', params: spoken });
  });

export const ticketMachine = ticketSetup.createMachine({
  id: 'ticket',
  context: ({ input }) => ({
    services: input.services,
    lang: input.lang,
    elderly: input.elderly,
    mode: input.mode,
    category: null,
    serviceId: input.serviceId ?? null,
    customer: input.customer ?? null,
    pending: null,
    attemptKey: null,
    retries: 0,
    ticket: null,
    problem: null,
    result: { next: 'attract' },
  }),
  on: {
    SETTINGS: { actions: { type: 'applySettings', params: ({ event }) => event } },
  },
  initial: 'start',
  states: {
    start: {
      always: [
        { guard: 'appointmentMode', target: 'appointment' },
        { guard: 'handedOver', target: 'confirm' },
        { guard: 'skipCategories', target: 'services' },
        { target: 'categories' },
      ],
    },
    categories: {
      on: {
        'CATEGORY.CHOOSE': {
          target: 'services',
          actions: { type: 'chooseCategory', params: ({ event }) => event },
        },
        BACK: 'finished',
      },
    },
    services: {
      entry: prompt('choose-service'),
      on: {
        'SERVICE.CHOOSE': [
          {
            guard: { type: 'offerSelfService', params: ({ event }) => event },
            target: 'selfServiceOffer',
            actions: { type: 'chooseService', params: ({ event }) => event },
          },
          {
            guard: { type: 'knownService', params: ({ event }) => event },
            target: 'checkingIdentity',
            actions: { type: 'chooseService', params: ({ event }) => event },
          },
        ],
        BACK: [{ guard: 'skipCategories', target: 'finished' }, { target: 'categories' }],
      },
    },
    selfServiceOffer: {
      on: {
        'SELF_SERVICE.START': {
          target: 'finished',
          actions: {
            type: 'leaveFor',
            params: ({ context }) => ({
              result: { next: 'self-service' as const, serviceId: context.serviceId ?? '' },
            }),
          },
        },
        'TICKET.CONTINUE': 'checkingIdentity',
        BACK: 'services',
      },
    },
    // A customer handed over already identified is not asked again.
    checkingIdentity: {
      always: [{ guard: 'knownCustomer', target: 'identified' }, { target: 'identifying' }],
    },
    identifying: {
      invoke: {
        id: 'identify',
        src: 'identify',
        input: { required: false },
        onDone: [
          {
            guard: { type: 'identifiedOrSkipped', params: ({ event }) => event.output },
            target: 'identified',
            actions: {
              type: 'storeCustomer',
              params: ({ event }) => ({
                customer: event.output.outcome === 'identified' ? event.output.customer : null,
              }),
            },
          },
          { target: 'services' },
        ],
      },
    },
    identified: {
      always: [{ guard: 'offerElderly', target: 'elderlyOffer' }, { target: 'confirm' }],
    },
    elderlyOffer: {
      on: {
        'ELDERLY.ACCEPT': { target: 'confirm', actions: ['enterElderlyMode', 'tellKioskElderly'] },
        'ELDERLY.DECLINE': 'confirm',
      },
    },
    confirm: {
      entry: prompt('confirm'),
      on: {
        CONFIRM: {
          target: 'issuing',
          actions: { type: 'startAttempt', params: { pending: { kind: 'walk-in' } } },
        },
        BACK: 'services',
      },
    },
    appointment: {
      entry: prompt('appointment-code'),
      invoke: { src: 'watchAppointmentScans' },
      on: {
        'CODE.SUBMIT': {
          target: 'issuing',
          actions: {
            type: 'startAttempt',
            params: ({ event }) => ({ pending: { kind: 'appointment' as const, code: event.code } }),
          },
        },
        'APPOINTMENT.SCANNED': {
          target: 'issuing',
          actions: {
            type: 'startAttempt',
            params: ({ event }) => ({ pending: { kind: 'appointment' as const, readId: event.readId } }),
          },
        },
        // Too early or unknown: a walk-in ticket is always a way forward.
        WALK_IN: [
          { guard: 'skipCategories', target: 'services', actions: 'clearProblem' },
          { target: 'categories', actions: 'clearProblem' },
        ],
        BACK: 'finished',
      },
    },
    issuing: {
      initial: 'sending',
      states: {
        sending: {
          invoke: {
            src: 'issueTicket',
            input: ({ context }) => requestOf(context),
            onDone: {
              target: '#ticket.printing',
              actions: { type: 'storeTicket', params: ({ event }) => ({ ticket: event.output }) },
            },
            onError: [
              {
                guard: { type: 'transient', params: ({ event }) => ({ error: event.error }) },
                target: 'reconnecting',
              },
              {
                guard: 'appointmentMode',
                target: '#ticket.appointment',
                actions: { type: 'storeProblem', params: ({ event }) => ({ error: event.error }) },
              },
              {
                target: '#ticket.refused',
                actions: { type: 'storeProblem', params: ({ event }) => ({ error: event.error }) },
              },
            ],
          },
        },
        reconnecting: {
          after: { retryDelay: { target: 'sending', actions: 'countRetry' } },
          on: { RETRY_NOW: { target: 'sending', actions: 'countRetry' } },
        },
      },
      on: {
        // Giving up is the customer's choice; the flow never gives up on its own.
        BACK: 'finished',
      },
    },
    // The number is on screen from here on (the paper may follow): say it once.
    printing: {
      entry: prompt('your-number'),
      initial: 'waiting',
      states: {
        waiting: {
          always: { guard: 'printSettled', target: '#ticket.done' },
          after: { printPoll: 'checking' },
        },
        checking: {
          invoke: {
            src: 'fetchTicket',
            input: ({ context }) => ({ id: context.ticket?.id ?? '' }),
            onDone: {
              target: 'waiting',
              actions: { type: 'storeTicket', params: ({ event }) => ({ ticket: event.output }) },
            },
            onError: 'waiting',
          },
        },
      },
      // The ticket is valid whatever the printer does: stop waiting and show it on screen.
      after: { printPatience: 'done' },
      // The ticket is already on screen with its QR: a customer who taps Done need not wait for the paper.
      on: { FINISH: 'finished' },
    },
    done: {
      on: { FINISH: 'finished' },
    },
    refused: {
      on: {
        BACK: { target: 'services', actions: 'clearProblem' },
        FINISH: 'finished',
      },
    },
    finished: { type: 'final' },
  },
  output: ({ context }) => context.result,
});

function requestOf(context: TicketFlowContext): TicketRequest {
  const common = { attemptKey: context.attemptKey ?? '', lang: context.lang };
  const pending = context.pending ?? { kind: 'walk-in' };
  if (pending.kind === 'appointment') return { ...common, ...pending };
  return { ...common, kind: 'walk-in', serviceId: context.serviceId ?? '', customer: context.customer };
}
