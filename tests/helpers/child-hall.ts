/**
 * A hall server in a process of its own (`node --import tsx server/main.ts`, as production runs it but
 * from the sources), for tests that kill it, break its disk or watch it exit; and a direct look at its
 * database file to compare with what it acknowledged.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';

const ROOT = join(import.meta.dirname, '..', '..');

export type ChildHall = {
  process: ChildProcess;
  url: string;
  /** What it wrote on stdout (its JSON log lines) and stderr, as it arrives. */
  output: string[];
  /** Its exit code (null after a signal), once it has exited. */
  exited: Promise<number | null>;
};

/** Starts the demo hall on `dbPath` and waits for its "hall listening" line. */
export async function startChildHall(dbPath: string, env: NodeJS.ProcessEnv = {}): Promise<ChildHall> {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HALLQ_HOST: '127.0.0.1',
    HALLQ_DB: dbPath,
    ...env,
  };
  for (const name of ['HALLQ_CONFIG', 'HALLQ_PRINTER', 'HALLQ_DEVICES'])
    if (!(name in env)) delete childEnv[name];
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output.join('')}`)), 20_000);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      // Every line is read, so the child never blocks on a full pipe.
      output.push(line);
      if (!line.includes('"hall listening"')) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening: ${output.join('')}`));
    });
  });
  return { process: child, url, output, exited };
}

/** Ends the process with SIGKILL (nothing of it runs after) and waits for it to be gone. */
export async function killHard(child: ChildHall): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill('SIGKILL');
  await child.exited;
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
