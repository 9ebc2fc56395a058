import { describe, expect, it } from 'vitest';
import { days, figures, ratings, scriptedHistory } from '../../tests/helpers/scripted-history.ts';
import { DEMO_HALL } from '../config.ts';
import { createStats } from './stats.ts';

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
