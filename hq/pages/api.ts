/**
 * The HQ pages' client: the manager pages' hooks (display/manager/use-api.ts) over `/hq/v1`, where any
 * 401 (the session expired or was ended) brings the sign-in form back.
 */

import type { ManagerApi } from '../../display/manager/use-api.ts';
import { ApiError, api } from '../../server/contract/client.ts';
import { HQ_API_BASE } from '../contract.ts';

export const hq = <T>(path: string, options: { method?: string; body?: unknown } = {}) =>
  api<T>(path, { ...options, base: HQ_API_BASE });

export function hqSession(onEnded: () => void): Required<ManagerApi> {
  const watch = <T>(call: Promise<T>): Promise<T> =>
    call.catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 401) onEnded();
      throw error;
    });
  return {
    get: (path) => watch(hq(path)),
    put: (path, body) => watch(hq(path, { method: 'PUT', body })),
    post: (path, body) => watch(hq(path, { method: 'POST', body })),
    del: (path) => watch(hq(path, { method: 'DELETE' })),
  };
}
