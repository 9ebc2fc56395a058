/**
 * The phone tracking page (`/t/<id>`, 过程透明): the ticket's position and ETA, live.
 *
 * The public event stream carries numbers, not ids, and positions move with every call anywhere in the
 * hall, so the page does not compute anything from events: any event makes it ask the server for the
 * ticket again. Bursts of events are coalesced into one request a second; an event about this very
 * number (its call) is fetched at once. Without events the ticket is still refreshed every minute, since
 * the ETA moves with time. Once the ticket has ended (done, no-show, cancelled) the stream is closed.
 *
 * Alerts: one tap enables sound and notifications (browsers allow both only after a tap); the call then
 * chimes, vibrates and notifies. While waiting, the holder may ask for a text when the turn is near.
 */
import { assign, not, raise, setup } from 'xstate';
import type {
  CounterView,
  Lang,
  ServiceView,
  Text,
  TicketView,
  TurnAlert,
} from '../../server/contract/api.ts';
import type { ConnectionState } from '../../server/contract/client.ts';
import { callbackPlaceholder, promisePlaceholder } from '../flows/placeholders.ts';
import { isTransient, type ProblemCode, problemOf, retryDelayMs } from '../flows/retry.ts';

export type TrackInput = { ticketId: string; lang: Lang };

/** What the live stream tells the page; `watchHall` sends these. */
export type TrackFeedEvent =
  | {
      type: 'HALL.SNAPSHOT';
      hallName: Text;
      timeZone: string;
      services: ServiceView[];
      counters: CounterView[];
    }
  | { type: 'HALL.COUNTER'; counter: CounterView }
  /** Something happened in the hall; `mine` when it was about this ticket's number. */
  | { type: 'HALL.CHANGED'; mine: boolean }
  | { type: 'HALL.CONNECTION'; state: ConnectionState };

export type TrackEvent =
  | TrackFeedEvent
  | { type: 'LANG.SET'; lang: Lang }
  | { type: 'CANCEL.ASK' }
  | { type: 'CANCEL.CONFIRM' }
  | { type: 'CANCEL.KEEP' }
  | { type: 'RETRY' }
  | { type: 'ALERTS.ENABLE' }
  | { type: 'SMS.REQUEST'; phone: string }
  | { type: 'SMS.CANCEL' }
  /** Raised after each fresh answer about the ticket. */
  | { type: 'REFRESHED' };

/** What the one tap enabled: sound, and the browser's answer about notifications. */
export type AlertsEnabled = { sound: boolean; notifications: NotificationPermission | 'unsupported' };

export type TrackContext = {
  ticketId: string;
  lang: Lang;
  ticket: TicketView | null;
  hallName: Text | null;
  /** The hall's time zone (from the snapshot), for "counters expected at 14:00". */
  timeZone: string;
  services: ServiceView[];
  counters: CounterView[];
  connection: ConnectionState;
  retries: number;
  problem: ProblemCode | null;
  alerts: AlertsEnabled | null;
  turnAlert: TurnAlert | null;
  /** Why the last text request did not work, as an error code. */
  smsProblem: ProblemCode | null;
};

export const COALESCE_MS = 1_000;
export const REFRESH_MS = 60_000;

const ENDED = ['done', 'no-show', 'cancelled'];

