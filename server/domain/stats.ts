import { type MinuteFigures, SERVQUAL, type ServqualDimension, type SummaryGroup } from '../contract/api.ts';
import type { Period, RatingFigures } from '../contract/manager.ts';

/** Nearest-rank percentile of an ascending array (p in 0..100). */
export function percentile(sortedAscending: readonly number[], p: number): number | null {
  if (sortedAscending.length === 0) return null;
  const rank = Math.ceil((p / 100) * sortedAscending.length);
  return sortedAscending[Math.min(sortedAscending.length, Math.max(1, rank)) - 1]!;
}

const round1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
const round2 = (x: number) => Math.round(x * 100) / 100;

export function minuteFigures(values: number[]): MinuteFigures {
  if (values.length === 0) return { avg: null, p50: null, p90: null };
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  const asArray = sorted as unknown as number[];
  return {
    avg: round1(sum / sorted.length),
    p50: round1(percentile(asArray, 50)),
    p90: round1(percentile(asArray, 90)),
  };
}

/**
 * Minutes counted in tenths of a minute: exact for the figures the API reports (one decimal), since
 * rounding keeps the order of values and so the nearest-rank element; and histograms of days can be added.
 * Minutes are whole milliseconds (differences of timestamps), and the sum is kept in milliseconds, so it
 * is exact and the same whatever order days, halls or tickets are added in (HQ adds them in another
 * order than the hall does, and must give the same average).
 */
export class MinuteHistogram {
  private counts = new Map<number, number>();
  count = 0;
  private sumMs = 0;

  add(minutes: number): void {
    const tenth = Math.round(minutes * 10);
    this.counts.set(tenth, (this.counts.get(tenth) ?? 0) + 1);
    this.count++;
    this.sumMs += Math.round(minutes * MINUTE_MS);
  }

  figures(): MinuteFigures {
    const tenths = [...this.counts.keys()].sort((a, b) => a - b);
    return minuteFiguresOf(
      this.count,
      this.sumMs,
      tenths,
      tenths.map((t) => this.counts.get(t)!),
    );
  }

  /** Adds a stored histogram (the form of `toJSON`) without building it first. */
  mergeStored(data: readonly number[]): void {
    this.count += data[0] ?? 0;
    this.sumMs += Math.round((data[1] ?? 0) * MINUTE_MS);
    for (let i = 2; i + 1 < data.length; i += 2)
      this.counts.set(data[i]!, (this.counts.get(data[i]!) ?? 0) + data[i + 1]!);
  }

  /** A compact form for storage: [count, sum of minutes, tenth, n, tenth, n, …]. */
  toJSON(): number[] {
    const out = [this.count, this.sumMs / MINUTE_MS];
    for (const [tenth, n] of this.counts) out.push(tenth, n);
    return out;
  }
}

const MINUTE_MS = 60_000;

/**
 * The figures of minutes counted in tenths, given as ascending tenths and their counts: nearest-rank
 * p50 and p90, and the mean rounded half up in integers (floor(sum / (6000 × count) + ½) tenths). The
 * one rule for every histogram, the hall's and HQ's.
 */
export function minuteFiguresOf(
  count: number,
  sumMs: number,
  tenths: ArrayLike<number>,
  counts: ArrayLike<number>,
): MinuteFigures {
  if (count === 0) return { avg: null, p50: null, p90: null };
  const [rank50, rank90] = [50, 90].map((p) => Math.max(1, Math.ceil((p / 100) * count))) as [number, number];
  let p50: number | null = null;
  let p90: number | null = null;
  let seen = 0;
  for (let i = 0; i < tenths.length && p90 === null; i++) {
    seen += counts[i]!;
    if (p50 === null && seen >= rank50) p50 = tenths[i]! / 10;
    if (seen >= rank90) p90 = tenths[i]! / 10;
  }
  const last = tenths.length > 0 ? tenths[tenths.length - 1]! / 10 : null;
  const avgTenths = Math.floor((20 * sumMs + MINUTE_MS * count) / (2 * MINUTE_MS * count));
  return { avg: avgTenths / 10, p50: p50 ?? last, p90: p90 ?? last };
}

/** One ticket as statistics see it: minutes, or null where the step never happened. */
export type StatTicket = {
  status: 'waiting' | 'called' | 'serving' | 'done' | 'no-show' | 'cancelled';
  unservedAtClosing: boolean;
  waitMinutes: number | null;
  serviceMinutes: number | null;
  waitTargetMinutes: number;
  /** The customer's rating of a finished ticket, if any. */
  rating?: { score: number; dimensions: Partial<Record<ServqualDimension, number>> } | null;
};

