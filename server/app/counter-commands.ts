/**
 * The commands at a counter, by the person seated there (or a manager): opening, pausing, resuming and
 * closing it, and moving its ticket along: call the next, recall, start, no-show, finish, transfer.
 */
import type {
  CallNotice,
  CallReason,
  CounterView,
  PauseReason,
  RatingInput,
  TicketView,
} from '../contract/api.ts';
import type { CounterRepository, CounterRow } from '../db/counters.ts';
import type { TicketRepository, TicketRow } from '../db/tickets.ts';
import { type Clock, MINUTE } from '../domain/clock.ts';
import { chooseNext } from '../domain/routing.ts';
import { type CommandPath, type Outcome, refuse, type Tx } from './command-path.ts';
import type { ConfigMaps } from './hall-config.ts';
import type { LiveEta } from './hall-eta.ts';
import { type HallViews, publicTicket } from './hall-views.ts';
import type { Actor, QueueMoves } from './queue-moves.ts';
import type { RecentServiceTimes } from './service-times.ts';
import { ratingColumns } from './ticket-commands.ts';

export type CounterCommandsDeps = {
  clock: Clock;
  setup: ConfigMaps;
  /** The hall's runner: the day's sweep first, its memory settled after (hall.ts). */
  run: CommandPath['run'];
  tickets: TicketRepository;
  counters: CounterRepository;
  moves: QueueMoves;
  views: HallViews;
  serviceTimes: RecentServiceTimes;
  liveEta: LiveEta;
};

