/**
 * The storage failing under a running hall, for real where the machine allows: a full tmpfs, the
 * database file or its WAL deleted or replaced, an fsync that fails (a preloaded shim makes the
 * kernel's answer EIO). In each case nothing acknowledged is lost, no 500 or 201 is given for a write
 * that did not happen, /health says what is wrong while it is wrong, and the hall resumes by itself
 * where it can.
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { type Ack, checkDatabase, startChildHall } from '../helpers/child-hall.ts';
import { Client, startTestServer } from '../helpers/http.ts';
import { smallDisk } from '../helpers/small-disk.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const issue = (client: Client, headers?: Record<string, string>) =>
  client.post('/api/v1/tickets', { serviceId: 'general', channel: 'reception' }, headers);

async function issueAcked(client: Client, n: number): Promise<Ack[]> {
  const acks: Ack[] = [];
  for (let i = 0; i < n; i++) {
    const answer = await issue(client);
    expect(answer.status).toBe(201);
    acks.push({ id: answer.json.id, number: answer.json.number });
  }
  return acks;
}

const disk = smallDisk();
afterAll(() => disk?.unmount());

describe('a full disk', () => {
  /** A printer on TCP that takes the connection and never answers: each print fails after its timeout. */
  let silentPrinter: Server | null = null;
  afterAll(() => silentPrinter?.close());

  it.skipIf(disk === null)(
    'refuses tickets with a 503 while /health says so, keeps a late print result waiting, and resumes by itself',
    async () => {
      silentPrinter = createServer(() => {}).listen(0, '127.0.0.1');
      await new Promise((resolve) => silentPrinter!.once('listening', resolve));
      const port = (silentPrinter.address() as { port: number }).port;
      const logs: Record<string, unknown>[] = [];
      const hall = await startTestServer({
        settings: {
          dbPath: join(disk!.dir, 'hall.sqlite'),
          printer: `tcp://127.0.0.1:${port}?timeout=1500`,
          minFreeBytes: 1024 * 1024, // the whole disk is 16 MB
        },
        log: (line) => logs.push(line),
      });
      try {
        const kiosk = new Client(hall.url);
        const acked = await issueAcked(kiosk, 3);
        // A kiosk ticket: its print fails after 1.5 s, when the disk is already full.
        const printed = await kiosk.post('/api/v1/tickets', { serviceId: 'general', channel: 'kiosk' });
        expect(printed.status).toBe(201);
        disk!.fill();

        const refused = await issue(kiosk);
        expect(refused.status).toBe(503);
        expect(refused.json.error.code).toBe('storage-unavailable');
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
        const sick = await kiosk.get('/api/v1/health');
        expect(sick.status).toBe(200);
        expect(sick.json).toMatchObject({
          ok: false,
          storage: { writable: false, fault: { code: 'disk-full' } },
        });
        expect(sick.json.problems.map((p: { code: string }) => p.code)).toContain('disk-full');
        // The print fails (5 s to connect, then no status) after its 201, on the full disk: its result
        // waits, and the process lives on.
        await vi.waitFor(
          () =>
            expect(
              logs.some((l) => l.msg === 'write waits for storage' && l.command === 'print-result'),
            ).toBe(true),
          {
            timeout: 15_000,
          },
        );
        expect((await kiosk.get(`/api/v1/tickets/${printed.json.id}`)).json.print).toBe('pending');

        disk!.free();
        await vi.waitFor(async () => expect((await kiosk.get('/api/v1/health')).json.ok).toBe(true), {
          timeout: 10_000,
        });
        expect((await kiosk.get(`/api/v1/tickets/${printed.json.id}`)).json).toMatchObject({
          print: 'failed',
        });
        const again = await issue(kiosk);
        expect(again.status).toBe(201);
        expect(again.json.number).toBe('A005'); // the refused request took no number
        for (const a of acked)
          expect((await kiosk.get(`/api/v1/tickets/${a.id}`)).json.number).toBe(a.number);
      } finally {
        disk!.free();
        await hall.close();
      }
    },
  );
});

