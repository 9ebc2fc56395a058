/**
 * The live side of the ETA: the hall's history (service times per service and hour, each completed
 * day's arrivals, waits) read from the tickets table at boot and kept up to date as tickets finish and
 * days close, and the forecasts of `predictWaits` for waiting tickets and for a ticket joining now.
 *
 * Kept out of the hot path: a forecast plays the hall forward many times, so
 * - issuing forecasts the tickets of a group commit together, and serves the services' figures from a
 *   cache;
 * - a ticket's or a service's forecast is kept until the queue moves (a call, a counter change, a
 *   cancellation…) or a minute passes; new tickets behind it change it little;
 * - a forward play looks only at the first tickets of each line (routing.ts), so it costs about the
 *   length of the queue, not its square: no queue is too long to forecast (README, decision log);
 * - with no open counter serving the service there is no basis for a forecast: the caller says so.
 */
import type { PredictedBreach } from '../contract/api.ts';
import type { CallingCounter, CounterRepository } from '../db/counters.ts';
import type { Db } from '../db/open.ts';
import { createTicketHistoryRepository, type TicketHistoryRepository } from '../db/ticket-history.ts';
import type { TicketRepository } from '../db/tickets.ts';
import { type Clock, MINUTE } from '../domain/clock.ts';
import { type EtaCounter, type HallState, predictWaits, type WaitEstimate } from '../domain/eta.ts';
import { addDays, localTime } from '../domain/hall-time.ts';
import { HallHistory, type PastArrival } from '../domain/history.ts';
import type { RoutingCounter, RoutingPolicy, WaitingTicket } from '../domain/routing.ts';

/** Days of arrivals (and waits) read at boot: enough for every weekday several times over. */
export const HISTORY_DAYS = 56;
/** Finished calls read at boot for the service times (the history keeps 400 per service and hour). */
const SERVICE_TIMES_READ = 30_000;
/** A forecast is reused for this long while the queue does not move. */
const FORECAST_TTL = MINUTE;
/** The live state read for one forecast serves the others of the same command. */
const STATE_TTL = 1000;

/** An interval in whole minutes around the median. */
export type EtaFigure = { minutes: number; low: number; high: number };

/** Reads the history kept in the tickets table, up to (not including) `today`'s arrivals. */
export function loadHistory(db: Db, timeZone: string, today: string): HallHistory {
  const past = createTicketHistoryRepository(db);
  const history = new HallHistory();
  const since = addDays(today, -HISTORY_DAYS);
  const served = past.serviceTimes(since, SERVICE_TIMES_READ);
  for (let i = served.length - 1; i >= 0; i--) {
    const r = served[i]!;
    if (r.minutes >= 0) history.addServiceTime(r.service_id, localTime(r.start, timeZone).hour, r.minutes);
  }
  addArrivalDays(past, history, since, today);
  for (const w of past.waits(since, today)) {
    if (w.status === 'cancelled') {
      if (w.finished_at !== null) history.addWait((w.finished_at - w.issued_at) / MINUTE, true);
    } else if (w.first_called_at !== null) {
      history.addWait((w.first_called_at - w.issued_at) / MINUTE, w.status === 'no-show');
    }
  }
  return history;
}

/** Adds the arrivals of every day in [from, to) that had tickets, one completed day at a time. */
function addArrivalDays(past: TicketHistoryRepository, history: HallHistory, from: string, to: string): void {
  let day = '';
  let weekday = 0;
  let issued: PastArrival[] = [];
  const flush = () => {
    if (day) history.addDay(weekday, issued);
    issued = [];
  };
  for (const r of past.arrivals(from, to)) {
    if (r.day !== day) {
      flush();
      day = r.day;
      weekday = r.weekday;
    }
    for (let k = 0; k < r.n; k++) issued.push({ hour: r.hour, serviceId: r.service_id, tier: r.tier });
  }
  flush();
}

export type LiveEtaDeps = {
  /** The history is read from it at boot, and each completed day's arrivals as days turn. */
  db: Db;
  tickets: TicketRepository;
  counters: CounterRepository;
  clock: Clock;
  timeZone: string;
  /** The routing policy in force (the manager may change it). */
  policy: () => RoutingPolicy;
  routingCounters: ReadonlyMap<string, RoutingCounter>;
  waitTarget: (serviceId: string) => number;
  /** The hall's services now (the manager may change them). */
  serviceIds: () => readonly string[];
  /** The waiting tickets as routing sees them. */
  waiting: () => WaitingTicket[];
};

export type LiveEta = ReturnType<typeof createLiveEta>;

