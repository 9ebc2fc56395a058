/**
 * HallQ commands in processes of their own (`node --import tsx server/main.ts` or `server/cli.ts`, as
 * production runs them but from the sources), for tests that kill them, break their disk or watch them
 * exit; and a direct look at a database file to compare with what a hall acknowledged.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const ROOT = join(import.meta.dirname, '..', '..');

/** A HallQ command (`server/main.ts`, `server/cli.ts`) in a process of its own, with what it printed. */
export type ChildRun = {
  process: ChildProcess;
  /** Standard output and error so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal) when the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/**
 * Runs `node --import tsx <script> …args` from the project root with the environment given on top of a
 * clean one (no hall configuration, printer or devices from the caller's environment).
 */
export function runChild(
  script: string,
  args: string[],
  env: Record<string, string>,
  input?: string,
): ChildRun {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['HALLQ_CONFIG', 'HALLQ_PRINTER', 'HALLQ_DEVICES', 'HALLQ_LOG_FILE', 'NODE_OPTIONS'])
    delete base[name];
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { ...base, ...env },
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (input !== undefined) child.stdin!.end(input);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  return { process: child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** `npm run hallq -- …args` on the database, to its end. */
export async function runCli(dbPath: string, args: string[], input?: string) {
  const run = runChild('server/cli.ts', args, { HALLQ_DB: dbPath }, input);
  const { code } = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

export type ChildHall = ChildRun & {
  url: string;
  pid: number;
  kill9(): Promise<void>;
  stop(): Promise<void>;
};

/** A demo hall process on the database (port 0), resolved once it listens. */
export async function startChildHall(dbPath: string, env: Record<string, string> = {}): Promise<ChildHall> {
  const run = runChild('server/main.ts', [], {
    PORT: '0',
    HALLQ_HOST: '127.0.0.1',
    HALLQ_DB: dbPath,
    ...env,
  });
  const deadline = Date.now() + 30_000;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  void run.exited.then((e) => {
    exit = e;
  });
  for (;;) {
    const match = /"msg":"hall listening"[^\n]*"url":"([^"]+)"/.exec(run.stdout());
    if (match) {
      const end = async (signal: NodeJS.Signals) => {
        if (exit) return;
        run.process.kill(signal);
        await run.exited;
      };
      return {
        ...run,
        url: match[1]!,
        pid: run.process.pid!,
        kill9: () => end('SIGKILL'),
        stop: () => end('SIGTERM'),
      };
    }
    if (exit || Date.now() > deadline) {
      run.process.kill('SIGKILL');
      throw new Error(`the hall did not start (${JSON.stringify(exit)}): ${run.stderr()}${run.stdout()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export type Ack = { id: string; number: string };

export type DbCheck = {
  missing: string[];
  renumbered: string[];
  duplicates: string[];
  gaps: string[];
  rows: number;
};

/** Reads the database file directly (read-only) and compares it with the acknowledged tickets. */
export function checkDatabase(dbPath: string, acks: readonly Ack[]): DbCheck {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const byId = db.prepare<[string], { number: string }>('SELECT number FROM tickets WHERE id = ?');
    const missing: string[] = [];
    const renumbered: string[] = [];
    for (const a of acks) {
      const row = byId.get(a.id);
      if (!row) missing.push(a.number);
      else if (row.number !== a.number) renumbered.push(`${a.number} → ${row.number}`);
    }
    const duplicates = db
      .prepare<[], { day: string; number: string; n: number }>(
        'SELECT day, number, COUNT(*) AS n FROM tickets GROUP BY day, number HAVING n > 1',
      )
      .all()
      .map((d) => `${d.day} ${d.number} ×${d.n}`);
    // Numbers per day and prefix run 1..n with none skipped, and the daily counter agrees.
    const gaps = db
      .prepare<[], { day: string; prefix: string; n: number; top: number; last: number | null }>(
        `SELECT t.day, t.prefix, COUNT(*) AS n, MAX(t.seq) AS top, MIN(t.seq) AS low, d.last
         FROM (SELECT day, substr(number, 1, 1) AS prefix, CAST(substr(number, 2) AS INTEGER) AS seq FROM tickets) t
         LEFT JOIN daily_numbers d ON d.day = t.day AND d.prefix = t.prefix
         GROUP BY t.day, t.prefix HAVING n != top OR low != 1 OR d.last IS NULL OR d.last != top`,
      )
      .all()
      .map((g) => `${g.day} ${g.prefix}: ${g.n} tickets, highest ${g.top}, counter ${g.last}`);
    const rows = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM tickets').get()!.n;
    return { missing, renumbered, duplicates, gaps, rows };
  } finally {
    db.close();
  }
}
