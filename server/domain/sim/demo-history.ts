/**
 * A hall's past, played by the hall simulator: each calendar day is one `simulateDay` of the demo
 * profile for its weekday (busier on Fridays, the Saturday profile at weekends), with the day's own
 * seeded customers, under the real routing. So weekdays vary from week to week, service times are those
 * of the profiles, and every call was made by `chooseNext` with its explanation. Pure: the days come out
 * as ticket records on the hall's clock; server/app/demo-history.ts writes them into a database.
 */
import type { CallReason, Tier } from '../../contract/api.ts';
import { MINUTE } from '../clock.ts';
import { addDays, instantOf } from '../hall-time.ts';
import { Random, seedOf } from '../random.ts';
import { type RoutingPolicy, routingPolicy } from '../routing.ts';
import { customersOfDay, dayStart, type SimCustomer, type SimHall, simulateDay } from './hall-day.ts';
import { BUSY_SATURDAY, DEMO_WEEKDAY, type SimProfile } from './profiles.ts';

/** A past ticket as the tickets table keeps it; times are instants (ms) on the hall's clock. */
export type PastTicket = {
  /** Unique within the history: `<day>-<index of the day>`. */
  key: string;
  day: string;
  weekday: number;
  /** Local hour of issue. */
  hour: number;
  number: string;
  serviceId: string;
  tier: Tier;
  channel: 'kiosk' | 'reception' | 'mobile' | 'appointment';
  lang: 'zh' | 'en';
  status: 'done' | 'no-show' | 'cancelled';
  issuedAt: number;
  calledAt: number | null;
  servingAt: number | null;
  finishedAt: number;
  counterId: string | null;
  /** Left before being called (`holder`); null for called tickets. */
  endReason: 'holder' | null;
  call: CallReason | null;
  passedOver: number;
  rating: number | null;
  /** Scores of the SERVQUAL dimensions a rater also gave, or null. */
  dimensions: number[] | null;
};

export type PastDay = { day: string; weekday: number; tickets: PastTicket[] };

export type HistoryOptions = {
  hall: SimHall & { timeZone: string };
  /** First local day, YYYY-MM-DD. */
  from: string;
  days: number;
  seed: number;
  /**
   * A hall this many times the demo hall: as many times the customers, and the counters copied as often
   * (rounded) with their staff's shifts. 1: the demo hall's 190–330 tickets a day.
   */
  scale?: number;
  policy?: RoutingPolicy;
};

/**
 * The demo hall's week, Monday first: weekdays around the demo profile (Friday busier), Saturday the
 * busy Saturday, Sunday a quieter Saturday.
 */
export const DEMO_WEEK: readonly SimProfile[] = [1, 0.92, 0.9, 0.97, 1.15, 1, 0.8].map((load, weekday) => {
  const base = weekday >= 5 ? BUSY_SATURDAY : DEMO_WEEKDAY;
  return { ...base, weekday, ticketsPerDay: scaled(base.ticketsPerDay, load) };
});

function scaled(perDay: Record<string, number>, factor: number): Record<string, number> {
  return Object.fromEntries(Object.entries(perDay).map(([id, n]) => [id, n * factor]));
}

const DAY_NUMBER_EPOCH = Date.UTC(1970, 0, 1);

/** Days since 1970-01-01 of a calendar date: the same date always draws the same customers. */
function dayNumber(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return Math.round((Date.UTC(y, m - 1, d) - DAY_NUMBER_EPOCH) / (24 * 60 * MINUTE));
}

