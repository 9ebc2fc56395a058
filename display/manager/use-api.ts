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

/** The HTTP client of a signed-in manager: any 401 (the session expired or was ended) calls `onEnded`. */
export function sessionApi(onEnded: () => void): Required<ManagerApi> {
  const watch = <T>(call: Promise<T>): Promise<T> =>
    call.catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 401) onEnded();
      throw error;
    });
  return {
    get: (path) => watch(httpApi.get(path)),
    put: (path, body, headers) => watch(httpApi.put(path, body, headers)),
    post: (path, body) => watch(httpApi.post(path, body)),
    del: (path) => watch(httpApi.del(path)),
  };
}

export const ApiContext = createContext<ManagerApi>(httpApi);

/** What went wrong, in both languages, then the server's own words (they name the field or the conflict). */
const PROBLEMS: Record<number, string> = {
  400: '输入有误 / Invalid input',
  401: '登录已过期，请重新登录 / Your session has ended, please sign in again',
  403: '无权操作 / Not allowed',
  404: '找不到 / Not found',
  409: '未保存：与当前状态冲突 / Not saved: it conflicts with the current state',
  413: '内容过大 / Too large',
  429: '尝试次数过多，请稍后再试 / Too many attempts, try again later',
};

export function errorText(error: unknown): string {
  if (!(error instanceof ApiError)) return String(error);
  if (error.unreachable) return '无法连接服务器 / Server unreachable';
  const problem = PROBLEMS[error.status] ?? `操作失败 / Something went wrong (${error.status})`;
  return `${problem}: ${error.message}`;
}

export type Loaded<T> = { data: T | null; error: string | null; loading: boolean };

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
