/**
 * Every code an error envelope `{"error":{"code","message"}}` (ErrorBody) may carry. The servers'
 * refusals take only these, so a misspelt code does not compile; the OpenAPI document lists them; the
 * pages switch on them. Zod-free: the pages import it.
 */

/** What any HallQ server answers at its HTTP edge, the hall's API and HQ's alike. */
export const EDGE_ERROR_CODES = [
  'invalid-request',
  'payload-too-large',
  'unsupported-media-type',
  'not-found',
  'unauthenticated',
  'bad-credentials',
  'too-many-attempts',
  'forbidden',
  'cross-origin-refused',
  'busy',
  'storage-unavailable',
  'internal-error',
] as const;
export type EdgeErrorCode = (typeof EDGE_ERROR_CODES)[number];

/** The codes of the hall's API v1. */
export const ERROR_CODES = [
  ...EDGE_ERROR_CODES,
  // screens and customers
  'unpaired',
  'customer-required',
  'customer-expired',
  'unknown-kiosk',
  'too-many-requests',
  'too-many-streams',
  // tickets
  'service-not-found',
  'service-closed',
  'tier-not-allowed',
  'idempotency-key-reused',
  'ticket-not-found',
  'ticket-not-waiting',
  'turn-already-near',
  'illegal-transition',
  // counters: `counter-<status>` when the counter's status forbids the action
  'counter-not-found',
  'counter-closed',
  'counter-open',
  'counter-paused',
  'counter-serving',
  'not-seated',
  'already-seated',
  'no-current-ticket',
  'same-service',
  // identification
  'not-a-customer',
  'bss-unavailable',
  'sms-unavailable',
  'unknown-challenge',
  'wrong-code',
  'code-expired',
  'unknown-read',
  // appointments
  'slot-unavailable',
  'slot-full',
  'too-many-appointments',
  'unknown-appointment',
  'too-early',
  'too-late',
  'already-checked-in',
  // feedback
  'no-complaints-service',
  // self-service
  'unknown-pack',
  'insufficient-balance',
  'payment-unavailable',
  'unknown-period',
  'bill-already-paid',
  'order-not-found',
  'already-paid',
  // configuration and staff
  'version-conflict',
  'reference-conflict',
  'service-in-use',
  'counter-in-use',
  'username-taken',
  'user-not-found',
  'last-manager',
  'staff-seated',
  // pairing and devices
  'pairing-request-not-found',
  'too-many-pairing-requests',
  'already-paired',
  'device-token-not-found',
  'not-simulated',
  'payment-not-simulated',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The codes of HQ's `/hq/v1`. */
export const HQ_ERROR_CODES = [
  ...EDGE_ERROR_CODES,
  'bad-token',
  'hall-not-found',
  'region-not-found',
  'other-region',
] as const;
export type HqErrorCode = (typeof HQ_ERROR_CODES)[number];

/** What a page's client reports without an envelope: no answer at all, or an answer that has none. */
export type ClientErrorCode = 'unreachable' | 'http-error';

/** What a page may be told went wrong, by the hall, by HQ or by its own client. */
export type ApiErrorCode = ErrorCode | HqErrorCode | ClientErrorCode;
