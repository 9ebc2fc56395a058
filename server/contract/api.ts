/**
 * API v1 — the public contract of the hall server (PRODUCT.md). Browser-safe.
 * Types and constants only, so a page that imports them carries no zod; the request schemas (strict:
 * unknown fields are a 400) are in schemas.ts. Response types are what the server promises.
 */
import type { z } from 'zod';
import type { HqLinkHealth } from './hq.ts';
import type * as schemas from './schemas.ts';

export const API_BASE = '/api/v1';

export const LANGS = ['zh', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export type Text = { zh: string; en: string };

export const TIERS = ['regular', 'vip', 'elderly', 'appointment'] as const;
export type Tier = (typeof TIERS)[number];
/** Tiers a caller may ask for; `appointment` comes only from an appointment check-in. */
export const REQUESTABLE_TIERS = ['regular', 'vip', 'elderly'] as const;

export const CHANNELS = ['kiosk', 'reception', 'mobile', 'appointment'] as const;
export type Channel = (typeof CHANNELS)[number];

export const TICKET_STATUSES = ['waiting', 'called', 'serving', 'done', 'no-show', 'cancelled'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const COUNTER_STATUSES = ['closed', 'open', 'paused', 'serving'] as const;
export type CounterStatus = (typeof COUNTER_STATUSES)[number];

export const PAUSE_REASONS = ['lunch', 'meeting', 'training', 'break', 'other'] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

export const ROLES = ['staff', 'manager'] as const;
export type Role = (typeof ROLES)[number];

export const SERVQUAL = ['reliability', 'responsiveness', 'assurance', 'empathy', 'tangibles'] as const;
export type ServqualDimension = (typeof SERVQUAL)[number];

// ---------- requests (schemas in schemas.ts, which only the server loads) ----------

export type LoginRequest = z.infer<typeof schemas.loginRequest>;
export type IssueTicketRequest = z.infer<typeof schemas.issueTicketRequest>;
export type RatingInput = z.infer<typeof schemas.ratingSchema>;
export type DateRange = z.infer<typeof schemas.dateRangeQuery>;

// ---------- answers ----------

export type User = { id: string; name: string; role: Role };

/** An interval of minutes to wait, e.g. 8–15. */
export type EtaRange = { low: number; high: number };

export type ServiceView = {
  id: string;
  prefix: string;
  name: Text;
  open: boolean;
  waiting: number;
  etaMinutes: number;
  /**
   * The 80% interval (p10–p90, whole minutes) of the wait of a ticket joining now, forecast from the
   * hall's own history; null where the hall falls back to the naive estimate. Always sent by the server.
   */
  etaRange?: EtaRange | null;
  waitTargetMinutes: number;
  /** Minutes the longest-waiting ticket of this service has waited so far. */
  longestWaitMinutes: number;
};

export type CounterView = {
  id: string;
  name: string;
  status: CounterStatus;
  /** The ticket number being called or served here, never its id. */
  currentTicket: string | null;
  /** Since when that ticket is being served here (or, before it started, since it was called). */
  currentSince: string | null;
  serviceIds: string[];
  pauseReason: PauseReason | null;
  staffName: string | null;
};

export type Rating = { score: number; dimensions: Partial<Record<ServqualDimension, number>> };

/** A ticket as its holder (and staff) see it. */
export type TicketView = {
  id: string;
  number: string;
  serviceId: string;
  status: TicketStatus;
  /** Place in line, 1 = next; 0 once called or ended. */
  position: number;
  /** The median forecast of the minutes still to wait (the naive estimate where there is none). */
  etaMinutes: number;
  /** Its 80% interval (p10–p90) in whole minutes; null where the naive estimate is shown. Always sent by the server. */
  etaRange?: EtaRange | null;
  counterId: string | null;
  tier: Tier;
  channel: Channel;
  issuedAt: string;
  calledAt: string | null;
  finishedAt: string | null;
  trackUrl: string;
  /** The paper ticket: `none` when not printed here (phone, reception), else the print job's outcome. */
  print: PrintState;
  printProblem: string | null;
};

export const PRINT_STATES = ['none', 'pending', 'printed', 'failed'] as const;
export type PrintState = (typeof PRINT_STATES)[number];

/** `GET /counters/:id/current` (staff): the counter with the ticket at it, for a terminal after a reload. */
export type CounterDetail = {
  counter: CounterView;
  ticket: TicketView | null;
  explanation: CallReason | null;
  /** The customer at the counter when the kiosk identified them: masked data and their account. */
  customer: CounterCustomer | null;
  /** Waiting tickets and the longest wait, per service this counter serves. */
  queues: { serviceId: string; waiting: number; longestWaitMinutes: number }[];
};

export type CounterCustomer = {
  maskedName: string | null;
  maskedPhone: string | null;
  /** From the BSS when the customer has an account; null otherwise or when the BSS is away. */
  account: { plan: Text; balanceFen: number; billDueFen: number | null } | null;
};

/** `GET /hall` (anyone): the hall's static description for screens. */
export type HallInfo = {
  name: Text;
  demo: boolean;
  timeZone: string;
  services: {
    id: string;
    prefix: string;
    name: Text;
    category: string;
    /** Jobs of this service the kiosk can do itself (offered first). */
    selfService: boolean;
    waitTargetMinutes: number;
  }[];
  counters: { id: string; name: string; serviceIds: string[] }[];
};

/** Why routing chose a ticket: the rule, in both languages, and who it passed over. */
export type CallReason = {
  rule: 'overdue' | 'front' | 'tier' | 'own-service' | 'longest-wait';
  zh: string;
  en: string;
  passedOver: string[];
};

export type CallAnswer = { ticket: TicketView; reason: string; explanation: CallReason };

export type HealthAnswer = {
  ok: boolean;
  db: 'ok' | 'error';
  devices: { id: string; kind: string; status: string }[];
  /** The link to HQ (null: this hall ships to no HQ). The hall works the same without it: not part of `ok`. */
  hq?: HqLinkHealth | null;
};

export type MinuteFigures = { avg: number | null; p50: number | null; p90: number | null };

export type SummaryGroup = {
  key: string;
  tickets: number;
  served: number;
  noShows: number;
  cancelled: number;
  waitMinutes: MinuteFigures;
  serviceMinutes: MinuteFigures;
  withinTargetPct: number | null;
};

export type StatsSummary = {
  from: string;
  to: string;
  tickets: number;
  served: number;
  noShows: number;
  cancelled: number;
  unservedAtClosing: number;
  waitMinutes: MinuteFigures;
  serviceMinutes: MinuteFigures;
  withinTargetPct: number | null;
  byService: SummaryGroup[];
  byCounter: SummaryGroup[];
  byHour: SummaryGroup[];
};

/** Everything a screen needs to draw the hall; the first message of the event stream. */
export type HallSnapshot = {
  hall: { name: Text; demo: boolean; timeZone: string };
  services: ServiceView[];
  counters: CounterView[];
  /** The latest calls, newest first. */
  recentCalls: CallNotice[];
  /** Id of the newest event at the time of the snapshot: resume from here. */
  lastEventId: number;
};

/** A call as the public sees it: a number and a counter, never a ticket id. */
export type CallNotice = {
  number: string;
  serviceId: string;
  counterId: string;
  counterName: string;
  at: string;
  recall: boolean;
};

// ---------- queue intelligence (manager) ----------

/** One recorded call of a ticket: the routing rule that chose it, in both languages, and whom it passed over. */
export type RecordedCall = {
  at: string;
  counterId: string | null;
  counterName: string | null;
  rule: CallReason['rule'] | null;
  zh: string | null;
  en: string | null;
  /** Numbers passed over by this call (calls recorded before explanations were kept: empty). */
  passedOver: string[];
};

/** A ticket of the day as `GET /routing/why` describes it. */
export type RoutedTicket = {
  number: string;
  serviceId: string;
  tier: Tier;
  status: TicketStatus;
  issuedAt: string;
  /** Its first call, null if never called. */
  calledAt: string | null;
  /** Times other tickets were chosen before it while it waited (under the current queue). */
  passedOverCount: number;
  calls: RecordedCall[];
};

/**
 * `GET /routing/why?day&number&before` (manager): why ticket `number` was called (after ticket `before`).
 * `before` describes the other ticket: whether it was called earlier, and whether this call passed it over.
 */
export type RoutingWhyAnswer = {
  day: string;
  ticket: RoutedTicket;
  before: (RoutedTicket & { calledEarlier: boolean; passedOverByThisCall: boolean }) | null;
};

/**
 * `GET /queue/breaches` (manager): per service, waiting tickets whose whole wait (so far plus the
 * forecast) will miss the service's wait target — `likely` by the median forecast, `atRisk` by its p90.
 * `forecast: false`: no forecast for the service (no open counter serves it, or the hall is too busy to
 * play forward); only tickets already past the target are counted then.
 */
export type PredictedBreach = {
  serviceId: string;
  waiting: number;
  likely: number;
  atRisk: number;
  forecast: boolean;
};

/** One weekday × opening hour of `GET /stats/staffing`. Weekday 0 = Monday. */
export type StaffingHour = {
  weekday: number;
  hour: number;
  /** Mean tickets issued in this hour on this weekday over the range. */
  arrivalsPerHour: number;
  /** Mean service minutes, weighted by each service's arrivals. */
  serviceMinutes: number;
  /** Counters needed (Erlang C) for the service level. */
  countersNeeded: number;
  /** Share of customers called within the wait target with that many counters, percent. */
  expectedWithinPct: number;
  /** Counters that called at least one ticket in this hour, mean over the days of this weekday. */
  countersStaffed: number;
};

/** `GET /stats/staffing?from&to` (manager): counters needed per weekday and opening hour, from the range's history. */
export type StaffingAdvice = {
  from: string;
  to: string;
  /** Days with tickets in the range, per weekday (0 = Monday). */
  daysPerWeekday: number[];
  level: { waitMinutes: number; sharePct: number };
  /** Counters configured in the hall. */
  hallCounters: number;
  hours: StaffingHour[];
};

// ---------- errors ----------

export type ErrorBody = {
  error: { code: string; message: string; fields?: { path: string; message: string }[] };
};
