/**
 * API hq/v1 — what HQ answers (hq/README.md tells the whole of HQ). Browser-safe types;
 * the hall's side of the link (ingest, catalogue) is in server/contract/hq.ts.
 */
import type { MinuteFigures, StatsSummary, Text } from '../server/contract/api.ts';
import type { HqCatalogueService } from '../server/contract/hq.ts';

export { HQ_API_BASE } from '../server/contract/hq.ts';

export const HQ_ROLES = ['hq', 'region'] as const;
export type HqRole = (typeof HQ_ROLES)[number];

export type HqUser = { username: string; name: string; role: HqRole; region: string | null };

export type HqRegion = { id: string; name: string; halls: number };

/** `today` figures of a hall, in its own time zone. */
export type HqToday = {
  tickets: number;
  served: number;
  noShows: number;
  waitMinutes: Pick<MinuteFigures, 'avg' | 'p90'>;
  withinTargetPct: number | null;
  /** The mean 1–5 rating, two decimals. */
  ratingAvg: number | null;
};

/** `GET /hq/v1/halls`: the contract's fields, then what the HQ pages show beside them. */
export type HqHall = {
  id: string;
  name: string;
  region: string;
  lastSeenAt: string | null;
  /** A batch or heartbeat arrived in the last 2 minutes. */
  online: boolean;
  /** How old HQ's picture of the hall is (null: never heard from). */
  lagSeconds: number | null;
  today: HqToday;
  /** The hall's today (YYYY-MM-DD): HQ's clock in the hall's time zone. */
  day: string | null;
  /** The hall's clock minus HQ's at its last batch, when known. */
  clockSkewSeconds: number | null;
  ackedThrough: number;
  appVersion: string | null;
  schemaVersion: number | null;
  /** Events of a seq above `ackedThrough` held while one below is missing. */
  gap: boolean;
  /** The catalogue version the hall runs, and the region's newest. */
  catalogueVersion: number | null;
  latestCatalogueVersion: number | null;
  /** Days the newest catalogue has been published while the hall runs an older one. */
  catalogueBehindDays: number | null;
  /** Today's share within target below 80 % (with at least 10 called). */
  breaching: boolean;
};

/** `GET /hq/v1/stats/summary`: the hall's own summary shape, over the halls asked for. */
export type HqSummary = StatsSummary & { halls: number; ratingAvg: number | null };

export const BREAKDOWN_BY = ['hall', 'region', 'service'] as const;
export type BreakdownBy = (typeof BREAKDOWN_BY)[number];

/** `GET /hq/v1/stats/breakdown`: one row per hall, region or service. */
export type HqBreakdownRow = {
  key: string;
  name: string;
  tickets: number;
  served: number;
  noShows: number;
  waitMinutes: MinuteFigures;
  withinTargetPct: number | null;
  ratingAvg: number | null;
  /** A hall's region (by=hall). */
  region?: string;
};

/** `GET /hq/v1/stats/series`: the headline figures per day, for trend charts. */
export type HqSeriesPoint = {
  day: string;
  tickets: number;
  served: number;
  noShows: number;
  waitMinutes: MinuteFigures;
  withinTargetPct: number | null;
  ratingAvg: number | null;
  /** Every hall of the scope has moved past the day and HQ holds all its events up to there. */
  final: boolean;
};
export type HqSeries = { from: string; to: string; points: HqSeriesPoint[] };

/** `GET /hq/v1/catalogue?region=`: the versions published for a region, newest first. */
export type HqCatalogueVersion = {
  region: string;
  version: number;
  publishedAt: string;
  publishedBy: string;
  services: HqCatalogueService[];
};

/** `GET /hq/v1/quarantine` (hq role): what HQ keeps but cannot read, grouped. */
export type HqQuarantineGroup = {
  hallId: string;
  reason: string;
  type: string;
  schemaVersion: number;
  appVersion: string;
  events: number;
  firstSeq: number;
  lastSeq: number;
  lastReceivedAt: string;
};

export const HQ_ROLE_NAMES: Record<HqRole, Text> = {
  hq: { zh: '总部', en: 'HQ' },
  region: { zh: '区域经理', en: 'Region manager' },
};
