import { describe, expect, it, vi } from 'vitest';
import { createActor, fromCallback, fromPromise, SimulatedClock } from 'xstate';
import type { TicketView } from '../../server/contract/api.ts';
import { ticketView } from '../flows/fixtures.ts';
import { refusal, settle, unreachable } from '../flows/testing.ts';
import { COALESCE_MS, REFRESH_MS, type TrackFeedEvent, trackMachine } from './track.machine.ts';

function start(
  fakes: { fetchTicket?: () => Promise<TicketView>; cancelTicket?: () => Promise<TicketView> } = {},
) {
  const clock = new SimulatedClock();
  const fetchTicket = vi.fn(fakes.fetchTicket ?? (() => Promise.resolve(ticketView())));
  const cancelTicket = vi.fn(
    fakes.cancelTicket ?? (() => Promise.resolve(ticketView({ status: 'cancelled', position: 0 }))),
  );
  const alertCalled = vi.fn();
  let feed: ((e: TrackFeedEvent) => void) | null = null;
  const watched: string[] = [];
  const actor = createActor(
    trackMachine.provide({
      actions: { alertCalled },
      actors: {
        fetchTicket: fromPromise(() => fetchTicket()),
        cancelTicket: fromPromise(() => cancelTicket()),
        watchHall: fromCallback(({ sendBack, input }) => {
          watched.push(input.number);
          feed = sendBack;
          return () => {
            feed = null;
          };
        }),
      },
    }),
    { input: { ticketId: 'tkt-1', lang: 'zh' }, clock },
  );
  actor.start();
  const send = (e: TrackFeedEvent) => feed?.(e);
  return {
    actor,
    clock,
    fetchTicket,
    cancelTicket,
    alertCalled,
    send,
    watched,
    streaming: () => feed !== null,
  };
}

type Started = ReturnType<typeof start>;
const state = (t: Started) => t.actor.getSnapshot();

