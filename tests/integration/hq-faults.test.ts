/**
 * HQ's faults, each made to happen on real PostgreSQL: a week without HQ, batches twice, out of order and
 * cut off mid-request, a hall clock two hours off, a schema version HQ does not know beside one it
 * knows, bad tokens and bad batches, HQ shedding load, and a region manager asking about another region.
 * The batches are the real sender's, recorded from simulated halls that live on the real hall engine;
 * every hall's figures are checked against its own statistics.
 */
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSimulatedHall, type SimulatedHall } from '../../hq/server/sim-hall.ts';
import { createHqSender } from '../../server/app/hq-sender.ts';
import { createStats } from '../../server/app/stats.ts';
import { DEMO_HALL, type HallConfig } from '../../server/config.ts';
import type { StatsSummary, SummaryGroup } from '../../server/contract/api.ts';
import type { HqBatch } from '../../server/contract/hq.ts';
import { ManualClock } from '../../server/domain/clock.ts';
import { addDays, instantOf } from '../../server/domain/hall-time.ts';
import { hqClient, startTestHq, type TestHq } from '../helpers/hq.ts';
import { recordBatches } from '../helpers/hq-batches.ts';
import { Client } from '../helpers/http.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const TZ = 'Asia/Shanghai';
/** HQ's clock: the evening of 2026-11-25 in Shanghai. */
const hqClock = new ManualClock(instantOf('2026-11-25', 20 * 60, TZ));
const config: HallConfig = { ...DEMO_HALL, hours: { open: '09:00', close: '18:00' }, devices: [] };
let test: TestHq;
let admin: Client;

beforeAll(async () => {
  test = await startTestHq({ now: () => hqClock.now() });
  admin = await hqClient(test, { username: 'chief', role: 'hq' });
}, 60_000);
afterAll(() => test?.stop());

/** A simulated hall that has lived `days` days up to the evening of 2026-11-25 (on its own clock). */
function livedHall(name: string, days: number, seed: number, shiftMs = 0): SimulatedHall {
  const sim = openSimulatedHall({
    dbPath: join(tempDir(), `${name}.sqlite`),
    config,
    seed,
    shape: { load: 0.6, slowness: 1 },
  });
  sim.playUntil(addDays('2026-11-25', 1 - days), instantOf('2026-11-25', 20 * 60, TZ) + shiftMs);
  return sim;
}

/** The real sender's batches for a simulated hall. */
const batchesOf = (sim: SimulatedHall, maxBatchBytes: number) =>
  recordBatches({ dbPath: sim.dbPath, clock: sim.clock, timeZone: TZ, waitTarget: () => 15, maxBatchBytes });

