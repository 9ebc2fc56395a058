/**
 * The zod schemas of the kiosk's requests; kiosk.ts documents each endpoint and infers its request types
 * from these. Only the server loads this file, so the pages, which import kiosk.ts, carry no zod.
 */
import { z } from 'zod';
import { LANGS } from './api.ts';
import { DEMO_PAYMENT_OUTCOMES, FEEDBACK_KINDS, FEEDBACK_TOPICS } from './kiosk.ts';
import { lookupId, mobilePhone } from './schemas.ts';

/** A billing period, YYYY-MM. */
const billingPeriod = z.string().regex(/^\d{4}-\d{2}$/);

export const identifyPhoneRequest = z.strictObject({ phone: mobilePhone });

export const identifyVerifyRequest = z.strictObject({
  challengeId: lookupId,
  code: z.string().regex(/^\d{4,8}$/, 'the code is 4 to 8 digits'),
});

export const identifyDeviceRequest = z.strictObject({ readId: lookupId });

export const checkInRequest = z.union([
  z.strictObject({
    code: z.string().regex(/^[A-Za-z0-9]{4,12}$/, '4 to 12 letters or digits'),
    lang: z.enum(LANGS).optional(),
  }),
  z.strictObject({ readId: lookupId, lang: z.enum(LANGS).optional() }),
]);

export const bookAppointmentRequest = z.strictObject({
  serviceId: lookupId,
  slot: z.iso.datetime({ offset: true }),
  phone: mobilePhone,
  lang: z.enum(LANGS).optional(),
});

export const appointmentSlotsQuery = z.strictObject({ serviceId: lookupId, day: z.iso.date().optional() });

export const feedbackRequest = z.strictObject({
  kind: z.enum(FEEDBACK_KINDS),
  topics: z.array(z.enum(FEEDBACK_TOPICS)).min(1).max(FEEDBACK_TOPICS.length),
  lang: z.enum(LANGS),
  /**
   * A complaint only: also issue a ticket for the complaints service (`complaintsServiceId`), linked
   * to the complaint and printed at the kiosk. Taking one later through `POST /tickets` works too.
   */
  ticket: z.boolean().optional(),
});

export const orderRequest = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('top-up'), amountFen: z.number().int().min(100).max(100_000) }),
  z.strictObject({ kind: z.literal('bill'), period: billingPeriod }),
  z.strictObject({ kind: z.literal('pack'), packId: lookupId }),
]);

export const invoiceRequest = z.strictObject({ period: billingPeriod });

export const demoPaymentRequest = z.strictObject({
  outcome: z.enum(DEMO_PAYMENT_OUTCOMES),
  delayMs: z.number().int().min(0).max(60_000).optional(),
});

export const demoIdCardRequest = z.strictObject({
  name: z.string().min(1).max(40),
  idNumber: z.string().regex(/^\d{17}[\dXx]$/, '18 characters: 17 digits, then a digit or X'),
});

export const demoScanRequest = z.strictObject({ code: z.string().min(1).max(256) });
