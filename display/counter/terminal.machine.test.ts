import { describe, expect, it, vi } from 'vitest';
import { createActor, fromCallback, fromPromise, SimulatedClock, waitFor } from 'xstate';
import type { CounterDetail, CounterView } from '../../server/contract/api.ts';
import { ApiError } from '../../server/contract/client.ts';
import type { HallEvent } from '../../server/contract/events.ts';
import { counter } from '../common/test-data.ts';
import type { Command } from './commands.ts';
import { type Credentials, type Session, type TerminalEvent, terminalMachine } from './terminal.machine.ts';
import { detail, hallInfo, ticket } from './test-data.ts';

const staff = { id: 'u1', name: '张丽', role: 'staff' as const };
const unauthorized = () => new ApiError(401, 'unauthenticated', 'sign in first');

/** A terminal wired to fakes; `server` lets a test change what the fake server answers. */
function terminal(options: { counterId?: string | null; signedIn?: boolean | Error } = {}) {
  const server = {
    detail: detail(),
    counters: [counter('1', ['general']), counter('2', ['general'])] as CounterView[],
    commandError: null as Error | null,
    callAnswersNothing: false,
  };
  const remembered: (string | null)[] = [];
  let streamSend: ((event: TerminalEvent) => void) | null = null;
  const loadDetail = vi.fn(async ({ input }: { input: { counterId: string } }): Promise<CounterDetail> => {
    if (input.counterId !== server.detail.counter.id) throw new ApiError(404, 'not-found', 'no such counter');
    return server.detail;
  });
  const runCommand = vi.fn(async ({ input }: { input: { counterId: string; command: Command } }) => {
    if (server.commandError) throw server.commandError;
    return {
      detail: server.detail,
      notice: input.command.type === 'call' && server.callAnswersNothing ? ('nobody-waiting' as const) : null,
    };
  });
  const signIn = vi.fn(async ({ input }: { input: Credentials }): Promise<Session> => {
    if (input.password !== 'demo-staff')
      throw new ApiError(401, 'bad-credentials', 'wrong username or password');
    return { user: staff, hall: hallInfo };
  });
  const restoreSession = vi.fn(async (): Promise<Session> => {
    const signedIn = options.signedIn ?? true;
    if (signedIn instanceof Error) throw signedIn;
    if (!signedIn) throw unauthorized();
    return { user: staff, hall: hallInfo };
  });
  const clock = new SimulatedClock();
  const machine = terminalMachine.provide({
    actors: {
      restoreSession: fromPromise(restoreSession),
      signIn: fromPromise(signIn),
      signOut: fromPromise(async () => {}),
      loadCounters: fromPromise(async () => server.counters),
      loadDetail: fromPromise(loadDetail),
      runCommand: fromPromise(runCommand),
      hallStream: fromCallback(({ sendBack }) => {
        streamSend = sendBack;
        return () => {
          streamSend = null;
        };
      }),
    },
    actions: {
      rememberCounter: (_, params) => {
        remembered.push(params.counterId);
      },
    },
  });
  const actor = createActor(machine, { input: { counterId: options.counterId ?? null }, clock });
  actor.start();
  return {
    actor,
    server,
    clock,
    remembered,
    restoreSession,
    loadDetail,
    runCommand,
    signIn,
    /** The hall stream delivering an event, as openHallStream would. */
    hall: (event: HallEvent) => streamSend?.({ type: 'HALL', event }),
    streamOpen: () => streamSend !== null,
    is: (state: string) => actor.getSnapshot().matches(state as never),
    until: (state: string) => waitFor(actor, (s) => s.matches(state as never)),
  };
}

function issued(id: number, serviceId: string): HallEvent {
  return {
    id,
    type: 'ticket.issued',
    at: '2026-11-25T09:20:00Z',
    data: { ticket: { number: 'A020', serviceId, tier: 'regular', counterId: null }, services: [] },
  };
}

