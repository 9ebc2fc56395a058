import { describe, expect, it } from 'vitest';
import { MINUTE } from '../clock.ts';
import { localTime } from '../hall-time.ts';
import { type PastDay, playHistory } from './demo-history.ts';
import { DEMO_WEEKDAY } from './profiles.ts';

/** The demo hall (server/config.ts) as the simulator sees it. */
const HALL = {
  timeZone: 'Asia/Shanghai',
  services: ['general', 'payments', 'devices', 'broadband', 'business', 'vip', 'complaints', 'retention'].map(
    (id, i) => ({ id, prefix: 'ABCDEVFR'[i]!, waitTargetMinutes: 15 }),
  ),
  counters: [
    ['1', ['general', 'payments', 'devices']],
    ['2', ['general', 'payments', 'broadband']],
    ['3', ['devices', 'broadband', 'business', 'general']],
    ['4', ['vip', 'general']],
    ['5', ['general', 'payments']],
    ['6', ['complaints', 'retention', 'business']],
  ].map(([id, services]) => ({
    id: id as string,
    routing: {
      services: (services as string[]).map((serviceId, i) => ({ serviceId, weight: i === 0 ? 2 : 1 })),
      elderlyFirst: id === '5',
    },
  })),
};

const weeks = (from: string, days: number, seed = 3): PastDay[] => [
  ...playHistory({ hall: HALL, from, days, seed }),
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('the demo history, played by the simulator', () => {
  // Monday 5 October 2026, four weeks.
  const days = weeks('2026-10-05', 28);
  const tickets = days.flatMap((d) => d.tickets);

  it('varies from day to day: no two Mondays alike, Saturdays busier than Tuesdays', () => {
    const count = (weekday: number) => days.filter((d) => d.weekday === weekday).map((d) => d.tickets.length);
    expect(new Set(count(0)).size).toBe(4);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(count(5))).toBeGreaterThan(mean(count(1)) * 1.2);
  });

  it('serves each service for about the minutes of the demo profile', () => {
    for (const [serviceId, { median: profileMedian }] of Object.entries(DEMO_WEEKDAY.serviceMinutes)) {
      const minutes = tickets
        .filter((t) => t.serviceId === serviceId && t.status === 'done')
        .map((t) => (t.finishedAt - t.calledAt!) / MINUTE);
      // Staff speeds in the profile run from 0.9 to 1.25.
      expect(median(minutes), serviceId).toBeGreaterThan(profileMedian * 0.8);
      expect(median(minutes), serviceId).toBeLessThan(profileMedian * 1.4);
    }
  });

  it('keeps each ticket in order: issued, called by a counter with a reason, served, finished', () => {
    for (const t of tickets) {
      expect(localTime(t.issuedAt, HALL.timeZone).day).toBe(t.day);
      expect(localTime(t.issuedAt, HALL.timeZone).hour).toBe(t.hour);
      if (t.status === 'cancelled') {
        expect(t.calledAt).toBeNull();
        expect(t.finishedAt).toBeGreaterThan(t.issuedAt);
        continue;
      }
      expect(t.calledAt).toBeGreaterThanOrEqual(t.issuedAt);
      expect(t.call?.zh).toBeTruthy();
      const counter = HALL.counters.find((c) => c.id === t.counterId)!;
      expect(counter.routing.services.map((s) => s.serviceId)).toContain(t.serviceId);
      if (t.status === 'done') {
        expect(t.servingAt).toBeGreaterThanOrEqual(t.calledAt!);
        expect(t.finishedAt).toBeGreaterThanOrEqual(t.servingAt!);
      } else expect(t.servingAt).toBeNull();
    }
    for (const d of days) expect(new Set(d.tickets.map((t) => t.number)).size).toBe(d.tickets.length);
  });

  it('draws the same day the same way whatever range it is part of, and another seed another way', () => {
    const alone = weeks('2026-10-12', 1)[0]!;
    expect(alone).toEqual(days[7]);
    expect(weeks('2026-10-12', 1, 4)[0]!.tickets.length).not.toBe(alone.tickets.length);
  });

  it('plays a hall several times the demo hall with as many more counters', () => {
    const [day] = [...playHistory({ hall: HALL, from: '2026-10-06', days: 1, seed: 3, scale: 3 })];
    const single = weeks('2026-10-06', 1)[0]!;
    expect(day!.tickets.length).toBeGreaterThan(single.tickets.length * 2.5);
    expect(new Set(day!.tickets.map((t) => t.counterId).filter(Boolean)).size).toBe(18);
  });
});
