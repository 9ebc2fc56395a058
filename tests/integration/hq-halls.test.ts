/**
 * Three real hall servers pointed at a real HQ on real PostgreSQL: tickets issued, called, served,
 * transferred, cancelled and rated in each; HQ's figures for each hall equal that hall's own
 * `GET /api/v1/stats/summary`, and the region's equal the halls' own tickets counted by the hall's own
 * rules — also after HQ was stopped while the halls went on working, a day boundary included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatsSummary, SummaryGroup } from '../../server/contract/api.ts';
import { ManualClock } from '../../server/domain/clock.ts';
import { GroupAccumulator, statTicket } from '../../server/domain/stats.ts';
import type { RunningHall } from '../../server/main.ts';
import { hqClient, shipped, startTestHq, type TestHq } from '../helpers/hq.ts';
import { Client, startTestServer } from '../helpers/http.ts';

/** 2026-11-25 10:00 in Shanghai. */
const clock = new ManualClock(Date.UTC(2026, 10, 25, 2, 0));
let test: TestHq;
let hqAdmin: Client;
const halls: {
  id: string;
  hall: RunningHall & { dbPath: string };
  staff: Client[];
  manager: Client;
  anon: Client;
}[] = [];

beforeAll(async () => {
  test = await startTestHq({ now: () => clock.now() });
  for (const [id, region] of [
    ['gz-one', 'guangzhou'],
    ['gz-two', 'guangzhou'],
    ['sz-one', 'shenzhen'],
  ] as const) {
    const token = await test.addHall({ id, name: id, region });
    const hall = await startTestServer({ clock, settings: { hq: { url: test.hq.url, token } } });
    const staff = [new Client(hall.url), new Client(hall.url), new Client(hall.url)];
    for (const [i, s] of staff.entries()) expect((await s.login(`staff${i + 1}`)).status).toBe(200);
    const manager = new Client(hall.url);
    expect((await manager.login('manager')).status).toBe(200);
    halls.push({ id, hall, staff, manager, anon: new Client(hall.url) });
  }
  hqAdmin = await hqClient(test, { username: 'chief', role: 'hq' });
}, 60_000);

afterAll(async () => {
  for (const h of halls) await h.hall.close();
  await test?.stop();
});

const ok = async (call: Promise<{ status: number; text: string; json: unknown }>, status = 200) => {
  const answer = await call;
  expect(answer.status, answer.text).toBe(status);
  return answer.json as Record<string, unknown>;
};

/**
 * A morning at a hall, different in each (`n`): counters open, tickets of several services, calls,
 * serving, finishes with and without ratings, a no-show, a transfer, a cancellation, some left waiting.
 */
async function work(h: (typeof halls)[number], n: number): Promise<void> {
  const [a, b, c] = h.staff as [Client, Client, Client];
  for (const [s, counter] of [
    [a, '1'],
    [b, '2'],
    [c, '3'],
  ] as const)
    await s.post(`/api/v1/counters/${counter}/open`);
  const services = ['general', 'payments', 'devices', 'broadband', 'general', 'payments'];
  for (let i = 0; i < 8 + n * 3; i++) {
    clock.advance((37 + 11 * ((i * (n + 3)) % 7)) * 1000);
    await ok(h.anon.post('/api/v1/tickets', { serviceId: services[(i + n) % services.length] }), 201);
  }
  const step = (seconds: number) => clock.advance(seconds * 1000 + n * 7_000);
  for (let round = 0; round < 3 + n; round++) {
    for (const [s, counter] of [
      [a, '1'],
      [b, '2'],
      [c, '3'],
    ] as const) {
      const call = await s.post(`/api/v1/counters/${counter}/call`);
      if (call.status === 204) continue;
      expect(call.status, call.text).toBe(200);
      step(40);
      if ((round + Number(counter) + n) % 5 === 0) {
        await ok(s.post(`/api/v1/counters/${counter}/no-show`));
        continue;
      }
      if ((round + Number(counter)) % 4 === 1 && round < 2) {
        await ok(s.post(`/api/v1/counters/${counter}/transfer`, { serviceId: 'broadband' }));
        continue;
      }
      if ((round + n) % 3 !== 2) await ok(s.post(`/api/v1/counters/${counter}/start`));
      step(150 + 60 * ((round * 7 + Number(counter) * 3) % 5));
      const rating = (round + Number(counter) + n) % 3 === 0 ? undefined : 3 + ((round + n) % 3);
      await ok(s.post(`/api/v1/counters/${counter}/finish`, rating === undefined ? {} : { rating }));
    }
  }
  // A customer takes a ticket and gives up.
  clock.advance(30_000);
  const gone = await ok(h.anon.post('/api/v1/tickets', { serviceId: 'devices' }), 201);
  await ok(h.anon.post(`/api/v1/tickets/${gone.id}/cancel`));
}

