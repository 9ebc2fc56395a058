/**
 * Durability: a child server process takes concurrent ticket requests and is killed with SIGKILL at a
 * random moment, again and again, on the same database file. A ticket the server acknowledged with a 201
 * must survive every crash with the same number, and no number may be handed out twice.
 *
 * SIGKILL ends the process, not the machine: the page cache survives, so this proves the commit-before-
 * answer order and crash recovery of the WAL. Power-cut durability rests on `synchronous=FULL` (fsync of
 * the WAL at each commit), which a test on a running kernel cannot observe.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const KILLS = 22;
const CLIENTS = 8;
const SERVICES = ['general', 'payments', 'devices'] as const;

type Ack = { id: string; number: string; round: number };
type Answer = { status: number; body: string };

type Child = { process: ChildProcess; url: string; output: string[] };

/** Starts `node --import tsx server/main.ts` on the database and waits for its "hall listening" line. */
async function startServer(dbPath: string): Promise<Child> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HALLQ_HOST: '127.0.0.1', HALLQ_DB: dbPath };
  for (const name of ['HALLQ_CONFIG', 'HALLQ_PRINTER', 'HALLQ_DEVICES']) delete env[name];
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output.join('')}`)), 20_000);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      // Keep reading every line so the child never blocks on a full pipe.
      if (!line.includes('"hall listening"')) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before listening: ${output.join('')}`));
    });
  });
  return { process: child, url, output };
}

function send(agent: Agent, url: string, method: string, path: string, body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      `${url}${path}`,
      {
        method,
        agent,
        headers: payload
          ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
          : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        // Only a body received to its end counts as an answer; a cut-off one is an error.
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
        res.on('aborted', () => reject(new Error('response aborted')));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Runs the clients until the server dies; returns the 201s received and any unexpected answers. */
async function burst(url: string, round: number, killAfterMs: number, kill: () => void) {
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const acks: Ack[] = [];
  const unexpected: string[] = [];
  let dead = false;
  const timer = setTimeout(() => {
    dead = true;
    kill();
  }, killAfterMs);
  const client = async () => {
    while (!dead) {
      const serviceId = SERVICES[Math.floor(Math.random() * SERVICES.length)]!;
      let answer: Answer;
      try {
        answer = await send(agent, url, 'POST', '/api/v1/tickets', { serviceId, channel: 'reception' });
      } catch {
        if (dead) return; // the connection died with the server: this request was never acknowledged
        continue; // a refused connection before the kill would be odd but is not an acknowledgement
      }
      // A 201 read after the kill is still an acknowledgement: the server committed before answering.
      if (answer.status === 201) {
        const t = JSON.parse(answer.body) as { id: string; number: string };
        acks.push({ id: t.id, number: t.number, round });
      } else unexpected.push(`${answer.status} ${answer.body}`);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  clearTimeout(timer);
  agent.destroy();
  return { acks, unexpected };
}

type DbCheck = {
  missing: string[];
  renumbered: string[];
  duplicates: string[];
  gaps: string[];
  rows: number;
};

/** Reads the database file directly (read-only) and compares it with the acknowledgements. */
function checkDatabase(dbPath: string, acks: readonly Ack[]): DbCheck {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const byId = db.prepare<[string], { number: string }>('SELECT number FROM tickets WHERE id = ?');
    const missing: string[] = [];
    const renumbered: string[] = [];
    for (const a of acks) {
      const row = byId.get(a.id);
      if (!row) missing.push(`${a.number} (round ${a.round})`);
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

/** Asks the restarted server for every given ticket: it must answer 200 with the same number. */
async function checkOverHttp(url: string, acks: readonly Ack[]): Promise<string[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const problems: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < acks.length) {
      const a = acks[next++]!;
      const answer = await send(agent, url, 'GET', `/api/v1/tickets/${a.id}`);
      if (answer.status !== 200) problems.push(`${a.number}: ${answer.status}`);
      else if ((JSON.parse(answer.body) as { number: string }).number !== a.number)
        problems.push(`${a.number}: now ${(JSON.parse(answer.body) as { number: string }).number}`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  agent.destroy();
  return problems;
}

async function killHard(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  const exited = once(child.process, 'exit');
  child.process.kill('SIGKILL');
  await exited;
}

const dir = mkdtempSync(join(tmpdir(), 'hallq-durability-'));
let current: Child | null = null;

afterAll(async () => {
  if (current) await killHard(current);
  rmSync(dir, { recursive: true, force: true });
});

describe('durability under SIGKILL', () => {
  it(`keeps every acknowledged ticket, with its number and no duplicate, over ${KILLS} kills`, async () => {
    const dbPath = join(dir, 'hall.sqlite');
    const acks: Ack[] = [];
    const unexpected: string[] = [];
    const httpProblems: string[] = [];
    const started = performance.now();
    let kills = 0;
    current = await startServer(dbPath);

    for (let round = 1; round <= KILLS; round++) {
      const child = current;
      const killAfterMs = 50 + Math.floor(Math.random() * 350);
      const result = await burst(child.url, round, killAfterMs, () => child.process.kill('SIGKILL'));
      await killHard(child);
      kills++;
      acks.push(...result.acks);
      unexpected.push(...result.unexpected);

      current = await startServer(dbPath);
      // The tickets at risk in this crash, over HTTP; every ticket so far, in the file.
      httpProblems.push(
        ...(await checkOverHttp(
          current.url,
          acks.filter((a) => a.round === round),
        )),
      );
      const check = checkDatabase(dbPath, acks);
      expect(check.missing, `lost after kill ${round}`).toEqual([]);
      expect(check.renumbered, `renumbered after kill ${round}`).toEqual([]);
      expect(check.duplicates, `duplicated after kill ${round}`).toEqual([]);
      expect(check.gaps, `numbering gaps after kill ${round}`).toEqual([]);
    }

    // The end: every acknowledged ticket over HTTP, then the file once the server has stopped cleanly.
    httpProblems.push(...(await checkOverHttp(current.url, acks)));
    const last = current;
    const exited = once(last.process, 'exit');
    last.process.kill('SIGTERM');
    await exited;
    current = null;

    const final = checkDatabase(dbPath, acks);
    const db = new Database(dbPath, { readonly: true });
    const integrity = db.pragma('integrity_check', { simple: true });
    db.close();
    const ids = new Set(acks.map((a) => a.id));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `durability: ${kills} SIGKILLs, ${acks.length} tickets acknowledged (201), ${final.rows} in the database, ` +
        `lost ${final.missing.length}, renumbered ${final.renumbered.length}, duplicated ${final.duplicates.length}, ` +
        `numbering gaps ${final.gaps.length}, HTTP mismatches ${httpProblems.length}, integrity ${String(integrity)}, ${seconds} s\n`,
    );

    expect(kills).toBeGreaterThanOrEqual(20);
    expect(acks.length).toBeGreaterThan(KILLS * 5); // the bursts really ran
    expect(ids.size).toBe(acks.length);
    expect(unexpected).toEqual([]);
    expect(httpProblems).toEqual([]);
    expect(final.missing).toEqual([]);
    expect(final.renumbered).toEqual([]);
    expect(final.duplicates).toEqual([]);
    expect(final.gaps).toEqual([]);
    expect(integrity).toBe('ok');
  }, 120_000);
});
