/**
 * The answers of API v1 as zod schemas, for the OpenAPI document (server/http/openapi.ts) and for tests
 * that check real answers against it. Only the server loads this file, like schemas.ts: the pages keep
 * the plain types of api.ts, kiosk.ts and manager.ts. Each schema is declared with `answer<T>()`, which
 * fails to compile unless the schema describes exactly the type T the pages use, so the two cannot drift.
 */
import { z } from 'zod';
import {
  CALL_RULES,
  type CallAnswer,
  CHANNELS,
  COUNTER_STATUSES,
  type CounterDetail,
  type CounterView,
  type ErrorBody,
  ETA_BASES,
  type HallInfo,
  type HealthAnswer,
  LANGS,
  PAUSE_REASONS,
  PRINT_STATES,
  type PredictedBreach,
  ROLES,
  type RoutingWhyAnswer,
  type ServiceView,
  type StaffingAdvice,
  type StatsSummary,
  TICKET_STATUSES,
  TIERS,
  type TicketView,
  TURN_ALERT_STATES,
  type TurnAlert,
  type User,
  type WaitOutlook,
} from './api.ts';
import { DEVICE_KINDS, DEVICE_STATUSES, SERIAL_DEVICE_KINDS } from './devices.ts';
import { ERROR_CODES, type ErrorCode } from './error-codes.ts';
import {
  type AccountSummary,
  type AddOnPack,
  type AppointmentAnswer,
  type AppointmentSlots,
  CUSTOMER_TIERS,
  DEMO_PAYMENT_OUTCOMES,
  type DemoReadAnswer,
  FEEDBACK_KINDS,
  FEEDBACK_TOPICS,
  type FeedbackAnswer,
  type FeedbackEntry,
  type IdentifyAnswer,
  type IdentifyPhoneAnswer,
  type InvoiceAnswer,
  KIOSK_DEVICE_KINDS,
  type KioskView,
  ORDER_STATUSES,
  type Order,
  SCAN_KINDS,
  type SmsOutboxMessage,
} from './kiosk.ts';
import {
  type AuditPage,
  type ConfigView,
  type DevicesAnswer,
  type DeviceTokenView,
  type Notice,
  type PairingRequestView,
  type PairingStatus,
  type PairingTicket,
  PERIODS,
  type ScreenKind,
  type StaffMember,
  type StaffPassword,
  type StatsBreakdown,
  type StatsSeries,
} from './manager.ts';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Declares the schema of an answer of type T: a compile error unless its output is exactly T. */
const answer =
  <T>() =>
  <S extends z.ZodType>(schema: Same<z.output<S>, T> extends true ? S : never): S =>
    schema;

const instant = z.string().meta({ format: 'date-time', description: 'ISO 8601 date-time' });
const day = z.string().meta({ format: 'date', description: 'YYYY-MM-DD' });
const text = z.object({ zh: z.string(), en: z.string() });
const minutes = z.number().nullable();
const count = z.number().int().nonnegative();

// ---------- the queue ----------

export const user = answer<User>()(z.object({ id: z.string(), name: z.string(), role: z.enum(ROLES) }));
export const userAnswer = answer<{ user: User }>()(z.object({ user }));

const etaRange = z
  .object({ low: z.number(), high: z.number() })
  .describe('the 80% interval (p10–p90) of the wait, in whole minutes');

const outlook = answer<WaitOutlook>()(
  z
    .object({
      servedNow: z.boolean().describe('an open (or serving) counter serves the service now'),
      pausedCounters: count,
      expectedOpenAt: instant.nullable().describe('when a counter serving it is expected to open'),
    })
    .describe('what a wait depends on beyond its figures: no screen promises what the queue cannot keep'),
);

const serviceView = answer<ServiceView>()(
  z.object({
    id: z.string(),
    prefix: z.string(),
    name: text,
    open: z.boolean(),
    waiting: count,
    etaMinutes: z.number(),
    etaRange: etaRange
      .nullable()
      .optional()
      .describe('null where the hall falls back to the naive estimate; always sent'),
    etaBasis: z
      .enum(ETA_BASES)
      .optional()
      .describe('what the wait rests on: a forecast, the naive estimate, or no open counter serving it'),
    outlook: outlook.optional(),
    waitTargetMinutes: z.number(),
    longestWaitMinutes: z.number(),
  }),
);
/** `GET /services` leaves the forecast interval out. */
export const serviceSummary = answer<Omit<ServiceView, 'etaRange'>>()(serviceView.omit({ etaRange: true }));

