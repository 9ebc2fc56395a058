/**
 * The counter terminal: sign in, choose the counter, then work it — every action goes to the server and
 * the screen shows what the server answers. The hall's events (this counter's keypad, a second terminal,
 * new tickets) make it fetch the counter again, so every terminal of one counter stays in step.
 *
 * Side effects are placeholders filled with `.provide()`: main.tsx gives the real API and storage,
 * the tests give fakes.
 */
import { assign, fromCallback, fromPromise, setup } from 'xstate';
import type { CounterDetail, CounterView, HallInfo, User } from '../../server/contract/api.ts';
import { ApiError, type ConnectionState } from '../../server/contract/client.ts';
import type { HallEvent } from '../../server/contract/events.ts';
import type { Command } from './commands.ts';

export type Session = { user: User; hall: HallInfo };
export type Credentials = { username: string; password: string };

/** Something that went wrong, sorted by what the person at the counter should do about it. */
export type Problem = {
  kind:
    | 'credentials'
    | 'rate-limited'
    | 'conflict'
    | 'forbidden'
    | 'not-found'
    | 'session'
    | 'offline'
    | 'other';
  /** The server's own message, shown as a detail. */
  message: string;
};

/** A result worth telling that is not an error. */
export type Notice = 'nobody-waiting';

export type CommandResult = { detail: CounterDetail; notice: Notice | null };

export type TerminalContext = {
  user: User | null;
  hall: HallInfo | null;
  counters: CounterView[];
  /** The terminal's counter: kept across reloads and sign-outs (a terminal stands at one counter). */
  counterId: string | null;
  detail: CounterDetail | null;
  problem: Problem | null;
  notice: Notice | null;
  lastFinished: { number: string; rating: number | null } | null;
  connection: ConnectionState;
  /** The hall changed since the counter was last fetched. */
  stale: boolean;
};

export type TerminalEvent =
  | { type: 'SIGN_IN'; username: string; password: string }
  | { type: 'SIGN_OUT' }
  | { type: 'CHOOSE'; counterId: string }
  | { type: 'CHANGE_COUNTER' }
  | { type: 'COMMAND'; command: Command }
  | { type: 'DISMISS' }
  | { type: 'RETRY' }
  | { type: 'HALL'; event: HallEvent }
  | { type: 'HALL_SNAPSHOT' }
  | { type: 'CONNECTION'; state: ConnectionState };

export function problemOf(error: unknown): Problem {
  if (!(error instanceof ApiError)) {
    return { kind: 'other', message: error instanceof Error ? error.message : String(error) };
  }
  const kind: Problem['kind'] = error.unreachable
    ? 'offline'
    : error.status === 401
      ? 'session'
      : error.status === 403
        ? 'forbidden'
        : error.status === 404
          ? 'not-found'
          : error.status === 409
            ? 'conflict'
            : error.status === 429
              ? 'rate-limited'
              : 'other';
  return { kind, message: error.message };
}

const status = (error: unknown) => (error instanceof ApiError ? error.status : -1);

/** Does this event change what the counter's screen shows? */
export function concernsCounter(event: HallEvent, counterId: string, detail: CounterDetail | null): boolean {
  if (event.type === 'counter.updated') return event.data.counter.id === counterId;
  // The manager changed services or counters: this counter's may be among them.
  if (event.type === 'hall.configured') return true;
  // Device and kiosk events, and a failed print, change nothing a counter shows.
  if (!('services' in event.data)) return false;
  if (!detail) return true;
  const services = detail.counter.serviceIds;
  const { ticket } = event.data;
  return (
    ticket.counterId === counterId ||
    services.includes(ticket.serviceId) ||
    (event.type === 'ticket.transferred' && services.includes(event.data.fromServiceId))
  );
}

const notProvided = (name: string) => () => {
  throw new Error(`terminal machine: ${name} was not provided`);
};

