import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GroupAccumulator, MinuteHistogram, minuteFigures, percentile } from './stats.ts';

describe('statistics maths', () => {
  it('takes nearest-rank percentiles', () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(xs, 50)).toBe(5);
    expect(percentile(xs, 90)).toBe(9);
    expect(percentile(xs, 100)).toBe(10);
    expect(percentile([], 50)).toBeNull();
  });

  it('sorts numerically before taking percentiles', () => {
    expect(minuteFigures([10, 2, 30, 4])).toEqual({ avg: 11.5, p50: 4, p90: 30 });
  });

  it('counts within target against each ticket’s own target, over called tickets only', () => {
    const g = new GroupAccumulator();
    const base = { unservedAtClosing: false, serviceMinutes: null };
    g.add({ ...base, status: 'done', waitMinutes: 10, waitTargetMinutes: 15 });
    g.add({ ...base, status: 'done', waitMinutes: 20, waitTargetMinutes: 15 });
    g.add({ ...base, status: 'no-show', waitMinutes: 5, waitTargetMinutes: 5 });
    g.add({ ...base, status: 'cancelled', waitMinutes: null, waitTargetMinutes: 15 });
    g.add({
      ...base,
      status: 'cancelled',
      unservedAtClosing: true,
      waitMinutes: null,
      waitTargetMinutes: 15,
    });
    const f = g.figures('x');
    expect(f).toMatchObject({ tickets: 5, served: 2, noShows: 1, cancelled: 1, withinTargetPct: 66.7 });
    expect(g.unservedAtClosing).toBe(1);
  });
});

describe('minute histograms', () => {
  it('give the same figures as the exact values, rounded to a tenth', () => {
    // Minutes are differences of millisecond timestamps, so the values are whole milliseconds.
    const wholeMs = fc.integer({ min: 0, max: 300 * 60_000 }).map((ms) => ms / 60_000);
    fc.assert(
      fc.property(fc.array(wholeMs, { minLength: 1, maxLength: 200 }), (values) => {
        const h = new MinuteHistogram();
        for (const v of values) h.add(v);
        const exact = minuteFigures(values);
        const binned = h.figures();
        expect(binned.p50).toBe(exact.p50);
        expect(binned.p90).toBe(exact.p90);
        // The mean in exact integers, rounded half up: sum of ms ÷ 6,000 per tenth.
        const sumMs = values.reduce((s, v) => s + Math.round(v * 60_000), 0);
        const tenths = Number(
          (BigInt(sumMs) * 2n + 6000n * BigInt(values.length)) / (12000n * BigInt(values.length)),
        );
        expect(binned.avg).toBe(tenths / 10);
      }),
    );
  });

  it('add up to the same figures in any order (the sum is exact)', () => {
    const wholeMs = fc.integer({ min: 0, max: 120 * 60_000 }).map((ms) => ms / 60_000);
    fc.assert(
      fc.property(fc.array(fc.array(wholeMs, { maxLength: 20 }), { minLength: 2, maxLength: 6 }), (days) => {
        const stored = days.map((values) => {
          const h = new MinuteHistogram();
          for (const v of values) h.add(v);
          return JSON.parse(JSON.stringify(h.toJSON())) as number[];
        });
        const forwards = new MinuteHistogram();
        for (const d of stored) forwards.mergeStored(d);
        const backwards = new MinuteHistogram();
        for (const d of [...stored].reverse()) backwards.mergeStored(d);
        const oneByOne = new MinuteHistogram();
        for (const v of days.flat().reverse()) oneByOne.add(v);
        expect(backwards.figures()).toEqual(forwards.figures());
        expect(oneByOne.figures()).toEqual(forwards.figures());
      }),
    );
  });

  it('add up: two days stored and merged give the figures of both together', () => {
    const day1 = new GroupAccumulator();
    const day2 = new GroupAccumulator();
    const both = new GroupAccumulator();
    const base = { unservedAtClosing: false, waitTargetMinutes: 15 };
    [3, 9, 17, 22].forEach((w, i) => {
      const t = { ...base, status: 'done' as const, waitMinutes: w, serviceMinutes: w / 2 };
      (i % 2 ? day1 : day2).add(t);
      both.add(t);
    });
    const merged = new GroupAccumulator();
    merged.mergeTotals(JSON.parse(JSON.stringify(day1.totals())));
    merged.mergeTotals(JSON.parse(JSON.stringify(day2.totals())));
    expect(merged.figures('x')).toEqual(both.figures('x'));
  });
});
