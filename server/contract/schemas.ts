/**
 * The zod schemas of API v1 requests. Only the server loads this file: the pages import the types and
 * constants of api.ts, and so carry no zod.
 */
import { z } from 'zod';
import { CHANNELS, LANGS, MOBILE_PHONE, PAUSE_REASONS, REQUESTABLE_TIERS, SERVQUAL } from './api.ts';
import { COUNTER_DEVICE_KINDS, SERIAL_DEVICE_KINDS } from './devices.ts';

// ---------- the ids and names every part of HallQ checks the same way ----------

/** The id of something the configuration names: a service, counter, kiosk, device or staff member. */
export const hallId = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, _ or -, at most 32');
/** An id the server made (a ticket, an order, a pairing request): 128 random bits, base64url. */
export const randomId = z.string().regex(/^[A-Za-z0-9_-]{22}$/, '22 letters, digits, _ or -');
/** A staff member's sign-in name. */
export const username = z.string().regex(/^[a-z0-9._-]{2,32}$/, 'lowercase letters, digits, . _ -');
/** A staff account's id: the hall id the configuration gave it, or the username it was created with. */
export const userId = z.string().regex(/^[A-Za-z0-9._-]{1,32}$/, 'a hall id or a username');
/**
 * An id a request refers to (a service, a challenge, a device read): looked up, so one that matches
 * nothing is a 404 of its own rather than a 400.
 */
export const lookupId = z.string().min(1).max(64);
export const mobilePhone = z
  .string()
  .regex(MOBILE_PHONE, 'a mainland mobile number: 11 digits starting with 1');

/** A serial device of the hall (devices.ts): in the configuration file and `PUT /config/devices`. */
export const deviceConfig = z
  .strictObject({
    id: hallId,
    kind: z.enum(SERIAL_DEVICE_KINDS),
    path: z.string().min(1).optional(),
    vendorId: z
      .string()
      .regex(/^[0-9a-fA-F]{4}$/)
      .optional(),
    productId: z
      .string()
      .regex(/^[0-9a-fA-F]{4}$/)
      .optional(),
    baudRate: z.number().int().positive().optional(),
    counterId: hallId.optional(),
    kioskId: hallId.optional(),
  })
  .refine((d) => d.path || (d.vendorId && d.productId), {
    message: 'a device needs a `path` or a `vendorId` and `productId`',
  })
  .refine((d) => !(d.path && (d.vendorId || d.productId)), {
    message: 'give a `path` or USB ids, not both',
  })
  .refine((d) => !(COUNTER_DEVICE_KINDS.includes(d.kind) ? d.kioskId : d.counterId), {
    message:
      'keypads, LED screens and rating pads serve a counter (`counterId`); the others a kiosk (`kioskId`)',
  });

// ---------- requests ----------

const score = z.number().int().min(1).max(5);

/** The phone page's "your turn is near" text. */
export const turnAlertRequest = z.strictObject({ phone: mobilePhone });

export const loginRequest = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});

export const issueTicketRequest = z.strictObject({
  serviceId: lookupId,
  channel: z.enum(CHANNELS).optional(),
  customer: z
    .strictObject({
      phone: z
        .string()
        .regex(/^\d{5,20}$/, 'a phone number is a string of 5 to 20 digits')
        .optional(),
      tier: z.enum(REQUESTABLE_TIERS).optional(),
    })
    .optional(),
  lang: z.enum(LANGS).optional(),
});

export const idempotencyKeyHeader = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

export const pauseRequest = z.strictObject({ reason: z.enum(PAUSE_REASONS).optional() });

export const ratingSchema = z.union([
  score,
  z.strictObject({
    score,
    dimensions: z.partialRecord(z.enum(SERVQUAL), score).optional(),
  }),
]);

export const finishRequest = z.strictObject({ rating: ratingSchema.optional() });
export const transferRequest = z.strictObject({
  serviceId: lookupId,
  /** Put the ticket at the front of the new service's queue (a staff decision, recorded). */
  front: z.boolean().optional(),
});

/** Hall days HallQ takes: this century. A year like 0000 or 9999 is a typo or a probe, not a day. */
export const DAY_YEARS = { from: 2000, to: 2099 } as const;
/** The longest range a query may span: ten years (with their leap days), so no typo asks for millions. */
export const MAX_RANGE_DAYS = 3660;

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    {
      message: 'not a calendar date',
    },
  )
  .refine((s) => Number(s.slice(0, 4)) >= DAY_YEARS.from && Number(s.slice(0, 4)) <= DAY_YEARS.to, {
    message: `a day from ${DAY_YEARS.from} to ${DAY_YEARS.to}`,
  });

const ticketNumber = z
  .string()
  .regex(/^[A-Za-z]{1,4}\d{1,6}$/, 'a ticket number such as A012')
  .transform((s) => s.toUpperCase());

/** `GET /routing/why`: the day, the ticket, and optionally the one it was called after. */
export const routingWhyQuery = z.strictObject({
  day: isoDate,
  number: ticketNumber,
  before: ticketNumber.optional(),
});

/** The range's own rules are judged on two good dates only: a bad date is named once, for itself. */
const datesValid = { when: (payload: { issues: unknown[] }) => payload.issues.length === 0 };

export const dateRangeQuery = z
  .strictObject({ from: isoDate, to: isoDate })
  .refine((q) => q.from <= q.to, { message: '`from` must not be after `to`', path: ['from'], ...datesValid })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 + 1 <= MAX_RANGE_DAYS, {
    message: `at most ${MAX_RANGE_DAYS} days before \`to\``,
    path: ['from'],
    ...datesValid,
  });
