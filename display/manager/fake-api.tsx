import type { ComponentChildren } from 'preact';
import { ApiContext, type ManagerApi } from './use-api.ts';

/**
 * A fake server for the manager pages' component tests: GET and POST answer by the longest listed path
 * prefix (a missing answer rejects; a function answers from the path), PUT echoes its body; every call
 * is recorded.
 */
export function fakeApi(answers: Record<string, unknown>) {
  const calls: { method: string; path: string; body?: unknown }[] = [];
  const answer = (path: string) => {
    const key = Object.keys(answers)
      .filter((k) => path.startsWith(k))
      .sort((a, b) => b.length - a.length)[0];
    if (key === undefined) return Promise.reject(new Error(`no answer for ${path}`));
    const found = answers[key];
    return Promise.resolve(typeof found === 'function' ? (found as (p: string) => unknown)(path) : found);
  };
  const client: ManagerApi = {
    get: <T,>(path: string) => {
      calls.push({ method: 'GET', path });
      return answer(path) as Promise<T>;
    },
    put: <T,>(path: string, body: unknown) => {
      calls.push({ method: 'PUT', path, body });
      return Promise.resolve(body) as Promise<T>;
    },
    post: <T,>(path: string, body: unknown) => {
      calls.push({ method: 'POST', path, body });
      return answer(path) as Promise<T>;
    },
  };
  const wrap = (children: ComponentChildren) => (
    <ApiContext.Provider value={client}>{children}</ApiContext.Provider>
  );
  /** The paths asked for with GET, in order. */
  const paths = () => calls.filter((c) => c.method === 'GET').map((c) => c.path);
  return { client, calls, paths, wrap };
}
