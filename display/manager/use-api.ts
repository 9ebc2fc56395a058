import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../../server/contract/client.ts';

/** What the manager pages ask of the server; the tests hand in a fake. */
export type ManagerApi = {
  get<T>(path: string): Promise<T>;
  put<T>(path: string, body: unknown, headers?: Record<string, string>): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  /** Optional so fakes that never delete need not say so; the HTTP client has it. */
  del?(path: string): Promise<unknown>;
};

export const httpApi: Required<ManagerApi> = {
  get: (path) => api(path),
  put: (path, body, headers) => api(path, { method: 'PUT', body, ...(headers ? { headers } : {}) }),
  post: (path, body) => api(path, { method: 'POST', body }),
  del: (path) => api(path, { method: 'DELETE' }),
};

export const ApiContext = createContext<ManagerApi>(httpApi);

export type Loaded<T> = { data: T | null; error: string | null; loading: boolean };

export function errorText(error: unknown): string {
  if (error instanceof ApiError)
    return error.unreachable ? '无法连接服务器 / Server unreachable' : `${error.message} (${error.status})`;
  return String(error);
}

/** GETs `path` (null: nothing to load) again whenever it or `version` changes; keeps the last data while loading. */
export function useGet<T>(path: string | null, version: unknown = 0): Loaded<T> {
  const client = useContext(ApiContext);
  const [state, setState] = useState<Loaded<T>>({ data: null, error: null, loading: path !== null });
  useEffect(() => {
    if (path === null) return;
    let alive = true;
    setState((s) => ({ ...s, loading: true }));
    client.get<T>(path).then(
      (data) => alive && setState({ data, error: null, loading: false }),
      (error: unknown) =>
        alive && setState((s) => ({ data: s.data, error: errorText(error), loading: false })),
    );
    return () => {
      alive = false;
    };
  }, [client, path, version]);
  return state;
}
