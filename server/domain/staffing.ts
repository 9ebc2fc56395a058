import { DEFAULT_SERVICE_MINUTES } from './eta.ts';
import type { HallHistory } from './history.ts';

/**
 * Staffing by Erlang C: the M/M/c queue (Poisson arrivals, exponential service, c counters, first come
 * first served, nobody leaves). `load` is the offered load in Erlangs: arrivals per hour × service
 * minutes ÷ 60, i.e. how many counters the work would keep busy all the time.
 */

/** The probability that an arrival has to wait (Erlang C); 1 when the counters cannot keep up. */
export function erlangC(load: number, counters: number): number {
  if (load <= 0) return 0;
  if (counters <= load) return 1;
  // Erlang B by its recursion, which never overflows the way the textbook factorials do.
  let blocking = 1;
  for (let k = 1; k <= counters; k++) blocking = (load * blocking) / (k + load * blocking);
  return (counters * blocking) / (counters - load * (1 - blocking));
}

/** The share of customers called within `targetMinutes`: 1 − C · e^(−(c − A) · t / S). */
export function withinTargetShare(
  arrivalsPerHour: number,
  serviceMinutes: number,
  counters: number,
  targetMinutes: number,
): number {
  const load = (arrivalsPerHour * serviceMinutes) / 60;
  if (counters <= load) return 0;
  return 1 - erlangC(load, counters) * Math.exp((-(counters - load) * targetMinutes) / serviceMinutes);
}

/** The mean wait in minutes: C · S ÷ (c − A). */
export function meanWaitMinutes(arrivalsPerHour: number, serviceMinutes: number, counters: number): number {
  const load = (arrivalsPerHour * serviceMinutes) / 60;
  if (counters <= load) return Number.POSITIVE_INFINITY;
  return (erlangC(load, counters) * serviceMinutes) / (counters - load);
}

/** The service standard to staff for, e.g. 80% of customers called within 15 minutes. */
export type ServiceLevel = { waitMinutes: number; share: number };

export const DEFAULT_SERVICE_LEVEL: ServiceLevel = { waitMinutes: 15, share: 0.8 };

/** The fewest counters that meet the service level (0 when nobody comes). */
export function countersNeeded(arrivalsPerHour: number, serviceMinutes: number, level: ServiceLevel): number {
  if (arrivalsPerHour <= 0) return 0;
  let counters = Math.max(1, Math.ceil((arrivalsPerHour * serviceMinutes) / 60));
  while (withinTargetShare(arrivalsPerHour, serviceMinutes, counters, level.waitMinutes) < level.share)
    counters++;
  return counters;
}

export type HourAdvice = {
  weekday: number;
  hour: number;
  arrivalsPerHour: number;
  /** Mean service minutes, weighted by each service's arrivals. */
  serviceMinutes: number;
  counters: number;
  /** The share within the wait target that Erlang C expects with that many counters. */
  expectedWithinShare: number;
};

/** What the advice reads of a history: a HallHistory, or the same figures gathered from rollups. */
export type StaffingHistory = Pick<HallHistory, 'services' | 'arrivalsPerHour' | 'meanServiceMinutes'>;

/**
 * Counters needed for each hour of each weekday, from the hall's history. The hall is taken as one pool
 * (every counter serves every service): where services are tied to a single counter (VIP, complaints)
 * the real need is higher, so read it as the least to open.
 */
export function adviseStaffing(
  history: StaffingHistory,
  weekdays: readonly number[],
  hours: readonly number[],
  level: ServiceLevel = DEFAULT_SERVICE_LEVEL,
): HourAdvice[] {
  // In one fixed order, so the sums come out the same to the last bit however the history was filled.
  const services = [...history.services()].sort();
  return weekdays.flatMap((weekday) =>
    hours.map((hour) => {
      let arrivalsPerHour = 0;
      let work = 0;
      for (const serviceId of services) {
        const rate = history.arrivalsPerHour(weekday, hour, serviceId);
        arrivalsPerHour += rate;
        work += rate * (history.meanServiceMinutes(serviceId, hour) ?? DEFAULT_SERVICE_MINUTES);
      }
      const serviceMinutes = arrivalsPerHour > 0 ? work / arrivalsPerHour : DEFAULT_SERVICE_MINUTES;
      const counters = countersNeeded(arrivalsPerHour, serviceMinutes, level);
      return {
        weekday,
        hour,
        arrivalsPerHour,
        serviceMinutes,
        counters,
        expectedWithinShare:
          counters === 0
            ? 1
            : withinTargetShare(arrivalsPerHour, serviceMinutes, counters, level.waitMinutes),
      };
    }),
  );
}
