import { describe, expect, it } from 'vitest';
import { ok, staff1, staff2, testHall } from '../../tests/helpers/test-hall.ts';
import { DEMO_HALL } from '../config.ts';
import type { MinuteFigures, RatingInput, ServqualDimension } from '../contract/api.ts';
import { MINUTE } from '../domain/clock.ts';
import { createStats } from './stats.ts';

/**
 * A scripted history across hall days, weeks and months, with tickets late on 25 November and early on
 * 26 November in Shanghai — one UTC day, two hall days. The test keeps its own record of every ticket
 * and works the true figures out from it, independently of the statistics code.
 */
type Scripted = {
  day: string;
  weekday: number;
  hour: number;
  serviceId: string;
  counterId: string | null;
  staffId: string | null;
  outcome: 'done' | 'no-show' | 'cancelled';
  wait: number | null;
  service: number | null;
  rating: { score: number; dimensions: Partial<Record<ServqualDimension, number>> } | null;
};

const SHANGHAI = 8 * 60 * MINUTE; // no daylight saving time
const BLOCKS: [start: string, tickets: number][] = [
  ['2026-11-25T09:00', 5],
  ['2026-11-25T22:30', 2], // ends before local midnight …
  ['2026-11-26T00:00', 3], // … and this starts after it, the same UTC day (16:00Z on the 25th)
  ['2026-11-26T14:00', 3],
  ['2026-11-30T10:00', 4],
  ['2026-12-01T09:00', 4],
];
const WAITS = [2, 5, 9, 14, 16, 22, 31, 15, 7];
const SERVICES = [3, 6, 8, 4, 5];

function scriptedHistory() {
  const t = testHall({ start: Date.parse('2026-11-25T00:30:00Z') });
  const { hall, clock } = t;
  ok(hall.openCounter('1', staff1));
  ok(hall.openCounter('2', staff2));
  const record: Scripted[] = [];
  let i = 0;
  for (const [start, count] of BLOCKS) {
    for (let k = 0; k < count; k++, i++) {
      const issueAt = Date.parse(`${start}:00Z`) - SHANGHAI + k * 45 * MINUTE;
      const local = new Date(issueAt + SHANGHAI);
      const serviceId = i % 3 === 0 ? 'payments' : 'general';
      const outcome = i % 7 === 3 ? 'no-show' : i % 7 === 5 ? 'cancelled' : 'done';
      const [counterId, staff] = i % 2 === 0 ? (['1', staff1] as const) : (['2', staff2] as const);
      const wait = WAITS[i % WAITS.length]!;
      const service = SERVICES[i % SERVICES.length]!;
      const score = (i % 5) + 1;
      const rating: RatingInput | undefined =
        outcome !== 'done' || i % 3 === 0
          ? undefined
          : i % 3 === 1
            ? score
            : { score, dimensions: { reliability: score, empathy: Math.max(1, score - 1) } };
      clock.set(issueAt);
      const ticket = ok(hall.issueTicket({ serviceId, channel: 'reception' }));
      if (outcome === 'cancelled') ok(hall.cancelTicket(ticket.id));
      else {
        clock.set(issueAt + wait * MINUTE);
        expect(ok(hall.callNext(counterId, staff))?.ticket.id).toBe(ticket.id);
        if (outcome === 'no-show') ok(hall.noShow(counterId, staff));
        else {
          ok(hall.start(counterId, staff));
          clock.advance(service * MINUTE);
          ok(hall.finish(counterId, staff, rating));
        }
      }
      record.push({
        day: local.toISOString().slice(0, 10),
        weekday: (local.getUTCDay() + 6) % 7,
        hour: local.getUTCHours(),
        serviceId,
        counterId: outcome === 'cancelled' ? null : counterId,
        staffId: outcome === 'cancelled' ? null : staff.id,
        outcome,
        wait: outcome === 'cancelled' ? null : wait,
        service: outcome === 'done' ? service : null,
        rating:
          rating === undefined
            ? null
            : typeof rating === 'number'
              ? { score: rating, dimensions: {} }
              : { score: rating.score, dimensions: rating.dimensions ?? {} },
      });
    }
  }
  return { ...t, record };
}

// ---------- the true figures, worked out here ----------

const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;

function minutes(values: number[]): MinuteFigures {
  if (values.length === 0) return { avg: null, p50: null, p90: null };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
  return { avg: round(sorted.reduce((a, b) => a + b, 0) / sorted.length, 1), p50: rank(50), p90: rank(90) };
}

function figures(list: Scripted[]) {
  const waits = list.flatMap((t) => (t.wait === null ? [] : [t.wait]));
  return {
    tickets: list.length,
    served: list.filter((t) => t.outcome === 'done').length,
    noShows: list.filter((t) => t.outcome === 'no-show').length,
    cancelled: list.filter((t) => t.outcome === 'cancelled').length,
    waitMinutes: minutes(waits),
    serviceMinutes: minutes(list.flatMap((t) => (t.service === null ? [] : [t.service]))),
    withinTargetPct:
      waits.length === 0 ? null : round((100 * waits.filter((w) => w <= 15).length) / waits.length, 1),
  };
}

function ratings(list: Scripted[]) {
  const rated = list.flatMap((t) => (t.rating ? [t.rating] : []));
  const avg = (xs: number[]) =>
    xs.length === 0 ? null : round(xs.reduce((a, b) => a + b, 0) / xs.length, 2);
  const dim = (d: ServqualDimension) => {
    const xs = rated.flatMap((r) => (r.dimensions[d] === undefined ? [] : [r.dimensions[d]!]));
    return { count: xs.length, avg: avg(xs) };
  };
  return {
    count: rated.length,
    avg: avg(rated.map((r) => r.score)),
    dimensions: {
      reliability: dim('reliability'),
      responsiveness: dim('responsiveness'),
      assurance: dim('assurance'),
      empathy: dim('empathy'),
      tangibles: dim('tangibles'),
    },
  };
}

