/**
 * The zod schemas of API v1 requests. Only the server loads this file: the pages import the types and
 * constants of api.ts, and so carry no zod.
 */
import { z } from 'zod';
import { CHANNELS, LANGS, PAUSE_REASONS, REQUESTABLE_TIERS, SERVQUAL } from './api.ts';

const id = z.string().min(1).max(64);
const score = z.number().int().min(1).max(5);

export const loginRequest = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});

export const issueTicketRequest = z.strictObject({
  serviceId: id,
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
  serviceId: id,
  /** Put the ticket at the front of the new service's queue (a staff decision, recorded). */
  front: z.boolean().optional(),
});

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    {
      message: 'not a calendar date',
    },
  );

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

export const dateRangeQuery = z
  .strictObject({ from: isoDate, to: isoDate })
  .refine((q) => q.from <= q.to, { message: '`from` must not be after `to`', path: ['from'] });