const byKey = (groups: SummaryGroup[]) => [...groups].sort((x, y) => x.key.localeCompare(y.key));

/** HQ's summary of one hall against the hall's own, field by field (HQ adds a hall count and a rating). */
async function expectSameFigures(h: (typeof halls)[number], from: string, to: string): Promise<StatsSummary> {
  const own = (await ok(
    h.manager.get(`/api/v1/stats/summary?from=${from}&to=${to}`),
  )) as unknown as StatsSummary;
  const atHq = (await ok(
    hqAdmin.get(`/hq/v1/stats/summary?from=${from}&to=${to}&hallId=${h.id}`),
  )) as unknown as StatsSummary;
  expect(own.tickets).toBeGreaterThan(0);
  const headline = (s: StatsSummary) => ({
    tickets: s.tickets,
    served: s.served,
    noShows: s.noShows,
    cancelled: s.cancelled,
    unservedAtClosing: s.unservedAtClosing,
    waitMinutes: s.waitMinutes,
    serviceMinutes: s.serviceMinutes,
    withinTargetPct: s.withinTargetPct,
  });
  expect(headline(atHq), h.id).toEqual(headline(own));
  expect(byKey(atHq.byService), h.id).toEqual(byKey(own.byService));
  expect(byKey(atHq.byCounter), h.id).toEqual(byKey(own.byCounter));
  expect(atHq.byHour, h.id).toEqual(own.byHour);
  // The ranking's row of the hall (read from the running totals) says the same.
  const ranked = (await ok(
    hqAdmin.get(`/hq/v1/stats/breakdown?from=${from}&to=${to}&by=hall`),
  )) as unknown as {
    key: string;
  }[];
  expect(
    ranked.find((r) => r.key === h.id),
    h.id,
  ).toMatchObject({
    tickets: own.tickets,
    served: own.served,
    noShows: own.noShows,
    waitMinutes: own.waitMinutes,
    withinTargetPct: own.withinTargetPct,
  });
  return own;
}

/** The region's figures worked out from the halls' own ticket rows by the hall's rules. */
async function regionFromHalls(ids: string[], from: string, to: string) {
  const { default: Database } = await import('better-sqlite3');
  const all = new GroupAccumulator();
  for (const h of halls.filter((x) => ids.includes(x.id))) {
    const db = new Database(h.hall.dbPath, { readonly: true });
    const rows = db
      .prepare<[string, string], Record<string, number | string | null>>(
        `SELECT t.status, t.end_reason, t.issued_at, t.first_called_at, t.serving_at, t.finished_at, t.rating,
                s.wait_target_minutes FROM tickets t JOIN services s ON s.id = t.service_id WHERE t.day BETWEEN ? AND ?`,
      )
      .all(from, to);
    db.close();
    for (const r of rows)
      all.add(
        statTicket({
          status: r.status as 'done',
          endReason: r.end_reason as string | null,
          issuedAt: r.issued_at as number,
          firstCalledAt: r.first_called_at as number | null,
          servingAt: r.serving_at as number | null,
          finishedAt: r.finished_at as number | null,
          waitTargetMinutes: r.wait_target_minutes as number,
          rating: r.rating === null ? null : { score: r.rating as number, dimensions: {} },
        }),
      );
  }
  return all;
}

