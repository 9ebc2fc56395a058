import { MINUTE } from '../clock.ts';
import {
  type EtaCounter,
  meanServiceMinutes,
  naiveEtaMinutes,
  peopleAheadInLine,
  predictWaits,
  type WaitEstimate,
} from '../eta.ts';
import { HallHistory } from '../history.ts';
import { seedOf } from '../random.ts';
import {
  DEFAULT_ROUTING,
  type HallqRouting,
  ROUTING_POLICY_NAMES,
  type RoutingPolicy,
  type RoutingPolicyName,
  routingPolicy,
} from '../routing.ts';
import { minuteFigures } from '../stats.ts';
import {
  customersOfDay,
  type LiveHall,
  type SimCounter,
  type SimCustomer,
  type SimHall,
  simulateDay,
  waitTargetOf,
} from './hall-day.ts';
import type { SimProfile } from './profiles.ts';

/** Waits in minutes, shares in percent, over the measured days. */
export type PolicyFigures = {
  name: RoutingPolicyName;
  avgWait: number;
  p90Wait: number;
  maxWait: number;
  withinTargetPct: number;
  vipP90Wait: number;
  elderlyP90Wait: number;
  /** Percent of the day's tickets whose customer left unserved. */
  abandonedPct: number;
  /** The most times any ticket was passed over (the hall's rule holds it to `maxPassOvers`). */
  mostPassOvers: number;
  /** Percent of called tickets that waited past the hall's time bound (`maxWaitFactor` × target). */
  overBoundPct: number;
};

/**
 * The ETA shown at issue against the wait that followed, over the tickets that had to queue (no idle
 * counter for them at issue) and were called.
 */
export type EtaFigures = {
  /** Mean absolute error of the forecast, in whole minutes as shown. */
  mae: number;
  /** The same for the naive estimate (people ahead × mean service time ÷ counters). */
  naiveMae: number;
  /** Percent of actual waits within the forecast's p10–p90. */
  coverage80: number;
  predictions: number;
  /** Tickets the forecast could not place (no counter for them today); they get the naive estimate. */
  fallbacks: number;
  /** Tickets issued while a counter serving them stood idle: called at once, not judged. */
  calledAtOnce: number;
};

export type SimReport = {
  policies: PolicyFigures[];
  eta: EtaFigures | null;
  /** What the hall learned over all days under its own policy: for staffing advice. */
  history: HallHistory;
};

export type SimOptions = {
  hall: SimHall;
  profile: SimProfile;
  days: number;
  seed: number;
  /** Days simulated first and not measured: the history a hall would have before the ETA is judged. */
  warmupDays?: number;
  policies?: readonly RoutingPolicyName[];
  /** The bound of the hall's rule (`hallq`); the default bound when left out. */
  routing?: HallqRouting;
  /** Forward runs per ETA prediction; 0 skips the ETA evaluation. */
  etaRuns?: number;
};

/** A week of history before the ETA is judged, as a hall would have after its first week. */
export const DEFAULT_WARMUP_DAYS = 7;

/** Service times behind the naive estimate: the last 20 served tickets of the service, as the app keeps. */
const NAIVE_RECENT = 20;

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Simulates the profile's days under each routing policy (the same customers for each) and, under the
 * hall's own policy (`hallq`), judges the ETA each ticket is given at issue against its actual wait.
 */
export function simulate(options: SimOptions): SimReport {
  const etaRuns = options.etaRuns ?? 19;
  let eta: EtaFigures | null = null;
  let history = new HallHistory();
  const policies = (options.policies ?? ROUTING_POLICY_NAMES).map((name) => {
    const run = runPolicy(options, name, name === 'hallq' ? etaRuns : 0);
    if (run.eta) ({ eta, history } = run);
    return run.figures;
  });
  return { policies, eta, history };
}

/**
 * Waits count over called tickets (served or no-show), as the hall's statistics do; the share within
 * target counts those who left unserved as missed, so a policy cannot look better by driving people away.
 */
