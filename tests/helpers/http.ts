import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import type { Log } from '../../server/app/operator-log.ts';
import type { Passwords } from '../../server/app/passwords.ts';
import { loadSettings, type Settings } from '../../server/config.ts';
import type { Clock } from '../../server/domain/clock.ts';
import { type RunningHall, startHall } from '../../server/main.ts';
import { tempDir } from './temp-dir.ts';
import { testPasswords } from './test-hall.ts';

export type Answer = {
  status: number;
  headers: Headers;
  /** The body as sent, byte order mark included. */
  bytes: Uint8Array;
  /** The body decoded as UTF-8 (as `fetch` decodes it: without a byte order mark). */
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: answers are read as untyped JSON; the assertions check their shape
  json: any;
};

/** An answer's body as bytes, as UTF-8 text, and as JSON when it is JSON. */
function answerOf(status: number, headers: Headers, bytes: Uint8Array): Answer {
  const text = new TextDecoder().decode(bytes);
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status, headers, bytes, text, json };
}

/** A browser-like client: keeps its session cookie, sends JSON. */
export class Client {
  private cookie: string | null = null;
  constructor(readonly base: string) {}

  /** The session cookie this client sends, for a request made another way. */
  get cookieHeader(): string | null {
    return this.cookie;
  }

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
    return answerOf(res.status, res.headers, new Uint8Array(await res.arrayBuffer()));
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

const ROOT = join(import.meta.dirname, '..', '..');

/** The built pages. `npm test` builds them before any test runs; a lone run builds them once here. */
export function builtPages(): string {
  if (!existsSync(join(ROOT, 'dist', 'kiosk', 'index.html'))) {
    const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('vite build failed');
  }
  return join(ROOT, 'dist');
}

/**
 * A demo hall listening on a free port with a fresh database file. With `pages`, it serves the built
 * pages (for the browser tests); without, API only.
 */
export async function startTestServer(
  options: {
    clock?: Clock;
    settings?: Partial<Settings>;
    pages?: boolean;
    log?: Log;
    onRestartNeeded?: (reason: string) => void;
    /** The built pages to serve, when not the checkout's own dist/ (`pages`). */
    distDir?: string;
    passwords?: Passwords;
  } = {},
): Promise<RunningHall & { dbPath: string }> {
  const dbPath = options.settings?.dbPath ?? join(tempDir(), 'hall.sqlite');
  const settings: Settings = {
    ...loadSettings({}),
    port: 0,
    host: '127.0.0.1',
    dbPath,
    backup: null,
    ...options.settings,
  };

  const hall = await startHall(settings, {
    clock: options.clock,
    log: options.log ?? (() => {}),
    onRestartNeeded: options.onRestartNeeded,
    passwords: options.passwords ?? testPasswords(),
    distDir: options.distDir ?? (options.pages ? builtPages() : join(tempDir(), 'no-pages')),
  });
  return { ...hall, dbPath };
}

/** A test hall with the callers most API tests need: nobody, staff1 and the manager, both signed in. */
export async function hallWithCallers(options: Parameters<typeof startTestServer>[0] = {}) {
  const hall = await startTestServer(options);
  const [anon, staff, manager] = [new Client(hall.url), new Client(hall.url), new Client(hall.url)];
  for (const [client, username] of [
    [staff, 'staff1'],
    [manager, 'manager'],
  ] as const) {
    const answer = await client.login(username);
    if (answer.status !== 200)
      throw new Error(`${username} could not sign in: ${answer.status} ${answer.text}`);
  }
  return { hall, anon, staff, manager };
}

/**
 * One request over node:http(s), for what `fetch` cannot do: send from another source address (another
 * machine on the hall network: any 127.x.y.z reaches a hall listening on 127.0.0.1) or trust a
 * certificate authority the test made.
 */
export function nodeRequest(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: unknown;
    localAddress?: string;
    ca?: string;
    /** The request target sent as is (`/assets/../x`), where a URL would be normalised first. */
    rawPath?: string;
  } = {},
): Promise<Answer> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers = { ...(body ? { 'content-type': 'application/json' } : {}), ...options.headers };
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        headers,
        localAddress: options.localAddress,
        ca: options.ca,
        ...(options.rawPath ? { path: options.rawPath } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const answerHeaders = new Headers();
          for (const [k, v] of Object.entries(res.headers))
            for (const value of [v ?? []].flat()) answerHeaders.append(k, value);
          resolve(answerOf(res.statusCode ?? 0, answerHeaders, new Uint8Array(Buffer.concat(chunks))));
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
