/**
 * The hall simulator as a benchmark: both profiles over 30 days (seed 7), the routing policies side by
 * side, the ETA against its targets, and the staffing advice checked in the simulator. About half a
 * minute on two cores, nearly all of it the ETA's forward runs on the busy Saturday.
 */
import { ETA_COVERAGE_TARGET, ETA_MAE_RATIO_TARGET, runProfile } from '../../scripts/sim.ts';
import { DEFAULT_SERVICE_LEVEL } from '../../server/domain/staffing.ts';
import type { BenchRow } from './lib.ts';

const DAYS = 30;
const SEED = 7;

/** Synchronous work behind an async face, as the bench runner expects of every benchmark. */
export async function benchSimulation(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const profile of ['demo', 'saturday']) {
    const { report, staffing } = runProfile(profile, DAYS, SEED, true);
    const fifo = report.policies.find((p) => p.name === 'fifo-per-service');
    for (const p of report.policies) {
      // The baselines are shown for comparison; the hall's rule is held to what its bound is for.
      const hallq = p.name === 'hallq' && fifo;
      rows.push({
        name: `sim ${profile} ${p.name}`,
        figure: `avg ${p.avgWait} · p90 ${p.p90Wait} · max ${p.maxWait} min · ${p.withinTargetPct}% within target · VIP p90 ${p.vipP90Wait} min · ${p.abandonedPct}% left`,
        target: hallq ? `max wait ≤ fifo-per-service’s ${fifo.maxWait} min` : '—',
        ok: hallq ? p.maxWait <= fifo.maxWait : null,
      });
    }
    const { eta } = report;
    if (eta) {
      const ratio = eta.naiveMae === 0 ? 0 : eta.mae / eta.naiveMae;
      rows.push(
        {
          name: `eta ${profile} mean absolute error`,
          figure: `${eta.mae} min vs naive ${eta.naiveMae} (×${ratio.toFixed(2)}, ${eta.predictions} tickets)`,
          target: `≤ ×${ETA_MAE_RATIO_TARGET} naive`,
          ok: ratio <= ETA_MAE_RATIO_TARGET,
        },
        {
          name: `eta ${profile} 80% interval coverage`,
          figure: `${eta.coverage80}%`,
          target: `${ETA_COVERAGE_TARGET.low}–${ETA_COVERAGE_TARGET.high}%`,
          ok: eta.coverage80 >= ETA_COVERAGE_TARGET.low && eta.coverage80 <= ETA_COVERAGE_TARGET.high,
        },
      );
    }
    const levelPct = 100 * DEFAULT_SERVICE_LEVEL.share;
    if (staffing)
      rows.push({
        name: `staffing ${profile} advised counters in the simulator`,
        figure: `${staffing.withAdvicePct}% within target (one fewer each hour: ${staffing.withOneFewerPct}%)`,
        target: `≥ ${levelPct}% within target`,
        ok: staffing.withAdvicePct >= levelPct,
      });
  }
  return rows;
}
