/**
 * The kiosk as a whole: boot, the attract screen, and one customer session at a time.
 *
 * A session runs one customer flow (ticket, appointment, feedback, self-service) as a child actor and
 * watches for presence: after `idleSeconds` without a touch a "still there?" warning, after
 * `warningSeconds` more the session ends. Ending a session stops the flow actor — its context, with the
 * customer's identity, tickets and choices, goes with it — and clears the hand-over here, so nothing
 * personal outlives the session in memory or on screen. Language and elderly mode belong to the kiosk
 * (they style every screen) and are forwarded to the running flow.
 *
 * Spoken prompts (elderly mode) are the flows' to start, but the session's to end: `hush` stops whatever
 * is still playing or waiting to play when a session ends or elderly mode is switched off, so a prompt
 * never talks to the next customer.
 */
import { assign, raise, sendTo, setup } from 'xstate';
import type { DeviceStatus } from '../../server/contract/devices.ts';
import type { ConnectionState, HallInfo, Lang, ServiceView } from '../../server/contract/index.ts';
import type { IdentifiedCustomer, KioskView } from '../../server/contract/kiosk.ts';
import type { SpokenPrompt } from '../voice/prompts.ts';
import { feedbackMachine } from './feedback.machine.ts';
import type { FlowOutput } from './flow-output.ts';
import { callbackPlaceholder, promisePlaceholder } from './placeholders.ts';
import { retryDelayMs } from './retry.ts';
import { selfServiceMachine } from './self-service.machine.ts';
import { ticketMachine } from './ticket.machine.ts';

export type KioskInput = {
  kioskId: string;
  /** Overrides of the configured timeouts (tests, and `?idle=` for trying the kiosk out). */
  idleMs?: number;
  warningMs?: number;
};

export type KioskSetup = { hall: HallInfo; kiosk: KioskView };

/** What the live hall stream tells the kiosk; `watchHall` sends these. */
export type HallFeedEvent =
  | { type: 'HALL.SERVICES'; services: ServiceView[] }
  /** The manager changed the configuration (`hall.configured`): the menu follows without a restart. */
  | { type: 'HALL.INFO'; hall: HallInfo }
  | { type: 'HALL.DEVICE'; id: string; status: DeviceStatus }
  | { type: 'HALL.CONNECTION'; state: ConnectionState };

export type KioskEvent =
  | HallFeedEvent
  | { type: 'ACTIVITY' }
  | { type: 'LANG.SET'; lang: Lang }
  | { type: 'ELDERLY.TOGGLE' }
  | { type: 'ELDERLY.SET'; on: boolean }
  /** A service touched on the first screen: its ticket at once (without one: the service list). */
  | { type: 'TICKET.START'; serviceId?: string }
  /** Identify by phone number first, from the first screen. */
  | { type: 'IDENTIFY.START' }
  /** An ID card or member code read while the first screen shows: it identifies the customer. */
  | { type: 'DEVICE.READ'; readId: string }
  | { type: 'APPOINTMENT.START' }
  | { type: 'FEEDBACK.START' }
  | { type: 'SELF_SERVICE.START' }
  | { type: 'HOME' }
  /** A flow with money in flight holds the idle reset: the customer is at the terminal. */
  | { type: 'PRESENCE.HOLD' }
  | { type: 'PRESENCE.RELEASE' }
  /** Raised when the running flow ends, so its ending is routed in one place. */
  | { type: 'FLOW.DONE'; output: FlowOutput };

export type KioskContext = {
  kioskId: string;
  idleMs: number | null;
  warningMs: number | null;
  lang: Lang;
  elderly: boolean;
  hall: HallInfo | null;
  kiosk: KioskView | null;
  /** Live waiting and ETA per service, from the event stream. */
  services: ServiceView[];
  connection: ConnectionState;
  bootRetries: number;
  /** What the session's ticket flow starts with: a service, a customer, identification; cleared when it ends. */
  handoff: {
    serviceId: string | null;
    customer: IdentifiedCustomer | null;
    /** The service was touched on the first screen (self-service is offered first where it fits). */
    offerSelfService?: boolean;
    identify?: { start: 'phone' } | { readId: string };
  } | null;
};