describe('counter terminal machine', () => {
  it('resumes a reload at the remembered counter when the session is still valid', async () => {
    const t = terminal({ counterId: '1' });
    await t.until('signedIn.working.ready');
    expect(t.actor.getSnapshot().context.detail?.counter.id).toBe('1');
    expect(t.actor.getSnapshot().context.user?.name).toBe('张丽');
    expect(t.streamOpen()).toBe(true);
  });

  it('asks for a sign-in when there is no session, and says so when the password is wrong', async () => {
    const t = terminal({ signedIn: false });
    await t.until('signedOut');
    expect(t.actor.getSnapshot().context.problem).toBeNull();

    t.actor.send({ type: 'SIGN_IN', username: 'staff1', password: 'nope' });
    await t.until('signedOut');
    await waitFor(t.actor, (s) => s.context.problem !== null);
    expect(t.actor.getSnapshot().context.problem?.kind).toBe('credentials');

    t.actor.send({ type: 'SIGN_IN', username: 'staff1', password: 'demo-staff' });
    await waitFor(t.actor, (s) => s.context.counters.length === 2);
    expect(t.is('signedIn.choosing')).toBe(true);
    expect(t.actor.getSnapshot().context.problem).toBeNull();
    expect(t.signIn).toHaveBeenLastCalledWith(
      expect.objectContaining({ input: { username: 'staff1', password: 'demo-staff' } }),
    );
  });

  it('remembers the chosen counter and loads it', async () => {
    const t = terminal();
    await t.until('signedIn.choosing');
    t.actor.send({ type: 'CHOOSE', counterId: '1' });
    await waitFor(t.actor, (s) => s.context.detail !== null);
    expect(t.remembered).toEqual(['1']);
    expect(t.loadDetail).toHaveBeenCalledWith(expect.objectContaining({ input: { counterId: '1' } }));
  });

  it('runs a command at its counter and shows the counter as the server answers it', async () => {
    const t = terminal({ counterId: '1' });
    await waitFor(t.actor, (s) => s.context.detail !== null);
    t.server.detail = detail({ ticket: ticket() });
    t.actor.send({ type: 'COMMAND', command: { type: 'call' } });
    await waitFor(t.actor, (s) => s.context.detail?.ticket?.number === 'A012');
    expect(t.runCommand).toHaveBeenCalledWith(
      expect.objectContaining({ input: { counterId: '1', command: { type: 'call' } } }),
    );
    expect(t.is('signedIn.working.ready')).toBe(true);
  });

  it('says so when a call finds nobody to serve', async () => {
    const t = terminal({ counterId: '1' });
    await t.until('signedIn.working.ready');
    t.server.callAnswersNothing = true;
    t.actor.send({ type: 'COMMAND', command: { type: 'call' } });
    await waitFor(t.actor, (s) => s.context.notice === 'nobody-waiting');
  });

  it('shows a conflict clearly and then what is true now', async () => {
    const t = terminal({ counterId: '1' });
    await t.until('signedIn.working.ready');
    t.server.commandError = new ApiError(409, 'illegal-transition', 'A012 is already being served');
    t.server.detail = detail({ ticket: ticket({ status: 'serving' }) });
    t.actor.send({ type: 'COMMAND', command: { type: 'start' } });
    await waitFor(t.actor, (s) => s.context.detail?.ticket?.status === 'serving');
    expect(t.actor.getSnapshot().context.problem).toEqual({
      kind: 'conflict',
      message: 'A012 is already being served',
    });
    expect(t.loadDetail).toHaveBeenCalledTimes(2);

    t.actor.send({ type: 'DISMISS' });
    expect(t.actor.getSnapshot().context.problem).toBeNull();
  });

  it('fetches the counter again when the hall changes for it, and not for other counters', async () => {
    const t = terminal({ counterId: '1' });
    await t.until('signedIn.working.ready');
    expect(t.loadDetail).toHaveBeenCalledTimes(1);

    t.hall(issued(1, 'broadband')); // a service counter 1 does not serve
    t.hall({
      id: 2,
      type: 'counter.updated',
      at: '2026-11-25T09:20:00Z',
      data: { counter: counter('2', ['general']) },
    });
    expect(t.is('signedIn.working.ready')).toBe(true);

    // The keypad of counter 1 calls: the terminal follows.
    t.server.detail = detail({ ticket: ticket({ number: 'A013' }) });
    t.hall({
      id: 3,
      type: 'counter.updated',
      at: '2026-11-25T09:20:00Z',
      data: { counter: counter('1', ['general'], { status: 'serving', currentTicket: 'A013' }) },
    });
    await waitFor(t.actor, (s) => s.context.detail?.ticket?.number === 'A013');
    expect(t.loadDetail).toHaveBeenCalledTimes(2);
  });

  it('coalesces a burst of events into one more fetch', async () => {
    const t = terminal({ counterId: '1' });
    await t.until('signedIn.working.ready');
    for (let id = 1; id <= 5; id += 1) t.hall(issued(id, 'general'));
    await t.until('signedIn.working.ready');
    await waitFor(t.actor, (s) => s.matches({ signedIn: { working: 'ready' } }) && !s.context.stale);
    expect(t.loadDetail.mock.calls.length).toBeLessThanOrEqual(3);
    expect(t.loadDetail.mock.calls.length).toBeGreaterThanOrEqual(2);
  });

  it('fetches again after the stream reconnects', async () => {
    const t = terminal({ counterId: '1' });
    await t.until('signedIn.working.ready');
    t.actor.send({ type: 'HALL_SNAPSHOT' });
    await waitFor(t.actor, () => t.loadDetail.mock.calls.length === 2);
  });

  it('keeps the rating of the ticket finished at this counter, from the terminal or a rating pad', async () => {
    const t = terminal({ counterId: '1' });
    await t.until('signedIn.working.ready');
    t.hall({
      id: 9,
      type: 'ticket.finished',
      at: '2026-11-25T09:30:00Z',
      data: {
        ticket: { number: 'A012', serviceId: 'general', tier: 'regular', counterId: '1' },
        services: [],
        rating: 5,
      },
    });
    expect(t.actor.getSnapshot().context.lastFinished).toEqual({ number: 'A012', rating: 5 });
  });

  it('reports the connection of the hall stream', async () => {
    const t = terminal({ counterId: '1' });
    await t.until('signedIn.working.ready');
    t.actor.send({ type: 'CONNECTION', state: 'lost' });
    expect(t.actor.getSnapshot().context.connection).toBe('lost');
  });

  it('goes back to the sign-in when the server no longer knows the session', async () => {
    const t = terminal({ counterId: '1' });
    await t.until('signedIn.working.ready');
    t.server.commandError = unauthorized();
    t.actor.send({ type: 'COMMAND', command: { type: 'recall' } });
    await t.until('signedOut');
    expect(t.actor.getSnapshot().context.problem?.kind).toBe('session');
    expect(t.streamOpen()).toBe(false);
  });

  it('goes back to choosing when the remembered counter no longer exists', async () => {
    const t = terminal({ counterId: '9' });
    await t.until('signedIn.choosing');
    expect(t.actor.getSnapshot().context.problem?.kind).toBe('not-found');
    expect(t.remembered).toEqual([null]);
  });

  it('lets the person change counters, forgetting the old one', async () => {
    const t = terminal({ counterId: '1' });
    await t.until('signedIn.working.ready');
    t.actor.send({ type: 'CHANGE_COUNTER' });
    expect(t.is('signedIn.choosing')).toBe(true);
    expect(t.remembered).toEqual([null]);
    expect(t.streamOpen()).toBe(false);
  });

  it('keeps the counter across a sign-out, so the next person lands on it', async () => {
    const t = terminal({ counterId: '1' });
    await t.until('signedIn.working.ready');
    t.actor.send({ type: 'SIGN_OUT' });
    await t.until('signedOut');
    expect(t.actor.getSnapshot().context.user).toBeNull();
    t.actor.send({ type: 'SIGN_IN', username: 'staff2', password: 'demo-staff' });
    await t.until('signedIn.working.ready');
  });

  it('waits for an unreachable server at start-up and tries again by itself', async () => {
    const t = terminal({ signedIn: new ApiError(0, 'unreachable', 'Failed to fetch'), counterId: '1' });
    await t.until('waitingForServer');
    expect(t.actor.getSnapshot().context.problem?.kind).toBe('offline');
    expect(t.restoreSession).toHaveBeenCalledTimes(1);
    t.clock.increment(3_000);
    await waitFor(t.actor, () => t.restoreSession.mock.calls.length === 2);
  });
});