/** A ticket's times (epoch milliseconds) and outcome, as the hall's ticket rows and HQ's events give them. */
export type TicketTimes = {
  status: StatTicket['status'];
  /** Why a cancelled ticket ended: `closing` counts it as unserved at closing. */
  endReason: string | null;
  issuedAt: number;
  firstCalledAt: number | null;
  servingAt: number | null;
  finishedAt: number | null;
  waitTargetMinutes: number;
  rating: StatTicket['rating'];
};

/**
 * One rule for what a ticket counts as: wait = first call − issue; service = finish − start of serving,
 * for served tickets only. The hall's statistics and HQ's rollups both use it, so they agree.
 */
export function statTicket(t: TicketTimes): StatTicket {
  return {
    status: t.status,
    unservedAtClosing: t.status === 'cancelled' && t.endReason === 'closing',
    waitMinutes: t.firstCalledAt === null ? null : (t.firstCalledAt - t.issuedAt) / MINUTE_MS,
    serviceMinutes:
      t.status === 'done' && t.servingAt !== null && t.finishedAt !== null
        ? (t.finishedAt - t.servingAt) / MINUTE_MS
        : null,
    waitTargetMinutes: t.waitTargetMinutes,
    rating: t.rating,
  };
}

/**
 * Ratings of a group: the count and sum of the overall score and of each SERVQUAL dimension. Scores are
 * integers, so sums are exact and groups add up.
 */
export class RatingAccumulator {
  /** [count, sum] of the score, then of each dimension in SERVQUAL order. */
  private cells = new Array<number>(2 + 2 * SERVQUAL.length).fill(0);

  add(rating: NonNullable<StatTicket['rating']>): void {
    this.cells[0]! += 1;
    this.cells[1]! += rating.score;
    SERVQUAL.forEach((d, i) => {
      const score = rating.dimensions[d];
      if (score === undefined) return;
      this.cells[2 + 2 * i]! += 1;
      this.cells[3 + 2 * i]! += score;
    });
  }

  get count(): number {
    return this.cells[0]!;
  }

  mergeStored(data: readonly number[]): void {
    for (let i = 0; i < this.cells.length; i++) this.cells[i]! += data[i] ?? 0;
  }

  toJSON(): number[] {
    return [...this.cells];
  }

  /** Averages to two decimals (4.53 and 4.57 differ for a manager comparing people). */
  figures(key: string): RatingFigures {
    const avg = (n: number, sum: number) => (n === 0 ? null : round2(sum / n));
    const dimensions = {} as RatingFigures['dimensions'];
    SERVQUAL.forEach((d, i) => {
      const n = this.cells[2 + 2 * i]!;
      dimensions[d] = { count: n, avg: avg(n, this.cells[3 + 2 * i]!) };
    });
    return { key, count: this.cells[0]!, avg: avg(this.cells[0]!, this.cells[1]!), dimensions };
  }
}

/**
 * A group's figures from its counts and minute figures. Within target: the share of called tickets
 * (those with a wait) whose wait was within their service's target.
 */
export function groupFigures(
  key: string,
  c: Pick<GroupTotals, 'tickets' | 'served' | 'noShows' | 'cancelled' | 'withinTarget'>,
  waits: MinuteFigures,
  waitsCount: number,
  services: MinuteFigures,
): SummaryGroup {
  return {
    key,
    tickets: c.tickets,
    served: c.served,
    noShows: c.noShows,
    cancelled: c.cancelled,
    waitMinutes: waits,
    serviceMinutes: services,
    withinTargetPct: waitsCount === 0 ? null : round1((100 * c.withinTarget) / waitsCount),
  };
}

/** The stored form of a group's figures (a closed day's rollup row). */
export type GroupTotals = {
  tickets: number;
  served: number;
  noShows: number;
  cancelled: number;
  unservedAtClosing: number;
  withinTarget: number;
  waits: number[];
  services: number[];
  /** RatingAccumulator's stored form; absent in rollups written before ratings were kept. */
  ratings?: number[];
};

/**
 * Accumulates tickets into the figures of one group (the whole range, a service, a counter, an hour).
 * Groups add up: a year is the sum of its days.
 */
