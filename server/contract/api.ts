/**
 * API v1 — the public contract of the hall server, served as `/api/v1/openapi.json` and rendered in
 * docs/api.md (both generated from server/http/api-routes.ts and the contract's zod schemas). Browser-safe.
 * Types and constants only, so a page that imports them carries no zod; the request schemas (strict:
 * unknown fields are a 400) are in schemas.ts. Response types are what the server promises.
 */
import type { z } from 'zod';
import type { DeviceKind, DeviceStatus } from './devices.ts';
import type { ErrorCode } from './error-codes.ts';
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

/** A mainland mobile number, where HallQ may send a text: 11 digits starting with 1. */
export const MOBILE_PHONE = /^1\d{10}$/;

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

/**
 * What a wait figure rests on: `forecast`, the hall played forward from its own history (with its
 * `etaRange`); `estimate`, people ahead × recent service time ÷ counters serving (the forecast could
 * not place the ticket today); `no-counter`, no open counter serves the service, so there is no basis
 * for a wait at all (`etaMinutes` then counts as if one counter served it).
 */
export const ETA_BASES = ['forecast', 'estimate', 'no-counter'] as const;
export type EtaBasis = (typeof ETA_BASES)[number];

/**
 * What a wait depends on beyond its figures, so that no screen promises what the queue cannot keep
 * (wait-wording.ts words it for every screen and the paper). What the ETA rests on follows: nothing
 * while no open counter serves the service (`etaMinutes` is then a figure without a basis), the
 * forecast where `etaRange` is given, else the recent service times.
 */
export type WaitOutlook = {
  /** An open (or serving) counter serves this service now. */
  servedNow: boolean;
  /** Counters serving it that are paused now (lunch, a meeting…). */
  pausedCounters: number;
  /**
   * When the hall expects a counter serving it to open (ISO instant), from the opening hours and the
   * counters staffed on this weekday in past weeks; null while one is open, or when nothing says.
   */
  expectedOpenAt: string | null;
};

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
  /** What `etaMinutes` rests on. Always sent by the server. */
  etaBasis?: EtaBasis;
  /** Whether the ETA has a basis and when the service will be served. Always sent by the server. */
  outlook?: WaitOutlook;
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
  /** What `etaMinutes` rests on while the ticket waits; null once it is called or ended. Always sent by the server. */
  etaBasis?: EtaBasis | null;
  /** While waiting: its service's outlook and what the ETA rests on; null otherwise. Always sent by the server. */
  outlook?: WaitOutlook | null;
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

/** A "your turn is near" text is sent when this many people (or fewer) are ahead. */
export const TURN_ALERT_AHEAD = 3;

export const TURN_ALERT_STATES = ['none', 'armed', 'sent', 'failed', 'lost', 'ended'] as const;
export type TurnAlertState = (typeof TURN_ALERT_STATES)[number];

/**
 * `GET`, `POST {phone}`, `DELETE /tickets/:id/turn-alert` (the ticket's holder): the text sent when
 * TURN_ALERT_AHEAD people are ahead. `lost`: the hall restarted before sending (it keeps no number), ask
 * again; `ended`: the ticket left the line first; `failed`: the SMS gateway refused it.
 */
