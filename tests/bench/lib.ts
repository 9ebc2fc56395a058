/**
 * What the benchmarks share: servers in child processes (so their CPU and memory are their own), a small
 * keep-alive HTTP client, percentiles and the row type of the table.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer } from '../../scripts/build-server.mjs';
import { writeDemoHistoryFile } from '../../scripts/demo-history.ts';
import type { DemoHistoryResult } from '../../server/app/demo-history.ts';

export const ROOT = join(import.meta.dirname, '..', '..');

/** One line of the table. `ok` is null for figures shown for context, without a target. */
export type BenchRow = { name: string; figure: string; target: string; ok: boolean | null };

export function tempDir(label: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `hallq-bench-${label}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export type ChildServer = {
  url: string;
  pid: number;
  /** The file its standard output (its log) goes to. */
  logPath: string;
  process: ChildProcess;
  /** SIGTERM, then SIGKILL if it has not gone after two seconds. */
  stop(): Promise<void>;
  /** Throws when the child has died (killed from outside, crashed) — a clearer error than ECONNREFUSED. */
  assertAlive(): void;
};

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Runs `node <script>` (a bundle) or `node --import tsx <script>` (TypeScript) with its stdout going to a log file (as a hall's logs would go to a
 * file or journald, and so that reading them costs the benchmark client nothing), and waits for the JSON
 * line that says it listens.
 */
export async function startChild(
  script: string,
  env: Record<string, string>,
  logDir: string,
): Promise<ChildServer> {
  const logPath = join(logDir, `${script.replace(/\W+/g, '_')}-${Date.now()}.log`);
  const out = openSync(logPath, 'w');
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['HALLQ_CONFIG', 'HALLQ_PRINTER', 'HALLQ_DEVICES', 'NODE_OPTIONS']) delete base[name];
  const args = script.endsWith('.mjs') ? [script] : ['--import', 'tsx', script];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...base, PORT: '0', HALLQ_HOST: '127.0.0.1', ...env },
    stdio: ['ignore', out, 'pipe'],
  });
  closeSync(out);
  running.add(child);
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  let exited = false;
  let exitReason = '';
  child.once('exit', (code, signal) => {
    exited = true;
    exitReason = signal ? `signal ${signal}` : `code ${code}`;
    running.delete(child);
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const match = /"msg":"[^"]*listening"[^\n]*"url":"([^"]+)"/.exec(readFileSync(logPath, 'utf8'));
    if (match) {
      return {
        url: match[1]!,
        pid: child.pid!,
        logPath,
        process: child,
        stop: async () => {
          if (exited) return;
          const gone = once(child, 'exit');
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
          await gone;
          clearTimeout(timer);
        },
        assertAlive: () => {
          if (exited)
            throw new Error(
              `${script} (pid ${child.pid}) ended during the benchmark (${exitReason}) ${stderr.trim().slice(-300)}`,
            );
        },
      };
    }
    if (exited || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `${script} did not start: ${stderr.trim() || readFileSync(logPath, 'utf8').slice(-500)}`,
      );
    }
    await sleep(20);
  }
}

/**
 * A hall in a child process on its own database file (demo mode, demo sign-ins), run as `npm start`
 * runs it in production: the server bundle on plain node. Every benchmark client comes from 127.0.0.1,
 * so the per-address cap on event streams is lifted to the total (500), as a hall's many screens have
 * addresses of their own.
 */
export async function startHallChild(
  dbPath: string,
  logDir: string,
  env: Record<string, string> = {},
): Promise<ChildServer> {
  return startChild(
    await buildServer(),
    { HALLQ_DB: dbPath, HALLQ_STREAMS_PER_ADDRESS: '500', ...env },
    logDir,
  );
}

let demoHistory: { dir: { path: string; remove(): void }; written: DemoHistoryResult } | null = null;
process.on('exit', () => demoHistory?.dir.remove());

/**
 * A new database file at `dbPath` holding the demo hall's eight weeks of history up to yesterday, as
 * `npm start` writes it for a new demo hall (`scripts/demo-history.ts --days 56`, seed 1): written once
 * per benchmark run, copied for each hall. Returns `dbPath` and what the history holds.
 */
export function demoHallDb(dbPath: string): { path: string; tickets: number; events: number } {
  if (!demoHistory) {
    const dir = tempDir('demo-history');
    demoHistory = {
      dir,
      written: writeDemoHistoryFile(join(dir.path, 'demo.sqlite'), { days: 56, seed: 1 }),
    };
  }
  if (existsSync(dbPath)) throw new Error(`${dbPath} exists`);
  copyFileSync(join(demoHistory.dir.path, 'demo.sqlite'), dbPath);
  return { path: dbPath, tickets: demoHistory.written.tickets, events: demoHistory.written.events };
}

/** Resident memory of a process now and at its peak (VmRSS, VmHWM), in MB; Linux only. */
export function processMemory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type Answer = { status: number; body: string; headers: Record<string, string | string[] | undefined> };

export function keepAliveAgent(sockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
}

/** One HTTP request on the given agent; resolves when the whole body has arrived. */
export function send(
  agent: Agent,
  url: string,
  method: string,
  path: string,
  options: { body?: unknown; cookie?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string | number> = { ...options.headers };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    if (options.cookie) headers.cookie = options.cookie;
    const req = request(`${url}${path}`, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString(),
          headers: res.headers,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Signs in and returns the session cookie. */
export async function signIn(agent: Agent, url: string, username: string, password: string): Promise<string> {
  const answer = await send(agent, url, 'POST', '/api/v1/auth/login', { body: { username, password } });
  if (answer.status !== 200) throw new Error(`sign-in as ${username}: ${answer.status} ${answer.body}`);
  const setCookie = answer.headers['set-cookie'];
  const cookie = (Array.isArray(setCookie) ? setCookie[0] : setCookie)?.split(';')[0];
  if (!cookie) throw new Error('sign-in answered without a session cookie');
  return cookie;
}

export async function expectStatus(answer: Promise<Answer>, status: number, what: string): Promise<Answer> {
  const a = await answer;
  if (a.status !== status)
    throw new Error(`${what}: expected ${status}, got ${a.status} ${a.body.slice(0, 200)}`);
  return a;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/**
 * The tail a sample supports: the p99 from 1,000 samples on, below that the slowest (a p99 of fewer
 * samples is the max or one below it, and would claim a precision it does not have).
 */
export function tail(sorted: readonly number[]): { label: 'p99' | 'max'; value: number } {
  return sorted.length >= 1000
    ? { label: 'p99', value: percentile(sorted, 99) }
    : { label: 'max', value: sorted[sorted.length - 1] ?? Number.NaN };
}

/** `p50 1.20 ms, p99 4.31 ms of 2,000` (or `max` below 1,000 samples), from an ascending array. */
export function latencyFigure(sorted: readonly number[]): string {
  const t = tail(sorted);
  return `p50 ${ms(percentile(sorted, 50))}, ${t.label} ${ms(t.value)} of ${count(sorted.length)}`;
}

export const count = (n: number) => n.toLocaleString('en');

export const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`;
