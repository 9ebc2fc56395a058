/**
 * Backup and restore with real processes: `hallq backup` copies a hall that is issuing tickets as fast as
 * four clients can ask; `hallq restore` refuses while the hall runs, then puts the copy back into the
 * stopped hall. Every ticket acknowledged (201) before the backup began is in the restored hall, with its
 * number; the database it replaced is kept aside, whole.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { backupInChild } from '../../server/app/backup.ts';
import { type ChildHall, runCli, startChildHall } from '../helpers/child-hall.ts';
import { tempDir } from '../helpers/temp-dir.ts';

type Ack = { id: string; number: string; at: number };

const halls: ChildHall[] = [];
afterAll(async () => {
  await Promise.all(halls.map((h) => h.kill9()));
});

async function hall(dbPath: string): Promise<ChildHall> {
  const started = await startChildHall(dbPath);
  halls.push(started);
  return started;
}

/** Clients issuing tickets until `stop()`; every 201 is recorded with the time it arrived. */
function issuing(url: string, clients = 4) {
  const acks: Ack[] = [];
  const failures: string[] = [];
  let running = true;
  const client = async () => {
    while (running) {
      const res = await fetch(`${url}/api/v1/tickets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ serviceId: 'payments', channel: 'reception' }),
      });
      const body = (await res.json()) as { id: string; number: string };
      if (res.status === 201) acks.push({ id: body.id, number: body.number, at: performance.now() });
      else failures.push(`${res.status} ${JSON.stringify(body)}`);
    }
  };
  const done = Promise.all(Array.from({ length: clients }, client));
  return {
    acks,
    failures,
    async stop() {
      running = false;
      await done;
    },
  };
}

const ticketIds = (dbPath: string) => {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return new Map(
      db
        .prepare<[], { id: string; number: string }>('SELECT id, number FROM tickets')
        .all()
        .map((t) => [t.id, t.number]),
    );
  } finally {
    db.close();
  }
};

describe('backup of a live hall and restore into the stopped hall', () => {
  it('keeps every ticket acknowledged before the backup; restore refuses while the hall runs and keeps the old database aside', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'hall.sqlite');
    const backupFile = join(dir, 'saved.sqlite');
    const first = await hall(dbPath);
    const load = issuing(first.url);
    while (load.acks.length < 50) await new Promise((resolve) => setTimeout(resolve, 20));

    const backupStarted = performance.now();
    const backup = await runCli(dbPath, ['backup', backupFile]);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/written to .*saved\.sqlite: .* MB, schema \d+, \d+ tickets, integrity ok/);
    const acksAfterBackup = load.acks.length;
    while (load.acks.length < acksAfterBackup + 30) await new Promise((resolve) => setTimeout(resolve, 20));

    // While the hall runs, restore refuses and changes nothing.
    const refused = await runCli(dbPath, ['restore', backupFile]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(`pid ${first.pid}`);
    expect(refused.stderr).toContain(dbPath);

    await load.stop();
    expect(load.failures).toEqual([]);
    await first.stop();
    const beforeRestore = ticketIds(dbPath);
    expect(beforeRestore.size).toBe(load.acks.length);

    const restored = await runCli(dbPath, ['restore', backupFile]);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    const aside = /kept as (\S+)/.exec(restored.stdout)?.[1];
    expect(aside).toBeDefined();
    // The replaced database is whole beside it: every ticket it had, the last ones included.
    expect(ticketIds(aside!)).toEqual(beforeRestore);

    const second = await hall(dbPath);
    const before = load.acks.filter((a) => a.at < backupStarted);
    const missing: string[] = [];
    for (const ack of before) {
      const res = await fetch(`${second.url}/api/v1/tickets/${ack.id}`);
      const body = (await res.json()) as { number?: string };
      if (res.status !== 200 || body.number !== ack.number) missing.push(`${ack.number}: ${res.status}`);
    }
    process.stdout.write(
      `backup/restore: ${load.acks.length} tickets acknowledged, ${before.length} before the backup began, ` +
        `${before.length - missing.length} of them in the restored hall; ${beforeRestore.size} kept aside\n`,
    );
    expect(before.length).toBeGreaterThanOrEqual(50);
    expect(missing).toEqual([]);
    // The restored hall is the backup's moment: the tickets issued after it are not there.
    const restoredIds = ticketIds(backupFile);
    expect(load.acks.filter((a) => !restoredIds.has(a.id)).length).toBeGreaterThanOrEqual(30);
    const next = await fetch(`${second.url}/api/v1/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ serviceId: 'payments', channel: 'reception' }),
    });
    expect(next.status).toBe(201);
    expect(((await next.json()) as { number: string }).number).toBe(
      `B${String(restoredIds.size + 1).padStart(3, '0')}`,
    );
  }, 60_000);

  it('refuses to restore a file that is not a HallQ database, leaving the hall database as it was', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'hall.sqlite');
    const started = await hall(dbPath);
    await fetch(`${started.url}/api/v1/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ serviceId: 'general', channel: 'reception' }),
    });
    await started.stop();
    const before = ticketIds(dbPath);
    const junk = join(dir, 'junk.sqlite');
    writeFileSync(junk, 'SQLite format 3\0'.padEnd(4096, 'x'));
    const refused = await runCli(dbPath, ['restore', junk]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/junk\.sqlite/);
    expect(ticketIds(dbPath)).toEqual(before);
    expect(readdirSync(dir).filter((f) => f.includes('replaced') || f.includes('restoring'))).toEqual([]);
  });

  it('runs the nightly backup as the CLI in a process of its own, with the result it printed', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'hall.sqlite');
    const started = await hall(dbPath);
    const cli = [
      process.execPath,
      '--import',
      'tsx',
      join(import.meta.dirname, '..', '..', 'server', 'cli.ts'),
    ];
    const run = backupInChild(cli, { ...process.env, HALLQ_DB: dbPath });
    const file = join(dir, 'nightly.sqlite');
    expect(await run(file)).toMatchObject({ file, tickets: 0, bytes: expect.any(Number) });
    expect(existsSync(file)).toBe(true);
    await expect(run(join(dir, 'no-such-folder', 'x.sqlite'))).rejects.toThrow(/does not exist/);
    await started.stop();
  });
});
