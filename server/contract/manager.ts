/**
 * API v1 for the manager pages: notices, the audit log, statistics series and breakdowns. Browser-safe:
 * types and constants only; the request schemas are in manager-schemas.ts, which only the server loads.
 */
import type { MinuteFigures, ServqualDimension, SummaryGroup, Text } from './api.ts';

/** A notice on the wall display (`GET /notices`, anyone; `PUT /notices`, manager, the whole list). */
export type Notice = { id: string; text: Text; imageUrl?: string };
/** A notice as the manager sends it: without an id, the server gives it one. */
export type NoticeInput = { id?: string; text: Text; imageUrl?: string };

export const MAX_NOTICES = 10;
export const MAX_NOTICE_TEXT = 200;
/** A data: URL image, whole, in characters. */
export const MAX_NOTICE_IMAGE = 200 * 1024;

/** `GET /audit?from&to` (manager), newest first. */
export type AuditEntry = {
  id: number;
  at: string;
  userId: string | null;
  userName: string | null;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
};

export const PERIODS = ['day', 'week', 'month'] as const;
export type Period = (typeof PERIODS)[number];

/** One period of `GET /stats/series`: the key is the day, the Monday of the week, or YYYY-MM. */
export type SeriesPoint = {
  period: string;
  tickets: number;
  served: number;
  noShows: number;
  cancelled: number;
  unservedAtClosing: number;
  waitMinutes: MinuteFigures;
  serviceMinutes: MinuteFigures;
  withinTargetPct: number | null;
};

export type StatsSeries = { from: string; to: string; by: Period; points: SeriesPoint[] };

/** Ratings of a group: the overall score and each SERVQUAL dimension, 1–5; avg null without ratings. */
export type RatingFigures = {
  key: string;
  count: number;
  avg: number | null;
  dimensions: Record<ServqualDimension, { count: number; avg: number | null }>;
};

/** `GET /stats/breakdown?from&to` (manager). Weekdays are 0 = Monday … 6 = Sunday. */
export type StatsBreakdown = {
  from: string;
  to: string;
  byStaff: (SummaryGroup & { name: string })[];
  byWeekday: SummaryGroup[];
  /** Tickets issued, [weekday][hour] in the hall's time zone: 7 rows of 24. */
  arrivals: number[][];
  ratings: {
    all: RatingFigures;
    byStaff: (RatingFigures & { name: string })[];
    byCounter: RatingFigures[];
    byService: RatingFigures[];
  };
};

/** `GET /devices` (manager): every device's health; in the demo, the simulated printer's last jobs as text. */
export type DevicesAnswer = {
  devices: { id: string; kind: string; status: string; detail: string }[];
  recentPrints: { at: string; label?: string; text: string }[] | null;
};