function runPolicy(options: SimOptions, name: RoutingPolicyName, etaRuns: number) {
  const { hall, profile, days, seed } = options;
  const warmupDays = options.warmupDays ?? DEFAULT_WARMUP_DAYS;
  const bound = options.routing ?? DEFAULT_ROUTING;
  const policy = name === 'hallq' ? bound : routingPolicy(name);
  const waitTarget = waitTargetOf(hall);
  const history = new HallHistory();
  const judge = etaRuns > 0 ? new EtaJudge(waitTarget, profile, policy, history, seed) : null;
  const waits: number[] = [];
  const vipWaits: number[] = [];
  const elderlyWaits: number[] = [];
  let mostPassOvers = 0;
  let overBound = 0;
  let withinTarget = 0;
  let issued = 0;
  let abandoned = 0;
  for (let day = 0; day < warmupDays + days; day++) {
    const measured = day >= warmupDays;
    const customers = customersOfDay(hall, profile, day, seed);
    simulateDay({
      hall,
      profile,
      policy,
      day,
      customers,
      hooks: {
        issued: (customer, live) => {
          if (measured) judge?.predict(customer, live, etaRuns);
        },
        called: (customer, waitMinutes) => {
          history.addWait(waitMinutes, false);
          judge?.called(customer, waitMinutes);
          if (!measured) return;
          waits.push(waitMinutes);
          if (customer.ticket.tier === 'vip') vipWaits.push(waitMinutes);
          if (customer.ticket.tier === 'elderly') elderlyWaits.push(waitMinutes);
          mostPassOvers = Math.max(mostPassOvers, customer.ticket.passedOver);
          if (waitMinutes <= waitTarget(customer.ticket.serviceId)) withinTarget++;
          if (waitMinutes > bound.maxWaitFactor * waitTarget(customer.ticket.serviceId)) overBound++;
        },
        finished: (customer, minutes, hour) => {
          history.addServiceTime(customer.ticket.serviceId, hour, minutes);
          if (!customer.noShow) judge?.served(customer.ticket.serviceId, minutes);
        },
        abandoned: (customer) => {
          history.addWait(customer.patienceMinutes, true);
          if (measured) abandoned++;
        },
      },
    });
    history.addDay(
      profile.weekday,
      customers.map((c) => ({ hour: c.hour, serviceId: c.ticket.serviceId, tier: c.ticket.tier })),
    );
    if (measured) issued += customers.length;
  }
  const percent = (part: number, whole: number) => (whole === 0 ? 0 : round1((100 * part) / whole));
  const figures: PolicyFigures = {
    name,
    avgWait: minuteFigures(waits).avg ?? 0,
    p90Wait: minuteFigures(waits).p90 ?? 0,
    maxWait: round1(waits.reduce((a, b) => Math.max(a, b), 0)),
    withinTargetPct: percent(withinTarget, waits.length + abandoned),
    vipP90Wait: minuteFigures(vipWaits).p90 ?? 0,
    elderlyP90Wait: minuteFigures(elderlyWaits).p90 ?? 0,
    abandonedPct: percent(abandoned, issued),
    mostPassOvers,
    overBoundPct: percent(overBound, waits.length),
  };
  return { figures, eta: judge?.figures() ?? null, history };
}

/** Gives each ticket its forecast and its naive estimate at issue, and scores them once it is called. */
class EtaJudge {
  private readonly pending = new Map<string, { estimate: WaitEstimate | undefined; naive: number }>();
  private readonly recentServed = new Map<string, number[]>();
  private readonly absErrors: number[] = [];
  private readonly naiveAbsErrors: number[] = [];
  private covered = 0;
  private fallbacks = 0;
  private calledAtOnce = 0;

  constructor(
    private readonly waitTarget: (serviceId: string) => number,
    private readonly profile: SimProfile,
    private readonly policy: RoutingPolicy,
    private readonly history: HallHistory,
    private readonly seed: number,
  ) {}

  predict(customer: SimCustomer, live: LiveHall, runs: number): void {
    const { ticket } = customer;
    const serves = (c: SimCounter) => c.routing.services.some((s) => s.serviceId === ticket.serviceId);
    // An idle counter that serves the ticket calls it this instant: a certain 0, nothing to judge.
    if (live.counters.some((c) => c.onDuty && !c.busy && serves(c))) {
      this.calledAtOnce++;
      return;
    }
    const counters: EtaCounter[] = [];
    let countersServing = 0;
    for (const c of live.counters) {
      if (c.onDuty) {
        counters.push({
          routing: c.routing,
          busyWith: c.busy && { serviceId: c.busy.customer.ticket.serviceId, since: c.busy.since },
        });
        if (serves(c)) countersServing++;
        continue;
      }
      // Paused: the live system knows when the pause began and how long such pauses last.
      const back = c.shifts.find(([from]) => from > live.minuteOfDay);
      if (back)
        counters.push({
          routing: c.routing,
          busyWith: null,
          availableFrom: live.now + (back[0] - live.minuteOfDay) * MINUTE,
        });
    }
    const estimate = predictWaits(
      {
        now: live.now,
        minuteOfDay: live.minuteOfDay,
        weekday: this.profile.weekday,
        waiting: live.waiting,
        counters,
        policy: this.policy,
        waitTargetMinutes: this.waitTarget,
      },
      this.history,
      { ticketIds: [ticket.id], runs, seed: seedOf(this.seed, customer.day, live.waiting.length, live.now) },
    ).get(ticket.id);
    const naive = naiveEtaMinutes(
      peopleAheadInLine(ticket, live.waiting),
      meanServiceMinutes(this.recentServed.get(ticket.serviceId) ?? []),
      countersServing,
    );
    this.pending.set(ticket.id, { estimate, naive });
  }

  called(customer: SimCustomer, waitMinutes: number): void {
    const given = this.pending.get(customer.ticket.id);
    if (!given) return;
    this.pending.delete(customer.ticket.id);
    const { estimate, naive } = given;
    if (!estimate) this.fallbacks++;
    this.absErrors.push(Math.abs((estimate ? Math.round(estimate.minutes) : naive) - waitMinutes));
    this.naiveAbsErrors.push(Math.abs(naive - waitMinutes));
    if (estimate && estimate.low <= waitMinutes && waitMinutes <= estimate.high) this.covered++;
  }

  served(serviceId: string, minutes: number): void {
    const recent = this.recentServed.get(serviceId) ?? [];
    this.recentServed.set(serviceId, recent);
    recent.unshift(minutes);
    recent.length = Math.min(recent.length, NAIVE_RECENT);
  }

  figures(): EtaFigures {
    const mean = (xs: number[]) => (xs.length === 0 ? 0 : round1(xs.reduce((a, b) => a + b, 0) / xs.length));
    const n = this.absErrors.length;
    return {
      mae: mean(this.absErrors),
      naiveMae: mean(this.naiveAbsErrors),
      coverage80: n === 0 ? 0 : round1((100 * this.covered) / n),
      predictions: n,
      fallbacks: this.fallbacks,
      calledAtOnce: this.calledAtOnce,
    };
  }
}
