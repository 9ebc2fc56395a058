/**
 * API v1 for the manager pages: notices, the audit log, statistics series and breakdowns. Browser-safe:
 * types and constants only; the request schemas are in manager-schemas.ts, which only the server loads.
 */
import type { MinuteFigures, Role, ServqualDimension, SummaryGroup, Text } from './api.ts';
import type { DeviceConfig, DeviceKind, DeviceStatus } from './devices.ts';

/** A notice on the wall display (`GET /notices`, anyone; `PUT /notices`, manager, the whole list). */
export type Notice = { id: string; text: Text; imageUrl?: string };
/** A notice as the manager sends it: without an id, the server gives it one. */
export type NoticeInput = { id?: string; text: Text; imageUrl?: string };

export const MAX_NOTICES = 10;
export const MAX_NOTICE_TEXT = 200;
/** A data: URL image, whole, in characters. */
export const MAX_NOTICE_IMAGE = 200 * 1024;

/**
 * One entry of the audit log (manager), newest first: configuration changes (`kind: 'change'`, from the
 * audit log) and the manual ticket and counter actions of a person (`kind: 'action'`, from the event log:
 * call, recall, start, no-show, transfer, finish, counter open / pause / resume / close). Ids are unique
 * within a kind. A finish or transfer's `before.status` is the ticket's real status then (`called` or
 * `serving`, read from the ticket's earlier events).
 *
 * - `GET /audit?from&to` → {@link AuditPage}: at most {@link AUDIT_LIST_LIMIT} entries, and whether the
 *   range held more (the manager page says so and points to the CSV).
 * - `GET /audit.csv?from&to`: every entry of the range, streamed (UTF-8 with a BOM), never cut.
 */
export type AuditEntry = {
  kind: 'change' | 'action';
  id: number;
  at: string;
  userId: string | null;
  userName: string | null;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
};

/** The most entries the JSON answers hold; the CSV has them all. */
export const AUDIT_LIST_LIMIT = 1000;

/** `GET /audit`: the newest entries of the range; `truncated` when the range held more than `limit`. */
export type AuditPage = { entries: AuditEntry[]; truncated: boolean; limit: number };

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
  /** `connection`: path, USB ids or printer address; the counter or kiosk it serves, if any. */
  devices: {
    id: string;
    kind: DeviceKind;
    status: DeviceStatus;
    detail: string;
    connection?: string | null;
    counterId?: string;
    kioskId?: string;
  }[];
  recentPrints: { at: string; label?: string; text: string }[] | null;
};

/** A service as `GET /config` shows it and `PUT /config/services` takes it (the whole list). */
export type ConfigService = {
  id: string;
  prefix: string;
  name: Text;
  category: string;
  waitTargetMinutes: number;
  /** Absent: the hall's hours. */
  hours?: { open: string; close: string };
  selfService: boolean;
  enabled: boolean;
};

/** A counter as `GET /config` shows it: its services with their routing weights, its own first. */
export type ConfigCounter = {
  id: string;
  name: string;
  services: { id: string; weight: number }[];
  elderlyFirst: boolean;
};

export type StaffMember = { id: string; username: string; name: string; role: Role; disabled: boolean };

/** `GET /config` (manager): the editable part of the hall's configuration in force, and the accounts. */
export type ConfigView = {
  version: number;
  hours: { open: string; close: string };
  services: ConfigService[];
  counters: ConfigCounter[];
  devices: DeviceConfig[];
  /** The ticket printer's connection (`PUT /config/printer {connection}`): `sim`, `tcp://host:port`, … */
  printer: string | null;
  /** The kiosks the configuration names, which kiosk devices may serve. */
  kiosks: string[];
  staff: StaffMember[];
};

/** `POST /config/staff` and `POST /config/staff/:id/reset-password`: the password is shown this once. */
export type StaffPassword = { user: StaffMember; password: string };

/** `POST /pairing/requests` (a screen): show `code`, poll `GET /pairing/requests/:id`. */
export type PairingTicket = { id: string; code: string; expiresAt: string };
/** The screens that pair with the hall: kiosks and wall displays. */
export type ScreenKind = 'kiosk' | 'display';
/** `GET /pairing/requests/:id`: the token comes once, in the first answer after the approval. */
export type PairingStatus =
  | { status: 'pending'; code: string; expiresAt: string }
  | { status: 'paired'; kind: ScreenKind; deviceId: string; token: string }
  | { status: 'gone' };
/** `GET /pairing/requests` (manager): the codes waiting for a manager. */
export type PairingRequestView = { id: string; code: string; createdAt: string; expiresAt: string };
/** `GET /devices/tokens` (manager). */
export type DeviceTokenView = { id: number; kind: ScreenKind; deviceId: string; createdAt: string };