const DEFAULT_IDLE_MS = 30_000;
const DEFAULT_WARNING_MS = 10_000;

/** Elderly mode gives the customer this many times longer before the "still there?" warning. */
export const ELDERLY_PATIENCE = 2;

export function idleMsOf(context: KioskContext): number {
  const idle = context.idleMs ?? (context.kiosk ? context.kiosk.idleSeconds * 1_000 : DEFAULT_IDLE_MS);
  return context.elderly ? idle * ELDERLY_PATIENCE : idle;
}

/** How long the "still there?" warning stands before the session ends. */
export function warningMsOf(context: KioskContext): number {
  const warning =
    context.warningMs ?? (context.kiosk ? context.kiosk.warningSeconds * 1_000 : DEFAULT_WARNING_MS);
  return context.elderly ? warning * ELDERLY_PATIENCE : warning;
}

const kioskSetup = setup({
  types: {
    children: {} as { flow: 'ticketFlow' | 'feedbackFlow' | 'selfServiceFlow' },
    input: {} as KioskInput,
    context: {} as KioskContext,
    events: {} as KioskEvent,
  },
  actors: {
    loadKiosk: promisePlaceholder<KioskSetup, { kioskId: string }>('loadKiosk'),
    watchHall: callbackPlaceholder('watchHall'),
    /** ID cards and member codes read at this kiosk; sends DEVICE.READ. */
    watchIdentityDevices: callbackPlaceholder('watchIdentityDevices'),
    watchActivity: callbackPlaceholder('watchActivity'),
    ticketFlow: ticketMachine,
    feedbackFlow: feedbackMachine,
    selfServiceFlow: selfServiceMachine,
  },
  delays: {
    bootRetry: ({ context }) => retryDelayMs(context.bootRetries),
    idle: ({ context }) => idleMsOf(context),
    warning: ({ context }) => warningMsOf(context),
  },
  guards: {
    toTicket: (_, params: FlowOutput) => params.next === 'ticket',
    toSelfService: (_, params: FlowOutput) => params.next === 'self-service',
  },
  actions: {
    storeSetup: assign((_, params: KioskSetup) => ({
      hall: params.hall,
      kiosk: params.kiosk,
      bootRetries: 0,
    })),
    countBootRetry: assign({ bootRetries: ({ context }) => context.bootRetries + 1 }),
    setLang: assign((_, params: { lang: Lang }) => ({ lang: params.lang })),
    setElderly: assign((_, params: { on: boolean }) => ({ elderly: params.on })),
    toggleElderly: assign({ elderly: ({ context }) => !context.elderly }),
    // The next customer starts in Chinese, in the normal mode.
    resetSettings: assign({ lang: 'zh', elderly: false }),
    storeServices: assign((_, params: { services: ServiceView[] }) => ({ services: params.services })),
    storeHall: assign((_, params: { hall: HallInfo }) => ({ hall: params.hall })),
    storeDeviceStatus: assign(({ context }, params: { id: string; status: DeviceStatus }) => ({
      kiosk: context.kiosk && {
        ...context.kiosk,
        devices: context.kiosk.devices.map((d) => (d.id === params.id ? { ...d, status: params.status } : d)),
      },
    })),
    storeConnection: assign((_, params: { state: ConnectionState }) => ({ connection: params.state })),
    handOver: assign((_, params: FlowOutput) => ({
      handoff:
        params.next === 'attract'
          ? null
          : { serviceId: params.serviceId, customer: params.next === 'ticket' ? params.customer : null },
    })),
    forgetSession: assign({ handoff: null }),
    startWith: assign((_, params: { handoff: NonNullable<KioskContext['handoff']> }) => ({
      handoff: params.handoff,
    })),
    finishFlow: raise((_, output: FlowOutput) => ({ type: 'FLOW.DONE' as const, output })),
    // Sound side effects (kiosk/main.tsx; spies in tests), silent by default: a kiosk without sound works.
    speak: (_, _prompt: SpokenPrompt) => {},
    hush: () => {},
    forwardSettings: sendTo('flow', ({ context }) => ({
      type: 'SETTINGS' as const,
      lang: context.lang,
      elderly: context.elderly,
    })),
  },
});

