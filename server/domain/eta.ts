import type { Tier } from '../contract/api.ts';
import { MINUTE } from './clock.ts';
import type { HallHistory } from './history.ts';
import { Random, seedOf } from './random.ts';
import {
  byQueue,
  Lines,
  passOver,
  pickNext,
  type RoutingCounter,
  type RoutingPolicy,
  TIER_RANK,
  type WaitingTicket,
} from './routing.ts';

/**
 * The first, naive ETA: people ahead × recent mean service time ÷ counters serving the service.
 * With no counter open it still answers as if one were, rather than "never".
 */
export function naiveEtaMinutes(
  peopleAhead: number,
  meanServiceMinutes: number,
  countersServing: number,
): number {
  return Math.round((peopleAhead * meanServiceMinutes) / Math.max(1, countersServing));
}

export const DEFAULT_SERVICE_MINUTES = 5;

/** Mean of the latest service times (minutes), or the default when there is no history yet. */
export function meanServiceMinutes(recent: readonly number[]): number {
  if (recent.length === 0) return DEFAULT_SERVICE_MINUTES;
  return recent.reduce((a, b) => a + b, 0) / recent.length;
}

/** People ahead of a ticket in its own service's line (front, then tier, then queue time): the naive ETA's count. */
export function peopleAheadInLine(ticket: WaitingTicket, waiting: readonly WaitingTicket[]): number {
  const ahead = (t: WaitingTicket) =>
    Number(t.front) - Number(ticket.front) ||
    TIER_RANK[ticket.tier] - TIER_RANK[t.tier] ||
    ticket.queuedAt - t.queuedAt;
  let n = 0;
  for (const t of waiting) if (t !== ticket && t.serviceId === ticket.serviceId && ahead(t) > 0) n++;
  return n;
}

/**
 * A counter that calls tickets now (open or serving), or a paused one expected back at `availableFrom`
 * (e.g. the pause's start plus the usual length of its reason). Closed counters are left out.
 */
export type EtaCounter = {
  routing: RoutingCounter;
  /** The ticket at the counter, if any: its service and when its service began. */
  busyWith: { serviceId: string; since: number } | null;
  availableFrom?: number;
};

/** The live state of the hall an ETA is predicted from. */
export type HallState = {
  now: number;
  /** Local time at `now`: history is kept by local hour and weekday (0 = Monday). */
  minuteOfDay: number;
  weekday: number;
  waiting: readonly WaitingTicket[];
  counters: readonly EtaCounter[];
  policy: RoutingPolicy;
  waitTargetMinutes: (serviceId: string) => number;
};

/** Minutes still to wait: the median forecast and an 80% interval (p10–p90). */
export type WaitEstimate = { minutes: number; low: number; high: number };

export type PredictOptions = {
  /** The tickets to predict; all waiting tickets when left out. Fewer targets end each run sooner. */
  ticketIds?: readonly string[];
  /** Forward runs. 19 puts p10, p50 and p90 exactly on the 2nd, 10th and 18th of the sorted waits. */
  runs?: number;
  /** Same state and seed, same answer. */
  seed?: number;
};

/**
 * Predicts how long waiting tickets will still wait, by playing the hall forward many times with the
 * real routing (decideNext under the hall's policy) from the live state:
 * - the counters calling now, each free once its current service ends (drawn from the history of that
 *   service and hour, given the minutes already spent on it);
 * - every waiting ticket, and the tickets still to come, drawn from the arrival rates of this weekday and
 *   hour (they can overtake: a VIP, an elderly customer, a counter's own service before the ones it helps);
 * - service times drawn from the history per service and hour;
 * - customers leaving when their patience (estimated from the hall's past waits) runs out; a ticket
 *   asked about is still placed as if its holder stayed.
 * Each run gives each ticket the minute it is called; the median over the runs is the forecast and
 * their p10–p90 the interval. A ticket no counter reaches before midnight in a run counts as Infinity
 * there; a ticket that most runs never reach is left out of the answer (no open counter serves it).
 */
