/**
 * Getting a ticket, by walking in or by checking in an appointment.
 *
 * Walk-in: the kiosk's first screen lists the services; touching one issues the ticket at once (self-
 * service is offered first where it covers the job: one more touch, for payments). Identification is
 * offered beside the services and never asked for: a phone number with a one-time code, or a card or
 * member code read at any moment on the service list, identifies the customer for the ticket they then
 * choose (elderly mode offered at 65+). Issue → print → done.
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
import { ApiError } from '../../server/contract/client.ts';
import type { IdentifiedCustomer } from '../../server/contract/kiosk.ts';
import type { PromptName, SpokenPrompt } from '../voice/prompts.ts';
import type { FlowOutput } from './flow-output.ts';
import { identifyMachine } from './identify.machine.ts';
import { callbackPlaceholder, promisePlaceholder } from './placeholders.ts';
import { isTransient, newAttemptKey, type ProblemCode, problemOf, retryDelayMs } from './retry.ts';

export type HallService = HallInfo['services'][number];

export type TicketFlowInput = {
  services: HallService[];
  lang: Lang;
  elderly: boolean;
  mode: 'walk-in' | 'appointment';
  /** Issue a ticket for this service at once: chosen on the first screen, or handed over by a flow. */
  serviceId?: string | null;
  /** Chosen by the customer on the first screen: offer self-service first where it covers the job. */
  offerSelfService?: boolean;
  /** Already identified in the flow that handed over. */
  customer?: IdentifiedCustomer | null;
  /** Begin by identifying: by phone (touched on the first screen), or a card or code read there. */
  identify?: { start: 'phone' } | { readId: string } | null;
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
  | { type: 'DEVICE.READ'; readId: string }
  | { type: 'IDENTIFY.PHONE' }
  | { type: 'SERVICE.CHOOSE'; serviceId: string }
  | { type: 'SELF_SERVICE.START' }
  | { type: 'TICKET.CONTINUE' }
  | { type: 'ELDERLY.ACCEPT' }
  | { type: 'ELDERLY.DECLINE' }
  | { type: 'CODE.SUBMIT'; code: string }
  | { type: 'WALK_IN' }
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
  serviceId: string | null;
  offerSelfService: boolean;
  customer: IdentifiedCustomer | null;
  /** How the identification step begins (null: with the ways to choose from). */
  identify: TicketFlowInput['identify'];
  pending: PendingRequest | null;
  attemptKey: string | null;
  retries: number;
  ticket: TicketView | null;
  problem: ProblemCode | null;
  /** What the server said beside the problem's code (e.g. the booked time), for its wording. */
  problemDetails: Record<string, string>;
  result: FlowOutput;
};

/** How often and how long the done screen waits to learn whether the paper came out. */
export const PRINT_POLL_MS = 1_000;
export const PRINT_PATIENCE_MS = 8_000;