export function createLiveEta(deps: LiveEtaDeps) {
  const { db, clock, timeZone } = deps;
  const today = () => localTime(clock.now(), timeZone).day;
  let historyUntil = today();
  const history = loadHistory(db, timeZone, historyUntil);
  const past = createTicketHistoryRepository(db);

  /** Bumped whenever the queue moves in a way that changes forecasts already made. */
  let moves = 0;
  let state: { moves: number; at: number; value: HallState; counters: CallingCounter[] } | null = null;
  const ticketCache = new Map<string, { moves: number; at: number; value: EtaFigure | null }>();
  const serviceCache = new Map<string, { moves: number; at: number; value: EtaFigure | null }>();

  function fresh(entry: { moves: number; at: number } | undefined): boolean {
    return entry !== undefined && entry.moves === moves && clock.now() - entry.at < FORECAST_TTL;
  }

  function openCounters(): CallingCounter[] {
    if (state && state.moves === moves && clock.now() - state.at < STATE_TTL) return state.counters;
    return deps.counters.calling();
  }

  function serves(serviceId: string, counters: readonly CallingCounter[]): boolean {
    return counters.some((c) =>
      deps.routingCounters.get(c.id)?.services.some((s) => s.serviceId === serviceId),
    );
  }

  /** The live state, read once per command (reused for a second while nothing moves). */
  function hallState(): HallState {
    const now = clock.now();
    if (state && state.moves === moves && now - state.at < STATE_TTL) return state.value;
    const local = localTime(now, timeZone);
    const counters = deps.counters.calling();
    const etaCounters: EtaCounter[] = [];
    for (const c of counters) {
      const routing = deps.routingCounters.get(c.id);
      if (!routing) continue;
      etaCounters.push({
        routing,
        busyWith:
          c.status === 'serving' && c.service_id && c.since !== null
            ? { serviceId: c.service_id, since: c.since }
            : null,
      });
    }
    const value: HallState = {
      now,
      minuteOfDay: local.minuteOfDay,
      weekday: local.weekday,
      waiting: deps.waiting(),
      counters: etaCounters,
      policy: deps.policy(),
      waitTargetMinutes: deps.waitTarget,
    };
    state = { moves, at: now, value, counters };
    return value;
  }

  function figure(e: WaitEstimate | undefined): EtaFigure | null {
    if (!e || !Number.isFinite(e.minutes)) return null;
    const minutes = Math.round(e.minutes);
    return {
      minutes,
      low: Math.min(minutes, Math.floor(e.low)),
      high: Number.isFinite(e.high)
        ? Math.max(minutes, Math.ceil(e.high))
        : Math.max(minutes, Math.ceil(e.minutes * 2)),
    };
  }

  /** The forecast for a waiting ticket; null: use the naive estimate. */
  function forTicket(ticketId: string, serviceId: string): EtaFigure | null {
    const cached = ticketCache.get(ticketId);
    if (fresh(cached)) return cached!.value;
    const value = serves(serviceId, openCounters())
      ? figure(predictWaits(hallState(), history, { ticketIds: [ticketId] }).get(ticketId))
      : null;
    if (ticketCache.size > 5000) ticketCache.clear();
    ticketCache.set(ticketId, { moves, at: clock.now(), value });
    return value;
  }

  function joiner(serviceId: string, now: number): WaitingTicket {
    const id = `~join:${serviceId}`;
    // A millisecond after now: behind a ticket issued at this very instant, whatever the tie-break.
    return { id, number: id, serviceId, tier: 'regular', queuedAt: now + 1, passedOver: 0, front: false };
  }

  /**
   * The forecast for a ticket of the service joining now. `cachedOnly` (issuing a ticket): the latest
   * forecast however old, rather than a new one in the hot path.
   */
  function forService(serviceId: string, cachedOnly = false): EtaFigure | null {
    const cached = serviceCache.get(serviceId);
    if (fresh(cached) || (cachedOnly && cached)) return cached!.value;
    if (cachedOnly) return null;
    // Every stale service at once, in one forward play with a joiner for each: a joiner may wait
    // behind another service's joiner at a shared counter (a minute or so high at worst), for a tenth
    // of the cost of one play per service.
    const now = clock.now();
    const stale = deps.serviceIds().filter((s) => s === serviceId || !fresh(serviceCache.get(s)));
    const counters = openCounters();
    const joiners = stale.filter((s) => serves(s, counters)).map((s) => joiner(s, now));
    const estimates =
      joiners.length > 0
        ? predictWaits({ ...hallState(), waiting: [...hallState().waiting, ...joiners] }, history, {
            ticketIds: joiners.map((j) => j.id),
          })
        : new Map<string, WaitEstimate>();
    for (const s of stale)
      serviceCache.set(s, { moves, at: now, value: figure(estimates.get(joiner(s, now).id)) });
    return serviceCache.get(serviceId)?.value ?? null;
  }

  /**
   * Tickets just issued (or transferred) to the end of their lines, one or a group committed together.
   * One forward play answers for all of them and for the next to join each of their services behind
   * them, which the services' figures show.
   */
  function issued(
    tickets: readonly { ticketId: string; serviceId: string }[],
  ): Map<string, EtaFigure | null> {
    state = null; // the lines have more
    const now = clock.now();
    const counters = openCounters();
    const services = [...new Set(tickets.map((t) => t.serviceId))];
    const played = new Set(services.filter((s) => serves(s, counters)));
    const joiners = [...played].map((s) => joiner(s, now));
    const estimates =
      joiners.length > 0
        ? predictWaits({ ...hallState(), waiting: [...hallState().waiting, ...joiners] }, history, {
            ticketIds: [
              ...tickets.filter((t) => played.has(t.serviceId)).map((t) => t.ticketId),
              ...joiners.map((j) => j.id),
            ],
          })
        : new Map<string, WaitEstimate>();
    const values = new Map<string, EtaFigure | null>();
    if (ticketCache.size > 5000) ticketCache.clear();
    for (const { ticketId } of tickets) {
      const value = figure(estimates.get(ticketId));
      values.set(ticketId, value);
      ticketCache.set(ticketId, { moves, at: now, value });
    }
    for (const s of services)
      serviceCache.set(s, { moves, at: now, value: figure(estimates.get(joiner(s, now).id)) });
    return values;
  }

  let breachCache: { moves: number; at: number; value: PredictedBreach[] } | null = null;

  /**
   * Per service, the waiting tickets whose whole wait (so far plus the forecast) will miss the wait
   * target: `likely` by the median, `atRisk` by the p90. One forward play for every waiting ticket, so
   * it is for the manager's page (cached like the rest), never for issuing.
   */
  function breaches(serviceIds: readonly string[]): PredictedBreach[] {
    if (fresh(breachCache ?? undefined)) return breachCache!.value;
    const now = clock.now();
    const rows = deps.tickets.waitingSinceIssue();
    const counters = openCounters();
    const forecastable = new Set(serviceIds.filter((s) => serves(s, counters)));
    const targets = rows.filter((r) => forecastable.has(r.service_id)).map((r) => r.id);
    const estimates =
      targets.length > 0
        ? predictWaits(hallState(), history, { ticketIds: targets })
        : new Map<string, WaitEstimate>();
    const value = serviceIds.map((serviceId): PredictedBreach => {
      const target = deps.waitTarget(serviceId);
      let waiting = 0;
      let likely = 0;
      let atRisk = 0;
      for (const r of rows) {
        if (r.service_id !== serviceId) continue;
        waiting++;
        const waited = (now - r.issued_at) / MINUTE;
        const e = estimates.get(r.id);
        // No forecast (no open counter reaches it today): it misses the target unless called within it.
        const median = e ? e.minutes : Number.POSITIVE_INFINITY;
        const high = e ? e.high : Number.POSITIVE_INFINITY;
        if (forecastable.has(serviceId) || waited > target) {
          if (waited + median > target) likely++;
          if (waited + high > target) atRisk++;
        }
      }
      return { serviceId, waiting, likely, atRisk, forecast: forecastable.has(serviceId) };
    });
    breachCache = { moves, at: now, value };
    return value;
  }

  return {
    history,
    breaches,
    forTicket,
    forService,
    issued,
    /** The queue moved (a call, a cancellation, a counter change…): forecasts made before are stale. */
    moved(): void {
      moves++;
      state = null;
    },
    /** A call ended at a counter: the minutes the counter spent, by the hour it began. */
    served(serviceId: string, start: number, end: number): void {
      if (end >= start)
        history.addServiceTime(serviceId, localTime(start, timeZone).hour, (end - start) / MINUTE);
    },
    /** How a wait ended: called after `minutes`, or the customer left unserved. */
    waited(minutes: number, left: boolean): void {
      if (minutes >= 0) history.addWait(minutes, left);
    },
    /** The days completed since the last look join the arrivals (cheap when the day has not changed). */
    dayTurned(): void {
      const day = today();
      if (day <= historyUntil) return;
      addArrivalDays(past, history, historyUntil, day);
      historyUntil = day;
    },
  };
}
