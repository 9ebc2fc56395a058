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

/** One ticket as statistics see it: minutes, or null where the step never happened. */
export type StatTicket = {
  status: 'waiting' | 'called' | 'serving' | 'done' | 'no-show' | 'cancelled';
  unservedAtClosing: boolean;
  waitMinutes: number | null;
  serviceMinutes: number | null;
  waitTargetMinutes: number;
};

/** Accumulates tickets into the figures of one group (the whole range, a service, a counter, an hour). */
export class GroupAccumulator {
  tickets = 0;
  served = 0;
  noShows = 0;
  cancelled = 0;
  unservedAtClosing = 0;
  private waits: number[] = [];
  private services: number[] = [];
  private withinTarget = 0;

  add(t: StatTicket): void {
    this.tickets++;
    if (t.status === 'done') this.served++;
    else if (t.status === 'no-show') this.noShows++;
    else if (t.status === 'cancelled') {
      if (t.unservedAtClosing) this.unservedAtClosing++;
      else this.cancelled++;
    }
    if (t.waitMinutes !== null) {
      this.waits.push(t.waitMinutes);
      if (t.waitMinutes <= t.waitTargetMinutes) this.withinTarget++;
    }
    if (t.serviceMinutes !== null) this.services.push(t.serviceMinutes);
  }

  /** Within target: the share of called tickets whose wait was within their service's target. */
  figures(key: string): SummaryGroup {
    return {
      key,
      tickets: this.tickets,
      served: this.served,
      noShows: this.noShows,
      cancelled: this.cancelled,
      waitMinutes: minuteFigures(this.waits),
      serviceMinutes: minuteFigures(this.services),
      withinTargetPct: this.waits.length === 0 ? null : round1((100 * this.withinTarget) / this.waits.length),
    };
  }
}