describe('the database files under a running hall', () => {
  it('refuses writes when the database file is deleted, writes it back from the open connection, and asks for a restart', async () => {
    const restarts: string[] = [];
    const hall = await startTestServer({ onRestartNeeded: (reason) => restarts.push(reason) });
    const client = new Client(hall.url);
    const acked = await issueAcked(client, 3);
    rmSync(hall.dbPath);

    const refused = await issue(client);
    expect(refused.status).toBe(503);
    expect(refused.json.error.code).toBe('storage-unavailable');
    expect((await client.get('/api/v1/health')).json).toMatchObject({
      ok: false,
      storage: { fault: { code: 'database-deleted' } },
    });
    await vi.waitFor(() => expect(restarts).toEqual(['database-deleted']), { timeout: 5000 });
    expect(existsSync(hall.dbPath)).toBe(true);
    expect((await issue(client)).status).toBe(503); // still stopped until the restart
    await hall.close();

    const check = checkDatabase(hall.dbPath, acked);
    expect(check).toMatchObject({ missing: [], renumbered: [], duplicates: [], gaps: [] });
    const restarted = await startTestServer({ settings: { dbPath: hall.dbPath } });
    try {
      const next = await issue(new Client(restarted.url));
      expect(next.status).toBe(201);
      expect(next.json.number).toBe('A004');
    } finally {
      await restarted.close();
    }
  });

  it('refuses writes when the WAL is deleted, moves its frames into the database, and asks for a restart', async () => {
    const restarts: string[] = [];
    const hall = await startTestServer({ onRestartNeeded: (reason) => restarts.push(reason) });
    const client = new Client(hall.url);
    const acked = await issueAcked(client, 3);
    rmSync(`${hall.dbPath}-wal`);

    expect((await issue(client)).status).toBe(503);
    expect((await client.get('/api/v1/health')).json.storage.fault.code).toBe('wal-deleted');
    await vi.waitFor(() => expect(restarts).toEqual(['wal-deleted']), { timeout: 5000 });
    await hall.close();
    expect(checkDatabase(hall.dbPath, acked).missing).toEqual([]);
  });

  it('leaves a file put in the database’s place alone, saves the hall’s data beside it and stays stopped', async () => {
    const restarts: string[] = [];
    const hall = await startTestServer({ onRestartNeeded: (reason) => restarts.push(reason) });
    const client = new Client(hall.url);
    await issueAcked(client, 2);
    const older = join(tempDir(), 'older.sqlite');
    copyFileSync(hall.dbPath, older);
    const acked = await issueAcked(client, 2);
    const foreign = readFileSync(older);
    renameSync(older, hall.dbPath); // another inode now has the database's name

    expect((await issue(client)).status).toBe(503);
    const health = (await client.get('/api/v1/health')).json;
    expect(health).toMatchObject({ ok: false, storage: { fault: { code: 'database-replaced' } } });
    const dir = join(hall.dbPath, '..');
    await vi.waitFor(() =>
      expect(readdirSync(dir).some((f) => f.startsWith('hall.sqlite.rescued-'))).toBe(true),
    );
    const rescued = join(dir, readdirSync(dir).find((f) => f.startsWith('hall.sqlite.rescued-'))!);
    expect(readFileSync(hall.dbPath).equals(foreign)).toBe(true);
    expect(restarts).toEqual([]);
    await hall.close();
    expect(checkDatabase(rescued, acked).missing).toEqual([]);
  });
});

describe('a hall process whose storage fails', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hallq-faults-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits for its supervisor once a deleted database is written back; restarted, it has every ticket', async () => {
    const dbPath = join(dir, 'deleted.sqlite');
    const child = await startChildHall(dbPath);
    try {
      const client = new Client(child.url);
      const acked = await issueAcked(client, 5);
      rmSync(dbPath);
      expect((await issue(client)).status).toBe(503);
      expect((await child.exited).code).toBe(75);
      const again = await startChildHall(dbPath);
      try {
        const next = await issue(new Client(again.url));
        expect(next.json.number).toBe('A006');
      } finally {
        await again.kill9();
      }
      expect(checkDatabase(dbPath, acked)).toMatchObject({
        missing: [],
        renumbered: [],
        duplicates: [],
        gaps: [],
      });
    } finally {
      await child.kill9();
    }
  }, 60_000);

  const compiler = (() => {
    try {
      execFileSync('cc', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!compiler)(
    'stops writing after a failed fsync and exits; restarted, the kiosk’s retry finds its ticket once',
    async () => {
      const shim = join(dir, 'fsync-fault.so');
      execFileSync('cc', [
        '-shared',
        '-fPIC',
        '-O2',
        '-o',
        shim,
        join(import.meta.dirname, '..', 'helpers', 'fsync-fault.c'),
        '-ldl',
      ]);
      const trigger = join(dir, 'fsync-fails');
      const dbPath = join(dir, 'fsync.sqlite');
      const env = { LD_PRELOAD: shim, HALLQ_FSYNC_FAULT: trigger };
      const child = await startChildHall(dbPath, env);
      try {
        const client = new Client(child.url);
        const acked = await issueAcked(client, 4);
        writeFileSync(trigger, '');
        const key = { 'Idempotency-Key': 'kiosk-k1-0042' };
        const refused = await issue(client, key);
        expect(refused.status).toBe(503);
        expect(refused.json.error.code).toBe('storage-unavailable');
        expect((await child.exited).code).toBe(75);

        rmSync(trigger);
        const again = await startChildHall(dbPath, env);
        try {
          const retried = await issue(new Client(again.url), key);
          expect(retried.status).toBe(201);
          const repeated = await issue(new Client(again.url), key);
          expect(repeated.json.id).toBe(retried.json.id);
        } finally {
          await again.kill9();
        }
        expect(checkDatabase(dbPath, acked)).toMatchObject({
          missing: [],
          renumbered: [],
          duplicates: [],
          gaps: [],
        });
      } finally {
        await child.kill9();
        rmSync(trigger, { force: true });
      }
    },
    60_000,
  );
});