export class GroupAccumulator {
  tickets = 0;
  served = 0;
  noShows = 0;
  cancelled = 0;
  unservedAtClosing = 0;
  private withinTarget = 0;
  private waits = new MinuteHistogram();
  private services = new MinuteHistogram();
  readonly ratings = new RatingAccumulator();

  add(t: StatTicket): void {
    this.tickets++;
    if (t.status === 'done') this.served++;
    else if (t.status === 'no-show') this.noShows++;
    else if (t.status === 'cancelled') {
      if (t.unservedAtClosing) this.unservedAtClosing++;
      else this.cancelled++;
    }
    if (t.waitMinutes !== null) {
      this.waits.add(t.waitMinutes);
      if (t.waitMinutes <= t.waitTargetMinutes) this.withinTarget++;
    }
    if (t.serviceMinutes !== null) this.services.add(t.serviceMinutes);
    if (t.rating) this.ratings.add(t.rating);
  }

  totals(): GroupTotals {
    const { tickets, served, noShows, cancelled, unservedAtClosing, withinTarget } = this;
    return {
      ...{ tickets, served, noShows, cancelled, unservedAtClosing, withinTarget },
      waits: this.waits.toJSON(),
      services: this.services.toJSON(),
      ratings: this.ratings.toJSON(),
    };
  }

  /** Adds a stored group (a closed day's rollup). */
  mergeTotals(t: GroupTotals): void {
    this.tickets += t.tickets;
    this.served += t.served;
    this.noShows += t.noShows;
    this.cancelled += t.cancelled;
    this.unservedAtClosing += t.unservedAtClosing;
    this.withinTarget += t.withinTarget;
    this.waits.mergeStored(t.waits);
    this.services.mergeStored(t.services);
    if (t.ratings) this.ratings.mergeStored(t.ratings);
  }

  /** Adds only the ticket count and ratings of a stored group (where the minute figures are not wanted). */
  mergeCounts(t: Pick<GroupTotals, 'tickets' | 'ratings'>): void {
    this.tickets += t.tickets;
    if (t.ratings) this.ratings.mergeStored(t.ratings);
  }

  figures(key: string): SummaryGroup {
    const { tickets, served, noShows, cancelled, withinTarget } = this;
    const counts = { tickets, served, noShows, cancelled, withinTarget };
    return groupFigures(key, counts, this.waits.figures(), this.waits.count, this.services.figures());
  }
}

// ---------- calendar periods (dates as YYYY-MM-DD, local days of the hall) ----------

const DAY_MS = 86_400_000;
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
const dayOf = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** 0 = Monday … 6 = Sunday, as tickets.weekday. */
export function weekdayOf(day: string): number {
  return (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** The period a day belongs to: the day itself, the Monday of its week, or its month (YYYY-MM). */
export function periodOf(day: string, by: Period): string {
  if (by === 'day') return day;
  if (by === 'month') return day.slice(0, 7);
  return dayOf(dayNumber(day) - weekdayOf(day));
}

/** Every period that a range of days touches, in order (the first week or month may start before `from`). */
export function periodsIn(from: string, to: string, by: Period): string[] {
  const out: string[] = [];
  for (let n = dayNumber(from), end = dayNumber(to); n <= end; n++) {
    const p = periodOf(dayOf(n), by);
    if (out[out.length - 1] !== p) out.push(p);
  }
  return out;
}

/**
 * A range split at the given months (YYYY-MM, in order): those wholly in the range, and the stretches
 * of days around them.
 */
export function splitAtMonths(
  range: { from: string; to: string },
  months: readonly string[],
): { months: string[]; stretches: { from: string; to: string }[] } {
  const whole = months.filter((m) => daysOfMonth(m).from >= range.from && daysOfMonth(m).to <= range.to);
  const stretches: { from: string; to: string }[] = [];
  let from = range.from;
  for (const month of whole) {
    const days = daysOfMonth(month);
    if (from < days.from) stretches.push({ from, to: dayOf(dayNumber(days.from) - 1) });
    from = dayOf(dayNumber(days.to) + 1);
  }
  if (from <= range.to) stretches.push({ from, to: range.to });
  return { months: whole, stretches };
}

/** The first and last day of a month (YYYY-MM). */
export function daysOfMonth(month: string): { from: string; to: string } {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return { from: `${month}-01`, to: dayOf(Date.UTC(year, m, 0) / DAY_MS) };
}
