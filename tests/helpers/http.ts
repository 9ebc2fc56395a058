import { join } from 'node:path';
import { DEMO_HALL, type Settings } from '../../server/config.ts';
import type { Clock } from '../../server/domain/clock.ts';
import { type RunningHall, startHall } from '../../server/main.ts';
import { tempDir } from './temp-dir.ts';

export type Answer = {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: answers are read as untyped JSON; the assertions check their shape
  json: any;
};

/** A browser-like client: keeps its session cookie, sends JSON. */
export class Client {
  private cookie: string | null = null;
  constructor(readonly base: string) {}

  async request(
    method: string,
    path: string,
    options: { body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookie) headers.cookie = this.cookie;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.base + path, { method, headers, body, redirect: 'manual' });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]!.endsWith('=') ? null : setCookie.split(';')[0]!;
    const text = await res.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: res.status, headers: res.headers, text, json };
  }

  get = (path: string, headers?: Record<string, string>) => this.request('GET', path, { headers });
  post = (path: string, body?: unknown, headers?: Record<string, string>) =>
    this.request('POST', path, { body, headers });

  async login(
    username: string,
    password = username === 'manager' ? 'demo-manager' : 'demo-staff',
  ): Promise<Answer> {
    return this.post('/api/v1/auth/login', { username, password });
  }
}

/** A demo hall listening on a free port with a fresh database file; closed after the test file. */
export async function startTestServer(
  options: { clock?: Clock; settings?: Partial<Settings> } = {},
): Promise<RunningHall & { dbPath: string }> {
  const dbPath = join(tempDir(), 'hall.sqlite');
  const settings: Settings = {
    port: 0,
    host: '127.0.0.1',
    demo: true,
    hall: DEMO_HALL,
    dbPath,
    printer: 'sim',
    devices: [],
    ...options.settings,
  };
  const hall = await startHall(settings, {
    clock: options.clock,
    log: () => {},
    distDir: join(tempDir(), 'dist'),
  });
  return { ...hall, dbPath };
}
