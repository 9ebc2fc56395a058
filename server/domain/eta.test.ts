import { describe, expect, it } from 'vitest';
import type { Tier } from '../contract/api.ts';
import { MINUTE } from './clock.ts';
import {
  DEFAULT_SERVICE_MINUTES,
  type EtaCounter,
  type HallState,
  meanServiceMinutes,
  naiveEtaMinutes,
  peopleAheadInLine,
  predictWaits,
} from './eta.ts';
import { HallHistory } from './history.ts';
import { DEFAULT_ROUTING, type RoutingCounter, type WaitingTicket } from './routing.ts';

describe('naive ETA', () => {
  it('estimates people ahead × mean service time ÷ counters serving', () => {
    expect(naiveEtaMinutes(6, 5, 2)).toBe(15);
    expect(naiveEtaMinutes(0, 5, 2)).toBe(0);
  });

  it('answers as if one counter served when none is open', () => {
    expect(naiveEtaMinutes(3, 4, 0)).toBe(12);
  });

  it('uses the recent mean, or a default before any history', () => {
    expect(meanServiceMinutes([2, 4, 6])).toBe(4);
    expect(meanServiceMinutes([])).toBe(DEFAULT_SERVICE_MINUTES);
  });
});

const NOW = 1_000 * MINUTE;
const HOUR_OF_NOW = 10;

let seq = 0;
function ticket(
  serviceId: string,
  tier: Tier,
  queuedAt: number,
  extra: Partial<WaitingTicket> = {},
): WaitingTicket {
  seq++;
  return {
    id: `t${seq}`,
    number: `N${seq}`,
    serviceId,
    tier,
    queuedAt,
    passedOver: 0,
    front: false,
    ...extra,
  };
}

const generalOnly: RoutingCounter = { services: [{ serviceId: 'general', weight: 2 }], elderlyFirst: false };
const generalAndPayments: RoutingCounter = {
  services: [
    { serviceId: 'general', weight: 2 },
    { serviceId: 'payments', weight: 1 },
  ],
  elderlyFirst: false,
};

/** A history in which every service of `serviceMinutes` took exactly those minutes at the hour of NOW. */
function historyOf(serviceMinutes: Record<string, readonly number[]>): HallHistory {
  const history = new HallHistory();
  for (const [serviceId, xs] of Object.entries(serviceMinutes))
    for (const x of xs) history.addServiceTime(serviceId, HOUR_OF_NOW, x);
  return history;
}

function hall(waiting: WaitingTicket[], counters: EtaCounter[]): HallState {
  return {
    now: NOW,
    minuteOfDay: HOUR_OF_NOW * 60,
    weekday: 2,
    waiting,
    counters,
    policy: DEFAULT_ROUTING,
    waitTargetMinutes: () => 15,
  };
}

const busySince = (minutesAgo: number, serviceId = 'general') => ({
  serviceId,
  since: NOW - minutesAgo * MINUTE,
});