export const counterView = answer<CounterView>()(
  z.object({
    id: z.string(),
    name: z.string(),
    status: z.enum(COUNTER_STATUSES),
    currentTicket: z.string().nullable().describe('the number called or served here, never a ticket id'),
    currentSince: instant.nullable(),
    serviceIds: z.array(z.string()),
    pauseReason: z.enum(PAUSE_REASONS).nullable(),
    staffName: z.string().nullable(),
  }),
);

export const ticketView = answer<TicketView>()(
  z.object({
    id: z.string().describe('128 random bits, base64url: holding it is the right to see and cancel'),
    number: z.string(),
    serviceId: z.string(),
    status: z.enum(TICKET_STATUSES),
    position: count.describe('place in line, 1 = next; 0 once called or ended'),
    etaMinutes: z.number(),
    etaRange: etaRange.nullable().optional(),
    etaBasis: z.enum(ETA_BASES).nullable().optional().describe('null once the ticket is no longer waiting'),
    outlook: outlook.nullable().optional().describe('its service’s outlook while waiting, else null'),
    counterId: z.string().nullable(),
    tier: z.enum(TIERS),
    channel: z.enum(CHANNELS),
    issuedAt: instant,
    calledAt: instant.nullable(),
    finishedAt: instant.nullable(),
    trackUrl: z.string().describe('/t/<id> on the hall server'),
    print: z.enum(PRINT_STATES).describe('the paper ticket: none when not printed here'),
    printProblem: z.string().nullable(),
  }),
);
export const turnAlert = answer<TurnAlert>()(
  z.object({
    state: z.enum(TURN_ALERT_STATES),
    maskedPhone: z.string().nullable(),
    identifiedPhone: z.string().nullable().describe('the phone identified at the kiosk, masked: a hint'),
  }),
);

export const ticketAnswer = answer<{ ticket: TicketView }>()(z.object({ ticket: ticketView }));

const callReason = z.object({
  rule: z.enum(CALL_RULES),
  zh: z.string(),
  en: z.string(),
  passedOver: z.array(z.string()),
});
export const callAnswer = answer<CallAnswer>()(
  z.object({ ticket: ticketView, reason: z.string(), explanation: callReason }),
);

export const counterDetail = answer<CounterDetail>()(
  z.object({
    counter: counterView,
    ticket: ticketView.nullable(),
    explanation: callReason.nullable(),
    customer: z
      .object({
        maskedName: z.string().nullable(),
        maskedPhone: z.string().nullable(),
        account: z
          .object({ plan: text, balanceFen: z.number(), billDueFen: z.number().nullable() })
          .nullable(),
      })
      .nullable(),
    queues: z.array(z.object({ serviceId: z.string(), waiting: count, longestWaitMinutes: z.number() })),
  }),
);

const hours = z.object({ open: z.string(), close: z.string() });
/** A service as the configuration has it; `GET /hall` shows it without its hours and switch. */
const configService = z.object({
  id: z.string(),
  prefix: z.string(),
  name: text,
  category: z.string(),
  waitTargetMinutes: z.number(),
  hours: hours.optional(),
  selfService: z.boolean(),
  enabled: z.boolean(),
});

export const hallInfo = answer<HallInfo>()(
  z.object({
    name: text,
    demo: z.boolean(),
    timeZone: z.string(),
    services: z.array(configService.omit({ hours: true, enabled: true })),
    counters: z.array(z.object({ id: z.string(), name: z.string(), serviceIds: z.array(z.string()) })),
  }),
);

