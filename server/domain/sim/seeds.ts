import type { HallHistory } from '../history.ts';
import type { RoutingPolicyName } from '../routing.ts';
import { type EtaFigures, type PolicyFigures, type SimOptions, simulate } from './simulate.ts';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Seeds the hall's routing rule was tuned on (demo and Saturday profiles only); never reported. */
export const TUNING_SEEDS: readonly number[] = range(101, 110);
/** Seeds the simulator reports on; never tuned on. */
export const REPORTING_SEEDS: readonly number[] = range(1, 10);

/** How a figure varied over the seeds: standard deviation, lowest and highest. */
export type Spread = { sd: number; min: number; max: number };

/** The policies' figures summarised over seeds, and where each comes from in one seed's figures. */
const FIGURES = {
  avgWait: (p: PolicyFigures) => p.avgWait,
  p90Wait: (p: PolicyFigures) => p.p90Wait,
  maxWait: (p: PolicyFigures) => p.maxWait,
  withinTargetPct: (p: PolicyFigures) => p.withinTargetPct,
  vipP90Wait: (p: PolicyFigures) => p.vipP90Wait,
  elderlyP90Wait: (p: PolicyFigures) => p.elderlyP90Wait,
  leftPct: (p: PolicyFigures) => p.abandonedPct,
  overBoundPct: (p: PolicyFigures) => p.overBoundPct,
};
type Figure = keyof typeof FIGURES;

/** A policy's figures over the seeds: each the mean over the seeds, with its spread. */
export type PolicySummary = {
  name: RoutingPolicyName;
  avgWait: number;
  p90Wait: number;
  maxWait: number;
  withinTargetPct: number;
  vipP90Wait: number;
  elderlyP90Wait: number;
  /** Percent of tickets whose customer left unserved (`abandonedPct` of each seed). */
  leftPct: number;
  /** Percent of called tickets that waited past the hall's time bound. */
  overBoundPct: number;
  /** The most times any ticket was passed over, on any seed. */
  mostPassOvers: number;
  spread: Record<Figure, Spread>;
};

/** The ETA's figures over the seeds: each the mean over the seeds, with the spread of the first three. */
export type EtaSummary = Omit<EtaFigures, 'predictions' | 'fallbacks' | 'calledAtOnce'> & {
  /** Summed over the seeds. */
  predictions: number;
  fallbacks: number;
  calledAtOnce: number;
  spread: Record<'mae' | 'naiveMae' | 'coverage80', Spread>;
};

export type SeedsReport = {
  profile: string;
  days: number;
  seeds: number[];
  policies: PolicySummary[];
  eta: EtaSummary | null;
  /** What the hall learned on the first seed under its own rule: for staffing advice. */
  history: HallHistory;
};

const round2 = (x: number) => Math.round(x * 100) / 100;

function summary(xs: readonly number[]): { mean: number; spread: Spread } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / Math.max(1, xs.length - 1);
  return {
    mean: round2(mean),
    spread: { sd: round2(Math.sqrt(variance)), min: Math.min(...xs), max: Math.max(...xs) },
  };
}

/** Simulates the profile once per seed (the same days and options) and summarises the figures. */
export function simulateSeeds(options: Omit<SimOptions, 'seed'> & { seeds: readonly number[] }): SeedsReport {
  if (options.seeds.length === 0) throw new Error('simulateSeeds needs at least one seed');
  const reports = options.seeds.map((seed) => simulate({ ...options, seed }));
  const policies = reports[0]!.policies.map(({ name }, i): PolicySummary => {
    const runs = reports.map((r) => r.policies[i]!);
    const figures = Object.keys(FIGURES) as Figure[];
    const summaries = new Map(figures.map((k) => [k, summary(runs.map(FIGURES[k]))]));
    const mean = (k: Figure) => summaries.get(k)!.mean;
    return {
      name,
      avgWait: mean('avgWait'),
      p90Wait: mean('p90Wait'),
      maxWait: mean('maxWait'),
      withinTargetPct: mean('withinTargetPct'),
      vipP90Wait: mean('vipP90Wait'),
      elderlyP90Wait: mean('elderlyP90Wait'),
      leftPct: mean('leftPct'),
      overBoundPct: mean('overBoundPct'),
      mostPassOvers: Math.max(...runs.map((p) => p.mostPassOvers)),
      spread: Object.fromEntries(figures.map((k) => [k, summaries.get(k)!.spread])) as Record<Figure, Spread>,
    };
  });
  const etas = reports.flatMap((r) => (r.eta ? [r.eta] : []));
  let eta: EtaSummary | null = null;
  if (etas.length > 0) {
    const mae = summary(etas.map((e) => e.mae));
    const naiveMae = summary(etas.map((e) => e.naiveMae));
    const coverage80 = summary(etas.map((e) => e.coverage80));
    const total = (pick: (e: EtaFigures) => number) => etas.reduce((n, e) => n + pick(e), 0);
    eta = {
      mae: mae.mean,
      naiveMae: naiveMae.mean,
      coverage80: coverage80.mean,
      predictions: total((e) => e.predictions),
      fallbacks: total((e) => e.fallbacks),
      calledAtOnce: total((e) => e.calledAtOnce),
      spread: { mae: mae.spread, naiveMae: naiveMae.spread, coverage80: coverage80.spread },
    };
  }
  return {
    profile: options.profile.name,
    days: options.days,
    seeds: [...options.seeds],
    policies,
    eta,
    history: reports[0]!.history,
  };
}