export function predictWaits(
  state: HallState,
  history: HallHistory,
  options: PredictOptions = {},
): Map<string, WaitEstimate> {
  const runs = options.runs ?? 19;
  const random = new Random(options.seed ?? seedOf(state.now, state.waiting.length));
  const targets = new Set(options.ticketIds ?? state.waiting.map((t) => t.id));
  const waits = new Map<string, number[]>([...targets].map((id) => [id, []]));
  const forward = new ForwardRun(state, history, random);
  for (let run = 0; run < runs; run++) {
    const called = forward.run(targets);
    for (const [id, xs] of waits) xs.push(called.get(id) ?? Number.POSITIVE_INFINITY);
  }
  const rank = (p: number) => Math.min(runs - 1, Math.max(0, Math.round(p * (runs + 1)) - 1));
  const estimates = new Map<string, WaitEstimate>();
  for (const [id, xs] of waits) {
    xs.sort((a, b) => a - b);
    const minutes = xs[rank(0.5)]!;
    if (!Number.isFinite(minutes)) continue;
    estimates.set(id, { minutes, low: xs[rank(0.1)]!, high: xs[rank(0.9)]! });
  }
  return estimates;
}

/** A ticket in a forward run, with the moment its holder would give up (Infinity: stays). */
type Queued = WaitingTicket & { leavesAt: number };

/** One hall, played forward from the same live state again and again with fresh draws. */
class ForwardRun {
  private readonly services: string[];
  private readonly tierWeights: Map<string, [Tier, number][]>;
  /** Arrivals per minute of each service (by index) at each local hour, looked up once per prediction. */
  private readonly perMinute: number[][];
  private readonly horizon: number;
  /** The waiting tickets in queue order, as the lines take them. */
  private readonly waiting: readonly WaitingTicket[];

  constructor(
    private readonly state: HallState,
    private readonly history: HallHistory,
    private readonly random: Random,
  ) {
    this.services = history.services();
    this.tierWeights = new Map(this.services.map((s) => [s, history.tierWeights(s)]));
    this.perMinute = this.services.map((s) =>
      Array.from({ length: 24 }, (_, hour) => history.arrivalsPerHour(state.weekday, hour, s) / 60),
    );
    this.horizon = state.now + (24 * 60 - state.minuteOfDay) * MINUTE;
    this.waiting = [...state.waiting].sort(byQueue);
  }