describe('track machine', () => {
  it('loads the ticket, then follows the hall stream for its number', async () => {
    const t = start();
    expect(state(t).value).toBe('loading');
    await settle();
    expect(state(t).matches('following')).toBe(true);
    expect(state(t).context.ticket?.number).toBe('A012');
    expect(t.watched).toEqual(['A012']);
  });

  it('says so when the ticket does not exist', async () => {
    const t = start({ fetchTicket: () => Promise.reject(refusal(404, 'not-found')) });
    await settle();
    expect(state(t).value).toBe('notFound');
  });

  it('retries with backoff while the server cannot be reached', async () => {
    let calls = 0;
    const t = start({
      fetchTicket: () => (++calls < 3 ? Promise.reject(unreachable()) : Promise.resolve(ticketView())),
    });
    await settle();
    expect(state(t).value).toBe('reconnecting');
    t.clock.increment(1_000);
    await settle();
    expect(state(t).value).toBe('reconnecting');
    t.clock.increment(2_000);
    await settle();
    expect(state(t).matches('following')).toBe(true);
  });

  it('coalesces a burst of hall events into one refetch a second later', async () => {
    const t = start();
    await settle();
    for (let i = 0; i < 5; i++) t.send({ type: 'HALL.CHANGED', mine: false });
    t.clock.increment(COALESCE_MS - 1);
    await settle();
    expect(t.fetchTicket).toHaveBeenCalledTimes(1);
    t.clock.increment(1);
    await settle();
    expect(t.fetchTicket).toHaveBeenCalledTimes(2);
  });

  it('refetches at once when the event is about its own number, and alerts once when called', async () => {
    const answers = [ticketView(), ticketView({ status: 'called', position: 0, counterId: '3' })];
    const t = start({
      fetchTicket: () =>
        Promise.resolve(answers.shift() ?? ticketView({ status: 'called', position: 0, counterId: '3' })),
    });
    await settle();
    expect(t.alertCalled).not.toHaveBeenCalled();
    t.send({ type: 'HALL.CHANGED', mine: true });
    await settle();
    expect(state(t).context.ticket?.status).toBe('called');
    expect(t.alertCalled).toHaveBeenCalledOnce();
    t.send({ type: 'HALL.CHANGED', mine: true });
    await settle();
    expect(t.alertCalled).toHaveBeenCalledOnce();
  });

  it('refreshes every minute without events, as the ETA moves with time', async () => {
    const t = start();
    await settle();
    t.clock.increment(REFRESH_MS);
    await settle();
    expect(t.fetchTicket).toHaveBeenCalledTimes(2);
  });

  it('keeps the last answer when a refetch fails', async () => {
    let calls = 0;
    const t = start({
      fetchTicket: () => (++calls === 1 ? Promise.resolve(ticketView()) : Promise.reject(unreachable())),
    });
    await settle();
    t.send({ type: 'HALL.CHANGED', mine: true });
    await settle();
    expect(state(t).matches({ following: { sync: 'quiet' } })).toBe(true);
    expect(state(t).context.ticket?.number).toBe('A012');
  });

  it('keeps the counters and the connection state from the stream', async () => {
    const t = start();
    await settle();
    const counter = {
      id: '3',
      name: '3号窗口',
      status: 'open' as const,
      currentTicket: null,
      currentSince: null,
      serviceIds: [],
      pauseReason: null,
      staffName: null,
    };
    t.send({
      type: 'HALL.SNAPSHOT',
      hallName: { zh: '厅', en: 'Hall' },
      timeZone: 'Asia/Shanghai',
      services: [],
      counters: [counter],
    });
    t.send({ type: 'HALL.COUNTER', counter: { ...counter, status: 'serving', currentTicket: 'A011' } });
    t.send({ type: 'HALL.CONNECTION', state: 'lost' });
    expect(state(t).context.counters).toEqual([{ ...counter, status: 'serving', currentTicket: 'A011' }]);
    expect(state(t).context.connection).toBe('lost');
  });

  it('cancels only after a confirmation, then stops following', async () => {
    const t = start();
    await settle();
    t.actor.send({ type: 'CANCEL.ASK' });
    expect(state(t).matches({ following: { cancel: 'confirming' } })).toBe(true);
    t.actor.send({ type: 'CANCEL.KEEP' });
    expect(state(t).matches({ following: { cancel: 'closed' } })).toBe(true);
    expect(t.cancelTicket).not.toHaveBeenCalled();
    t.actor.send({ type: 'CANCEL.ASK' });
    t.actor.send({ type: 'CANCEL.CONFIRM' });
    await settle();
    expect(t.cancelTicket).toHaveBeenCalledOnce();
    expect(state(t).value).toBe('ended');
    expect(state(t).context.ticket?.status).toBe('cancelled');
    expect(t.streaming()).toBe(false);
  });

  it('offers no cancel once the ticket is called', async () => {
    const t = start({ fetchTicket: () => Promise.resolve(ticketView({ status: 'called', position: 0 })) });
    await settle();
    t.actor.send({ type: 'CANCEL.ASK' });
    expect(state(t).matches({ following: { cancel: 'closed' } })).toBe(true);
  });

  it('explains a refused cancel and keeps following', async () => {
    const t = start({ cancelTicket: () => Promise.reject(refusal(409, 'illegal-transition')) });
    await settle();
    t.actor.send({ type: 'CANCEL.ASK' });
    t.actor.send({ type: 'CANCEL.CONFIRM' });
    await settle();
    expect(state(t).context.problem).toBe('illegal-transition');
    expect(state(t).matches('following')).toBe(true);
  });

  it.each(['done', 'no-show'] as const)('stops following a ticket that is %s', async (status) => {
    const t = start({ fetchTicket: () => Promise.resolve(ticketView({ status, position: 0 })) });
    await settle();
    expect(state(t).value).toBe('ended');
    expect(t.streaming()).toBe(false);
  });

  it('switches language', () => {
    const t = start();
    t.actor.send({ type: 'LANG.SET', lang: 'en' });
    expect(state(t).context.lang).toBe('en');
  });

  it('retries at once when asked while reconnecting', async () => {
    let calls = 0;
    const t = start({
      fetchTicket: () => (++calls === 1 ? Promise.reject(unreachable()) : Promise.resolve(ticketView())),
    });
    await settle();
    t.actor.send({ type: 'RETRY' });
    await settle();
    expect(state(t).matches('following')).toBe(true);
  });
});
