/**
 * Named side effects a machine declares in `setup()` and expects to be filled with `.provide()`
 * (kiosk/main.tsx in the app, fakes in tests). Forgetting one fails loudly instead of doing nothing.
 */

import type { EventObject } from 'xstate';
import { fromCallback, fromPromise } from 'xstate';

export function promisePlaceholder<TOutput, TInput>(name: string) {
  return fromPromise<TOutput, TInput>(() => Promise.reject(new Error(`actor "${name}" was not provided`)));
}

export function callbackPlaceholder<TEvent extends EventObject, TInput = void>(name: string) {
  return fromCallback<TEvent, TInput>(() => {
    throw new Error(`actor "${name}" was not provided`);
  });
}