describe('three halls shipping to one HQ', () => {
  it('gives each hall’s own figures, and the region’s, once HQ holds each hall’s events', async () => {
    for (const [n, h] of halls.entries()) await work(h, n);
    for (const h of halls) await shipped(h.hall);
    for (const h of halls) await expectSameFigures(h, '2026-11-25', '2026-11-25');

    const region = (await ok(
      hqAdmin.get('/hq/v1/stats/summary?from=2026-11-25&to=2026-11-25&region=guangzhou'),
    )) as unknown as StatsSummary & { halls: number };
    const expected = (await regionFromHalls(['gz-one', 'gz-two'], '2026-11-25', '2026-11-25')).figures('all');
    expect(region.halls).toBe(2);
    const regions = (await ok(
      hqAdmin.get('/hq/v1/stats/breakdown?from=2026-11-25&to=2026-11-25&by=region'),
    )) as unknown as {
      key: string;
    }[];
    expect(regions.find((r) => r.key === 'guangzhou')).toMatchObject({
      tickets: expected.tickets,
      waitMinutes: expected.waitMinutes,
      withinTargetPct: expected.withinTargetPct,
    });
    expect({
      tickets: region.tickets,
      served: region.served,
      noShows: region.noShows,
      cancelled: region.cancelled,
      waitMinutes: region.waitMinutes,
      serviceMinutes: region.serviceMinutes,
      withinTargetPct: region.withinTargetPct,
    }).toEqual({
      tickets: expected.tickets,
      served: expected.served,
      noShows: expected.noShows,
      cancelled: expected.cancelled,
      waitMinutes: expected.waitMinutes,
      serviceMinutes: expected.serviceMinutes,
      withinTargetPct: expected.withinTargetPct,
    });
  });

  it('lists the halls online with today’s figures, equal to each hall’s own today', async () => {
    // A ticket each now, so each hall's latest batch is as recent as HQ's (simulated) clock.
    clock.advance(60_000);
    for (const h of halls) await ok(h.anon.post('/api/v1/tickets', { serviceId: 'general' }), 201);
    for (const h of halls) await shipped(h.hall);
    const list = (await ok(hqAdmin.get('/hq/v1/halls'))) as unknown as {
      id: string;
      online: boolean;
      lagSeconds: number;
      day: string;
      today: Record<string, unknown>;
    }[];
    expect(list.map((h) => h.id).sort()).toEqual(['gz-one', 'gz-two', 'sz-one']);
    for (const h of halls) {
      const row = list.find((x) => x.id === h.id)!;
      const own = (await ok(
        h.manager.get('/api/v1/stats/summary?from=2026-11-25&to=2026-11-25'),
      )) as unknown as StatsSummary;
      expect(row.online).toBe(true);
      expect(row.day).toBe('2026-11-25');
      expect(row.today).toMatchObject({
        tickets: own.tickets,
        served: own.served,
        noShows: own.noShows,
        waitMinutes: { avg: own.waitMinutes.avg, p90: own.waitMinutes.p90 },
        withinTargetPct: own.withinTargetPct,
      });
    }
  });

  it('catches up after HQ was stopped while the halls worked on into the next day, and agrees again', async () => {
    await test.hq.close();
    for (const [n, h] of halls.entries()) await work(h, n + 1);
    // Past midnight: yesterday's open tickets end as unserved at closing, and a new day starts (the
    // staff sign in again: their sessions of yesterday have ended).
    clock.set(Date.UTC(2026, 10, 25, 16, 30));
    for (const h of halls)
      for (const [i, s] of h.staff.entries()) expect((await s.login(`staff${i + 1}`)).status).toBe(200);
    for (const [n, h] of halls.entries()) await work(h, n + 2);
    for (const h of halls) expect((await h.manager.login('manager')).status).toBe(200);
    // Each hall's health says HQ is away and events wait (once its sender has tried).
    for (const h of halls)
      for (let i = 0; ; i++) {
        const { hq } = (await ok(h.anon.get('/api/v1/health'))) as {
          hq: { connected: boolean; pendingEvents: number };
        };
        if (!hq.connected) {
          expect(hq.pendingEvents).toBeGreaterThan(0);
          break;
        }
        expect(i).toBeLessThan(100);
        await new Promise((r) => setTimeout(r, 100));
      }
    await test.restart();
    for (const h of halls) await shipped(h.hall, 40_000);
    hqAdmin = await hqClient(test, { username: 'chief', role: 'hq' });
    for (const h of halls) {
      await expectSameFigures(h, '2026-11-25', '2026-11-25');
      await expectSameFigures(h, '2026-11-26', '2026-11-26');
      await expectSameFigures(h, '2026-11-25', '2026-11-26');
    }
    const all = (await ok(
      hqAdmin.get('/hq/v1/stats/summary?from=2026-11-25&to=2026-11-26'),
    )) as unknown as StatsSummary;
    const expected = (
      await regionFromHalls(['gz-one', 'gz-two', 'sz-one'], '2026-11-25', '2026-11-26')
    ).figures('all');
    expect(all.tickets).toBe(expected.tickets);
    expect(all.waitMinutes).toEqual(expected.waitMinutes);
    expect(all.withinTargetPct).toBe(expected.withinTargetPct);
  }, 90_000);
});