export const healthAnswer = answer<HealthAnswer>()(
  z.object({
    ok: z.boolean().describe('false while a problem of level `error` lasts (writes fail, say)'),
    db: z.enum(['ok', 'error']),
    devices: z.array(
      z.object({ id: z.string(), kind: z.enum(DEVICE_KINDS), status: z.enum(DEVICE_STATUSES) }),
    ),
    storage: z.object({
      writable: z.boolean(),
      fault: z
        .object({ code: z.string(), since: instant })
        .nullable()
        .describe(
          'what stops writes: disk-full, io-error, read-only, fsync-failed, database-deleted, wal-deleted, database-replaced, corrupt',
        ),
      lastWriteAt: instant.nullable(),
      disk: z.object({ freeBytes: count, minFreeBytes: count }).nullable(),
      wal: z.object({ bytes: count, lastCheckpointAt: instant.nullable() }).nullable(),
      lastBackupAt: instant.nullable(),
    }),
    clock: z.object({ behindSeconds: count }),
    hq: z
      .object({
        connected: z.boolean(),
        url: z.string(),
        lastAckedSeq: count,
        lastAckedAt: instant.nullable(),
        lagSeconds: z.number().nonnegative(),
        pendingEvents: count,
        problem: z.string().nullable(),
        catalogueVersion: count.nullable(),
        pendingCatalogueVersion: count.nullable(),
      })
      .nullable()
      .optional()
      .describe('the link to HQ, when the hall ships its event log to one; not part of `ok`'),
    problems: z.array(z.object({ code: z.string(), level: z.enum(['error', 'warning']), text })),
  }),
);

export const predictedBreach = answer<PredictedBreach>()(
  z.object({ serviceId: z.string(), waiting: count, likely: count, atRisk: count, forecast: z.boolean() }),
);

// ---------- statistics ----------

const minuteFigures = z.object({ avg: minutes, p50: minutes, p90: minutes });
/** The figures of a group of tickets, as every statistics answer gives them. */
const figures = {
  tickets: count,
  served: count,
  noShows: count,
  cancelled: count,
  waitMinutes: minuteFigures,
  serviceMinutes: minuteFigures,
  withinTargetPct: z.number().nullable(),
};
const summaryGroup = z.object({ key: z.string(), ...figures });

export const statsSummary = answer<StatsSummary>()(
  z.object({
    from: day,
    to: day,
    ...figures,
    unservedAtClosing: count,
    byService: z.array(summaryGroup),
    byCounter: z.array(summaryGroup),
    byHour: z.array(summaryGroup),
  }),
);

export const statsSeries = answer<StatsSeries>()(
  z.object({
    from: day,
    to: day,
    by: z.enum(PERIODS),
    points: z.array(
      z.object({
        period: z.string().describe('the day, the Monday of the week, or YYYY-MM'),
        ...figures,
        unservedAtClosing: count,
      }),
    ),
  }),
);

const ratingFigures = z.object({
  key: z.string(),
  count,
  avg: z.number().nullable(),
  dimensions: ((figures) =>
    z.object({
      reliability: figures,
      responsiveness: figures,
      assurance: figures,
      empathy: figures,
      tangibles: figures,
    }))(z.object({ count, avg: z.number().nullable() })),
});
const named = { name: z.string() };

export const statsBreakdown = answer<StatsBreakdown>()(
  z.object({
    from: day,
    to: day,
    byStaff: z.array(summaryGroup.extend(named)),
    byWeekday: z.array(summaryGroup),
    arrivals: z.array(z.array(z.number())).describe('tickets issued, [weekday 0 = Monday][hour]'),
    ratings: z.object({
      all: ratingFigures,
      byStaff: z.array(ratingFigures.extend(named)),
      byCounter: z.array(ratingFigures),
      byService: z.array(ratingFigures),
    }),
  }),
);

export const staffingAdvice = answer<StaffingAdvice>()(
  z.object({
    from: day,
    to: day,
    daysPerWeekday: z.array(count),
    level: z.object({ waitMinutes: z.number(), sharePct: z.number() }),
    hallCounters: count,
    hours: z.array(
      z.object({
        weekday: z.number().int().describe('0 = Monday'),
        hour: z.number().int(),
        arrivalsPerHour: z.number(),
        serviceMinutes: z.number(),
        countersNeeded: z.number(),
        expectedWithinPct: z.number(),
        countersStaffed: z.number(),
      }),
    ),
  }),
);