const days = (from: string, to: string) => {
  const out: string[] = [];
  for (let d = Date.parse(from); d <= Date.parse(to); d += 86_400_000)
    out.push(new Date(d).toISOString().slice(0, 10));
  return out;
};

describe('statistics series and breakdown', () => {
  const { db, clock, record } = scriptedHistory();
  const stats = createStats(db, DEMO_HALL, clock);
  const range = { from: '2026-11-25', to: '2026-12-01' };

  it('the script has what the checks rely on', () => {
    expect(record).toHaveLength(21);
    expect(record.filter((t) => t.outcome === 'no-show').length).toBeGreaterThan(1);
    expect(
      record.filter((t) => t.rating && Object.keys(t.rating.dimensions).length > 0).length,
    ).toBeGreaterThan(1);
    expect(new Set(record.map((t) => t.day))).toEqual(
      new Set(['2026-11-25', '2026-11-26', '2026-11-30', '2026-12-01']),
    );
  });

  it('gives each day its true figures, split at midnight in the hall’s time zone, not UTC', () => {
    // Today (1 December) is read live; the days before come from rollups.
    const series = stats.series(range, 'day');
    expect(series.points.map((p) => p.period)).toEqual(days(range.from, range.to));
    for (const point of series.points) {
      const tickets = record.filter((t) => t.day === point.period);
      expect(point, point.period).toEqual({
        period: point.period,
        ...figures(tickets),
        unservedAtClosing: 0,
      });
    }
    // The late tickets of the 25th and the early ones of the 26th share a UTC date, not a hall day.
    const late = series.points.find((p) => p.period === '2026-11-25')!;
    expect(late.tickets).toBe(7);
    expect(stats.series({ from: '2026-11-26', to: '2026-11-26' }, 'day').points[0]!.tickets).toBe(6);
  });

  it('adds days up into weeks from Monday and calendar months', () => {
    const weeks = stats.series(range, 'week');
    expect(weeks.points.map((p) => p.period)).toEqual(['2026-11-23', '2026-11-30']);
    expect(weeks.points[0]).toMatchObject(figures(record.filter((t) => t.day < '2026-11-30')));
    expect(weeks.points[1]).toMatchObject(figures(record.filter((t) => t.day >= '2026-11-30')));
    const months = stats.series(range, 'month');
    expect(months.points.map((p) => p.period)).toEqual(['2026-11', '2026-12']);
    expect(months.points[1]).toMatchObject(figures(record.filter((t) => t.day.startsWith('2026-12'))));
  });

  it('breaks down by staff member, weekday and hour, with ratings by SERVQUAL dimension', () => {
    const b = stats.breakdown(range);
    expect(b.byStaff.map((g) => g.key)).toEqual(['staff1', 'staff2']);
    for (const g of b.byStaff) {
      const mine = record.filter((t) => t.staffId === g.key);
      expect(g).toEqual({ key: g.key, name: g.key === 'staff1' ? '营业员1' : '营业员2', ...figures(mine) });
    }
    expect(b.byWeekday).toHaveLength(7);
    for (const g of b.byWeekday)
      expect(g, `weekday ${g.key}`).toEqual({
        key: g.key,
        ...figures(record.filter((t) => t.weekday === Number(g.key))),
      });
    for (let w = 0; w < 7; w++)
      for (let h = 0; h < 24; h++)
        expect(b.arrivals[w]![h], `${w} ${h}`).toBe(
          record.filter((t) => t.weekday === w && t.hour === h).length,
        );
    expect(b.arrivals[2]![23]).toBeGreaterThan(0); // Wednesday 23:00, late on the 25th
    expect(b.arrivals[3]![0]).toBeGreaterThan(0); // Thursday 00:00

    expect(b.ratings.all).toEqual({ key: 'all', ...ratings(record) });
    for (const g of b.ratings.byStaff)
      expect(g).toEqual({
        key: g.key,
        name: expect.any(String),
        ...ratings(record.filter((t) => t.staffId === g.key)),
      });
    for (const g of b.ratings.byCounter)
      expect(g).toEqual({ key: g.key, ...ratings(record.filter((t) => t.counterId === g.key)) });
    expect(b.ratings.byService.map((g) => g.key)).toEqual(['general', 'payments']);
    for (const g of b.ratings.byService)
      expect(g).toEqual({ key: g.key, ...ratings(record.filter((t) => t.serviceId === g.key)) });
    expect(b.ratings.all.dimensions.reliability.count).toBeGreaterThan(0);
    expect(b.ratings.all.dimensions.tangibles).toEqual({ count: 0, avg: null });
  });

  it('answers the same once every day is rolled up, and the summary agrees with the series', () => {
    const live = { series: stats.series(range, 'day'), breakdown: stats.breakdown(range) };
    clock.set(Date.parse('2026-12-05T02:00:00Z'));
    expect(stats.rollUp(range)).toBe(1); // 1 December, the last day read live
    expect(stats.series(range, 'day')).toEqual(live.series);
    expect(stats.breakdown(range)).toEqual(live.breakdown);
    const summary = stats.summary(range);
    expect(summary).toMatchObject(figures(record));
    expect(stats.series(range, 'month').points.reduce((n, p) => n + p.tickets, 0)).toBe(summary.tickets);
  });
});
