/**
 * The hall's queue, composed: its commands (issue, call, finish…) run one at a time on the command path
 * (command-path.ts), the day's sweep before each, and the views the screens read. A side effect that
 * fails never rolls a committed ticket back; it becomes an event of its own.
 *
 * Beside the database the hall keeps in memory, and hands each part explicitly: the configuration maps
 * (hall-config.ts), the waiting counts, the recent service times, the live forecasts (hall-eta.ts) and
 * the tickets that have just joined a line (hall-views.ts). What a command's end means for them is
 * `settled`, here.
 */
import type { HallConfig } from '../config.ts';
import type { ServerEvents } from '../contract/events.ts';
import { createCounterRepository } from '../db/counters.ts';
import { createDailyNumberRepository } from '../db/daily-numbers.ts';
import { createEventRepository } from '../db/events.ts';
import { createIdempotencyKeyRepository } from '../db/idempotency-keys.ts';
import type { Db } from '../db/open.ts';
import { createServiceRepository } from '../db/services.ts';
import { createTicketRepository } from '../db/tickets.ts';
import type { Clock } from '../domain/clock.ts';
import { hallSalt } from '../integrations/privacy.ts';
import type { CommandPath, Outcome, Tx } from './command-path.ts';
import { createCounterCommands } from './counter-commands.ts';
import { createDaySweep } from './day-sweep.ts';
import { createConfigMaps, mirrorConfiguration } from './hall-config.ts';
import { createLiveEta } from './hall-eta.ts';
import { createHallViews, JoinedTickets } from './hall-views.ts';
import { createOpeningOutlook } from './opening-outlook.ts';
import { type Actor, createQueueMoves } from './queue-moves.ts';
import { RecentServiceTimes } from './service-times.ts';
import { createTicketCommands, type PrintTicket } from './ticket-commands.ts';
import { WaitingCounts } from './waiting-counts.ts';

export type { Actor } from './queue-moves.ts';
export type { PrintTicket, TicketPrintData } from './ticket-commands.ts';

export type HallDeps = {
  db: Db;
  clock: Clock;
  config: HallConfig;
  commands: CommandPath;
  demo: boolean;
  /** Absent: tickets are not printed (e.g. a test of the queue alone). */
  printTicket?: PrintTicket;
  log: (line: Record<string, unknown>) => void;
};

/** Commands after which forecasts already made still hold. */
const QUEUE_STILL = new Set(['issue-ticket', 'rate', 'device-status']);

export type Hall = ReturnType<typeof createHall>;