const routedTicket = z.object({
  number: z.string(),
  serviceId: z.string(),
  tier: z.enum(TIERS),
  status: z.enum(TICKET_STATUSES),
  issuedAt: instant,
  calledAt: instant.nullable(),
  passedOverCount: count,
  calls: z.array(
    z.object({
      at: instant,
      counterId: z.string().nullable(),
      counterName: z.string().nullable(),
      rule: callReason.shape.rule.nullable(),
      zh: z.string().nullable(),
      en: z.string().nullable(),
      passedOver: z.array(z.string()),
    }),
  ),
});
export const routingWhyAnswer = answer<RoutingWhyAnswer>()(
  z.object({
    day,
    ticket: routedTicket,
    before: routedTicket.extend({ calledEarlier: z.boolean(), passedOverByThisCall: z.boolean() }).nullable(),
    verdict: z
      .object({
        first: z.string().nullable(),
        rule: callReason.shape.rule.nullable(),
        zh: z.string(),
        en: z.string(),
      })
      .nullable()
      .describe('the call that decided the two tickets’ order, in words'),
    routing: z.object({ maxPassOvers: count, maxWaitFactor: z.number() }),
  }),
);

// ---------- the manager ----------

export const notice = answer<Notice>()(z.object({ id: z.string(), text, imageUrl: z.string().optional() }));

export const auditPage = answer<AuditPage>()(
  z.object({
    entries: z.array(
      z.object({
        kind: z.enum(['change', 'action']),
        id: z.number().int(),
        at: instant,
        userId: z.string().nullable(),
        userName: z.string().nullable(),
        action: z.string(),
        target: z.string(),
        before: z.unknown(),
        after: z.unknown(),
      }),
    ),
    truncated: z.boolean(),
    limit: z.number().int(),
  }),
);

export const devicesAnswer = answer<DevicesAnswer>()(
  z.object({
    devices: z.array(
      z.object({
        id: z.string(),
        kind: z.enum(DEVICE_KINDS),
        status: z.enum(DEVICE_STATUSES),
        detail: z.string(),
        connection: z.string().nullable().optional(),
        counterId: z.string().optional(),
        kioskId: z.string().optional(),
      }),
    ),
    recentPrints: z
      .array(z.object({ at: instant, label: z.string().optional(), text: z.string() }))
      .nullable(),
  }),
);

export const staffMember = answer<StaffMember>()(
  z.object({
    id: z.string(),
    username: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    disabled: z.boolean(),
  }),
);
export const staffPassword = answer<StaffPassword>()(
  z.object({ user: staffMember, password: z.string().describe('shown this once') }),
);

export const configView = answer<ConfigView>()(
  z.object({
    version: z.number().int(),
    hours,
    services: z.array(configService),
    counters: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        services: z.array(z.object({ id: z.string(), weight: z.number() })),
        elderlyFirst: z.boolean(),
      }),
    ),
    devices: z.array(
      z.object({
        id: z.string(),
        kind: z.enum(SERIAL_DEVICE_KINDS),
        path: z.string().optional(),
        vendorId: z.string().optional(),
        productId: z.string().optional(),
        baudRate: z.number().int().optional(),
        counterId: z.string().optional(),
        kioskId: z.string().optional(),
      }),
    ),
    printer: z.string().nullable(),
    kiosks: z.array(z.string()),
    staff: z.array(staffMember),
  }),
);

const screenKind = z.enum(['kiosk', 'display']);
export const pairingTicket = answer<PairingTicket>()(
  z.object({ id: z.string(), code: z.string(), expiresAt: instant }),
);
export const pairingStatus = answer<Exclude<PairingStatus, { status: 'gone' }>>()(
  z.discriminatedUnion('status', [
    z.object({ status: z.literal('pending'), code: z.string(), expiresAt: instant }),
    z.object({
      status: z.literal('paired'),
      kind: screenKind,
      deviceId: z.string(),
      token: z.string().describe('sent once, in the first answer after the approval'),
    }),
  ]),
);
export const pairingRequestView = answer<PairingRequestView>()(
  z.object({ id: z.string(), code: z.string(), createdAt: instant, expiresAt: instant }),
);
export const deviceTokenView = answer<DeviceTokenView>()(
  z.object({ id: z.number().int(), kind: screenKind, deviceId: z.string(), createdAt: instant }),
);
export const pairedDevice = answer<{ kind: ScreenKind; deviceId: string }>()(
  z.object({ kind: screenKind, deviceId: z.string() }),
);

// ---------- the kiosk ----------

export const kioskView = answer<KioskView>()(
  z.object({
    id: z.string(),
    idleSeconds: z.number(),
    warningSeconds: z.number(),
    complaintsServiceId: z.string().nullable(),
    topUpAmountsFen: z.array(z.number().int()),
    devices: z.array(
      z.object({ id: z.string(), kind: z.enum(KIOSK_DEVICE_KINDS), status: z.enum(DEVICE_STATUSES) }),
    ),
  }),
);