export type TurnAlert = {
  state: TurnAlertState;
  /** Where the text goes (or went), masked; null before any request. */
  maskedPhone: string | null;
  /** The phone the customer identified with at the kiosk, masked, as a hint; null when none. */
  identifiedPhone: string | null;
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

/** The rules a call can be named by (server/domain/routing.ts); CALL_RULE_TEXT has them in words. */
export const CALL_RULES = ['overdue', 'front', 'tier', 'due', 'own-service', 'longest-wait'] as const;

/** Why routing chose a ticket: the rule, in both languages, and who it passed over. */
export type CallReason = {
  rule: (typeof CALL_RULES)[number];
  zh: string;
  en: string;
  passedOver: string[];
};

export type CallAnswer = { ticket: TicketView; reason: string; explanation: CallReason };

/** Something wrong in the hall, said for people: `error` stops the hall working, `warning` may soon. */
export type HealthProblem = { code: string; level: 'error' | 'warning'; text: Text };

/** The hall's health. `ok` is false while any problem of level `error` lasts (writes fail, say). */
export type HealthAnswer = {
  ok: boolean;
  db: 'ok' | 'error';
  devices: { id: string; kind: DeviceKind; status: DeviceStatus }[];
  storage: {
    /** Writes succeed (the latest write, or the write probe every few seconds). */
    writable: boolean;
    /** What stops writes, if anything: `disk-full`, `io-error`, `read-only`, `fsync-failed`, `database-deleted`, … */
    fault: { code: string; since: string } | null;
    lastWriteAt: string | null;
    disk: { freeBytes: number; minFreeBytes: number } | null;
    wal: { bytes: number; lastCheckpointAt: string | null } | null;
    /** The newest good nightly backup; null before the first (or when the hall takes none). */
    lastBackupAt: string | null;
  };
  /** How far the box's clock is behind the hall's time (it stepped back); the hall's time waits for it. */
  clock: { behindSeconds: number };
  problems: HealthProblem[];
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
  /** Today's latest calls (the hall's local day), newest first. */
  recentCalls: CallNotice[];
  /**
   * The calls being made now, newest first: each ticket still called (not yet served, finished or gone)
   * at its latest call, for at most CALL_SHOWN_MS after it. The wall's current call is among these.
   */
  calling: CallNotice[];
  /** Id of the newest event at the time of the snapshot: resume from here. */
  lastEventId: number;
};

/** How long a call stays the wall's current call while its ticket is still called (a recall starts it again). */
export const CALL_SHOWN_MS = 3 * 60_000;

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

/** Each routing rule in words, for people who read why a ticket was called (never the raw name). */
export const CALL_RULE_TEXT: Record<CallReason['rule'], Text> = {
  overdue: { zh: '等候超限优先', en: 'overdue first' },
  front: { zh: '转到队首', en: 'moved to the front' },
  tier: {
    zh: '优先客户（贵宾、长辈、预约）优先',
    en: 'priority customers first (VIP, elderly, appointment)',
  },
  due: { zh: '最先到期优先', en: 'due first' },
  'own-service': { zh: '本窗口主办业务优先', en: "the counter's own service first" },
  'longest-wait': { zh: '等待最久优先', en: 'longest wait first' },
};

/**
 * Why one of two tickets was called before the other: the call that decided their order, in words.
 * `first`: the number called first (null: neither called); `rule`: that call's rule, when a rule decided
 * it (null when, say, the other joined only after that call, or that counter does not serve its service).
 */
export type RoutingVerdict = { first: string | null; rule: CallReason['rule'] | null } & Text;

/**
 * `GET /routing/why?day&number&before` (manager): why ticket `number` was called (after ticket `before`).
 * `before` describes the other ticket: whether it was called earlier, and whether this call passed it over;
 * `verdict` says what decided their order. `routing` is the hall's rule in force, for the words around it.
 */
export type RoutingWhyAnswer = {
  day: string;
  ticket: RoutedTicket;
  before: (RoutedTicket & { calledEarlier: boolean; passedOverByThisCall: boolean }) | null;
  verdict: RoutingVerdict | null;
  routing: { maxPassOvers: number; maxWaitFactor: number };
};

/**
 * `GET /queue/breaches` (manager): per service, waiting tickets whose whole wait (so far plus the
 * forecast) will miss the service's wait target — `likely` by the median forecast, `atRisk` by its p90.
 * `forecast: false`: no forecast for the service (no open counter serves it); only tickets already past
 * the target are counted then.
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

/** The error envelope; the hall's codes by default (HQ's are HqErrorCode). */
export type ErrorBody<Code extends string = ErrorCode> = {
  error: {
    code: Code;
    message: string;
    fields?: { path: string; message: string }[];
    /** Values a screen puts in its own words, e.g. the booked time of a check-in that is too early. */
    details?: Record<string, string>;
  };
};
