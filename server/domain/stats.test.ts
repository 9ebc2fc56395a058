import { describe, expect, it } from 'vitest';
import { GroupAccumulator, minuteFigures, percentile } from './stats.ts';

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
