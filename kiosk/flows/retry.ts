/** What the flows share about talking to a server that may be briefly away. */
import { ApiError } from '../../server/contract/client.ts';
import type { ApiErrorCode } from '../../server/contract/error-codes.ts';

/** What a screen may have to explain: a refusal's code, a phone number the kiosk would not send, or a surprise. */
export type ProblemCode = ApiErrorCode | 'invalid-phone' | 'unexpected';

/**
 * True when trying the same request again later may succeed: no answer at all, a server error, or
 * "slow down". Anything else (400, 404, 409…) is an answer about the request itself.
 */
export function isTransient(error: unknown): boolean {
  return error instanceof ApiError && (error.unreachable || error.status >= 500 || error.status === 429);
}

/** Backoff before the next try: 1 s, 2 s, 4 s … capped at 15 s, so a long outage is not hammered. */
export function retryDelayMs(retries: number): number {
  return Math.min(1_000 * 2 ** retries, 15_000);
}

/** The error code of a refused request, for the screen to explain. */
export function problemOf(error: unknown): ProblemCode {
  return error instanceof ApiError ? error.code : 'unexpected';
}

/**
 * An Idempotency-Key for one attempt. `crypto.randomUUID` exists only in secure contexts and a kiosk on
 * the hall network is usually plain http, so the key is built from `getRandomValues` (128 bits).
 */
export function newAttemptKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
