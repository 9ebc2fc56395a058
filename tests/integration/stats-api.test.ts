/**
 * The statistics over HTTP against the scripted history (tests/helpers/scripted-history.ts), whose true
 * figures the test works out from its own record: days split at midnight in Shanghai (late on the 25th
 * and early on the 26th share a UTC date), weeks from Monday, months, staff, weekdays, ratings by
 * SERVQUAL dimension, and the CSV parsed back row by row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/domain/clock.ts';
import type { RunningHall } from '../../server/main.ts';
import { BOM, parseCsv } from '../helpers/csv.ts';
import { Client, startTestServer } from '../helpers/http.ts';
import { days, figures, ratings, type Scripted, scriptedHistory } from '../helpers/scripted-history.ts';

const range = 'from=2026-11-25&to=2026-12-01';
let hall: RunningHall;
let manager: Client;
let record: Scripted[];

beforeAll(async () => {
  // The history is written by the hall itself into a database file, which the server then opens.
  const history = scriptedHistory();
  record = history.record;
  const dbPath = history.db.name;
  history.db.close();
  hall = await startTestServer({
    clock: new ManualClock(Date.parse('2026-12-01T09:00:00Z')),
    settings: { dbPath },
  });
  manager = new Client(hall.url);
  // The history's accounts have no password: the demo hall gives them the demo sign-ins.
  expect((await manager.login('manager')).status).toBe(200);
});
afterAll(() => hall?.close());

const get = async (path: string) => {
  const res = await manager.get(`/api/v1${path}`);
  expect(res.status, path).toBe(200);
  return res;
};

describe('statistics over HTTP, against a scripted history', () => {
  it('summary: the true figures of the whole range', async () => {
    const summary = (await get(`/stats/summary?${range}`)).json;
    expect(summary).toMatchObject({ ...figures(record), unservedAtClosing: 0 });
    for (const g of summary.byService)
      expect(g).toMatchObject(figures(record.filter((t) => t.serviceId === g.key)));
  });

  it('series by day splits at midnight in the hall’s time zone; weeks from Monday; months', async () => {
    const byDay = (await get(`/stats/series?${range}&by=day`)).json;
    expect(byDay.points.map((p: { period: string }) => p.period)).toEqual(days('2026-11-25', '2026-12-01'));
    for (const point of byDay.points)
      expect(point, point.period).toMatchObject(figures(record.filter((t) => t.day === point.period)));
    expect(byDay.points[0].tickets).toBe(7);
    expect(byDay.points[1].tickets).toBe(6);
    const byWeek = (await get(`/stats/series?${range}&by=week`)).json;
    expect(byWeek.points.map((p: { period: string }) => p.period)).toEqual(['2026-11-23', '2026-11-30']);
    expect(byWeek.points[1]).toMatchObject(figures(record.filter((t) => t.day >= '2026-11-30')));
    const byMonth = (await get(`/stats/series?${range}&by=month`)).json;
    expect(byMonth.points[0]).toMatchObject(figures(record.filter((t) => t.day < '2026-12-01')));
  });

  it('breakdown: staff, weekdays and ratings per SERVQUAL dimension', async () => {
    const b = (await get(`/stats/breakdown?${range}`)).json;
    for (const g of b.byStaff) expect(g).toMatchObject(figures(record.filter((t) => t.staffId === g.key)));
    for (const g of b.byWeekday)
      expect(g).toMatchObject(figures(record.filter((t) => t.weekday === Number(g.key))));
    expect(b.ratings.all).toEqual({ key: 'all', ...ratings(record) });
    for (const g of b.ratings.byService)
      expect(g).toEqual({ key: g.key, ...ratings(record.filter((t) => t.serviceId === g.key)) });
  });

  it('the CSV parses back to one row per ticket with its hall day, wait and rating', async () => {
    const res = await get(`/stats/tickets.csv?${range}`);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect([...res.bytes.subarray(0, 3)]).toEqual(BOM);
    const [header, ...rows] = parseCsv(res.text);
    const col = (name: string) => header!.indexOf(name);
    expect(rows).toHaveLength(record.length);
    const perDay = (list: string[]) =>
      Object.fromEntries(
        days('2026-11-25', '2026-12-01').map((d) => [d, list.filter((x) => x === d).length]),
      );
    expect(perDay(rows.map((r) => r[col('day')]!))).toEqual(perDay(record.map((t) => t.day)));
    const waits = (list: (number | null)[]) =>
      list.flatMap((w) => (w === null ? [] : [w])).sort((a, b) => a - b);
    expect(waits(rows.map((r) => (r[col('waitMinutes')] ? Number(r[col('waitMinutes')]) : null)))).toEqual(
      waits(record.map((t) => t.wait)),
    );
    const scores = rows.flatMap((r) => (r[col('rating')] ? [Number(r[col('rating')])] : []));
    // For a spreadsheet reader: names, the hall's clock, each SERVQUAL dimension.
    const late = rows.filter(
      (r) => r[col('day')] === '2026-11-26' && r[col('issuedLocal')]!.includes(' 00:'),
    );
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((r) => r[col('issuedAt')]!.startsWith('2026-11-25T16:'))).toBe(true);
    expect(new Set(rows.map((r) => r[col('serviceName')]))).toEqual(new Set(['业务办理', '缴费充值']));
    expect(new Set(rows.flatMap((r) => r[col('staffName')] || []))).toEqual(new Set(['营业员1', '营业员2']));
    const reliability = rows.flatMap((r) => (r[col('reliability')] ? [Number(r[col('reliability')])] : []));
    expect(reliability.sort()).toEqual(
      record
        .flatMap((t) => (t.rating?.dimensions.reliability ? [t.rating.dimensions.reliability] : []))
        .sort(),
    );
    expect(scores.sort()).toEqual(record.flatMap((t) => (t.rating ? [t.rating.score] : [])).sort());
  });
});
