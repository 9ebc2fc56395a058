import type { HallHistory } from '../history.ts';
import { adviseStaffing, DEFAULT_SERVICE_LEVEL, type HourAdvice, type ServiceLevel } from '../staffing.ts';
import type { SimHall } from './hall-day.ts';
import type { SimProfile } from './profiles.ts';
import { simulate } from './simulate.ts';

export type StaffingCheck = {
  advice: HourAdvice[];
  /** Percent within the wait target in the simulator, staffed as advised. */
  withAdvicePct: number;
  /** The same with one counter fewer in every staffed hour: the advice is not padded. */
  withOneFewerPct: number;
};

/**
 * Checks Erlang C's advice against the simulator: the profile's customers, served by a pool of counters
 * that each serve every service (what Erlang C assumes), as many in each hour as advised.
 */
export function checkStaffingAdvice(
  history: HallHistory,
  run: { hall: SimHall; profile: SimProfile; days: number; seed: number },
  level: ServiceLevel = DEFAULT_SERVICE_LEVEL,
): StaffingCheck {
  const { profile } = run;
  const firstHour = Math.floor(profile.open / 60);
  const hours = Array.from({ length: Math.ceil(profile.close / 60) - firstHour }, (_, i) => firstHour + i);
  const advice = adviseStaffing(history, [profile.weekday], hours, level);
  const withinPct = (fewer: number) =>
    simulate({
      ...run,
      ...pooledHall(run.hall, profile, advice, fewer),
      policies: ['hallq'],
      etaRuns: 0,
    }).policies[0]!.withinTargetPct;
  return { advice, withAdvicePct: withinPct(0), withOneFewerPct: withinPct(1) };
}

/** Counter k is on duty in the hours that need at least k counters (`fewer` less, but at least one). */
function pooledHall(hall: SimHall, profile: SimProfile, advice: readonly HourAdvice[], fewer: number) {
  const everything = hall.services.map((s) => ({ serviceId: s.id, weight: 1 }));
  const needed = (a: HourAdvice) => (a.counters === 0 ? 0 : Math.max(1, a.counters - fewer));
  const most = Math.max(0, ...advice.map(needed));
  // The pool works at the staff's average pace, so it carries the same work the history was learned from.
  const paces = Object.values(profile.staff).map((s) => s.speed);
  const speed = paces.reduce((a, b) => a + b, 0) / Math.max(1, paces.length);
  const counters: SimHall['counters'][number][] = [];
  const staff: SimProfile['staff'] = {};
  for (let k = 1; k <= most; k++) {
    const id = `pool-${k}`;
    counters.push({ id, routing: { services: everything, elderlyFirst: false } });
    const shifts: [number, number][] = [];
    for (const a of advice) {
      if (needed(a) < k) continue;
      const from = Math.max(profile.open, a.hour * 60);
      const to = Math.min(profile.close, (a.hour + 1) * 60);
      const last = shifts[shifts.length - 1];
      if (last && last[1] === from) last[1] = to;
      else shifts.push([from, to]);
    }
    staff[id] = { speed, shifts };
  }
  return { hall: { ...hall, counters }, profile: { ...profile, staff } };
}
