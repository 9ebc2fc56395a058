import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { HALL_MORNING, ok, staff1, testHall } from '../../tests/helpers/test-hall.ts';
import { DEMO_HALL } from '../config.ts';
import type { HqBatch, HqCatalogue } from '../contract/hq.ts';
import { MINUTE } from '../domain/clock.ts';
import { createHqSender, type HqSenderOptions, retryAfter, retryDelay } from './hq-sender.ts';

/** A stand-in HQ: records batches, answers what `answer` says (by default: all of it acknowledged). */
async function fakeHq(
  answer?: (
    batch: HqBatch,
    n: number,
  ) => { status: number; body?: unknown; headers?: Record<string, string> },
) {
  const batches: { at: number; batch: HqBatch; bytes: number; auth: string | undefined }[] = [];
  let catalogue: HqCatalogue | null = null;
  const pulls: string[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    let body = '';
    for await (const c of req) body += c;
    if (req.url?.startsWith('/hq/v1/config')) {
      pulls.push(req.url);
      if (!catalogue) return void res.writeHead(204).end();
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify(catalogue));
    }
    const batch = JSON.parse(body) as HqBatch;
    batches.push({ at: Date.now(), batch, bytes: Buffer.byteLength(body), auth: req.headers.authorization });
    const a = answer?.(batch, batches.length) ?? {
      status: 200,
      body: { ackedThrough: batch.events.at(-1)?.seq ?? 0 },
    };
    res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
    res.end(JSON.stringify(a.body ?? { error: { code: 'x', message: 'x' } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    batches,
    pulls,
    publish: (c: HqCatalogue) => {
      catalogue = c;
    },
  };
}

const servers: Server[] = [];
const senders: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of senders.splice(0)) await s.stop();
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/** A hall with `n` tickets issued (and so `n` events), and a sender for it. */
function hallWithTickets(n: number) {
  const t = testHall();
  for (let i = 0; i < n; i++) {
    t.clock.advance(20_000);
    ok(t.hall.issueTicket({ serviceId: i % 2 ? 'general' : 'payments' }));
  }
  const sender = (url: string, more: Partial<HqSenderOptions> = {}) => {
    const s = createHqSender({
      dbPath: t.db.name,
      url,
      token: 'a-hall-token-of-sufficient-length',
      clock: t.clock,
      timeZone: () => 'Asia/Shanghai',
      waitTarget: () => 15,
      appVersion: '0.1.0',
      log: () => {},
      ...more,
    });
    senders.push(s);
    return s;
  };
  return { ...t, sender };
}

describe('the HQ sender', () => {
  it('ships the whole log oldest first, in contiguous batches no bigger than the limit', async () => {
    const hq = await fakeHq();
    const t = hallWithTickets(300);
    const sender = t.sender(hq.url, { maxBatchBytes: 10_000 });
    expect(await sender.flush()).toBe(true);
    const seqs = hq.batches.flatMap((b) => b.batch.events.map((e) => e.seq));
    expect(seqs).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(hq.batches.length).toBeGreaterThan(5);
    for (const b of hq.batches) {
      expect(b.bytes).toBeLessThanOrEqual(10_000);
      expect(b.auth).toBe('Bearer a-hall-token-of-sufficient-length');
      expect(b.batch).toMatchObject({ appVersion: '0.1.0', schemaVersion: 1 });
    }
    // Times on the hall's clock, with its offset; the ticket's facts beside its public ticket.
    const first = hq.batches[0]!.batch.events[0]!;
    expect(first.at).toBe('2026-11-25T10:00:20.000+08:00');
    expect(first.data).toEqual({
      ticket: { number: 'B001', serviceId: 'payments', tier: 'regular', counterId: null },
      facts: {
        day: '2026-11-25',
        hour: 10,
        issuedAt: '2026-11-25T10:00:20.000+08:00',
        waitTargetMinutes: 15,
      },
    });
    expect(sender.health()).toMatchObject({
      connected: true,
      lastAckedSeq: 300,
      pendingEvents: 0,
      lagSeconds: 0,
    });
  });

  it('keeps its place across a restart: the next sender starts after the last acknowledged event', async () => {
    const hq = await fakeHq((batch) => ({
      status: 200,
      body: { ackedThrough: Math.min(batch.events.at(-1)!.seq, 120) },
    }));
    const t = hallWithTickets(200);
    const first = t.sender(hq.url, { maxBatchBytes: 20_000 });
    expect(await first.flush()).toBe(false); // HQ stopped taking at 120
    expect(first.health().lastAckedSeq).toBe(120);
    await first.stop();
    const again = await fakeHq();
    const second = t.sender(again.url);
    expect(await second.flush()).toBe(true);
    expect(again.batches[0]!.batch.events[0]!.seq).toBe(121);
    expect(second.health()).toMatchObject({ lastAckedSeq: 200, pendingEvents: 0 });
  });

  it('sends again what HQ says it no longer has (HQ restored from an older backup)', async () => {
    let lost = false;
    const hq = await fakeHq((batch) => {
      // After the log went through once, HQ answers as if it held only the first 50.
      if (lost && batch.events.length === 0) return { status: 200, body: { ackedThrough: 50 } };
      return { status: 200, body: { ackedThrough: batch.events.at(-1)?.seq ?? 80 } };
    });
    const t = hallWithTickets(80);
    const sender = t.sender(hq.url);
    expect(await sender.flush()).toBe(true);
    lost = true;
    expect(await sender.flush()).toBe(true);
    const resent = hq.batches.at(-1)!.batch.events;
    expect(resent[0]!.seq).toBe(51);
    expect(resent.at(-1)!.seq).toBe(80);
  });

  it('waits as long as Retry-After says before trying again', async () => {
    const hq = await fakeHq((batch, n) =>
      n === 1
        ? { status: 429, headers: { 'Retry-After': '1' } }
        : { status: 200, body: { ackedThrough: batch.events.at(-1)!.seq } },
    );
    const t = hallWithTickets(5);
    const sender = t.sender(hq.url, { random: () => 0 });
    sender.start();
    for (let i = 0; i < 100 && hq.batches.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(hq.batches).toHaveLength(2);
    expect(hq.batches[1]!.at - hq.batches[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(sender.health().lastAckedSeq).toBe(5);
  });

  it('says it is not connected, and how far behind it is, while HQ cannot be reached', async () => {
    const t = hallWithTickets(3);
    const sender = t.sender('http://127.0.0.1:9', { requestTimeoutMs: 2000 });
    t.clock.advance(10 * MINUTE);
    expect(await sender.flush()).toBe(false);
    expect(sender.health()).toMatchObject({
      connected: false,
      lastAckedSeq: 0,
      pendingEvents: 3,
      lagSeconds: 10 * 60 + 40,
    });
    expect(sender.health().problem).toMatch(/unreachable/);
  });

  it('backs off exponentially with jitter, at most 30 s, unless HQ asks for longer', () => {
    expect(retryDelay(1, 0, 0, 30_000)).toBe(500);
    expect(retryDelay(1, 0.999, 0, 30_000)).toBeCloseTo(1000, -1);
    expect(retryDelay(4, 0.5, 0, 30_000)).toBe(6000);
    for (let failures = 1; failures < 40; failures++)
      expect(retryDelay(failures, 0.999, 0, 30_000)).toBeLessThanOrEqual(30_000);
    expect(retryDelay(20, 0.5, 0, 30_000)).toBeGreaterThanOrEqual(15_000);
    expect(retryDelay(1, 0.5, 45_000, 30_000)).toBe(45_000);
    expect(retryAfter('7')).toBe(7000);
    expect(retryAfter(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(retryAfter('soon')).toBe(0);
  });

  it('applies a pulled catalogue at the next opening day, not in the middle of one', async () => {
    const hq = await fakeHq();
    const t = hallWithTickets(2); // today has tickets: the day is under way
    const applied: number[] = [];
    const sender = t.sender(hq.url, {
      applyCatalogue: async (c) => {
        applied.push(c.version);
        return null;
      },
    });
    const services = DEMO_HALL.services.map((s) => ({ ...s, waitTargetMinutes: 10 }));
    hq.publish({ region: 'guangzhou', version: 4, publishedAt: '2026-11-25T01:00:00.000Z', services });
    expect(await sender.flush()).toBe(true);
    expect(applied).toEqual([]);
    expect(sender.health()).toMatchObject({ catalogueVersion: null, pendingCatalogueVersion: 4 });
    // Next morning, before anyone takes a ticket.
    t.clock.set(HALL_MORNING + 20 * 3_600_000);
    expect(await sender.flush()).toBe(true);
    expect(applied).toEqual([4]);
    expect(sender.health()).toMatchObject({ catalogueVersion: 4, pendingCatalogueVersion: null });
    // HQ hears at once which version the hall runs.
    expect(await sender.flush()).toBe(true);
    expect(hq.pulls).toEqual(['/hq/v1/config', '/hq/v1/config?running=4']);
    ok(t.hall.openCounter('1', staff1));
  });
});
