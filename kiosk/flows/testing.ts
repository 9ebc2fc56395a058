/** Helpers for machine tests: settle promises, control answers, make server errors. */
import { ApiError } from '../../server/contract/client.ts';
import type { ErrorCode } from '../../server/contract/error-codes.ts';

/** Lets resolved promise actors deliver their results (they resolve on microtasks and a macrotask). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export function unreachable(): ApiError {
  return new ApiError(0, 'unreachable', 'fetch failed');
}

export function refusal(status: number, code: ErrorCode): ApiError {
  return new ApiError(status, code, code);
}

/** A promise the test resolves or rejects when it wants to. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