const post = (token: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${test.hq.url}/hq/v1/ingest`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body,
  });

async function acked(token: string, body: string): Promise<number> {
  const res = await post(token, body);
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { ackedThrough: number }).ackedThrough;
}

const stored = async (hallId: string) =>
  (
    await test.hq.db.read<{ n: number; distinct: number }>(
      { all: true },
      `SELECT count(*)::int AS n, count(DISTINCT seq)::int AS distinct FROM hq_events e
        JOIN hq_halls h ON h.hall_key = e.hall_key WHERE h.id = $1`,
      [hallId],
    )
  )[0]!;

const byKey = (groups: SummaryGroup[]) => [...groups].sort((x, y) => x.key.localeCompare(y.key));

/** HQ's figures for a hall over a range equal the hall's own statistics. */
async function sameFigures(hallId: string, sim: SimulatedHall, from: string, to: string): Promise<void> {
  const own = createStats(sim.db, config, sim.clock).summary({ from, to });
  const res = await admin.get(`/hq/v1/stats/summary?from=${from}&to=${to}&hallId=${hallId}`);
  expect(res.status, res.text).toBe(200);
  const atHq = res.json as StatsSummary;
  expect(own.tickets).toBeGreaterThan(0);
  const { byService, byCounter, byHour, ...headline } = own;
  expect(atHq).toMatchObject(headline);
  expect(byKey(atHq.byService)).toEqual(byKey(byService));
  expect(byKey(atHq.byCounter)).toEqual(byKey(byCounter));
  expect(atHq.byHour).toEqual(byHour);
  const ranked = (await admin.get(`/hq/v1/stats/breakdown?from=${from}&to=${to}&by=hall`)).json as {
    key: string;
  }[];
  expect(ranked.find((r) => r.key === hallId)).toMatchObject({
    tickets: own.tickets,
    served: own.served,
    noShows: own.noShows,
    waitMinutes: own.waitMinutes,
    withinTargetPct: own.withinTargetPct,
  });
}

describe('faults, on real PostgreSQL', () => {
  it('a hall away from HQ for a week catches up in bounded batches, and its figures equal its own', async () => {
    const sim = livedHall('week', 7, 3);
    const token = await test.addHall({ id: 'away-a-week', name: 'away', region: 'guangzhou' });
    const sender = createHqSender({
      dbPath: sim.dbPath,
      url: test.hq.url,
      token,
      clock: sim.clock,
      timeZone: () => TZ,
      waitTarget: (id) => config.services.find((s) => s.id === id)!.waitTargetMinutes,
      appVersion: '0.1.0',
      log: () => {},
      maxBatchBytes: 256 * 1024,
    });
    const health = sender.health();
    expect(health.pendingEvents).toBeGreaterThan(3000);
    expect(health.lagSeconds).toBeGreaterThan(6 * 86_400);
    expect(await sender.flush()).toBe(true);
    expect(sender.health()).toMatchObject({ pendingEvents: 0, lagSeconds: 0, connected: true });
    await sender.stop();
    const { n, distinct } = await stored('away-a-week');
    expect(n).toBe(health.pendingEvents);
    expect(distinct).toBe(n);
    for (let day = addDays('2026-11-25', -6); day <= '2026-11-25'; day = addDays(day, 1))
      await sameFigures('away-a-week', sim, day, day);
    await sameFigures('away-a-week', sim, addDays('2026-11-25', -6), '2026-11-25');
    sim.close();
  }, 120_000);

  it('stores a batch sent twice once, takes batches out of order, and loses nothing of one cut off mid-request', async () => {
    const sim = livedHall('order', 2, 5);
    const batches = await batchesOf(sim, 16 * 1024);
    expect(batches.length).toBeGreaterThan(5);
    const last = (i: number) => (JSON.parse(batches[i]!) as HqBatch).events.at(-1)!.seq;
    const token = await test.addHall({ id: 'out-of-order', name: 'order', region: 'guangzhou' });

    expect(await acked(token, batches[0]!)).toBe(last(0));
    expect(await acked(token, batches[0]!)).toBe(last(0));
    expect((await stored('out-of-order')).n).toBe((JSON.parse(batches[0]!) as HqBatch).events.length);
    // The third before the second: held, but not acknowledged past the gap.
    expect(await acked(token, batches[2]!)).toBe(last(0));
    expect(await acked(token, batches[1]!)).toBe(last(2));

    // The fourth cut off halfway through its body: nothing of it is stored.
    const before = await stored('out-of-order');
    await new Promise<void>((resolve) => {
      const url = new URL(test.hq.url);
      const socket = connect(Number(url.port), url.hostname, () => {
        const body = Buffer.from(batches[3]!);
        socket.write(
          `POST /hq/v1/ingest HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${token}\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
        );
        socket.write(body.subarray(0, Math.floor(body.length / 2)), () => {
          socket.destroy();
          resolve();
        });
      });
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(await stored('out-of-order')).toEqual(before);
    for (let i = 3; i < batches.length; i++) expect(await acked(token, batches[i]!)).toBe(last(i));
    // Everything twice more, last first: still each event once.
    for (const b of [...batches].reverse()) expect(await acked(token, b)).toBe(last(batches.length - 1));
    const { n, distinct } = await stored('out-of-order');
    expect(n).toBe(last(batches.length - 1));
    expect(distinct).toBe(n);
    for (const day of ['2026-11-24', '2026-11-25']) await sameFigures('out-of-order', sim, day, day);
    await sameFigures('out-of-order', sim, '2026-11-24', '2026-11-25');
  }, 120_000);

  it('keeps the days right when a later day arrives before an earlier one', async () => {
    const sim = livedHall('late-days', 3, 7);
    const batches = await batchesOf(sim, 32 * 1024);
    const token = await test.addHall({ id: 'late-days', name: 'late', region: 'guangzhou' });
    // The last day first, then the rest: running totals of later days must take the earlier ones in.
    const lastDay = batches.filter((b) => (JSON.parse(b) as HqBatch).events[0]!.at.startsWith('2026-11-25'));
    for (const b of [...lastDay, ...batches]) await acked(token, b);
    for (const day of ['2026-11-23', '2026-11-24', '2026-11-25'])
      await sameFigures('late-days', sim, day, day);
    await sameFigures('late-days', sim, '2026-11-23', '2026-11-25');
    await sameFigures('late-days', sim, '2026-11-24', '2026-11-25');
    sim.close();
  }, 120_000);

  it('keeps a hall whose clock is two hours fast on its own days, and shows the skew', async () => {
    const twoHours = 2 * 3_600_000;
    const sim = livedHall('skewed', 1, 9, twoHours);
    const token = await test.addHall({ id: 'clock-fast', name: 'fast', region: 'shenzhen' });
    const sender = createHqSender({
      dbPath: sim.dbPath,
      url: test.hq.url,
      token,
      clock: sim.clock,
      timeZone: () => TZ,
      waitTarget: () => 15,
      appVersion: '0.1.0',
      log: () => {},
    });
    expect(await sender.flush()).toBe(true);
    await sender.stop();
    await sameFigures('clock-fast', sim, '2026-11-24', '2026-11-25');
    const halls = (await admin.get('/hq/v1/halls')).json as {
      id: string;
      clockSkewSeconds: number;
      day: string;
    }[];
    const fast = halls.find((h) => h.id === 'clock-fast')!;
    expect(fast.clockSkewSeconds).toBe(twoHours / 1000);
    // Its today is HQ's clock in the hall's time zone, not the hall's own clock.
    expect(fast.day).toBe('2026-11-25');
    sim.close();
  }, 60_000);

  it('quarantines a schema version it does not know, beside a hall on the one it knows, and shows it', async () => {
    const sim = livedHall('versions', 1, 13);
    const batches = await batchesOf(sim, 64 * 1024);
    const known = await test.addHall({ id: 'schema-known', name: 'known', region: 'guangzhou' });
    const newer = await test.addHall({ id: 'schema-newer', name: 'newer', region: 'guangzhou' });
    for (const b of batches) await acked(known, b);
    let lastSeq = 0;
    for (const b of batches) {
      const batch = JSON.parse(b) as HqBatch;
      lastSeq = batch.events.at(-1)!.seq;
      // A newer hall: the same events, under a version this HQ was not built for, and one event type more.
      batch.schemaVersion = 2;
      batch.appVersion = '0.2.0';
      batch.events[0]!.type = 'queue.rebalanced';
      expect(await acked(newer, JSON.stringify(batch))).toBe(lastSeq);
    }
    // An event type this HQ does not know, in a batch of the version it knows.
    const current = JSON.parse(batches.at(-1)!) as HqBatch;
    current.events = [{ seq: lastSeq + 1, at: current.sentAt, type: 'queue.rebalanced', data: { moved: 3 } }];
    expect(await acked(known, JSON.stringify(current))).toBe(lastSeq + 1);

    await sameFigures('schema-known', sim, '2026-11-24', '2026-11-25');
    const quarantine = (await admin.get('/hq/v1/quarantine')).json as {
      hallId: string;
      reason: string;
      events: number;
      schemaVersion: number;
    }[];
    expect(quarantine.filter((q) => q.hallId === 'schema-newer').reduce((n, q) => n + q.events, 0)).toBe(
      lastSeq,
    );
    expect(quarantine.find((q) => q.hallId === 'schema-newer')).toMatchObject({
      schemaVersion: 2,
      reason: 'schema version 2 not known',
    });
    expect(quarantine.find((q) => q.hallId === 'schema-known')).toMatchObject({
      reason: 'type queue.rebalanced not known',
      events: 1,
    });
    expect((await stored('schema-newer')).n).toBe(0);
    sim.close();
  }, 60_000);

  it('answers a bad token, a malformed and an oversized batch as the contract says, storing nothing', async () => {
    const token = await test.addHall({ id: 'bad-input', name: 'bad', region: 'guangzhou' });
    const at = '2026-11-25T10:00:00.000+08:00';
    const good = { appVersion: '0.1.0', schemaVersion: 1, sentAt: at, events: [] as unknown[] };
    const event = (seq: number) => ({
      seq,
      at,
      type: 'counter.updated',
      data: { counter: { id: '1', name: '1号窗口', status: 'open' } },
    });
    const envelope = async (res: Response, status: number, code: string) => {
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    };
    await envelope(
      await post('not-a-token-of-any-hall', JSON.stringify({ ...good, events: [event(1)] })),
      401,
      'bad-token',
    );
    await envelope(
      await fetch(`${test.hq.url}/hq/v1/ingest`, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      }),
      401,
      'unauthenticated',
    );
    // One bad event among good ones: the whole batch is refused.
    const malformed = [
      '{"appVersion":',
      JSON.stringify({ ...good, events: [event(1), { ...event(2), at: '2026-11-25 10:00' }, event(3)] }),
      JSON.stringify({ ...good, events: [event(2), event(1)] }),
      JSON.stringify({ ...good, schemaVersion: '1' }),
      JSON.stringify({ ...good, sentAt: '2026-11-25T10:00:00' }),
      JSON.stringify({ ...good, extra: true }),
      JSON.stringify({ ...good, events: [{ ...event(1), data: [] }] }),
    ];
    for (const body of malformed) await envelope(await post(token, body), 400, 'invalid-request');
    const big = {
      ...good,
      events: Array.from({ length: 6000 }, (_, i) => ({ ...event(i + 1), data: { pad: 'x'.repeat(180) } })),
    };
    await envelope(await post(token, JSON.stringify(big)), 413, 'payload-too-large');
    await envelope(
      await post(token, JSON.stringify(good), { 'content-type': 'text/plain' }),
      415,
      'unsupported-media-type',
    );
    expect(await stored('bad-input')).toEqual({ n: 0, distinct: 0 });
    const [hall] = await test.hq.db.read<{ acked_through: number }>(
      { all: true },
      "SELECT acked_through FROM hq_halls WHERE id = 'bad-input'",
    );
    expect(hall!.acked_through).toBe(0);
    // And a good heartbeat is still a 200.
    expect(await acked(token, JSON.stringify(good))).toBe(0);
  });

  it('sheds load with 429 and Retry-After, never a 500, and the halls get everything in', async () => {
    const shedding = await startTestHq({ now: () => hqClock.now(), maxIngestsInFlight: 1 });
    try {
      const sim = livedHall('busy', 1, 17);
      const batches = await batchesOf(sim, 8 * 1024);
      const tokens = await Promise.all(
        [1, 2, 3, 4].map((i) =>
          shedding.addHall({ id: `busy-${i}`, name: `busy ${i}`, region: 'guangzhou' }),
        ),
      );
      const statuses = new Map<number, number>();
      let retryAfter = '';
      await Promise.all(
        tokens.map(async (token) => {
          for (const body of batches)
            for (;;) {
              const res = await fetch(`${shedding.hq.url}/hq/v1/ingest`, {
                method: 'POST',
                headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
                body,
              });
              statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
              await res.arrayBuffer();
              if (res.status === 200) break;
              retryAfter = res.headers.get('retry-after') ?? '';
              await new Promise((r) => setTimeout(r, 20)); // a test's impatience: the sender would wait
            }
        }),
      );
      expect(statuses.get(429)).toBeGreaterThan(0);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect([...statuses.keys()].sort()).toEqual([200, 429]);
      const last = (JSON.parse(batches.at(-1)!) as HqBatch).events.at(-1)!.seq;
      const rows = await shedding.hq.db.read<{ id: string; acked_through: number }>(
        { all: true },
        'SELECT id, acked_through FROM hq_halls ORDER BY id',
      );
      expect(rows.map((r) => r.acked_through)).toEqual([last, last, last, last]);
      sim.close();
    } finally {
      await shedding.stop();
    }
  }, 120_000);

  it('keeps a region manager to their region: 403 for another region’s hall or region, and in SQL', async () => {
    const gz = await hqClient(test, { username: 'gz-boss', role: 'region', region: 'guangzhou' });
    const range = 'from=2026-11-24&to=2026-11-25';
    expect((await gz.get(`/hq/v1/stats/summary?${range}&hallId=clock-fast`)).status).toBe(403);
    expect((await gz.get(`/hq/v1/stats/summary?${range}&region=shenzhen`)).status).toBe(403);
    expect((await gz.get(`/hq/v1/stats/series?${range}&hallId=clock-fast`)).status).toBe(403);
    expect((await gz.get(`/hq/v1/stats/breakdown?${range}&by=hall&region=shenzhen`)).status).toBe(403);
    expect((await gz.get('/hq/v1/catalogue?region=shenzhen')).status).toBe(403);
    expect((await gz.get('/hq/v1/quarantine')).status).toBe(403);
    expect((await gz.get(`/hq/v1/stats/summary?${range}&hallId=no-such-hall`)).status).toBe(404);
    expect((await gz.get(`/hq/v1/stats/summary?${range}&hallId=away-a-week`)).status).toBe(200);
    const halls = (await gz.get('/hq/v1/halls')).json as { region: string }[];
    expect(halls.length).toBeGreaterThan(0);
    expect(new Set(halls.map((h) => h.region))).toEqual(new Set(['guangzhou']));
    const ranked = (await gz.get(`/hq/v1/stats/breakdown?${range}&by=hall`)).json as { region: string }[];
    expect(new Set(ranked.map((h) => h.region))).toEqual(new Set(['guangzhou']));
    // Whatever the query, PostgreSQL shows a region's transaction that region's rows only.
    const seen = await test.hq.db.read<{ region: string }>(
      { region: 'guangzhou' },
      'SELECT DISTINCT h.region FROM hq_hall_days d JOIN hq_halls h ON h.hall_key = d.hall_key',
    );
    expect(seen).toEqual([{ region: 'guangzhou' }]);
    const all = await test.hq.db.read<{ n: number }>(
      { region: 'guangzhou' },
      "SELECT count(*)::int AS n FROM hq_cells WHERE hall_key = (SELECT hall_key FROM hq_halls WHERE id = 'clock-fast')",
    );
    expect(all).toEqual([{ n: 0 }]);
    expect(await test.hq.db.read({ region: 'guangzhou' }, 'SELECT * FROM hq_events LIMIT 1')).toEqual([]);
  });

  it('signs in as the hall does: a limit on failed sign-ins, and no cross-site writes with the cookie', async () => {
    const chief = await hqClient(test, { username: 'limits', role: 'hq' });
    const publish = {
      region: 'guangzhou',
      services: config.services.map(({ id, prefix, name, category, waitTargetMinutes, selfService }) => ({
        id,
        prefix,
        name,
        category,
        waitTargetMinutes,
        selfService,
      })),
    };
    const foreign = await chief.request('POST', '/hq/v1/catalogue', {
      body: publish,
      headers: { Origin: 'http://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.json.error.code).toBe('cross-origin-refused');
    expect((await chief.post('/hq/v1/catalogue', publish)).status).toBe(201);
    const stranger = new Client(test.hq.url);
    for (let i = 0; i < 10; i++)
      expect(
        (await stranger.post('/hq/v1/auth/login', { username: 'limits', password: `wrong-${i}` })).status,
      ).toBe(401);
    const locked = await stranger.post('/hq/v1/auth/login', {
      username: 'limits',
      password: 'limits-password',
    });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await stranger.get('/hq/v1/halls')).status).toBe(401);
  });
});
