/**
 * The hall simulator from the command line:
 *   node --import tsx scripts/sim.ts [--profile demo|saturday|lunch|all] [--seeds reporting|tuning|1-10|7]
 *     [--days 30] [--json]
 * Every routing policy on each profile, over each seed (the same customers for every policy), as the
 * mean and spread over the seeds; the hall's rule against its goals; the ETA against its targets; and,
 * without --json, the staffing advice checked in the simulator. With --json: one JSON object per profile
 * {profile, days, seeds, policies:[…], eta:{mae, naiveMae, coverage80, …}} (minutes and percent), or
 * {days, seeds, profiles:[…]} for all of them.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { counterServiceWeights, DEMO_HALL, type HallConfig } from '../server/config.ts';
import { DEFAULT_ROUTING, type HallqRouting } from '../server/domain/routing.ts';
import type { SimHall } from '../server/domain/sim/hall-day.ts';
import { SIM_PROFILES } from '../server/domain/sim/profiles.ts';
import {
  type PolicySummary,
  REPORTING_SEEDS,
  type SeedsReport,
  type Spread,
  simulateSeeds,
  TUNING_SEEDS,
} from '../server/domain/sim/seeds.ts';
import { DEFAULT_WARMUP_DAYS } from '../server/domain/sim/simulate.ts';
import { checkStaffingAdvice, type StaffingCheck } from '../server/domain/sim/staffing-check.ts';
import { DEFAULT_SERVICE_LEVEL } from '../server/domain/staffing.ts';

/** The ETA must beat the naive estimate by this factor on mean absolute error… */
export const ETA_MAE_RATIO_TARGET = 0.6;
/** …and its 80% interval must hold this share of actual waits (percent). */
export const ETA_COVERAGE_TARGET = { low: 75, high: 85 } as const;
/** The hall's rule may be this much slower than strict priority for VIP and elderly customers (p90, minutes). */
export const PRIORITY_P90_SLACK = 1;

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

export type ProfileRun = { report: SeedsReport; staffing: StaffingCheck | null };

/**
 * Simulates the demo hall under a profile over the seeds; the staffing check (two more quick
 * simulations, on the first seed) only when asked.
 */
export function runProfile(
  name: string,
  run: { days: number; seeds: readonly number[] },
  withStaffing: boolean,
): ProfileRun {
  const profile = SIM_PROFILES[name];
  if (!profile) throw new Error(`unknown profile ${name}: one of ${Object.keys(SIM_PROFILES).join(', ')}`);
  const hall = simHallOf(DEMO_HALL);
  const report = simulateSeeds({ hall, profile, ...run });
  const staffing = withStaffing
    ? checkStaffingAdvice(report.history, { hall, profile, days: run.days, seed: run.seeds[0]! })
    : null;
  return { report, staffing };
}

/** One goal of the hall's rule against the baselines, as the simulator measured it. */
export type Goal = { goal: string; figure: string; target: string; met: boolean };

/** The hall's rule (`hallq`) against the goals it was chosen for, over the seeds' means. */
export function routingGoals(report: SeedsReport, bound: HallqRouting = DEFAULT_ROUTING): Goal[] {
  const by = (name: string) => report.policies.find((p) => p.name === name)!;
  const [hallq, fifo, strict] = [by('hallq'), by('fifo-per-service'), by('strict-priority')];
  const bestWithin = Math.max(fifo.withinTargetPct, strict.withinTargetPct);
  return [
    {
      goal: 'within target',
      figure: `${hallq.withinTargetPct}%`,
      target: `≥ ${bestWithin}% (best of FIFO ${fifo.withinTargetPct}%, strict ${strict.withinTargetPct}%)`,
      met: hallq.withinTargetPct >= bestWithin,
    },
    {
      goal: 'VIP p90 wait',
      figure: `${hallq.vipP90Wait} min`,
      target: `≤ ${round2(strict.vipP90Wait + PRIORITY_P90_SLACK)} (strict ${strict.vipP90Wait} + ${PRIORITY_P90_SLACK})`,
      met: hallq.vipP90Wait <= strict.vipP90Wait + PRIORITY_P90_SLACK,
    },
    {
      goal: 'elderly p90 wait',
      figure: `${hallq.elderlyP90Wait} min`,
      target: `≤ ${round2(strict.elderlyP90Wait + PRIORITY_P90_SLACK)} (strict ${strict.elderlyP90Wait} + ${PRIORITY_P90_SLACK})`,
      met: hallq.elderlyP90Wait <= strict.elderlyP90Wait + PRIORITY_P90_SLACK,
    },
    {
      goal: 'customers leaving',
      figure: `${hallq.leftPct}%`,
      target: `≤ ${fifo.leftPct}% (FIFO)`,
      met: hallq.leftPct <= fifo.leftPct,
    },
    {
      goal: 'the bound: most times passed over',
      figure: String(hallq.mostPassOvers),
      target: `≤ ${bound.maxPassOvers} (maxPassOvers)`,
      met: hallq.mostPassOvers <= bound.maxPassOvers,
    },
    {
      // The time bound puts a ticket first (after priority customers) once it has waited that long; it
      // cannot cap the wait while the hall has fewer counters than customers, under any rule.
      goal: `waited past ${bound.maxWaitFactor} × target`,
      figure: `${hallq.overBoundPct}% of calls, longest ${hallq.maxWait} min`,
      target: `0% (FIFO ${fifo.overBoundPct}% / ${fifo.maxWait} min, strict ${strict.overBoundPct}% / ${strict.maxWait} min)`,
      met: hallq.overBoundPct === 0,
    },
  ];
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The report as JSON: figures are means over the seeds, each with its spread. */
export function toJson({ history: _history, ...report }: SeedsReport): object {
  return report;
}

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells
    .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '))
    .join('\n');
}

