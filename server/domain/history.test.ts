import { describe, expect, it } from 'vitest';
import { HallHistory } from './history.ts';

describe('hall history', () => {
  it('keeps service times by service and hour, falling back to every hour while an hour has few', () => {
    const history = new HallHistory();
    for (let i = 0; i < 10; i++) history.addServiceTime('general', 9, 4);
    history.addServiceTime('general', 10, 8);
    expect(history.serviceSamples('general', 10)).toHaveLength(11);
    expect(history.meanServiceMinutes('general', 10)).toBeCloseTo(48 / 11);
    for (let i = 0; i < 30; i++) history.addServiceTime('general', 10, 8);
    expect(history.serviceSamples('general', 10)).toHaveLength(31);
    expect(history.meanServiceMinutes('general', 10)).toBe(8);
    expect(history.meanServiceMinutes('payments', 10)).toBeNull();
  });

  it('gives arrivals per hour as the mean over the days of that weekday', () => {
    const history = new HallHistory();
    history.addDay(0, [
      { hour: 9, serviceId: 'general', tier: 'regular' },
      { hour: 9, serviceId: 'general', tier: 'vip' },
    ]);
    history.addDay(0, []);
    history.addDay(5, [{ hour: 9, serviceId: 'general', tier: 'regular' }]);
    expect(history.arrivalsPerHour(0, 9, 'general')).toBe(1);
    expect(history.arrivalsPerHour(5, 9, 'general')).toBe(1);
    expect(history.arrivalsPerHour(1, 9, 'general')).toBe(0);
    expect(history.tierWeights('general')).toEqual([
      ['regular', 2],
      ['vip', 1],
    ]);
  });

  it('estimates patience from departures, counting calls as patience at least that long (Kaplan–Meier)', () => {
    const history = new HallHistory();
    expect(history.patienceMinutes(0, 0.5)).toBe(Number.POSITIVE_INFINITY);
    // Four waits: left at 10, called at 20, left at 30, called at 40.
    history.addWait(10, true);
    history.addWait(20, false);
    history.addWait(30, true);
    history.addWait(40, false);
    // Survival: 3/4 after 10, then 3/4 × 1/2 = 3/8 after 30; beyond that nothing is known.
    expect(history.patienceMinutes(0, 0.8)).toBe(10);
    expect(history.patienceMinutes(0, 0.5)).toBe(30);
    expect(history.patienceMinutes(0, 0.3)).toBe(Number.POSITIVE_INFINITY);
    // Having waited 15 minutes already, survival counts from 3/4: leaving at 30 needs u ≥ 1/2.
    expect(history.patienceMinutes(15, 0.6)).toBe(30);
    expect(history.patienceMinutes(15, 0.4)).toBe(Number.POSITIVE_INFINITY);
  });
});