export function createHall(deps: HallDeps) {
  const { db, clock, commands } = deps;
  const rows = {
    tickets: createTicketRepository(db),
    counters: createCounterRepository(db),
    events: createEventRepository(db),
    services: createServiceRepository(db),
    dailyNumbers: createDailyNumberRepository(db),
    idempotencyKeys: createIdempotencyKeyRepository(db),
  };
  const { tickets, counters, events } = rows;
  const setup = createConfigMaps(deps.config);
  mirrorConfiguration(db, rows, setup.config, clock.now());
  const salt = hallSalt(db);

  const waitingCounts = new WaitingCounts(() => tickets.waitingGroups());
  // A print still pending at start never got its answer (the hall stopped first): it did not print.
  commands.run('interrupted-prints', () =>
    tickets.failPendingPrints('HallQ restarted before the printer answered'),
  );
  const serviceTimes = new RecentServiceTimes(
    tickets.recentServiceMinutes,
    setup.config.services.map((s) => s.id),
  );

  /** Forecasts of the waits (ETA with an interval), from the hall's own history: hall-eta.ts. */
  const liveEta = createLiveEta({
    ...{ db, tickets, counters },
    clock,
    timeZone: setup.config.timeZone,
    policy: () => setup.config.routing,
    routingCounters: setup.routingCounters,
    waitTarget: setup.waitTarget,
    serviceIds: () => setup.config.services.map((s) => s.id),
    // Tickets of a day that has closed are never called, even before the sweep has ended them.
    waiting: () => tickets.waitingFrom(setup.dayAt(clock.now())),
  });
  const openingOutlook = createOpeningOutlook({
    db,
    clock,
    timeZone: () => setup.config.timeZone,
    hoursOf: setup.hoursOf,
    countersOf: setup.countersOf,
  });
  const joined = new JoinedTickets(liveEta);
  const views = createHallViews({
    ...{ db, clock, demo: deps.demo, setup, tickets, counters, events },
    ...{ waitingCounts, serviceTimes, liveEta, joined, expectedOpen: openingOutlook.expectedOpen },
  });
  commands.presentWith(views.presentEvents);
  const moves = createQueueMoves({ clock, tickets, counters, waitingCounts });

  /** What a command's end means for what the hall keeps in memory beside the database. */
  function settled(name: string, ok: boolean): void {
    if (!ok) {
      waitingCounts.reload(); // the transaction rolled back; so do the counts
      joined.clear();
      liveEta.moved();
    } else if (!QUEUE_STILL.has(name)) {
      // Forecasts made before a call, a cancellation or a counter change are stale; a new ticket behind
      // the others changes them little (and forecasts itself).
      liveEta.moved();
    }
  }

  const sweep = createDaySweep({ clock, setup, commands, tickets, moves, liveEta, settled, log: deps.log });

  /** Runs one command of the hall on the command path, after the day's sweep if it is due. */
  function run<T>(name: string, body: (tx: Tx) => T): Outcome<T> {
    sweep.sweepIfDue();
    const outcome = commands.run(name, body);
    settled(name, outcome.ok);
    return outcome;
  }

  /** As `run`, in the group commit of this turn of the event loop. */
  async function runSoon<T>(name: string, body: (tx: Tx) => T): Promise<Outcome<T>> {
    sweep.sweepIfDue();
    const outcome = await commands.runSoon(name, body);
    settled(name, outcome.ok);
    return outcome;
  }

  const ticketCommands = createTicketCommands({
    ...{ clock, setup, run, runSoon, later: commands.later, tickets },
    ...{ dailyNumbers: rows.dailyNumbers, idempotencyKeys: rows.idempotencyKeys },
    ...{ moves, views, waitingCounts, liveEta, salt, printTicket: deps.printTicket },
  });
  const counterCommands = createCounterCommands({
    ...{ clock, setup, run, tickets, counters },
    ...{ moves, views, serviceTimes, liveEta },
  });

  /** A device's status changed: recorded and announced (`device.status`), for screens and the manager. */
  function recordDeviceStatus(status: ServerEvents['device.status']): void {
    // Reported as it happens (the disk may be what is failing): kept for a retry when it cannot be written.
    commands.later('device-status', (tx) => {
      tx.record('device.status', status, { reason: status.status });
    });
  }

  /**
   * Applies a new configuration live (services, counters, opening hours, routing weights): the maps are
   * refilled in place, so whoever holds them (routing, forecasts) sees the new ones, and the database's
   * services and counters follow (unless `store` is false: putting the maps back after a rollback).
   * Call inside the command that stores the configuration.
   */
  function reconfigure(next: HallConfig, { store = true } = {}): void {
    setup.replace(next);
    serviceTimes.follow(next.services.map((s) => s.id));
    if (store) mirrorConfiguration(db, rows, next, clock.now());
    liveEta.moved(); // forecasts made under the old counters and policy
  }

  return {
    ...ticketCommands,
    ...counterCommands,
    getTicket: views.getTicket,
    /** The day's sweep, when due: a timer calls this so an idle hall still closes its day. */
    sweepDay: sweep.sweepIfDue,
    recordDeviceStatus,
    snapshot: views.snapshot,
    eventsAfter: views.eventsAfter,
    resumableAfter: views.resumableAfter,
    counterDetail: views.counterDetail,
    counterViews: views.counterViews,
    serviceViews: views.serviceViews,
    serviceOutlook: views.serviceOutlook,
    placeInLine: views.placeInLine,
    counterConfig: (counterId: string) => setup.counters.get(counterId),
    /** The person seated at a counter, for devices (keypads) that act on their behalf. */
    seatedActor: (counterId: string): Actor | null => counters.seatedPerson(counterId),
    /** Waiting tickets forecast to miss their service's wait target, per service (the manager's live tab). */
    predictedBreaches: () => liveEta.breaches(setup.config.services.map((s) => s.id)),
    reconfigure,
    /** The configuration in force now (it changes with `reconfigure`). */
    get config(): HallConfig {
      return setup.config;
    },
  };
}
