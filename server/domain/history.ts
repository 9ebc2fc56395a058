import type { Tier } from '../contract/api.ts';
import { MINUTE } from './clock.ts';

/** One ticket issued on a completed day, as the hall's history keeps it. */
export type PastArrival = { hour: number; serviceId: string; tier: Tier };

/** Samples kept per service and hour: recent enough to follow a change, many enough for quantiles. */
const SAMPLES_KEPT = 400;
/** Below this many samples in an hour, the service's samples of every hour are used instead. */
const ENOUGH_SAMPLES = 30;
/** Waits kept for the patience estimate. */
const WAITS_KEPT = 5000;
/**
 * New waits before the patience estimate is worked out again: it moves slowly, and sorting thousands of
 * waits before every prediction would cost more than the prediction itself.
 */
const WAITS_PER_REFRESH = 50;

/**
 * What the hall has learned from its own days: how long each service takes at each hour, and how many
 * tickets of each service and tier arrive at each hour of each weekday. Hours are local hours of the hall.
 * Service times include the counter time of no-shows (the call, the recall, the wait), because a no-show
 * keeps the counter just as busy while it lasts.
 */
export class HallHistory {
  private readonly samples = new Map<string, number[]>();
  private readonly sorted = new Map<string, readonly number[]>();
  private readonly arrivals = new Map<string, number>();
  private readonly tiers = new Map<string, Map<Tier, number>>();
  private readonly daysPerWeekday = new Array<number>(7).fill(0);
  private readonly serviceIds = new Set<string>();
  private readonly waits: { minutes: number; left: boolean }[] = [];
  private patience: { minutes: number; survival: number }[] | null = null;
  private waitsSinceRefresh = 0;

  /** A finished call: the minutes the counter spent on it, by the hour its service began. */
  addServiceTime(serviceId: string, hour: number, minutes: number): void {
    for (const key of [`${serviceId}@${hour}`, serviceId]) {
      const kept = this.samples.get(key) ?? [];
      this.samples.set(key, kept);
      kept.push(minutes);
      if (kept.length > SAMPLES_KEPT) kept.shift();
      this.sorted.delete(key);
    }
    this.serviceIds.add(serviceId);
  }

  /**
   * A completed opening day and every ticket issued on it. Give whole days only: a day counts once, so a
   * day still under way would lower the rates of the hours it has not reached.
   */
  addDay(weekday: number, issued: readonly PastArrival[]): void {
    this.daysPerWeekday[weekday]!++;
    for (const a of issued) {
      const key = `${weekday}@${a.hour}@${a.serviceId}`;
      this.arrivals.set(key, (this.arrivals.get(key) ?? 0) + 1);
      const shares = this.tiers.get(a.serviceId) ?? new Map<Tier, number>();
      this.tiers.set(a.serviceId, shares);
      shares.set(a.tier, (shares.get(a.tier) ?? 0) + 1);
      this.serviceIds.add(a.serviceId);
    }
  }

  /**
   * How a wait ended: called after `minutes`, or the customer left unserved after `minutes` (cancelled,
   * or gone when called). A call says only that patience was longer: the estimate treats it as censored.
   */
  addWait(minutes: number, left: boolean): void {
    this.waits.push({ minutes, left });
    if (this.waits.length > WAITS_KEPT) this.waits.shift();
    if (++this.waitsSinceRefresh >= WAITS_PER_REFRESH || this.waits.length <= WAITS_PER_REFRESH)
      this.patience = null;
  }

  /**
   * Minutes a customer who has already waited `waited` will wait in all before leaving, for `u` uniform
   * in [0, 1): inverse sampling of the Kaplan–Meier estimate of patience, given patience beyond `waited`.
   * Infinity when the draw falls beyond every departure seen (most customers are called long before
   * their patience is tested).
   */
  patienceMinutes(waited: number, u: number): number {
    const curve = this.patienceCurve();
    // Survival only falls along the curve, so both look-ups are binary searches.
    const firstIndex = (accept: (i: number) => boolean) => {
      let lo = 0;
      let hi = curve.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (accept(mid)) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    };
    const after = firstIndex((i) => curve[i]!.minutes > waited);
    const threshold = u * (after === 0 ? 1 : curve[after - 1]!.survival);
    const leaves = firstIndex((i) => i >= after && curve[i]!.survival <= threshold);
    return leaves < curve.length ? curve[leaves]!.minutes : Number.POSITIVE_INFINITY;
  }

  services(): string[] {
    return [...this.serviceIds];
  }

  /** Service minutes seen for the service at that hour (or at any hour when that hour has too few), ascending. */
  serviceSamples(serviceId: string, hour: number): readonly number[] {
    return this.sortedSamples(this.samplesKey(serviceId, hour));
  }

  meanServiceMinutes(serviceId: string, hour: number): number | null {
    const xs = this.samples.get(this.samplesKey(serviceId, hour)) ?? [];
    if (xs.length === 0) return null;
    // Summed in whole milliseconds, which add up exactly in any order: the same mean however the
    // samples were gathered, with no sort.
    let ms = 0;
    for (const x of xs) ms += Math.round(x * MINUTE);
    return ms / xs.length / MINUTE;
  }

  /** Mean tickets per hour of this service at this hour of this weekday (0 before any such day). */
  arrivalsPerHour(weekday: number, hour: number, serviceId: string): number {
    const days = this.daysPerWeekday[weekday]!;
    return days === 0 ? 0 : (this.arrivals.get(`${weekday}@${hour}@${serviceId}`) ?? 0) / days;
  }

  /** The tiers of the service's tickets with their counts (weights for a draw). */
  tierWeights(serviceId: string): [Tier, number][] {
    return [...(this.tiers.get(serviceId) ?? new Map<Tier, number>([['regular', 1]]))];
  }

  /** Kaplan–Meier: survival of patience just after each minute at which someone left. */
  private patienceCurve(): { minutes: number; survival: number }[] {
    if (this.patience) return this.patience;
    const sorted = [...this.waits].sort((a, b) => a.minutes - b.minutes || Number(b.left) - Number(a.left));
    const curve: { minutes: number; survival: number }[] = [];
    let atRisk = sorted.length;
    let survival = 1;
    for (const w of sorted) {
      if (w.left) {
        survival *= 1 - 1 / atRisk;
        curve.push({ minutes: w.minutes, survival });
      }
      atRisk--;
    }
    this.patience = curve;
    this.waitsSinceRefresh = 0;
    return curve;
  }

  /** The hour's samples when it has enough of them, else the service's of every hour. */
  private samplesKey(serviceId: string, hour: number): string {
    const hourly = `${serviceId}@${hour}`;
    return (this.samples.get(hourly)?.length ?? 0) >= ENOUGH_SAMPLES ? hourly : serviceId;
  }

  private sortedSamples(key: string): readonly number[] {
    let xs = this.sorted.get(key);
    if (!xs) {
      xs = [...(this.samples.get(key) ?? [])].sort((a, b) => a - b);
      this.sorted.set(key, xs);
    }
    return xs;
  }
}
