/**
 * The hall simulator as a benchmark: every profile over 30 days on the reporting seeds (never tuned on),
 * the hall's rule against its goals beside the baselines, the ETA against its targets, and the staffing
 * advice checked in the simulator. A few minutes on two cores, nearly all of it the ETA's forward plays.
 */
import {
  ETA_COVERAGE_TARGET,
  ETA_MAE_RATIO_TARGET,
  routingGoals,
  runProfile,
  seedsText,
} from '../../scripts/sim.ts';
import { SIM_PROFILES } from '../../server/domain/sim/profiles.ts';
import { REPORTING_SEEDS } from '../../server/domain/sim/seeds.ts';
import { DEFAULT_SERVICE_LEVEL } from '../../server/domain/staffing.ts';
import type { BenchRow } from './lib.ts';

const DAYS = 30;

/** Synchronous work behind an async face, as the bench runner expects of every benchmark. */
export async function benchSimulation(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const profile of Object.keys(SIM_PROFILES)) {
    const { report, staffing } = runProfile(profile, { days: DAYS, seeds: REPORTING_SEEDS }, true);
    for (const p of report.policies)
      rows.push({
        name: `sim ${profile} ${p.name} (${seedsText(REPORTING_SEEDS)}, means)`,
        figure: `avg ${p.avgWait} · p90 ${p.p90Wait} · max ${p.maxWait} min · ${p.withinTargetPct}% (± ${p.spread.withinTargetPct.sd}) within target · VIP p90 ${p.vipP90Wait} · elderly p90 ${p.elderlyP90Wait} min · ${p.leftPct}% left`,
        target: '—',
        ok: null,
      });
    for (const goal of routingGoals(report))
      rows.push({
        name: `  hallq ${profile}: ${goal.goal}`,
        figure: goal.figure,
        target: goal.target,
        ok: goal.met,
      });
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
          figure: `${eta.coverage80}% (${eta.spread.coverage80.min}–${eta.spread.coverage80.max} by seed)`,
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
