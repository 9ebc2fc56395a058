/**
 * When the hall expects a counter serving a service to open, while none does: the service's opening
 * hours, and the hall's own staffing plan as its past weeks show it — the hours of this weekday in which
 * a counter serving the service usually called someone (on at least half of those days, by the hour the
 * tickets were issued, as the staffing advice counts). Read once per local day; cheap per question.
 */
import type { Db } from '../db/open.ts';
import { createStaffedHoursRepository } from '../db/staffed-hours.ts';
import type { Clock } from '../domain/clock.ts';
import { addDays, instantOf, localTime } from '../domain/hall-time.ts';

/** The weeks of calls the plan is read from. */
const PLAN_DAYS = 56;
/** A counter is expected at an hour it was staffed on at least this share of the weekday's days. */
const USUALLY = 0.5;

export type OpeningOutlookDeps = {
  db: Db;
  clock: Clock;
  /** Read on every question: the manager may change them. */
  timeZone: () => string;
  /** Opening and closing of the service, in minutes since local midnight. */
  hoursOf: (serviceId: string) => readonly [number, number];
  /** Counters that serve the service. */
  countersOf: (serviceId: string) => readonly string[];
};

export function createOpeningOutlook(deps: OpeningOutlookDeps) {
  const past = createStaffedHoursRepository(deps.db);
  /** Per weekday and hour, the counters usually staffed; read for `day`. */
  let plan: { day: string; staffed: Map<string, Set<string>>; known: boolean } | null = null;

  function planFor(today: string) {
    if (plan?.day === today) return plan;
    const since = addDays(today, -PLAN_DAYS);
    const daysOf = past.daysPerWeekday(since, today);
    const staffed = new Map<string, Set<string>>();
    for (const r of past.staffed(since, today)) {
      if (r.days < USUALLY * (daysOf.get(r.weekday) ?? 0)) continue;
      const key = `${r.weekday}@${r.hour}`;
      const counters = staffed.get(key) ?? new Set<string>();
      counters.add(r.counter_id);
      staffed.set(key, counters);
    }
    plan = { day: today, staffed, known: staffed.size > 0 };
    return plan;
  }

  /**
   * The next instant, after now and within the service's hours, at which a counter serving it is
   * expected: an hour it is usually staffed, or its opening time when the hall has no plan yet. Null
   * when nothing says (no plan and within the hours, or no staffed hour in the week ahead).
   */
  function expectedOpen(serviceId: string): number | null {
    const now = deps.clock.now();
    const timeZone = deps.timeZone();
    const local = localTime(now, timeZone);
    const { staffed, known } = planFor(local.day);
    const counters = deps.countersOf(serviceId);
    const [open, close] = deps.hoursOf(serviceId);
    if (!known) {
      if (local.minuteOfDay < open) return instantOf(local.day, open, timeZone);
      return local.minuteOfDay >= close ? instantOf(addDays(local.day, 1), open, timeZone) : null;
    }
    for (let d = 0; d <= 7; d++) {
      const day = addDays(local.day, d);
      const weekday = (local.weekday + d) % 7;
      const after = d === 0 ? local.minuteOfDay : -1;
      // The opening minute, then the start of each later hour before closing.
      const starts = [open];
      for (let m = (Math.floor(open / 60) + 1) * 60; m < close; m += 60) starts.push(m);
      for (const minute of starts) {
        if (minute <= after) continue;
        const usual = staffed.get(`${weekday}@${Math.floor(minute / 60)}`);
        if (counters.some((c) => usual?.has(c))) return instantOf(day, minute, timeZone);
      }
    }
    return null;
  }

  return { expectedOpen };
}
