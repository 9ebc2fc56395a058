/**
 * The event stream cannot be turned against the hall: a resume from long ago gets the snapshot alone,
 * a client that stops reading is dropped, and the streams are capped in all and per address.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { DAY, ManualClock } from '../../server/domain/clock.ts';
import { Client, startTestServer } from '../helpers/http.ts';
import { readEvents } from '../helpers/sse.ts';
import { HALL_MORNING } from '../helpers/test-hall.ts';

/** Issues `n` tickets, `concurrency` at a time (group-committed as kiosks' are). */
async function issueMany(client: Client, n: number, concurrency = 16): Promise<void> {
  let left = n;
  const worker = async () => {
    while (left-- > 0) {
      const answer = await client.post('/api/v1/tickets', { serviceId: 'general', channel: 'reception' });
      if (answer.status !== 201) throw new Error(`${answer.status} ${answer.text}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * A stream opened by hand and then never read, with a small receive buffer (set before connecting, so
 * the kernel does not grow it): what a hung or hostile client does. Python sets the socket option
 * Node cannot.
 */
async function stuckStream(url: string): Promise<{ process: ChildProcess; head: string }> {
  const { hostname, port } = new URL(url);
  const script = [
    'import socket, sys, time',
    's = socket.socket()',
    's.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)',
    `s.connect((${JSON.stringify(hostname)}, ${port}))`,
    `s.sendall(b"GET /api/v1/events HTTP/1.1\\r\\nHost: hall\\r\\n\\r\\n")`,
    'sys.stdout.write(s.recv(64).decode("latin-1")); sys.stdout.flush()',
    'time.sleep(600)',
  ].join('\n');
  const child = spawn('python3', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const head = await new Promise<string>((resolve) =>
    child.stdout!.once('data', (b: Buffer) => resolve(b.toString())),
  );
  return { process: child, head };
}

describe('event stream limits', () => {
  it('answers a resume from an earlier day with the snapshot alone', async () => {
    const clock = new ManualClock(HALL_MORNING);
    const hall = await startTestServer({ clock });
    try {
      const client = new Client(hall.url);
      await issueMany(client, 3);
      clock.set(HALL_MORNING + DAY);
      const today = await client.post('/api/v1/tickets', { serviceId: 'general', channel: 'reception' });
      expect(today.json.number).toBe('A001');

      const stream = readEvents(`${hall.url}/api/v1/events?lastEventId=0`);
      const snapshot = await stream.next('snapshot');
      expect(snapshot.data.lastEventId).toBeGreaterThan(3);
      await expect(stream.next('ticket.issued', 1000)).rejects.toThrow(/no ticket.issued/);
      await stream.close();
    } finally {
      await hall.close();
    }
  });

  it('replays today’s missed events, but answers a resume of more than 10,000 events with the snapshot alone', async () => {
    const hall = await startTestServer();
    try {
      const client = new Client(hall.url);
      const first = readEvents(`${hall.url}/api/v1/events`);
      const before = (await first.next('snapshot')).data.lastEventId as number;
      await first.close();
      await issueMany(client, 5);
      const seen = String(before + 2);
      const near = readEvents(`${hall.url}/api/v1/events`, { 'Last-Event-ID': seen });
      expect((await near.next('snapshot')).data.lastEventId).toBe(before + 5);
      expect((await near.next('ticket.issued')).id).toBe(before + 3);
      await near.close();

      // Ten thousand more events today, appended to the log as the hall appends them.
      const db = new Database(hall.dbPath);
      const append = db.prepare(
        "INSERT INTO events(at, type, reason, payload) VALUES (?, 'device.status', 'ok', ?)",
      );
      db.transaction(() => {
        for (let i = 0; i < 10_000; i++)
          append.run(
            Date.now(),
            JSON.stringify({ id: 'printer', kind: 'printer', status: 'ok', detail: null }),
          );
      })();
      db.close();
      const far = readEvents(`${hall.url}/api/v1/events`, { 'Last-Event-ID': seen });
      expect((await far.next('snapshot')).data.lastEventId).toBe(before + 10_005);
      await expect(far.next('device.status', 1000)).rejects.toThrow(/no device.status/);
      await far.close();
    } finally {
      await hall.close();
    }
  });

  it('drops a client that stops reading, and caps the streams per address and in all', async () => {
    const hall = await startTestServer({ settings: { streams: { max: 3, perAddress: 2 } } });
    try {
      const client = new Client(hall.url);
      const stuck = await stuckStream(hall.url);
      expect(stuck.head).toMatch(/^HTTP\/1.1 200/);
      const second = readEvents(`${hall.url}/api/v1/events`);
      await second.next('snapshot');

      // The address has its two streams: a third is refused, with when to come back.
      const third = await fetch(`${hall.url}/api/v1/events`);
      expect(third.status).toBe(503);
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await third.json()) as { error: { code: string } }).error.code).toBe('too-many-streams');

      // The stuck client falls behind until the hall lets it go; the reading one keeps up.
      let issued = 0;
      await vi.waitFor(
        async () => {
          await issueMany(client, 500, 64);
          issued += 500;
          const retry = await fetch(`${hall.url}/api/v1/events`);
          await retry.body?.cancel();
          expect(retry.status).toBe(200);
        },
        { timeout: 60_000, interval: 10 },
      );
      process.stdout.write(`a stuck stream was dropped after ${issued} tickets\n`);
      await second.next('ticket.issued');
      await second.close();
      stuck.process.kill();
    } finally {
      await hall.close();
    }
  }, 120_000);
});