export function createCounterCommands(deps: CounterCommandsDeps) {
  const { clock, setup, run, tickets, moves, views, liveEta } = deps;
  const { moveTicket, moveCounter, seatedCounter, currentTicket } = moves;

  function callNotice(ticket: TicketRow, counter: CounterRow, recall: boolean): CallNotice {
    return {
      number: ticket.number,
      serviceId: ticket.service_id,
      counterId: counter.id,
      counterName: counter.name,
      at: new Date(clock.now()).toISOString(),
      recall,
    };
  }

  function counterUpdated(tx: Tx, row: CounterRow, actor: Actor | null, reason?: string): void {
    tx.record(
      'counter.updated',
      { counter: views.counterView(row) },
      { counterId: row.id, staffId: actor?.id, reason },
    );
  }

  function openCounter(counterId: string, actor: Actor): Outcome<CounterView> {
    return run('open-counter', (tx) => {
      const row = moves.findCounter(counterId);
      const seatedAt = deps.counters.seatOf(actor.id);
      if (seatedAt && seatedAt !== counterId)
        refuse(409, 'already-seated', `${actor.name} is already at counter ${seatedAt}: close it first`);
      if (row.status !== 'closed' && row.staff_id === actor.id) return views.counterView(row); // opening twice is harmless
      const next = moveCounter(row, 'open', { staffId: actor.id, pauseReason: null });
      counterUpdated(tx, next, actor, 'open');
      return views.counterView(next);
    });
  }

  function pauseCounter(
    counterId: string,
    actor: Actor,
    reason: PauseReason = 'other',
  ): Outcome<CounterView> {
    return run('pause-counter', (tx) => {
      const next = moveCounter(seatedCounter(counterId, actor), 'pause', { pauseReason: reason });
      counterUpdated(tx, next, actor, reason);
      return views.counterView(next);
    });
  }

  function resumeCounter(counterId: string, actor: Actor): Outcome<CounterView> {
    return run('resume-counter', (tx) => {
      const next = moveCounter(seatedCounter(counterId, actor), 'resume', { pauseReason: null });
      counterUpdated(tx, next, actor, 'resume');
      return views.counterView(next);
    });
  }

  function closeCounter(counterId: string, actor: Actor): Outcome<CounterView> {
    return run('close-counter', (tx) => {
      const next = moveCounter(seatedCounter(counterId, actor), 'close', {
        staffId: null,
        pauseReason: null,
      });
      counterUpdated(tx, next, actor, 'close');
      return views.counterView(next);
    });
  }

  function callNext(
    counterId: string,
    actor: Actor,
  ): Outcome<{ ticket: TicketView; explanation: CallReason } | null> {
    return run('call', (tx) => {
      const row = seatedCounter(counterId, actor);
      if (row.status !== 'open') moveCounter(row, 'take-ticket'); // refuses with the counter's state
      const now = clock.now();
      const waiting = tickets.waitingFrom(setup.dayAt(now));
      const choice = chooseNext(
        setup.routingCounters.get(counterId)!,
        waiting,
        now,
        setup.config.routing,
        setup.waitTarget,
      );
      if (!choice) return null;
      const { explanation } = choice;
      const chosen = tickets.get(choice.ticket.id)!;
      const ticket = moveTicket(chosen, {
        action: 'call',
        calledAt: now,
        firstCalledAt: chosen.called_at ?? now,
        counterId,
        staffId: row.staff_id,
        reason: explanation,
      });
      for (const t of choice.passedOver) tickets.passedOver(t.id);
      const counter = moveCounter(row, 'take-ticket', { ticketId: ticket.id });
      tx.record(
        'ticket.called',
        // The explanation is kept with the call: the manager can ask later why it came when it did.
        { ticket: publicTicket(ticket), call: callNotice(ticket, counter, false), explanation },
        { ticketId: ticket.id, counterId, staffId: actor.id, reason: explanation.en },
      );
      counterUpdated(tx, counter, actor);
      return { ticket: views.ticketView(ticket), explanation };
    });
  }

  function recall(counterId: string, actor: Actor): Outcome<TicketView> {
    return run('recall', (tx) => {
      const row = seatedCounter(counterId, actor);
      const ticket = moveTicket(currentTicket(row), { action: 'recall', calledAt: clock.now() });
      tx.record(
        'ticket.recalled',
        { ticket: publicTicket(ticket), call: callNotice(ticket, row, true) },
        { ticketId: ticket.id, counterId, staffId: actor.id },
      );
      return views.ticketView(ticket);
    });
  }

  function start(counterId: string, actor: Actor): Outcome<TicketView> {
    return run('start', (tx) => {
      const row = seatedCounter(counterId, actor);
      const ticket = moveTicket(currentTicket(row), { action: 'start', servingAt: clock.now() });
      tx.record(
        'ticket.serving',
        { ticket: publicTicket(ticket) },
        { ticketId: ticket.id, counterId, staffId: actor.id },
      );
      return views.ticketView(ticket);
    });
  }

  function noShow(counterId: string, actor: Actor): Outcome<TicketView> {
    return run('no-show', (tx) => {
      const row = seatedCounter(counterId, actor);
      const ticket = moveTicket(currentTicket(row), { action: 'no-show', finishedAt: clock.now() });
      const counter = moveCounter(row, 'release-ticket', { ticketId: null });
      // The counter was busy with the call all the same; the holder had gone.
      if (ticket.called_at !== null) liveEta.served(ticket.service_id, ticket.called_at, clock.now());
      liveEta.waited(((ticket.first_called_at ?? clock.now()) - ticket.issued_at) / MINUTE, true);
      tx.record(
        'ticket.no-show',
        { ticket: publicTicket(ticket) },
        { ticketId: ticket.id, counterId, staffId: actor.id },
      );
      counterUpdated(tx, counter, actor);
      return views.ticketView(ticket);
    });
  }

  function finish(counterId: string, actor: Actor, rating?: RatingInput): Outcome<TicketView> {
    return run('finish', (tx) => {
      const row = seatedCounter(counterId, actor);
      const now = clock.now();
      const current = currentTicket(row);
      const { score, dimensions } =
        rating === undefined ? { score: null, dimensions: null } : ratingColumns(rating);
      const ticket = moveTicket(current, {
        action: 'finish',
        finishedAt: now,
        // Finishing straight from `called` counts serving from the call.
        servingAt: current.serving_at ?? current.called_at,
        rating: score,
        ratingDimensions: dimensions,
      });
      const counter = moveCounter(row, 'release-ticket', { ticketId: null });
      deps.serviceTimes.add(ticket.service_id, (now - (ticket.serving_at ?? now)) / MINUTE);
      if (ticket.serving_at !== null) liveEta.served(ticket.service_id, ticket.serving_at, now);
      liveEta.waited(((ticket.first_called_at ?? now) - ticket.issued_at) / MINUTE, false);
      tx.record(
        'ticket.finished',
        { ticket: publicTicket(ticket), rating: score },
        { ticketId: ticket.id, counterId, staffId: actor.id },
      );
      counterUpdated(tx, counter, actor);
      return views.ticketView(ticket);
    });
  }

  function transfer(counterId: string, actor: Actor, serviceId: string, front = false): Outcome<TicketView> {
    return run('transfer', (tx) => {
      const row = seatedCounter(counterId, actor);
      const current = currentTicket(row);
      if (!setup.services.has(serviceId)) refuse(404, 'service-not-found', `no service ${serviceId}`);
      if (serviceId === current.service_id && !front)
        refuse(409, 'same-service', `${current.number} already waits for ${serviceId}`);
      const ticket = moveTicket(current, { action: 'transfer', serviceId, queuedAt: clock.now(), front });
      const counter = moveCounter(row, 'release-ticket', { ticketId: null });
      tx.record(
        'ticket.transferred',
        { ticket: publicTicket(ticket), fromServiceId: current.service_id },
        { ticketId: ticket.id, counterId, staffId: actor.id, reason: front ? 'front' : undefined },
      );
      counterUpdated(tx, counter, actor);
      return views.ticketView(ticket, tx);
    });
  }

  return {
    openCounter,
    pauseCounter,
    resumeCounter,
    closeCounter,
    callNext,
    recall,
    start,
    noShow,
    finish,
    transfer,
  };
}