  /** Minutes from now until each target is called, for the targets called before the horizon. */
  run(targets: ReadonlySet<string>): Map<string, number> {
    const { state } = this;
    const queue = (t: WaitingTicket): Queued => {
      const waited = (Math.max(t.queuedAt, state.now) - t.queuedAt) / MINUTE;
      const leavesAt = t.queuedAt + this.history.patienceMinutes(waited, this.random.next()) * MINUTE;
      const { id, number, serviceId, tier, queuedAt, passedOver, front } = t;
      return { id, number, serviceId, tier, queuedAt, passedOver, front, leavesAt };
    };
    const lines = new Lines<Queued>();
    for (const t of this.waiting) lines.add(queue(t));
    const nextArrival = this.services.map((_, i) => this.arrivalAfter(i, state.now));
    let arrived = 0;
    const freeAt = state.counters.map((c) =>
      Math.max(
        c.availableFrom ?? state.now,
        c.busyWith ? state.now + this.remainingMinutes(c.busyWith) * MINUTE : state.now,
      ),
    );
    const called = new Map<string, number>();
    // Customers whose patience ran out leave. One asked about stays on as a ghost: its holder asks "when,
    // if I stay?", yet others must not wait behind someone who is gone.
    let t = state.now;
    const gone = (q: Queued) => q.leavesAt <= t && !targets.has(q.id);
    while (called.size < targets.size) {
      let i = 0;
      for (let k = 1; k < freeAt.length; k++) if (freeAt[k]! < freeAt[i]!) i = k;
      if (freeAt[i] === undefined || freeAt[i]! >= this.horizon) break;
      t = freeAt[i]!;
      for (let s = 0; s < this.services.length; s++) {
        while (nextArrival[s]! <= t) {
          const serviceId = this.services[s]!;
          const id = `~${arrived++}`;
          const tier = this.random.pick(this.tierWeights.get(serviceId)!);
          const queuedAt = nextArrival[s]!;
          lines.add(queue({ id, number: id, serviceId, tier, queuedAt, passedOver: 0, front: false }));
          nextArrival[s] = this.arrivalAfter(s, nextArrival[s]!);
        }
      }
      const counter = state.counters[i]!.routing;
      let ticket: Queued | undefined;
      for (;;) {
        ticket = pickNext(counter, lines, t, state.policy, state.waitTargetMinutes, gone)?.ticket;
        if (!ticket || ticket.leavesAt > t) break;
        // A ghost's turn: when it would have been called, had its holder stayed.
        called.set(ticket.id, (t - state.now) / MINUTE);
        lines.remove(ticket);
      }
      if (called.size === targets.size) break;
      if (!ticket) {
        // Idle until a ticket of one of its services arrives.
        freeAt[i] = Number.POSITIVE_INFINITY;
        for (const { serviceId } of counter.services) {
          const s = this.services.indexOf(serviceId);
          if (s >= 0) freeAt[i] = Math.min(freeAt[i]!, nextArrival[s]!);
        }
        continue;
      }
      passOver(counter, lines, ticket, t, state.policy, state.waitTargetMinutes);
      lines.remove(ticket);
      if (targets.has(ticket.id)) called.set(ticket.id, (t - state.now) / MINUTE);
      freeAt[i] = t + this.serviceMinutes(ticket.serviceId, this.hourAt(t)) * MINUTE;
    }
    return called;
  }

  /** Local minutes since midnight at `t` (beyond 1440 past midnight). */
  private minuteAt(t: number): number {
    return this.state.minuteOfDay + (t - this.state.now) / MINUTE;
  }

  private hourAt(t: number): number {
    return Math.floor(this.minuteAt(t) / 60) % 24;
  }

  private serviceMinutes(serviceId: string, hour: number): number {
    const xs = this.history.serviceSamples(serviceId, hour);
    return xs.length === 0 ? DEFAULT_SERVICE_MINUTES : xs[this.random.below(xs.length)]!;
  }

  /** The rest of a service already `since` under way: a past service of that kind that lasted longer. */
  private remainingMinutes(busy: { serviceId: string; since: number }): number {
    const elapsed = (this.state.now - busy.since) / MINUTE;
    const xs = this.history.serviceSamples(busy.serviceId, this.hourAt(busy.since));
    if (xs.length === 0) return Math.max(0.5, DEFAULT_SERVICE_MINUTES - elapsed);
    let longer = xs.findIndex((x) => x > elapsed);
    // Past every service seen: assume it ends within the minute rather than never.
    if (longer < 0) return 0.5;
    longer += this.random.below(xs.length - longer);
    return xs[longer]! - elapsed;
  }

  /** The next arrival of a service after `t`: a Poisson process whose rate changes by the hour. */
  private arrivalAfter(s: number, t: number): number {
    let work = this.random.exponential();
    let at = t;
    // Walks whole local hours by their number, so a boundary never rounds back into the hour it ends.
    for (let hour = Math.floor(this.minuteAt(t) / 60); at < this.horizon; hour++) {
      const hourEnd = this.state.now + ((hour + 1) * 60 - this.state.minuteOfDay) * MINUTE;
      const perMinute = this.perMinute[s]![hour % 24]!;
      const minutesLeft = (hourEnd - at) / MINUTE;
      if (perMinute * minutesLeft >= work) return at + (work / perMinute) * MINUTE;
      work -= perMinute * minutesLeft;
      at = hourEnd;
    }
    return Number.POSITIVE_INFINITY;
  }
}