const pm = (mean: number, spread: Spread) => `${mean} ± ${spread.sd}`;

export function seedsText(seeds: readonly number[]): string {
  const which = seeds === REPORTING_SEEDS ? 'reporting ' : seeds === TUNING_SEEDS ? 'tuning ' : '';
  const contiguous = seeds.every((s, i) => i === 0 || s === seeds[i - 1]! + 1);
  const list = contiguous && seeds.length > 2 ? `${seeds[0]}–${seeds.at(-1)}` : seeds.join(', ');
  return `${which}seed${seeds.length > 1 ? 's' : ''} ${list}`;
}

export function toText({ report, staffing }: ProfileRun, seeds: readonly number[]): string {
  const profile = SIM_PROFILES[report.profile]!;
  const policyRow = (p: PolicySummary) => [
    p.name,
    pm(p.avgWait, p.spread.avgWait),
    pm(p.p90Wait, p.spread.p90Wait),
    pm(p.maxWait, p.spread.maxWait),
    `${pm(p.withinTargetPct, p.spread.withinTargetPct)}%`,
    pm(p.vipP90Wait, p.spread.vipP90Wait),
    pm(p.elderlyP90Wait, p.spread.elderlyP90Wait),
    `${pm(p.leftPct, p.spread.leftPct)}%`,
    p.mostPassOvers,
  ];
  const lines = [
    `HallQ hall simulator: profile ${report.profile} (${WEEKDAYS[profile.weekday]}), ${report.days} days after ${DEFAULT_WARMUP_DAYS} unmeasured, ${seedsText(seeds)}: mean ± standard deviation over the seeds`,
    '',
    table(
      [
        'policy',
        'avg wait',
        'p90 wait',
        'max wait',
        'within target',
        'VIP p90',
        'elderly p90',
        'left unserved',
        'most passed over',
      ],
      report.policies.map(policyRow),
    ),
    'Waits in minutes over called tickets; "within target" counts those who left unserved as missed.',
    '',
    "The hall's rule (hallq) against its goals:",
    table(
      ['goal', 'hallq', 'target', 'result'],
      routingGoals(report).map((g) => [g.goal, g.figure, g.target, g.met ? 'met' : 'MISSED']),
    ),
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
            `${pm(eta.mae, eta.spread.mae)} min (naive ${pm(eta.naiveMae, eta.spread.naiveMae)}: ×${ratio.toFixed(2)})`,
            `≤ ×${ETA_MAE_RATIO_TARGET}`,
            ratio <= ETA_MAE_RATIO_TARGET ? 'met' : 'MISSED',
          ],
          [
            '80% interval coverage',
            `${pm(eta.coverage80, eta.spread.coverage80)}%`,
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
      `Staffing advice (Erlang C, ${100 * DEFAULT_SERVICE_LEVEL.share}% within ${DEFAULT_SERVICE_LEVEL.waitMinutes} min, one pool of counters), ${WEEKDAYS[profile.weekday]}, seed ${report.seeds[0]}:`,
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

/** `reporting`, `tuning`, `a-b` or `a,b,c`. */
export function parseSeeds(text: string): readonly number[] {
  if (text === 'reporting') return REPORTING_SEEDS;
  if (text === 'tuning') return TUNING_SEEDS;
  const span = /^(\d+)-(\d+)$/.exec(text);
  const seeds = span
    ? Array.from({ length: Number(span[2]) - Number(span[1]) + 1 }, (_, i) => Number(span[1]) + i)
    : text.split(',').map(Number);
  if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s) || s < 0))
    throw new Error('--seeds: reporting, tuning, a range such as 1-10 or a list such as 1,2,3');
  return seeds;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      profile: { type: 'string', default: 'all' },
      days: { type: 'string', default: '30' },
      seeds: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const days = Number(values.days);
  if (!Number.isInteger(days) || days < 1)
    throw new Error('--days must be a whole number of days, at least 1');
  if (values.seed !== undefined && values.seeds !== undefined)
    throw new Error('give --seed or --seeds, not both');
  const seeds = parseSeeds(values.seeds ?? values.seed ?? 'reporting');
  const names = values.profile === 'all' ? Object.keys(SIM_PROFILES) : [values.profile];
  const runs = names.map((name) => runProfile(name, { days, seeds }, !values.json));
  if (values.json) {
    const reports = runs.map((r) => toJson(r.report));
    const out = reports.length === 1 ? reports[0] : { days, seeds, profiles: reports };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } else process.stdout.write(runs.map((r) => toText(r, seeds)).join('\n'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