/** Monday = 0, as the tickets table counts weekdays. */
function weekdayOf(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

/** The days of the history, oldest first, one at a time (a year need not be held at once). */
export function* playHistory(options: HistoryOptions): Generator<PastDay> {
  const policy = options.policy ?? routingPolicy('hallq');
  const scale = options.scale ?? 1;
  const copies = Math.max(1, Math.round(scale));
  const copyId = (id: string, k: number) => (k === 0 ? id : `${id}-${k + 1}`);
  const hall = {
    ...options.hall,
    counters: Array.from({ length: copies }, (_, k) =>
      options.hall.counters.map((c) => ({ ...c, id: copyId(c.id, k) })),
    ).flat(),
  };
  for (let i = 0; i < options.days; i++) {
    const day = addDays(options.from, i);
    const weekday = weekdayOf(day);
    const week = DEMO_WEEK[weekday]!;
    const staff = Object.fromEntries(
      Array.from({ length: copies }, (_, k) =>
        Object.entries(week.staff).map(([id, s]) => [copyId(id, k), s] as const),
      ).flat(),
    );
    const profile = { ...week, staff, ticketsPerDay: scaled(week.ticketsPerDay, scale) };
    yield { day, weekday, tickets: playDay(hall, options.seed, profile, policy, day, weekday) };
  }
}

function playDay(
  hall: HistoryOptions['hall'],
  seed: number,
  profile: SimProfile,
  policy: RoutingPolicy,
  day: string,
  weekday: number,
): PastTicket[] {
  const n = dayNumber(day);
  const customers = customersOfDay(hall, profile, n, seed);
  // Who the customers are beyond the queue (channel, language, rating) draws from a stream of its own,
  // so the queue itself is the simulator's alone.
  const random = new Random(seedOf(seed, n, 1));
  const start = dayStart(n);
  /** An instant of the simulated day on the hall's clock (by local minute, so DST days stay right). */
  const at = (simMs: number) => {
    const minute = (simMs - start) / MINUTE;
    const whole = Math.floor(minute);
    return instantOf(day, whole, hall.timeZone) + Math.round((minute - whole) * MINUTE);
  };
  const tickets = new Map<SimCustomer, PastTicket>();
  for (const [i, customer] of customers.entries()) {
    const issuedAt = at(customer.ticket.queuedAt);
    tickets.set(customer, {
      key: `${day}-${i}`,
      day,
      weekday,
      hour: customer.hour,
      number: customer.ticket.number,
      serviceId: customer.ticket.serviceId,
      tier: customer.ticket.tier,
      channel: customer.ticket.tier === 'appointment' ? 'appointment' : channelOf(random),
      lang: random.chance(0.05) ? 'en' : 'zh',
      status: 'cancelled',
      issuedAt,
      calledAt: null,
      servingAt: null,
      finishedAt: at(customer.ticket.queuedAt + customer.patienceMinutes * MINUTE),
      counterId: null,
      endReason: 'holder',
      call: null,
      passedOver: 0,
      rating: null,
      dimensions: null,
    });
  }
  simulateDay({
    hall,
    profile,
    policy,
    day: n,
    customers,
    hooks: {
      called: (customer, waitMinutes, choice, counter) => {
        const t = tickets.get(customer)!;
        const calledAt = at(customer.ticket.queuedAt + waitMinutes * MINUTE);
        Object.assign(t, {
          calledAt,
          counterId: counter.id,
          endReason: null,
          call: choice.explanation,
          status: customer.noShow ? 'no-show' : 'done',
        });
      },
      finished: (customer, minutes) => {
        const t = tickets.get(customer)!;
        t.finishedAt = t.calledAt! + Math.round(minutes * MINUTE);
        if (customer.noShow) return;
        // The customer walks up within the first minute (never past the end of the service).
        t.servingAt = t.calledAt! + Math.round(Math.min(minutes / 2, 0.2 + random.next() * 0.8) * MINUTE);
        rate(t, random, (t.calledAt! - t.issuedAt) / MINUTE);
      },
    },
  });
  for (const [customer, t] of tickets) t.passedOver = customer.ticket.passedOver;
  return [...tickets.values()];
}

function channelOf(random: Random): PastTicket['channel'] {
  return random.pick([
    ['kiosk', 0.82],
    ['reception', 0.1],
    ['mobile', 0.08],
  ] as const);
}

const SERVQUAL_DIMENSIONS = 5;

/**
 * Six in ten served customers rate; a long wait costs stars (the seed's 峰终: the worst moment is
 * remembered). Half the raters also score the five SERVQUAL dimensions, near their overall score.
 */
function rate(t: PastTicket, random: Random, waitedMinutes: number): void {
  if (!random.chance(0.6)) return;
  const x = random.next() + Math.min(0.35, Math.max(0, waitedMinutes - 15) / 60);
  t.rating = x < 0.55 ? 5 : x < 0.85 ? 4 : x < 0.95 ? 3 : x < 1.05 ? 2 : 1;
  if (!random.chance(0.5)) return;
  const score = t.rating;
  t.dimensions = Array.from({ length: SERVQUAL_DIMENSIONS }, () =>
    Math.min(5, Math.max(1, score + Math.round((random.next() - 0.5) * 1.6))),
  );
}
