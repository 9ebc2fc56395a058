import type { MinuteFigures, SummaryGroup } from '../contract/api.ts';

/** Nearest-rank percentile of an ascending array (p in 0..100). */
export function percentile(sortedAscending: readonly number[], p: number): number | null {
  if (sortedAscending.length === 0) return null;
  const rank = Math.ceil((p / 100) * sortedAscending.length);
  return sortedAscending[Math.min(sortedAscending.length, Math.max(1, rank)) - 1]!;
}

const round1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

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
 */
export class MinuteHistogram {
  private counts = new Map<number, number>();
  count = 0;
  sum = 0;

  add(minutes: number): void {
    const tenth = Math.round(minutes * 10);
    this.counts.set(tenth, (this.counts.get(tenth) ?? 0) + 1);
    this.count++;
    this.sum += minutes;
  }

  figures(): MinuteFigures {
    if (this.count === 0) return { avg: null, p50: null, p90: null };
    const tenths = [...this.counts.keys()].sort((a, b) => a - b);
    const at = (p: number) => {
      const rank = Math.max(1, Math.ceil((p / 100) * this.count));
      let seen = 0;
      for (const t of tenths) {
        seen += this.counts.get(t)!;
        if (seen >= rank) return t / 10;
      }
      return tenths[tenths.length - 1]! / 10;
    };
    return { avg: round1(this.sum / this.count), p50: at(50), p90: at(90) };
  }

  /** Adds a stored histogram (the form of `toJSON`) without building it first. */
  mergeStored(data: readonly number[]): void {
    this.count += data[0] ?? 0;
    this.sum += data[1] ?? 0;
    for (let i = 2; i + 1 < data.length; i += 2)
      this.counts.set(data[i]!, (this.counts.get(data[i]!) ?? 0) + data[i + 1]!);
  }

  /** A compact form for storage: [count, sum, tenth, n, tenth, n, …]. */
  toJSON(): number[] {
    const out = [this.count, this.sum];
    for (const [tenth, n] of this.counts) out.push(tenth, n);
    return out;
  }
}

/** One ticket as statistics see it: minutes, or null where the step never happened. */
export type StatTicket = {
  status: 'waiting' | 'called' | 'serving' | 'done' | 'no-show' | 'cancelled';
  unservedAtClosing: boolean;
  waitMinutes: number | null;
  serviceMinutes: number | null;
  waitTargetMinutes: number;
};

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
  }

  totals(): GroupTotals {
    const { tickets, served, noShows, cancelled, unservedAtClosing, withinTarget } = this;
    return {
      ...{ tickets, served, noShows, cancelled, unservedAtClosing, withinTarget },
      waits: this.waits.toJSON(),
      services: this.services.toJSON(),
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
  }

  /** Within target: the share of called tickets whose wait was within their service's target. */
  figures(key: string): SummaryGroup {
    return {
      key,
      tickets: this.tickets,
      served: this.served,
      noShows: this.noShows,
      cancelled: this.cancelled,
      waitMinutes: this.waits.figures(),
      serviceMinutes: this.services.figures(),
      withinTargetPct: this.waits.count === 0 ? null : round1((100 * this.withinTarget) / this.waits.count),
    };
  }
}
