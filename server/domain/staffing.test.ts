import { describe, expect, it } from 'vitest';
import { HallHistory } from './history.ts';
import { adviseStaffing, countersNeeded, erlangC, meanWaitMinutes, withinTargetShare } from './staffing.ts';

describe('Erlang C against textbook values', () => {
  it('gives 4/9 for 2 Erlangs on 3 counters, and ρ for a single counter (M/M/1)', () => {
    expect(erlangC(2, 3)).toBeCloseTo(4 / 9, 12);
    expect(erlangC(0.7, 1)).toBeCloseTo(0.7, 12);
    // M/M/1 mean wait ρ·S/(1 − ρ): 42 arrivals an hour of 1 minute each wait 0.7/0.3 minutes.
    expect(meanWaitMinutes(42, 1, 1)).toBeCloseTo(0.7 / 0.3, 12);
  });

  it('reproduces the call-centre example: 100 calls per half hour, 3-minute calls, 80% answered in 20 s', () => {
    // A = 200/h × 3 min = 10 Erlangs.
    const table = [
      { agents: 11, wait: 0.6821, within: 0.3896 },
      { agents: 12, wait: 0.4494, within: 0.6402 },
      { agents: 13, wait: 0.2853, within: 0.7956 },
      { agents: 14, wait: 0.1741, within: 0.8884 },
    ];
    for (const row of table) {
      expect(erlangC(10, row.agents)).toBeCloseTo(row.wait, 4);
      expect(withinTargetShare(200, 3, row.agents, 20 / 60)).toBeCloseTo(row.within, 4);
    }
    // Average speed of answer with 14 agents: 7.8 s.
    expect(meanWaitMinutes(200, 3, 14) * 60).toBeCloseTo(7.8, 1);
    expect(countersNeeded(200, 3, { waitMinutes: 20 / 60, share: 0.8 })).toBe(14);
  });

  it('reproduces the 360 calls per half hour of 4 minutes on 55 agents, 15 s target', () => {
    expect(erlangC(48, 55)).toBeCloseTo(0.2387, 4);
    expect(meanWaitMinutes(720, 4, 55) * 60).toBeCloseTo(8.2, 1);
    expect(withinTargetShare(720, 4, 55, 0.25)).toBeCloseTo(0.8459, 4);
  });

  it('says every customer waits and none is within target when the counters cannot keep up', () => {
    expect(erlangC(5, 5)).toBe(1);
    expect(withinTargetShare(60, 6, 5, 15)).toBe(0);
    expect(meanWaitMinutes(60, 6, 5)).toBe(Number.POSITIVE_INFINITY);
  });

  it('needs no counter when nobody comes, and never fewer than the load', () => {
    expect(countersNeeded(0, 8, { waitMinutes: 15, share: 0.8 })).toBe(0);
    expect(countersNeeded(30, 8, { waitMinutes: 15, share: 0.8 })).toBeGreaterThanOrEqual(4);
  });
});

describe('staffing advice', () => {
  it('advises counters per weekday and hour from arrivals and service times in the history', () => {
    const history = new HallHistory();
    for (let day = 0; day < 4; day++)
      history.addDay(0, [
        ...Array.from({ length: 30 }, () => ({ hour: 10, serviceId: 'general', tier: 'regular' as const })),
        ...Array.from({ length: 10 }, () => ({ hour: 10, serviceId: 'payments', tier: 'regular' as const })),
        ...Array.from({ length: 5 }, () => ({ hour: 11, serviceId: 'general', tier: 'regular' as const })),
      ]);
    for (let i = 0; i < 40; i++) {
      history.addServiceTime('general', 10, 10);
      history.addServiceTime('payments', 10, 2);
    }
    const [ten, eleven] = adviseStaffing(history, [0], [10, 11]);
    // 40 an hour at (30 × 10 + 10 × 2) / 40 = 8 minutes: a load of 5.33 Erlangs.
    expect(ten).toMatchObject({ weekday: 0, hour: 10, arrivalsPerHour: 40, serviceMinutes: 8 });
    expect(ten!.counters).toBe(countersNeeded(40, 8, { waitMinutes: 15, share: 0.8 }));
    expect(ten!.expectedWithinShare).toBeGreaterThanOrEqual(0.8);
    expect(withinTargetShare(40, 8, ten!.counters - 1, 15)).toBeLessThan(0.8);
    expect(eleven!.counters).toBeLessThan(ten!.counters);
  });
});