/** The services grouped by category, in the hall's order: the first screen's sections. */
export function categoriesOf(services: HallService[]): { category: string; services: HallService[] }[] {
  const groups = new Map<string, HallService[]>();
  for (const service of services)
    groups.set(service.category, [...(groups.get(service.category) ?? []), service]);
  return [...groups].map(([category, list]) => ({ category, services: list }));
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
    /** ID cards and member codes read at this kiosk; sends DEVICE.READ. */
    watchIdentityDevices: callbackPlaceholder('watchIdentityDevices'),
  },
  guards: {
    appointmentMode: ({ context }) => context.mode === 'appointment',
    identifyFirst: ({ context }) => context.identify != null,
    serviceChosen: ({ context }) => context.serviceId !== null,
    knownService: ({ context }, params: { serviceId: string }) =>
      context.services.some((s) => s.id === params.serviceId),
    // Fewer steps in elderly mode; a service handed over from self-service is not offered back to it.
    offerSelfService: ({ context }, params: { serviceId: string | null }) =>
      context.offerSelfService &&
      !context.elderly &&
      context.services.some((s) => s.id === params.serviceId && s.selfService),
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
    chooseService: assign((_, params: { serviceId: string }) => ({
      serviceId: params.serviceId,
      offerSelfService: true,
    })),
    identifyBy: assign((_, params: { identify: NonNullable<TicketFlowInput['identify']> }) => ({
      identify: params.identify,
    })),
    storeCustomer: assign((_, params: { customer: IdentifiedCustomer | null }) => ({
      customer: params.customer,
      identify: null,
    })),
    forgetIdentifyStart: assign({ identify: null }),
    enterElderlyMode: assign({ elderly: true }),
    // The root kiosk machine owns the look of the screen; tests replace this with a spy.
    tellKioskElderly: sendParent({ type: 'ELDERLY.SET', on: true }),
    // A new attempt: a new key. Retries of this attempt never come here, so they keep the key.
    startAttempt: assign((_, params: { pending: PendingRequest }) => ({
      pending: params.pending,
      attemptKey: newAttemptKey(),
      retries: 0,
      problem: null,
      problemDetails: {},
    })),
    countRetry: assign({ retries: ({ context }) => context.retries + 1 }),
    storeTicket: assign((_, params: { ticket: TicketView }) => ({ ticket: params.ticket })),
    storeProblem: assign((_, params: { error: unknown }) => ({
      problem: problemOf(params.error),
      problemDetails: params.error instanceof ApiError ? params.error.details : {},
    })),
    clearProblem: assign({ problem: null, problemDetails: {} }),
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

/** A ticket for the chosen service, now: a new attempt with a new key. */
const issueChosen = { type: 'startAttempt', params: { pending: { kind: 'walk-in' } } } as const;

export const ticketMachine = ticketSetup.createMachine({
  id: 'ticket',
  context: ({ input }) => ({
    services: input.services,
    lang: input.lang,
    elderly: input.elderly,
    mode: input.mode,
    serviceId: input.serviceId ?? null,
    offerSelfService: input.offerSelfService ?? false,
    customer: input.customer ?? null,
    identify: input.identify ?? null,
    pending: null,
    attemptKey: null,
    retries: 0,
    ticket: null,
    problem: null,
    problemDetails: {},
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
        { guard: 'identifyFirst', target: 'identifying' },
        { guard: 'serviceChosen', target: 'chosen' },
        { target: 'services' },
      ],
    },
    // A service touched on the first screen or handed over: a ticket at once, after the self-service
    // offer where it applies.
    chosen: {
      always: [
        {
          guard: { type: 'offerSelfService', params: ({ context }) => ({ serviceId: context.serviceId }) },
          target: 'selfServiceOffer',
        },
        { target: 'issuing', actions: issueChosen },
      ],
    },
    // The services again, for a customer who identified (or backed out of identifying) first.
    services: {
      entry: prompt('choose-service'),
      invoke: { src: 'watchIdentityDevices' },
      on: {
        'SERVICE.CHOOSE': {
          guard: { type: 'knownService', params: ({ event }) => event },
          target: 'chosen',
          actions: { type: 'chooseService', params: ({ event }) => event },
        },
        'IDENTIFY.PHONE': {
          target: 'identifying',
          actions: { type: 'identifyBy', params: { identify: { start: 'phone' } } },
        },
        'DEVICE.READ': {
          target: 'identifying',
          actions: { type: 'identifyBy', params: ({ event }) => ({ identify: { readId: event.readId } }) },
        },
        BACK: 'finished',
      },
    },
    selfServiceOffer: {
      invoke: { src: 'watchIdentityDevices' },
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
        'TICKET.CONTINUE': { target: 'issuing', actions: issueChosen },
        // A card on the reader here: identified, then the customer chooses again with priority.
        'DEVICE.READ': {
          target: 'identifying',
          actions: { type: 'identifyBy', params: ({ event }) => ({ identify: { readId: event.readId } }) },
        },
        BACK: 'services',
      },
    },
    identifying: {
      invoke: {
        id: 'identify',
        src: 'identify',
        input: ({ context }) => ({
          required: false,
          start: context.identify && 'start' in context.identify ? context.identify.start : 'choosing',
          readId: context.identify && 'readId' in context.identify ? context.identify.readId : null,
        }),
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
          { target: 'services', actions: 'forgetIdentifyStart' },
        ],
      },
    },
    identified: {
      always: [{ guard: 'offerElderly', target: 'elderlyOffer' }, { target: 'services' }],
    },
    elderlyOffer: {
      on: {
        'ELDERLY.ACCEPT': { target: 'services', actions: ['enterElderlyMode', 'tellKioskElderly'] },
        'ELDERLY.DECLINE': 'services',
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
        WALK_IN: { target: 'services', actions: 'clearProblem' },
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