describe('ETA from the live state', () => {
  it('says 0 for the first ticket when a counter serving it is idle', () => {
    const a = ticket('general', 'regular', NOW);
    const eta = predictWaits(
      hall([a], [{ routing: generalOnly, busyWith: null }]),
      historyOf({ general: [10] }),
    );
    expect(eta.get(a.id)).toEqual({ minutes: 0, low: 0, high: 0 });
  });

  it('places tickets as routing will call them: a VIP behind a regular ticket goes first', () => {
    const regular = ticket('general', 'regular', NOW - 5 * MINUTE);
    const vip = ticket('general', 'vip', NOW);
    const eta = predictWaits(
      hall([regular, vip], [{ routing: generalOnly, busyWith: busySince(4) }]),
      historyOf({ general: [10, 10, 10] }),
    );
    // The service under way has 6 of its 10 minutes left; then the VIP's 10 minutes.
    expect(eta.get(vip.id)).toEqual({ minutes: 6, low: 6, high: 6 });
    expect(eta.get(regular.id)).toEqual({ minutes: 16, low: 16, high: 16 });
  });

  it('shares the line among the counters that serve it', () => {
    const tickets = [0, 1, 2].map((i) => ticket('general', 'regular', NOW - (3 - i) * MINUTE));
    const counters = [
      { routing: generalOnly, busyWith: busySince(4) },
      { routing: generalAndPayments, busyWith: busySince(8) },
    ];
    const eta = predictWaits(hall(tickets, counters), historyOf({ general: [10] }));
    expect(tickets.map((t) => eta.get(t.id)?.minutes)).toEqual([2, 6, 12]);
  });

  it('draws the rest of a service under way from past services that lasted longer', () => {
    const next = ticket('general', 'regular', NOW);
    const eta = predictWaits(
      hall([next], [{ routing: generalOnly, busyWith: busySince(8) }]),
      historyOf({ general: [5, 10, 20] }),
      { runs: 99 },
    )!.get(next.id)!;
    // Only the 10- and 20-minute services outlast 8 minutes: 2 or 12 minutes left.
    expect(eta.low).toBe(2);
    expect(eta.high).toBe(12);
  });

  it('gives an interval that holds the forecast and widens with varied service times', () => {
    const tickets = [0, 1, 2, 3].map((i) => ticket('general', 'regular', NOW - (4 - i) * MINUTE));
    const last = tickets[3]!;
    const state = hall(tickets, [{ routing: generalOnly, busyWith: busySince(1) }]);
    const steady = predictWaits(state, historyOf({ general: [8] })).get(last.id)!;
    const varied = predictWaits(state, historyOf({ general: [2, 4, 6, 8, 10, 12, 14] })).get(last.id)!;
    expect(steady.high - steady.low).toBe(0);
    expect(varied.low).toBeLessThan(varied.minutes);
    expect(varied.minutes).toBeLessThan(varied.high);
  });

  it('counts the tickets still to come that will overtake: priority customers, within the bound', () => {
    const payments = ticket('payments', 'regular', NOW - MINUTE);
    const state = { ...hall([payments], [{ routing: generalAndPayments, busyWith: busySince(1) }]) };
    const quiet = historyOf({ general: [10], payments: [3] });
    const busy = historyOf({ general: [10], payments: [3] });
    const vips = (n: number) =>
      Array.from({ length: n }, () => ({ hour: HOUR_OF_NOW, serviceId: 'general', tier: 'vip' as const }));
    busy.addDay(2, vips(30));
    const alone = predictWaits(state, quiet).get(payments.id)!;
    expect(alone.minutes).toBe(9);
    // Regular tickets still to come are due after it: they do not overtake.
    const regulars = historyOf({ general: [10], payments: [3] });
    regulars.addDay(
      2,
      vips(30).map((a) => ({ ...a, tier: 'regular' as const })),
    );
    expect(predictWaits(state, regulars, { runs: 39 }).get(payments.id)!.minutes).toBe(9);
    const overtaken = predictWaits(state, busy, { runs: 39 }).get(payments.id)!;
    expect(overtaken.minutes).toBeGreaterThan(alone.minutes);
    // The bound holds in the forecast: overdue after 2 × 15 minutes of waiting, then passed over at most
    // twice more (a bound of 2) before its turn: at most 3 services of 10 minutes after that.
    const bounded = { ...state, policy: { maxPassOvers: 2, maxWaitFactor: 2 } };
    const worst = predictWaits(bounded, busy, { runs: 39 }).get(payments.id)!;
    expect(worst.high).toBeLessThanOrEqual(2 * 15 - 1 + 3 * 10);
  });

  it('takes the default service time before the hall has any history', () => {
    const a = ticket('general', 'regular', NOW);
    const b = ticket('general', 'regular', NOW);
    const eta = predictWaits(
      hall([a, b], [{ routing: generalOnly, busyWith: busySince(1) }]),
      new HallHistory(),
    );
    expect(eta.get(a.id)?.minutes).toBe(DEFAULT_SERVICE_MINUTES - 1);
    expect(eta.get(b.id)?.minutes).toBe(2 * DEFAULT_SERVICE_MINUTES - 1);
  });

  it('counts a paused counter from when it is expected back', () => {
    const a = ticket('general', 'regular', NOW);
    const back = NOW + 20 * MINUTE;
    const eta = predictWaits(
      hall([a], [{ routing: generalOnly, busyWith: null, availableFrom: back }]),
      historyOf({ general: [10] }),
    );
    expect(eta.get(a.id)?.minutes).toBe(20);
  });

  it('expects others to leave when the hall’s customers usually give up sooner than their turn', () => {
    const ahead = [0, 1, 2].map((i) => ticket('general', 'regular', NOW - (3 - i) * MINUTE));
    const mine = ticket('general', 'regular', NOW);
    const state = hall([...ahead, mine], [{ routing: generalOnly, busyWith: busySince(4) }]);
    const patient = historyOf({ general: [10] });
    const impatient = historyOf({ general: [10] });
    for (let i = 0; i < 100; i++) impatient.addWait(4, true);
    expect(predictWaits(state, patient).get(mine.id)?.minutes).toBe(36);
    // Those ahead have all waited under 4 minutes and leave at 4; the ticket asked about stays.
    expect(predictWaits(state, impatient).get(mine.id)?.minutes).toBe(6);
  });

  it('leaves out a ticket that no counter open today serves', () => {
    const payments = ticket('payments', 'regular', NOW);
    const eta = predictWaits(
      hall([payments], [{ routing: generalOnly, busyWith: null }]),
      historyOf({ payments: [3] }),
    );
    expect(eta.has(payments.id)).toBe(false);
  });

  it('gives the same answer for the same state and seed, and predicts only the tickets asked about', () => {
    const tickets = [0, 1, 2].map((i) => ticket('general', 'regular', NOW - (3 - i) * MINUTE));
    const state = hall(tickets, [{ routing: generalOnly, busyWith: busySince(2) }]);
    const history = historyOf({ general: [3, 5, 8, 13, 21] });
    const one = predictWaits(state, history, { seed: 42 });
    expect(predictWaits(state, history, { seed: 42 })).toEqual(one);
    const asked = predictWaits(state, history, { seed: 42, ticketIds: [tickets[1]!.id] });
    expect([...asked.keys()]).toEqual([tickets[1]!.id]);
  });
});

describe('people ahead in line (the naive estimate’s count)', () => {
  it('counts those sent to the front, then higher tiers, then earlier tickets of the same service', () => {
    const mine = ticket('general', 'elderly', 10);
    const waiting = [
      ticket('general', 'regular', 20, { front: true }),
      ticket('general', 'vip', 30),
      ticket('general', 'elderly', 5),
      ticket('general', 'elderly', 15),
      ticket('general', 'regular', 0),
      ticket('payments', 'vip', 0),
      mine,
    ];
    expect(peopleAheadInLine(mine, waiting)).toBe(3);
  });
});