/** The "still there?" warning, spoken in elderly mode. */
const askStillThere = kioskSetup.enqueueActions(({ context, enqueue }) => {
  if (context.elderly) enqueue({ type: 'speak', params: { prompt: 'still-there', lang: context.lang } });
});

/** Elderly mode switched on at the first screen: the services are read out as a question. */
const askForService = kioskSetup.enqueueActions(({ context, enqueue }) => {
  if (context.elderly) enqueue({ type: 'speak', params: { prompt: 'choose-service', lang: context.lang } });
});

/** Elderly mode switched off: what was still to be said is not. */
const hushUnlessElderly = kioskSetup.enqueueActions(({ context, enqueue }) => {
  if (!context.elderly) enqueue('hush');
});

export const kioskMachine = kioskSetup.createMachine({
  id: 'kiosk',
  context: ({ input }) => ({
    kioskId: input.kioskId,
    idleMs: input.idleMs ?? null,
    warningMs: input.warningMs ?? null,
    lang: 'zh',
    elderly: false,
    hall: null,
    kiosk: null,
    services: [],
    connection: 'connecting',
    bootRetries: 0,
    handoff: null,
  }),
  invoke: [{ src: 'watchHall' }, { src: 'watchActivity' }],
  on: {
    'HALL.SERVICES': { actions: { type: 'storeServices', params: ({ event }) => event } },
    'HALL.INFO': { actions: { type: 'storeHall', params: ({ event }) => event } },
    'HALL.DEVICE': { actions: { type: 'storeDeviceStatus', params: ({ event }) => event } },
    'HALL.CONNECTION': { actions: { type: 'storeConnection', params: ({ event }) => event } },
    'LANG.SET': { actions: { type: 'setLang', params: ({ event }) => event } },
  },
  initial: 'booting',
  states: {
    booting: {
      initial: 'loading',
      states: {
        loading: {
          invoke: {
            src: 'loadKiosk',
            input: ({ context }) => ({ kioskId: context.kioskId }),
            onDone: {
              target: '#kiosk.attract',
              actions: { type: 'storeSetup', params: ({ event }) => event.output },
            },
            onError: 'waiting',
          },
        },
        waiting: { after: { bootRetry: { target: 'loading', actions: 'countBootRetry' } } },
      },
    },
    attract: {
      entry: 'forgetSession',
      invoke: { src: 'watchIdentityDevices' },
      on: {
        ACTIVITY: { target: 'attract', reenter: true },
        // A touch too: the idle count starts again, at the new mode's length.
        'ELDERLY.TOGGLE': {
          target: 'attract',
          reenter: true,
          actions: ['toggleElderly', askForService, hushUnlessElderly],
        },
        'TICKET.START': {
          target: '#kiosk.session.flow.ticket',
          actions: {
            type: 'startWith',
            params: ({ event }) => ({
              handoff: { serviceId: event.serviceId ?? null, customer: null, offerSelfService: true },
            }),
          },
        },
        'IDENTIFY.START': {
          target: '#kiosk.session.flow.ticket',
          actions: {
            type: 'startWith',
            params: { handoff: { serviceId: null, customer: null, identify: { start: 'phone' } } },
          },
        },
        'DEVICE.READ': {
          target: '#kiosk.session.flow.ticket',
          actions: {
            type: 'startWith',
            params: ({ event }) => ({
              handoff: { serviceId: null, customer: null, identify: { readId: event.readId } },
            }),
          },
        },
        'APPOINTMENT.START': '#kiosk.session.flow.appointment',
        'FEEDBACK.START': '#kiosk.session.flow.feedback',
        'SELF_SERVICE.START': '#kiosk.session.flow.selfService',
      },
      // Settings a customer changed and left behind go back to the defaults for the next one.
      after: { idle: { actions: 'resetSettings' } },
    },
    session: {
      type: 'parallel',
      exit: ['forgetSession', 'hush'],
      on: {
        'LANG.SET': { actions: [{ type: 'setLang', params: ({ event }) => event }, 'forwardSettings'] },
        'ELDERLY.SET': {
          actions: [
            { type: 'setElderly', params: ({ event }) => event },
            'forwardSettings',
            hushUnlessElderly,
          ],
        },
        HOME: '#kiosk.attract',
      },
      states: {
        flow: {
          initial: 'ticket',
          on: {
            'FLOW.DONE': [
              {
                guard: { type: 'toTicket', params: ({ event }) => event.output },
                target: '.ticket',
                reenter: true,
                actions: { type: 'handOver', params: ({ event }) => event.output },
              },
              {
                guard: { type: 'toSelfService', params: ({ event }) => event.output },
                target: '.selfService',
                reenter: true,
                actions: { type: 'handOver', params: ({ event }) => event.output },
              },
              { target: '#kiosk.attract' },
            ],
          },
          states: {
            ticket: {
              invoke: {
                id: 'flow',
                src: 'ticketFlow',
                input: ({ context }) => ({
                  services: context.hall?.services ?? [],
                  lang: context.lang,
                  elderly: context.elderly,
                  mode: 'walk-in',
                  serviceId: context.handoff?.serviceId,
                  offerSelfService: context.handoff?.offerSelfService,
                  customer: context.handoff?.customer,
                  identify: context.handoff?.identify,
                }),
                onDone: { actions: { type: 'finishFlow', params: ({ event }) => event.output } },
              },
            },
            appointment: {
              invoke: {
                id: 'flow',
                src: 'ticketFlow',
                input: ({ context }) => ({
                  services: context.hall?.services ?? [],
                  lang: context.lang,
                  elderly: context.elderly,
                  mode: 'appointment',
                }),
                onDone: { actions: { type: 'finishFlow', params: ({ event }) => event.output } },
              },
            },
            feedback: {
              invoke: {
                id: 'flow',
                src: 'feedbackFlow',
                input: ({ context }) => ({
                  lang: context.lang,
                  complaintsServiceId: context.kiosk?.complaintsServiceId ?? null,
                }),
                onDone: { actions: { type: 'finishFlow', params: ({ event }) => event.output } },
              },
            },
            selfService: {
              invoke: {
                id: 'flow',
                src: 'selfServiceFlow',
                input: ({ context }) => ({
                  topUpAmountsFen: context.kiosk?.topUpAmountsFen ?? [],
                  serviceId: context.handoff?.serviceId ?? null,
                }),
                onDone: { actions: { type: 'finishFlow', params: ({ event }) => event.output } },
              },
            },
          },
        },
        presence: {
          initial: 'active',
          states: {
            active: {
              on: { ACTIVITY: { target: 'active', reenter: true }, 'PRESENCE.HOLD': 'held' },
              after: { idle: 'stillThere' },
            },
            stillThere: {
              entry: askStillThere,
              on: { ACTIVITY: 'active', 'PRESENCE.HOLD': 'held' },
              after: { warning: { target: '#kiosk.attract', actions: 'resetSettings' } },
            },
            held: {
              on: { 'PRESENCE.RELEASE': 'active' },
            },
          },
        },
      },
    },
  },
});
