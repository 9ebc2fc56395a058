/**
 * The hall simulator from the command line:
 *   node --import tsx scripts/sim.ts --profile demo --days 30 --seed 7 [--json]
 * With --json: one JSON object {policies:[…], eta:{mae, naiveMae, coverage80}} (minutes and percent);
 * without: the same as tables, with the staffing advice checked against the simulator.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { counterServiceWeights, DEMO_HALL, type HallConfig } from '../server/config.ts';
import type { SimHall } from '../server/domain/sim/hall-day.ts';
import { SIM_PROFILES } from '../server/domain/sim/profiles.ts';
import { DEFAULT_WARMUP_DAYS, type SimReport, simulate } from '../server/domain/sim/simulate.ts';
import { checkStaffingAdvice, type StaffingCheck } from '../server/domain/sim/staffing-check.ts';
import { DEFAULT_SERVICE_LEVEL } from '../server/domain/staffing.ts';

/** The ETA must beat the naive estimate by this factor on mean absolute error… */
export const ETA_MAE_RATIO_TARGET = 0.6;
/** …and its 80% interval must hold this share of actual waits (percent). */
export const ETA_COVERAGE_TARGET = { low: 75, high: 85 } as const;

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** The hall as the simulator sees it: each counter with its routing weights, each service with its target. */
export function simHallOf(config: HallConfig): SimHall {
  return {
    services: config.services.map((s) => ({
      id: s.id,
      prefix: s.prefix,
      waitTargetMinutes: s.waitTargetMinutes,
    })),
    counters: config.counters.map((c) => ({
      id: c.id,
      routing: { services: counterServiceWeights(c), elderlyFirst: c.elderlyFirst },
    })),
  };
}

export type ProfileRun = { report: SimReport; staffing: StaffingCheck | null };

/** Simulates the demo hall under a profile; the staffing check costs two more (quick) simulations. */
export function runProfile(name: string, days: number, seed: number, withStaffing: boolean): ProfileRun {
  const profile = SIM_PROFILES[name];
  if (!profile) throw new Error(`unknown profile ${name}: one of ${Object.keys(SIM_PROFILES).join(', ')}`);
  const hall = simHallOf(DEMO_HALL);
  const report = simulate({ hall, profile, days, seed });
  const staffing = withStaffing ? checkStaffingAdvice(report.history, { hall, profile, days, seed }) : null;
  return { report, staffing };
}

export function toJson({ policies, eta }: SimReport): string {
  return JSON.stringify({
    policies,
    eta: eta && { mae: eta.mae, naiveMae: eta.naiveMae, coverage80: eta.coverage80 },
  });
}

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells
    .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '))
    .join('\n');
}

export function toText(name: string, days: number, seed: number, { report, staffing }: ProfileRun): string {
  const profile = SIM_PROFILES[name]!;
  const lines = [
    `HallQ hall simulator: profile ${name} (${WEEKDAYS[profile.weekday]}), ${days} days after ${DEFAULT_WARMUP_DAYS} unmeasured, seed ${seed}`,
    '',
    table(
      ['policy', 'avg wait', 'p90 wait', 'max wait', 'within target', 'VIP p90', 'left unserved'],
      report.policies.map((p) => [
        p.name,
        `${p.avgWait} min`,
        `${p.p90Wait} min`,
        `${p.maxWait} min`,
        `${p.withinTargetPct}%`,
        `${p.vipP90Wait} min`,
        `${p.abandonedPct}%`,
      ]),
    ),
    'Waits over called tickets; "within target" counts those who left unserved as missed.',
  ];
  const { eta } = report;
  if (eta) {
    const ratio = eta.naiveMae === 0 ? 0 : eta.mae / eta.naiveMae;
    const covered = eta.coverage80 >= ETA_COVERAGE_TARGET.low && eta.coverage80 <= ETA_COVERAGE_TARGET.high;
    lines.push(
      '',
      `ETA given at issue (hallq), over ${eta.predictions} tickets that had to queue (${eta.calledAtOnce} called at once, not judged; ${eta.fallbacks} fell back to naive):`,
      table(
        ['measure', 'figure', 'target', 'result'],
        [
          [
            'mean absolute error',
            `${eta.mae} min (naive ${eta.naiveMae}: ×${ratio.toFixed(2)})`,
            `≤ ×${ETA_MAE_RATIO_TARGET}`,
            ratio <= ETA_MAE_RATIO_TARGET ? 'met' : 'MISSED',
          ],
          [
            '80% interval coverage',
            `${eta.coverage80}%`,
            `${ETA_COVERAGE_TARGET.low}–${ETA_COVERAGE_TARGET.high}%`,
            covered ? 'met' : 'MISSED',
          ],
        ],
      ),
    );
  }
  if (staffing) {
    lines.push(
      '',
      `Staffing advice (Erlang C, ${100 * DEFAULT_SERVICE_LEVEL.share}% within ${DEFAULT_SERVICE_LEVEL.waitMinutes} min, one pool of counters), ${WEEKDAYS[profile.weekday]}:`,
      table(
        ['hour', 'tickets/h', 'service', 'counters', 'Erlang C within'],
        staffing.advice.map((a) => [
          `${String(a.hour).padStart(2, '0')}:00`,
          a.arrivalsPerHour.toFixed(1),
          `${a.serviceMinutes.toFixed(1)} min`,
          a.counters,
          `${(100 * a.expectedWithinShare).toFixed(1)}%`,
        ]),
      ),
      `Simulated with the advised counters: ${staffing.withAdvicePct}% within target; with one fewer each hour: ${staffing.withOneFewerPct}%.`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      profile: { type: 'string', default: 'demo' },
      days: { type: 'string', default: '30' },
      seed: { type: 'string', default: '7' },
      json: { type: 'boolean', default: false },
    },
  });
  const days = Number(values.days);
  const seed = Number(values.seed);
  if (!Number.isInteger(days) || days < 1)
    throw new Error('--days must be a whole number of days, at least 1');
  if (!Number.isInteger(seed)) throw new Error('--seed must be a whole number');
  const run = runProfile(values.profile, days, seed, !values.json);
  process.stdout.write(values.json ? `${toJson(run.report)}\n` : toText(values.profile, days, seed, run));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
