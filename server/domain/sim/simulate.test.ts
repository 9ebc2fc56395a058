import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTING, ROUTING_POLICY_NAMES, routingPolicy } from '../routing.ts';
import { customersOfDay, type SimHall, simulateDay } from './hall-day.ts';
import type { SimProfile } from './profiles.ts';
import { simulateSeeds } from './seeds.ts';
import { simulate } from './simulate.ts';
import { checkStaffingAdvice } from './staffing-check.ts';

/** A morning in a small hall: three counters, one of them pausing, one serving VIPs first. */
const hall: SimHall = {
  services: [
    { id: 'general', prefix: 'A', waitTargetMinutes: 15 },
    { id: 'payments', prefix: 'B', waitTargetMinutes: 10 },
    { id: 'vip', prefix: 'V', waitTargetMinutes: 15 },
  ],
  counters: [
    {
      id: '1',
      routing: {
        services: [
          { serviceId: 'general', weight: 2 },
          { serviceId: 'payments', weight: 1 },
        ],
        elderlyFirst: false,
      },
    },
    {
      id: '2',
      routing: {
        services: [
          { serviceId: 'payments', weight: 2 },
          { serviceId: 'general', weight: 1 },
        ],
        elderlyFirst: true,
      },
    },
    {
      id: '3',
      routing: {
        services: [
          { serviceId: 'vip', weight: 2 },
          { serviceId: 'general', weight: 1 },
        ],
        elderlyFirst: false,
      },
    },
  ],
};

const profile: SimProfile = {
  name: 'morning',
  weekday: 0,
  open: 540,
  lastTicket: 720,
  close: 750,
  ticketsPerDay: { general: 45, payments: 25, vip: 6 },
  hourlyShape: [0.8, 1.2, 1],
  serviceMinutes: {
    general: { median: 6, sigma: 0.5 },
    payments: { median: 3, sigma: 0.5 },
    vip: { median: 8, sigma: 0.5 },
  },
  staff: {
    '1': { speed: 1, shifts: [[540, 750]] },
    '2': {
      speed: 1.2,
      shifts: [
        [540, 600],
        [630, 750],
      ],
    },
    '3': { speed: 0.9, shifts: [[540, 750]] },
  },
  tierShares: { general: { elderly: 0.15, vip: 0.05 }, vip: { vip: 1 } },
  noShowShare: 0.05,
  noShowMinutes: 1.5,
  patienceMinutes: { median: 30, sigma: 0.5 },
};

const run = { hall, profile, days: 6, seed: 11, warmupDays: 2, etaRuns: 9 };