export const identifyPhoneAnswer = answer<IdentifyPhoneAnswer>()(
  z.object({ challengeId: z.string(), expiresInSeconds: z.number(), resendAfterSeconds: z.number() }),
);
export const identifyAnswer = answer<IdentifyAnswer>()(
  z.object({
    customer: z.object({
      token: z.string().describe('opaque, short-lived (about 10 minutes)'),
      maskedPhone: z.string().nullable(),
      maskedName: z.string(),
      tier: z.enum(CUSTOMER_TIERS),
      age: z.number().nullable(),
    }),
  }),
);

export const appointmentAnswer = answer<AppointmentAnswer>()(
  z.object({
    id: z.string(),
    code: z.string(),
    serviceId: z.string(),
    slot: instant,
    maskedPhone: z.string(),
    checkInFrom: instant,
    checkInUntil: instant,
  }),
);
export const appointmentSlots = answer<AppointmentSlots>()(
  z.object({
    serviceId: z.string(),
    day,
    days: z.array(day),
    slotMinutes: z.number(),
    slots: z.array(z.object({ slot: instant, time: z.string(), remaining: count })),
  }),
);

export const feedbackAnswer = answer<FeedbackAnswer>()(
  z.object({ id: z.string(), reference: z.string(), ticket: ticketView.optional() }),
);
export const feedbackEntry = answer<FeedbackEntry>()(
  z.object({
    id: z.string(),
    reference: z.string(),
    kind: z.enum(FEEDBACK_KINDS),
    topics: z.array(z.enum(FEEDBACK_TOPICS)),
    lang: z.enum(LANGS),
    kioskId: z.string().nullable(),
    maskedPhone: z.string().nullable(),
    ticketNumber: z.string().nullable(),
    at: instant,
  }),
);

const used = z.object({ used: z.number(), included: z.number() });
export const accountSummary = answer<AccountSummary>()(
  z.object({
    maskedPhone: z.string(),
    plan: text,
    balanceFen: z.number(),
    bill: z
      .object({ period: z.string(), amountFen: z.number(), dueDate: z.string(), paid: z.boolean() })
      .nullable(),
    usage: z.object({ dataMb: used, voiceMinutes: used }),
    invoicePeriods: z.array(z.string()),
  }),
);
export const addOnPack = answer<AddOnPack>()(
  z.object({ id: z.string(), name: text, description: text, priceFen: z.number() }),
);
export const order = answer<Order>()(
  z.object({
    id: z.string(),
    kind: z.enum(['top-up', 'bill', 'pack']),
    amountFen: z.number(),
    status: z.enum(ORDER_STATUSES),
    problem: text.nullable(),
    reference: z.string().nullable(),
    receipt: z.enum(PRINT_STATES),
  }),
);
export const invoiceAnswer = answer<InvoiceAnswer>()(
  z.object({ print: z.enum(PRINT_STATES), printProblem: z.string().nullable() }),
);

export const smsOutboxMessage = answer<SmsOutboxMessage>()(
  z.object({ id: z.number().int(), at: instant, to: z.string(), text: z.string() }),
);
export const demoPaymentAnswer = answer<{ outcome: (typeof DEMO_PAYMENT_OUTCOMES)[number] }>()(
  z.object({ outcome: z.enum(DEMO_PAYMENT_OUTCOMES) }),
);
export const demoReadAnswer = answer<DemoReadAnswer>()(
  z.object({ readId: z.string(), kind: z.enum(['id-card', ...SCAN_KINDS]) }),
);
export const demoDeviceAnswer = answer<{ ok: true }>()(z.object({ ok: z.literal(true) }));

// ---------- errors ----------

export const errorCode = answer<ErrorCode>()(
  z.enum(ERROR_CODES).describe('Every code an error may carry; each operation names those it may answer.'),
);
export const errorBody = answer<ErrorBody>()(
  z.object({
    error: z.object({
      code: errorCode,
      message: z.string(),
      fields: z
        .array(z.object({ path: z.string(), message: z.string() }))
        .optional()
        .describe('with invalid-request: each offending field, e.g. body.serviceId'),
      details: z
        .record(z.string(), z.string())
        .optional()
        .describe('values a screen words itself, e.g. the booked time of a too-early check-in'),
    }),
  }),
);