export const trackMachine = setup({
  types: {
    input: {} as TrackInput,
    context: {} as TrackContext,
    events: {} as TrackEvent,
  },
  actors: {
    fetchTicket: promisePlaceholder<TicketView, { id: string }>('fetchTicket'),
    cancelTicket: promisePlaceholder<TicketView, { id: string }>('cancelTicket'),
    watchHall: callbackPlaceholder<TrackEvent, { number: string }>('watchHall'),
    /** Unlocks sound and asks for notifications: must run in the tap's event. */
    enableAlerts: promisePlaceholder<AlertsEnabled, void>('enableAlerts'),
    fetchTurnAlert: promisePlaceholder<TurnAlert, { id: string }>('fetchTurnAlert'),
    requestTurnAlert: promisePlaceholder<TurnAlert, { id: string; phone: string }>('requestTurnAlert'),
    cancelTurnAlert: promisePlaceholder<TurnAlert, { id: string }>('cancelTurnAlert'),
  },
  guards: {
    transient: (_, params: { error: unknown }) => isTransient(params.error),
    ended: ({ context }) => ENDED.includes(context.ticket?.status ?? ''),
    waiting: ({ context }) => context.ticket?.status === 'waiting',
    called: ({ context }) => context.ticket?.status === 'called',
    mine: (_, params: { mine: boolean }) => params.mine,
    textArmed: ({ context }) => context.turnAlert?.state === 'armed',
  },
  delays: {
    retryDelay: ({ context }) => retryDelayMs(context.retries),
    coalesce: COALESCE_MS,
    refresh: REFRESH_MS,
  },
  actions: {
    setLang: assign((_, params: { lang: Lang }) => ({ lang: params.lang })),
    // Chime, vibrate and notify when the ticket is called (main.tsx); tests provide a spy.
    alertCalled: () => {},
    storeAlerts: assign((_, params: { alerts: AlertsEnabled }) => ({ alerts: params.alerts })),
    storeTurnAlert: assign((_, params: { turnAlert: TurnAlert }) => ({
      turnAlert: params.turnAlert,
      smsProblem: null,
    })),
    storeSmsProblem: assign((_, params: { error: unknown }) => ({ smsProblem: problemOf(params.error) })),
    storeTicket: assign((_, params: { ticket: TicketView }) => ({
      ticket: params.ticket,
      retries: 0,
      problem: null,
    })),
    storeSnapshot: assign(
      (
        _,
        params: { hallName: Text; timeZone: string; services: ServiceView[]; counters: CounterView[] },
      ) => ({
        hallName: params.hallName,
        timeZone: params.timeZone,
        services: params.services,
        counters: params.counters,
      }),
    ),
    storeCounter: assign(({ context }, params: { counter: CounterView }) => ({
      counters: context.counters.some((c) => c.id === params.counter.id)
        ? context.counters.map((c) => (c.id === params.counter.id ? params.counter : c))
        : [...context.counters, params.counter],
    })),
    storeConnection: assign((_, params: { state: ConnectionState }) => ({ connection: params.state })),
    storeProblem: assign((_, params: { error: unknown }) => ({ problem: problemOf(params.error) })),
    countRetry: assign({ retries: ({ context }) => context.retries + 1 }),
  },
}).createMachine({
  id: 'track',
  context: ({ input }) => ({
    ticketId: input.ticketId,
    lang: input.lang,
    ticket: null,
    hallName: null,
    timeZone: 'Asia/Shanghai',
    services: [],
    counters: [],
    connection: 'connecting',
    retries: 0,
    problem: null,
    alerts: null,
    turnAlert: null,
    smsProblem: null,
  }),
  on: {
    'LANG.SET': { actions: { type: 'setLang', params: ({ event }) => event } },
  },
  initial: 'loading',
  states: {
    loading: {
      invoke: {
        src: 'fetchTicket',
        input: ({ context }) => ({ id: context.ticketId }),
        onDone: {
          target: 'following',
          actions: { type: 'storeTicket', params: ({ event }) => ({ ticket: event.output }) },
        },
        onError: [
          {
            guard: { type: 'transient', params: ({ event }) => ({ error: event.error }) },
            target: 'reconnecting',
          },
          {
            target: 'notFound',
            actions: { type: 'storeProblem', params: ({ event }) => ({ error: event.error }) },
          },
        ],
      },
    },
    reconnecting: {
      after: { retryDelay: { target: 'loading', actions: 'countRetry' } },
      on: { RETRY: 'loading' },
    },
    notFound: {},
    following: {
      always: { guard: 'ended', target: 'ended' },
      invoke: { src: 'watchHall', input: ({ context }) => ({ number: context.ticket?.number ?? '' }) },
      on: {
        'HALL.SNAPSHOT': { actions: { type: 'storeSnapshot', params: ({ event }) => event } },
        'HALL.COUNTER': { actions: { type: 'storeCounter', params: ({ event }) => event } },
        'HALL.CONNECTION': { actions: { type: 'storeConnection', params: ({ event }) => event } },
      },
      type: 'parallel',
      states: {
        sync: {
          initial: 'quiet',
          states: {
            quiet: {
              on: {
                'HALL.CHANGED': [
                  { guard: { type: 'mine', params: ({ event }) => event }, target: 'refreshing' },
                  { target: 'coalescing' },
                ],
              },
              after: { refresh: 'refreshing' },
            },
            // Further events while coalescing are covered by the coming request.
            coalescing: {
              on: {
                'HALL.CHANGED': {
                  guard: { type: 'mine', params: ({ event }) => event },
                  target: 'refreshing',
                },
              },
              after: { coalesce: 'refreshing' },
            },
            refreshing: {
              invoke: {
                src: 'fetchTicket',
                input: ({ context }) => ({ id: context.ticketId }),
                onDone: {
                  target: 'quiet',
                  actions: [
                    { type: 'storeTicket', params: ({ event }) => ({ ticket: event.output }) },
                    raise({ type: 'REFRESHED' }),
                  ],
                },
                // The stream's reconnect or the next event will bring a new try; the last answer stays.
                onError: 'quiet',
              },
            },
          },
        },
        // Entered whenever the ticket becomes called, including when the page opens on a called ticket.
        call: {
          initial: 'notCalled',
          states: {
            notCalled: { always: { guard: 'called', target: 'called' } },
            called: { entry: 'alertCalled', always: { guard: not('called'), target: 'notCalled' } },
          },
        },
        alerts: {
          initial: 'off',
          states: {
            off: { on: { 'ALERTS.ENABLE': 'enabling' } },
            enabling: {
              invoke: {
                src: 'enableAlerts',
                onDone: {
                  target: 'on',
                  actions: { type: 'storeAlerts', params: ({ event }) => ({ alerts: event.output }) },
                },
                onError: 'off',
              },
            },
            on: {},
          },
        },
        // The text when the turn is near: its state is read at the start and after each answer while
        // armed (the server sends it when the queue moves).
        text: {
          initial: 'checking',
          states: {
            checking: {
              invoke: {
                src: 'fetchTurnAlert',
                input: ({ context }) => ({ id: context.ticketId }),
                onDone: {
                  target: 'shown',
                  actions: { type: 'storeTurnAlert', params: ({ event }) => ({ turnAlert: event.output }) },
                },
                onError: 'shown',
              },
            },
            shown: {
              on: {
                'SMS.REQUEST': 'requesting',
                'SMS.CANCEL': 'withdrawing',
                REFRESHED: { guard: 'textArmed', target: 'checking' },
              },
            },
            requesting: {
              invoke: {
                src: 'requestTurnAlert',
                input: ({ context, event }) => ({
                  id: context.ticketId,
                  phone: event.type === 'SMS.REQUEST' ? event.phone : '',
                }),
                onDone: {
                  target: 'shown',
                  actions: { type: 'storeTurnAlert', params: ({ event }) => ({ turnAlert: event.output }) },
                },
                onError: {
                  target: 'shown',
                  actions: { type: 'storeSmsProblem', params: ({ event }) => ({ error: event.error }) },
                },
              },
            },
            withdrawing: {
              invoke: {
                src: 'cancelTurnAlert',
                input: ({ context }) => ({ id: context.ticketId }),
                onDone: {
                  target: 'shown',
                  actions: { type: 'storeTurnAlert', params: ({ event }) => ({ turnAlert: event.output }) },
                },
                onError: {
                  target: 'shown',
                  actions: { type: 'storeSmsProblem', params: ({ event }) => ({ error: event.error }) },
                },
              },
            },
          },
        },
        cancel: {
          initial: 'closed',
          states: {
            closed: { on: { 'CANCEL.ASK': { guard: 'waiting', target: 'confirming' } } },
            // Cancelling gives the place away: it needs a second, explicit tap.
            confirming: { on: { 'CANCEL.CONFIRM': 'cancelling', 'CANCEL.KEEP': 'closed' } },
            cancelling: {
              invoke: {
                src: 'cancelTicket',
                input: ({ context }) => ({ id: context.ticketId }),
                onDone: {
                  target: 'closed',
                  actions: { type: 'storeTicket', params: ({ event }) => ({ ticket: event.output }) },
                },
                onError: {
                  target: 'closed',
                  actions: { type: 'storeProblem', params: ({ event }) => ({ error: event.error }) },
                },
              },
            },
          },
        },
      },
    },
    ended: {},
  },
});
