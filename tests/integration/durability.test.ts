/**
 * Durability: a child server process takes concurrent ticket requests and is killed with SIGKILL at a
 * random moment, again and again, on the same database file. A ticket the server acknowledged with a 201
 * must survive every crash with the same number, and no number may be handed out twice.
 *
 * SIGKILL ends the process, not the machine: the page cache survives, so this proves the commit-before-
 * answer order and crash recovery of the WAL. Power-cut durability rests on `synchronous=FULL` (fsync of
 * the WAL at each commit), which a test on a running kernel cannot observe.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type Ack as Acknowledged,
  type ChildHall,
  checkDatabase,
  startChildHall,
} from '../helpers/child-hall.ts';

const KILLS = 22;
const CLIENTS = 8;
const SERVICES = ['general', 'payments', 'devices'] as const;

type Ack = Acknowledged & { round: number };
type Answer = { status: number; body: string };

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

const dir = mkdtempSync(join(tmpdir(), 'hallq-durability-'));
let current: ChildHall | null = null;

afterAll(async () => {
  if (current) await current.kill9();
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
    current = await startChildHall(dbPath);

    for (let round = 1; round <= KILLS; round++) {
      const child = current;
      const killAfterMs = 50 + Math.floor(Math.random() * 350);
      const result = await burst(child.url, round, killAfterMs, () => child.process.kill('SIGKILL'));
      await child.kill9();
      kills++;
      acks.push(...result.acks);
      unexpected.push(...result.unexpected);

      current = await startChildHall(dbPath);
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
    current.process.kill('SIGTERM');
    await current.exited;
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