describe('hall simulator', () => {
  it('gives the same figures for the same seed, and others for another seed', () => {
    const { policies, eta } = simulate(run);
    expect(simulate(run)).toMatchObject({ policies, eta });
    expect(simulate({ ...run, seed: 12 }).policies).not.toEqual(policies);
  });

  it('compares every policy on the same customers and judges the ETA of the tickets that queued', () => {
    const { policies, eta } = simulate(run);
    expect(policies.map((p) => p.name)).toEqual(ROUTING_POLICY_NAMES);
    for (const p of policies) {
      expect(p.avgWait).toBeLessThanOrEqual(p.p90Wait);
      expect(p.p90Wait).toBeLessThanOrEqual(p.maxWait);
      expect(p.withinTargetPct).toBeGreaterThan(0);
      expect(p.withinTargetPct).toBeLessThanOrEqual(100);
    }
    expect(eta!.predictions).toBeGreaterThan(50);
    expect(eta!.coverage80).toBeGreaterThan(0);
    expect(customersOfDay(hall, profile, 3, 11)).toEqual(customersOfDay(hall, profile, 3, 11));
  });

  it('draws about the profile’s tickets per day, numbered per service', () => {
    let issued = 0;
    for (let day = 0; day < 20; day++) issued += customersOfDay(hall, profile, day, 5).length;
    expect(issued / 20).toBeGreaterThan(76 * 0.9);
    expect(issued / 20).toBeLessThan(76 * 1.1);
    const numbers = customersOfDay(hall, profile, 0, 5)
      .filter((c) => c.ticket.serviceId === 'payments')
      .map((c) => c.ticket.number);
    expect(numbers.slice(0, 3)).toEqual(['B001', 'B002', 'B003']);
  });

  it('drives the real routing: counters on duty call only what they serve, within the bound, and explain it', () => {
    for (const name of ROUTING_POLICY_NAMES)
      for (let day = 0; day < 4; day++) {
        let calls = 0;
        simulateDay({
          hall,
          profile,
          policy: routingPolicy(name),
          day,
          customers: customersOfDay(hall, profile, day, 3),
          hooks: {
            called: (customer, waitMinutes, choice, counter) => {
              calls++;
              expect(counter.onDuty).toBe(true);
              expect(counter.routing.services.map((s) => s.serviceId)).toContain(customer.ticket.serviceId);
              expect(waitMinutes).toBeGreaterThanOrEqual(0);
              expect(choice.explanation.en.length).toBeGreaterThan(0);
              // The hook sees the call's own pass-overs already counted.
              if (name === 'hallq')
                for (const t of choice.passedOver)
                  expect(t.passedOver).toBeLessThanOrEqual(DEFAULT_ROUTING.maxPassOvers);
            },
          },
        });
        expect(calls).toBeGreaterThan(40);
      }
  });

  it('meets the service level with the advised counters, and Erlang C’s advice is not padded', () => {
    const { history } = simulate({ ...run, etaRuns: 0 });
    const check = checkStaffingAdvice(history, { hall, profile, days: 6, seed: 11 });
    expect(check.advice.map((a) => a.hour)).toEqual([9, 10, 11, 12]);
    expect(check.withAdvicePct).toBeGreaterThanOrEqual(check.withOneFewerPct);
  });

  it('summarises seeds: each figure the mean over the seeds, with its spread, the same customers for every policy', () => {
    const seeds = [11, 12, 13];
    const report = simulateSeeds({ ...run, seeds });
    const single = seeds.map((seed) => simulate({ ...run, seed }));
    expect(report.seeds).toEqual(seeds);
    report.policies.forEach((p, i) => {
      const within = single.map((r) => r.policies[i]!.withinTargetPct);
      const mean = within.reduce((a, b) => a + b, 0) / within.length;
      expect(p.name).toBe(single[0]!.policies[i]!.name);
      expect(p.withinTargetPct).toBeCloseTo(mean, 2);
      expect(p.spread.withinTargetPct).toMatchObject({ min: Math.min(...within), max: Math.max(...within) });
      expect(p.leftPct).toBeCloseTo(single.reduce((a, r) => a + r.policies[i]!.abandonedPct, 0) / 3, 2);
      expect(p.mostPassOvers).toBe(Math.max(...single.map((r) => r.policies[i]!.mostPassOvers)));
    });
    const maes = single.map((r) => r.eta!.mae);
    expect(report.eta!.mae).toBeCloseTo(maes.reduce((a, b) => a + b, 0) / 3, 2);
    expect(report.eta!.predictions).toBe(single.reduce((n, r) => n + r.eta!.predictions, 0));
  });

  it('keeps the hall’s rule within its bound and reports the priority customers’ waits', () => {
    const hallq = simulate(run).policies.find((p) => p.name === 'hallq')!;
    expect(hallq.mostPassOvers).toBeLessThanOrEqual(DEFAULT_ROUTING.maxPassOvers);
    expect(hallq.elderlyP90Wait).toBeGreaterThanOrEqual(0);
    expect(hallq.elderlyP90Wait).toBeLessThanOrEqual(hallq.maxWait);
    const tight = simulate({ ...run, routing: { maxPassOvers: 1, maxWaitFactor: 2 } }).policies[0]!;
    expect(tight.mostPassOvers).toBeLessThanOrEqual(1);
  });
});