export const terminalMachine = setup({
  types: {
    context: {} as TerminalContext,
    events: {} as TerminalEvent,
    input: {} as { counterId: string | null },
  },
  actors: {
    restoreSession: fromPromise<Session>(notProvided('restoreSession')),
    signIn: fromPromise<Session, Credentials>(notProvided('signIn')),
    signOut: fromPromise<void>(notProvided('signOut')),
    loadCounters: fromPromise<CounterView[]>(notProvided('loadCounters')),
    loadDetail: fromPromise<CounterDetail, { counterId: string }>(notProvided('loadDetail')),
    runCommand: fromPromise<CommandResult, { counterId: string; command: Command }>(
      notProvided('runCommand'),
    ),
    /** Sends HALL, HALL_SNAPSHOT and CONNECTION events until stopped. */
    hallStream: fromCallback<TerminalEvent>(notProvided('hallStream')),
  },
  actions: {
    /** Persist the terminal's counter (localStorage in the browser). */
    rememberCounter: (_, _params: { counterId: string | null }) => {},
    setProblem: assign({ problem: (_, params: { error: unknown }) => problemOf(params.error) }),
    clearMessages: assign({ problem: null, notice: null }),
  },
  guards: {
    hasCounter: ({ context }) => context.counterId !== null,
    isStale: ({ context }) => context.stale,
    unreachable: (_, params: { error: unknown }) => status(params.error) === 0,
    signedOutByServer: (_, params: { error: unknown }) => status(params.error) === 401,
    counterGone: (_, params: { error: unknown }) =>
      status(params.error) === 403 || status(params.error) === 404,
  },
}).createMachine({
  id: 'terminal',
  context: ({ input }) => ({
    user: null,
    hall: null,
    counters: [],
    counterId: input.counterId,
    detail: null,
    problem: null,
    notice: null,
    lastFinished: null,
    connection: 'connecting',
    stale: false,
  }),
  initial: 'restoring',
  states: {
    restoring: {
      invoke: {
        src: 'restoreSession',
        onDone: {
          target: 'signedIn',
          actions: assign({ user: ({ event }) => event.output.user, hall: ({ event }) => event.output.hall }),
        },
        onError: [
          {
            guard: { type: 'unreachable', params: ({ event }) => ({ error: event.error }) },
            target: 'waitingForServer',
            actions: { type: 'setProblem', params: ({ event }) => ({ error: event.error }) },
          },
          { target: 'signedOut' },
        ],
      },
    },
    /** The server could not be reached at start-up (restarting, network down): try again by itself. */
    waitingForServer: {
      after: { 3000: 'restoring' },
      on: { RETRY: 'restoring' },
    },
    signedOut: {
      entry: assign({ user: null, detail: null, counters: [], lastFinished: null }),
      on: { SIGN_IN: 'signingIn', DISMISS: { actions: 'clearMessages' } },
    },
    signingIn: {
      entry: 'clearMessages',
      invoke: {
        src: 'signIn',
        input: ({ event }) => {
          const { username, password } = event as Extract<TerminalEvent, { type: 'SIGN_IN' }>;
          return { username, password };
        },
        onDone: {
          target: 'signedIn',
          actions: assign({ user: ({ event }) => event.output.user, hall: ({ event }) => event.output.hall }),
        },
        onError: {
          target: 'signedOut',
          actions: assign({
            problem: ({ event }) => {
              const problem = problemOf(event.error);
              // On the sign-in form a 401 means a wrong name or password, not an expired session.
              return problem.kind === 'session' ? { ...problem, kind: 'credentials' } : problem;
            },
          }),
        },
      },
    },
    signedIn: {
      initial: 'deciding',
      on: {
        SIGN_OUT: '.signingOut',
        DISMISS: { actions: 'clearMessages' },
      },
      states: {
        deciding: {
          always: [{ guard: 'hasCounter', target: 'working' }, { target: 'choosing' }],
        },
        choosing: {
          invoke: {
            src: 'loadCounters',
            onDone: { actions: assign({ counters: ({ event }) => event.output }) },
            onError: { actions: { type: 'setProblem', params: ({ event }) => ({ error: event.error }) } },
          },
          on: {
            CHOOSE: {
              target: 'working',
              actions: [
                assign({
                  counterId: ({ event }) => event.counterId,
                  detail: null,
                  problem: null,
                  notice: null,
                }),
                { type: 'rememberCounter', params: ({ event }) => ({ counterId: event.counterId }) },
              ],
            },
            RETRY: { target: 'choosing', reenter: true },
          },
        },
        working: {
          invoke: { src: 'hallStream' },
          initial: 'loading',
          on: {
            HALL: {
              actions: assign(({ context, event }) => {
                const mine = context.counterId!;
                const hall = event.event;
                const finishedHere =
                  hall.type === 'ticket.finished' && hall.data.ticket.counterId === mine
                    ? { number: hall.data.ticket.number, rating: hall.data.rating }
                    : context.lastFinished;
                return {
                  lastFinished: finishedHere,
                  stale: context.stale || concernsCounter(hall, mine, context.detail),
                };
              }),
            },
            // A new stream after a drop: whatever happened meanwhile is in the counter's current state.
            HALL_SNAPSHOT: { actions: assign({ stale: true }) },
            CONNECTION: { actions: assign({ connection: ({ event }) => event.state }) },
            // Also while a refresh is on its way: the command's own answer brings the counter up to date.
            COMMAND: { target: '.acting', guard: ({ context }) => context.detail !== null },
            CHANGE_COUNTER: {
              target: 'choosing',
              actions: [
                assign({ counterId: null, detail: null, problem: null, notice: null, lastFinished: null }),
                { type: 'rememberCounter', params: { counterId: null } },
              ],
            },
          },
          states: {
            loading: {
              entry: assign({ stale: false }),
              invoke: {
                src: 'loadDetail',
                input: ({ context }) => ({ counterId: context.counterId! }),
                onDone: { target: 'ready', actions: assign({ detail: ({ event }) => event.output }) },
                onError: [
                  {
                    guard: { type: 'signedOutByServer', params: ({ event }) => ({ error: event.error }) },
                    target: '#terminal.signedOut',
                    actions: { type: 'setProblem', params: ({ event }) => ({ error: event.error }) },
                  },
                  {
                    // The counter was removed from the configuration, or this person may not use it.
                    guard: { type: 'counterGone', params: ({ event }) => ({ error: event.error }) },
                    target: '#terminal.signedIn.choosing',
                    actions: [
                      { type: 'setProblem', params: ({ event }) => ({ error: event.error }) },
                      assign({ counterId: null, detail: null }),
                      { type: 'rememberCounter', params: { counterId: null } },
                    ],
                  },
                  {
                    target: 'failed',
                    actions: { type: 'setProblem', params: ({ event }) => ({ error: event.error }) },
                  },
                ],
              },
            },
            /** The counter could not be fetched (network): retry by itself, the last known state stays shown. */
            failed: {
              after: { 5000: 'loading' },
              on: { RETRY: 'loading' },
            },
            ready: {
              always: { guard: 'isStale', target: 'loading' },
            },
            acting: {
              entry: 'clearMessages',
              // One command at a time: a second key press while the first is on its way is ignored.
              on: { COMMAND: {} },
              invoke: {
                src: 'runCommand',
                input: ({ context, event }) => ({
                  counterId: context.counterId!,
                  command: (event as Extract<TerminalEvent, { type: 'COMMAND' }>).command,
                }),
                onDone: {
                  target: 'ready',
                  actions: assign({
                    detail: ({ event }) => event.output.detail,
                    notice: ({ event }) => event.output.notice,
                  }),
                },
                onError: [
                  {
                    guard: { type: 'signedOutByServer', params: ({ event }) => ({ error: event.error }) },
                    target: '#terminal.signedOut',
                    actions: { type: 'setProblem', params: ({ event }) => ({ error: event.error }) },
                  },
                  {
                    // 409 and the like: someone else acted first. Show why, then show what is true now.
                    target: 'loading',
                    actions: { type: 'setProblem', params: ({ event }) => ({ error: event.error }) },
                  },
                ],
              },
            },
          },
        },
        signingOut: {
          invoke: {
            src: 'signOut',
            onDone: '#terminal.signedOut',
            onError: '#terminal.signedOut',
          },
        },
      },
    },
  },
});
