import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Tier } from '../contract/api.ts';
import { MINUTE } from './clock.ts';
import {
  chooseNext,
  DEFAULT_ROUTING,
  decideNext,
  ROUTING_POLICY_NAMES,
  type RoutingCounter,
  type RoutingPolicy,
  routingPolicy,
  transferTicket,
  type WaitingTicket,
} from './routing.ts';

const target = () => 15;
const counter: RoutingCounter = {
  services: [
    { serviceId: 'general', weight: 2 },
    { serviceId: 'payments', weight: 1 },
  ],
  elderlyFirst: false,
};

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
    number: `X${String(seq).padStart(3, '0')}`,
    serviceId,
    tier,
    queuedAt,
    passedOver: 0,
    front: false,
    ...extra,
  };
}

const bound = DEFAULT_ROUTING;
/** A counter that helps with a service whose target is shorter than its own's. */
const twoTargets = (serviceId: string) => (serviceId === 'payments' ? 10 : 15);

describe('routing', () => {
  it('calls nothing when no waiting ticket is for a service of this counter', () => {
    expect(chooseNext(counter, [ticket('vip', 'vip', 0)], 0, bound, target)).toBeNull();
  });

  it('calls the longest-waiting ticket when all are alike, and says so', () => {
    const a = ticket('general', 'regular', 0);
    const b = ticket('general', 'regular', 1000);
    const choice = chooseNext(counter, [b, a], 2 * MINUTE, bound, target)!;
    expect(choice.ticket).toBe(a);
    expect(choice.explanation.rule).toBe('longest-wait');
    expect(choice.explanation.en).toContain('waited 2 min');
  });

  it('calls a VIP before an earlier regular ticket of the same service and names who it passed over', () => {
    const regular = ticket('general', 'regular', 0);
    const vip = ticket('general', 'vip', 1000);
    const choice = chooseNext(counter, [regular, vip], 2000, bound, target)!;
    expect(choice.ticket).toBe(vip);
    expect(choice.explanation.rule).toBe('tier');
    expect(choice.explanation.passedOver).toEqual([regular.number]);
    expect(choice.passedOver).toEqual([regular]);
  });

  it('ranks vip, then elderly, then appointment, then regular, across the counter’s services', () => {
    const tickets = (['regular', 'appointment', 'elderly', 'vip'] as const).map((t, i) =>
      ticket(i % 2 ? 'general' : 'payments', t, i),
    );
    const order: Tier[] = [];
    let left = tickets;
    while (left.length) {
      const c = chooseNext(counter, left, 10, bound, target)!;
      order.push(c.ticket.tier);
      left = left.filter((t) => t !== c.ticket);
    }
    expect(order).toEqual(['vip', 'elderly', 'appointment', 'regular']);
  });

  it('puts elderly first at an elderly-first counter (爱心窗口)', () => {
    const vip = ticket('general', 'vip', 0);
    const elderly = ticket('general', 'elderly', 1000);
    expect(chooseNext({ ...counter, elderlyFirst: true }, [vip, elderly], 2000, bound, target)!.ticket).toBe(
      elderly,
    );
  });

  it('calls the ticket due first, across services: the one nearest its own wait target', () => {
    const general = ticket('general', 'regular', 0); // 15-minute target: due at 15
    const payments = ticket('payments', 'regular', 2 * MINUTE); // 10-minute target: due at 12
    const choice = chooseNext(counter, [general, payments], 8 * MINUTE, bound, twoTargets)!;
    expect(choice.ticket).toBe(payments);
    expect(choice.explanation.rule).toBe('due');
    expect(choice.explanation.en).toBe(
      `${payments.number} was due first: waiting 6 of its 10 minutes; ahead of ${general.number}`,
    );
    expect(choice.explanation.zh).toContain('已等 6 分钟，目标 10 分钟');
  });

  it('calls a ticket about to miss its target (its last third) before an older one past it, which it passes over', () => {
    const late = ticket('general', 'regular', 0);
    const dueSoon = ticket('general', 'regular', 10 * MINUTE);
    const choice = chooseNext(counter, [late, dueSoon], 20 * MINUTE, bound, target)!;
    expect(choice.ticket).toBe(dueSoon);
    expect(choice.explanation.rule).toBe('due');
    expect(choice.explanation.en).toBe(
      `${dueSoon.number} was due first: waiting 10 of its 15 minutes; ahead of ${late.number}`,
    );
    expect(choice.passedOver).toEqual([late]);
  });

  it('otherwise calls by due time: a ticket past its target before one with time to spare', () => {
    const late = ticket('general', 'regular', 0);
    const early = ticket('general', 'regular', 11 * MINUTE); // waiting 9 of 15: not yet its last third
    expect(chooseNext(counter, [late, early], 20 * MINUTE, bound, target)!.ticket).toBe(late);
    const general = ticket('general', 'regular', 0); // due at 15
    const payments = ticket('payments', 'regular', 1 * MINUTE); // due at 11
    const choice = chooseNext(counter, [general, payments], 20 * MINUTE, bound, twoTargets)!;
    expect(choice.ticket).toBe(payments);
    expect(choice.explanation.rule).toBe('due');
    expect(choice.explanation.en).toContain('was due first: waited 19 min, past its 10-minute target');
  });

  it('calls an overdue ticket (waited the factor × target) before the ones within target, after priority customers', () => {
    const overdue = ticket('general', 'regular', 0);
    const onTime = ticket('payments', 'regular', 19 * MINUTE); // 10 of 15 minutes at 29: about to miss it
    const vip = ticket('general', 'vip', 29 * MINUTE);
    expect(chooseNext(counter, [overdue, onTime], 29 * MINUTE, bound, target)!.ticket).toBe(onTime);
    const choice = chooseNext(counter, [overdue, onTime], 30 * MINUTE, bound, target)!;
    expect(choice.ticket).toBe(overdue);
    expect(choice.explanation.rule).toBe('overdue');
    expect(choice.explanation.en).toBe(
      `${overdue.number} first: waited 30 min, over 2 × its 15-minute target`,
    );
    expect(chooseNext(counter, [overdue, onTime, vip], 30 * MINUTE, bound, target)!.ticket).toBe(vip);
  });

  it('calls a ticket passed over to the limit before anyone who came after it, VIPs too', () => {
    const limit = ticket('general', 'regular', 0, { passedOver: bound.maxPassOvers });
    const vip = ticket('general', 'vip', 1000);
    const helpedVip = ticket('payments', 'vip', 1000);
    const choice = chooseNext(counter, [vip, helpedVip, limit], 2000, bound, target)!;
    expect(choice.ticket).toBe(limit);
    expect(choice.explanation.rule).toBe('overdue');
    expect(choice.explanation.en).toBe(
      `${limit.number} first: passed over ${bound.maxPassOvers} times, the limit`,
    );
  });

  it('lets a ticket that came before the one at the limit go first: that passes no one over', () => {
    const older = ticket('general', 'vip', 0);
    const limit = ticket('general', 'regular', 1000, { passedOver: bound.maxPassOvers });
    expect(chooseNext(counter, [limit, older], 2000, bound, target)!.ticket).toBe(older);
  });

  it('counts no pass-over when a counter calls its own service over an older ticket it only helps with', () => {
    const vipCounter: RoutingCounter = {
      services: [
        { serviceId: 'vip', weight: 2 },
        { serviceId: 'general', weight: 1 },
      ],
      elderlyFirst: false,
    };
    const helped = ticket('general', 'regular', 0, { passedOver: bound.maxPassOvers });
    const own = ticket('vip', 'vip', 1000);
    const choice = chooseNext(vipCounter, [helped, own], 2000, bound, target)!;
    expect(choice.ticket).toBe(own);
    expect(choice.passedOver).toEqual([]);
    // The general counter, which weighs general as its own, may not pass it again.
    const vipAtGeneral = ticket('general', 'vip', 1000);
    expect(chooseNext(counter, [helped, vipAtGeneral], 2000, bound, target)!.ticket).toBe(helped);
  });

  it('counts its own service’s calls as passing over a ticket it helps with once that one is overdue', () => {
    const helped = ticket('payments', 'regular', 0);
    const vip = () => ticket('general', 'vip', 40 * MINUTE);
    expect(chooseNext(counter, [helped, vip()], 29 * MINUTE, bound, target)!.passedOver).toEqual([]);
    expect(chooseNext(counter, [helped, vip()], 30 * MINUTE, bound, target)!.passedOver).toEqual([helped]);
    helped.passedOver = bound.maxPassOvers;
    expect(chooseNext(counter, [helped, vip()], 40 * MINUTE, bound, target)!.ticket).toBe(helped);
  });

  it('counts a pass-over when a counter calls a service it helps with over an older ticket of its own', () => {
    const own = ticket('general', 'regular', 0);
    const helped = ticket('payments', 'vip', 1000);
    expect(chooseNext(counter, [own, helped], 2000, bound, target)!.passedOver).toEqual([own]);
  });

  it('calls a ticket moved to the front before others of higher tier', () => {
    const vip = ticket('general', 'vip', 0);
    const moved = ticket('payments', 'regular', 1000, { front: true });
    const choice = chooseNext(counter, [vip, moved], 2000, bound, target)!;
    expect(choice.ticket).toBe(moved);
    expect(choice.explanation.rule).toBe('front');
  });
});

describe('routing policies to compare with', () => {
  const fifo: RoutingPolicy = { name: 'fifo-per-service' };
  const strict: RoutingPolicy = { name: 'strict-priority' };

  it('fifo-per-service: the oldest ticket of its own services, whatever the tier', () => {
    const helped = ticket('payments', 'regular', 0);
    const regular = ticket('general', 'regular', 500);
    const vip = ticket('general', 'vip', 1000);
    const choice = chooseNext(counter, [helped, vip, regular], 2000, fifo, target)!;
    expect(choice.ticket).toBe(regular);
    expect(choice.explanation.rule).toBe('own-service');
    expect(choice.explanation.en).toContain("this counter's own service first");
  });

  it('fifo-per-service: helps with the other services only when its own are empty', () => {
    const helped = ticket('payments', 'regular', 0);
    expect(chooseNext(counter, [helped], 1000, fifo, target)!.explanation.rule).toBe('longest-wait');
  });

  it('strict-priority: the highest tier across all of the counter’s services, then the longest wait', () => {
    const own = ticket('general', 'regular', 0);
    const helpedVip = ticket('payments', 'vip', 1000);
    const choice = chooseNext(counter, [own, helpedVip], 2000, strict, target)!;
    expect(choice.ticket).toBe(helpedVip);
    expect(choice.explanation.rule).toBe('tier');
    expect(choice.explanation.en).toContain('VIP customer first');
  });

  it('has no bound: neither passed over nor waiting long makes a ticket come first', () => {
    const old = ticket('general', 'regular', 0, { passedOver: 50 });
    const vip = ticket('general', 'vip', 99 * MINUTE);
    for (const policy of [fifo, strict]) {
      const picked = chooseNext(counter, [old, vip], 100 * MINUTE, policy, target)!;
      expect(picked.explanation.rule).not.toBe('overdue');
    }
    expect(chooseNext(counter, [old, vip], 100 * MINUTE, strict, target)!.ticket).toBe(vip);
  });

  it.each(ROUTING_POLICY_NAMES)('%s honours a ticket sent to the front', (name) => {
    const vip = ticket('general', 'vip', 0);
    const moved = ticket('payments', 'regular', 1000, { front: true });
    const choice = chooseNext(counter, [vip, moved], 2000, routingPolicy(name), target)!;
    expect(choice.ticket).toBe(moved);
    expect(choice.explanation.rule).toBe('front');
  });

  it('takes a hall configuration without a name as the hall’s rule', () => {
    expect(routingPolicy('hallq')).toEqual({ name: 'hallq', ...DEFAULT_ROUTING });
    const old = ticket('general', 'regular', 0, { passedOver: 3 });
    const own = ticket('general', 'vip', 1000);
    expect(chooseNext(counter, [old, own], 2000, { maxPassOvers: 3, maxWaitFactor: 2 }, target)!.ticket).toBe(
      old,
    );
  });

  it('keeps id and number on transfer, queues anew and drops the old pass-overs', () => {
    const t = ticket('general', 'regular', 0, { passedOver: 2 });
    const moved = transferTicket(t, 'payments', 5 * MINUTE);
    expect(moved).toEqual({ ...t, serviceId: 'payments', queuedAt: 5 * MINUTE, passedOver: 0, front: false });
    expect(transferTicket(t, 'payments', 5 * MINUTE, true).front).toBe(true);
  });
});

describe('routing invariants (property tests)', () => {
  const services = ['general', 'payments', 'vip', 'complaints'];
  const counters: RoutingCounter[] = [
    counter,
    {
      services: [
        { serviceId: 'vip', weight: 2 },
        { serviceId: 'general', weight: 1 },
      ],
      elderlyFirst: false,
    },
    { services: [{ serviceId: 'complaints', weight: 2 }], elderlyFirst: false },
    {
      services: [
        { serviceId: 'general', weight: 2 },
        { serviceId: 'payments', weight: 1 },
      ],
      elderlyFirst: true,
    },
  ];
  const arrival = fc.record({
    kind: fc.constant('arrive' as const),
    serviceId: fc.constantFrom(...services),
    tier: fc.constantFrom<Tier>('regular', 'vip', 'elderly', 'appointment'),
  });
  const step = fc.oneof(
    arrival,
    fc.record({
      kind: fc.constant('call' as const),
      counter: fc.integer({ min: 0, max: counters.length - 1 }),
    }),
  );

  it('never gives a counter a service it does not serve, and passes no ticket over more than the bound', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 300, size: 'max' }), (steps) => {
        let now = 0;
        let waiting: WaitingTicket[] = [];
        for (const s of steps) {
          now += 10_000; // every step 10 s: waits stay under the time bound, so the pass-over bound is what is tested
          if (s.kind === 'arrive') {
            waiting.push(ticket(s.serviceId, s.tier, now));
            continue;
          }
          const c = counters[s.counter]!;
          const choice = chooseNext(c, waiting, now, { maxPassOvers: 3, maxWaitFactor: 1000 }, target);
          if (!choice) {
            expect(waiting.some((t) => c.services.some((x) => x.serviceId === t.serviceId))).toBe(false);
            continue;
          }
          expect(c.services.map((x) => x.serviceId)).toContain(choice.ticket.serviceId);
          for (const t of choice.passedOver) {
            expect(t.passedOver).toBeLessThan(3); // it was not yet overdue, or routing would have called it
            t.passedOver++;
          }
          waiting = waiting.filter((t) => t !== choice.ticket);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('under every policy serves only a counter’s services, calls each ticket once, and a transfer keeps the number; hallq keeps both bounds', () => {
    const anyStep = fc.oneof(
      step,
      fc.record({
        kind: fc.constant('transfer' as const),
        serviceId: fc.constantFrom(...services),
        front: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(
        // The hall's rule also with its time bound alone, which the pass-over bound would otherwise mask.
        fc.constantFrom<RoutingPolicy>(...ROUTING_POLICY_NAMES.map(routingPolicy), {
          maxPassOvers: 1000,
          maxWaitFactor: 2,
        }),
        fc.array(anyStep, { maxLength: 300, size: 'max' }),
        fc.integer({ min: 1, max: 180 }),
        (policy, steps, secondsPerStep) => {
          const numberOf = new Map<string, string>();
          let now = 0;
          let waiting: WaitingTicket[] = [];
          let atCounter: WaitingTicket | null = null;
          for (const s of steps) {
            now += secondsPerStep * 1000;
            if (s.kind === 'arrive') {
              const t = ticket(s.serviceId, s.tier, now);
              numberOf.set(t.id, t.number);
              waiting.push(t);
            } else if (s.kind === 'transfer') {
              if (!atCounter) continue;
              const moved = transferTicket(atCounter, s.serviceId, now, s.front);
              expect([moved.id, moved.number]).toEqual([atCounter.id, numberOf.get(atCounter.id)]);
              waiting.push(moved);
              atCounter = null;
            } else {
              const c = counters[s.counter]!;
              const serves = (t: WaitingTicket) => c.services.some((x) => x.serviceId === t.serviceId);
              const choice = chooseNext(c, waiting, now, policy, target);
              if (!choice) {
                expect(waiting.some(serves)).toBe(false);
                continue;
              }
              expect(serves(choice.ticket)).toBe(true);
              expect(waiting).toContain(choice.ticket);
              const bound = 'maxPassOvers' in policy ? policy : null;
              const regular = choice.ticket.tier === 'regular' && !choice.ticket.front;
              if (bound && regular && choice.explanation.rule !== 'overdue') {
                // Only priority customers and tickets sent to the front go before an overdue ticket.
                const timeBound = bound.maxWaitFactor * target() * MINUTE;
                expect(waiting.filter(serves).every((t) => now - t.queuedAt < timeBound)).toBe(true);
              }
              for (const t of choice.passedOver) {
                if (bound) expect(t.passedOver).toBeLessThan(bound.maxPassOvers);
                t.passedOver++;
              }
              waiting = waiting.filter((t) => t !== choice.ticket);
              atCounter = choice.ticket;
            }
            expect(new Set(waiting.map((t) => t.number)).size).toBe(waiting.length);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('calls the ticket the documented rule ranks first, looking at each line’s first tickets only', () => {
    // The rule as documented, over every waiting ticket: the bound, then steps 1–5, then queue order.
    const weight = (c: RoutingCounter, t: WaitingTicket) =>
      c.services.find((s) => s.serviceId === t.serviceId)?.weight;
    const byQueue = (a: WaitingTicket, b: WaitingTicket) =>
      a.queuedAt - b.queuedAt || a.number.localeCompare(b.number);
    const documented = (
      c: RoutingCounter,
      waiting: WaitingTicket[],
      now: number,
      targetOf: (s: string) => number,
    ) => {
      const eligible = waiting.filter((t) => weight(c, t) !== undefined);
      // Calling t passes over m when m came first and t's counter weighs m's service at least as much,
      // or m is overdue; no one at the limit may be passed over again.
      const overdue = (m: WaitingTicket) =>
        now - m.queuedAt >= bound.maxWaitFactor * targetOf(m.serviceId) * MINUTE;
      const passesOver = (t: WaitingTicket, m: WaitingTicket) =>
        byQueue(m, t) < 0 && (weight(c, m)! >= weight(c, t)! || overdue(m));
      const atLimit = eligible.filter((t) => t.passedOver >= bound.maxPassOvers);
      const allowed = eligible.filter((t) => atLimit.every((m) => m === t || !passesOver(t, m)));
      const tierOrder: Tier[] = c.elderlyFirst
        ? ['elderly', 'vip', 'appointment', 'regular']
        : ['vip', 'elderly', 'appointment', 'regular'];
      const step = (t: WaitingTicket): [number, number] => {
        const targetMs = targetOf(t.serviceId) * MINUTE;
        const waited = now - t.queuedAt;
        if (t.front) return [1, 0];
        if (t.tier !== 'regular') return [2, tierOrder.indexOf(t.tier)];
        if (waited >= bound.maxWaitFactor * targetMs) return [3, 0];
        const aboutToMiss = waited < targetMs && 3 * (targetMs - waited) <= targetMs; // its last third
        return [aboutToMiss ? 4 : 5, t.queuedAt + targetMs];
      };
      return allowed.sort((a, b) => {
        const [sa, ka] = step(a);
        const [sb, kb] = step(b);
        return sa - sb || ka - kb || byQueue(a, b);
      })[0];
    };
    // More arrivals than calls, so that lines grow and their first tickets fall past their target.
    const anyStep = fc.oneof(
      { arbitrary: step, weight: 4 },
      { arbitrary: arrival, weight: 2 },
      {
        arbitrary: fc.record({
          kind: fc.constant('front' as const),
          serviceId: fc.constantFrom(...services),
        }),
        weight: 1,
      },
    );
    fc.assert(
      fc.property(
        fc.array(anyStep, { maxLength: 300, size: 'max' }),
        fc.integer({ min: 5, max: 240 }),
        (steps, secondsPerStep) => {
          let now = 0;
          let waiting: WaitingTicket[] = [];
          const targetOf = (s: string) => (s === 'payments' ? 5 : 10);
          for (const s of steps) {
            now += secondsPerStep * 1000;
            if (s.kind !== 'call') {
              const tier = s.kind === 'arrive' ? s.tier : 'regular';
              waiting.push(ticket(s.serviceId, tier, now, { front: s.kind === 'front' }));
              continue;
            }
            const c = counters[s.counter]!;
            const choice = decideNext(c, waiting, now, bound, targetOf);
            expect(choice?.ticket).toBe(documented(c, waiting, now, targetOf));
            if (!choice) continue;
            for (const t of choice.passedOver) t.passedOver++;
            waiting = waiting.filter((t) => t !== choice.ticket);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('decides the same without the words: decideNext is chooseNext less its explanation', () => {
    const waiting = [
      ticket('payments', 'elderly', 0),
      ticket('general', 'regular', 1),
      ticket('general', 'vip', 2),
    ];
    for (const name of ROUTING_POLICY_NAMES) {
      const { explanation, ...decision } = chooseNext(counter, waiting, 10, routingPolicy(name), target)!;
      expect(decideNext(counter, waiting, 10, routingPolicy(name), target)).toEqual(decision);
      expect(explanation.rule).toBe(decision.rule);
    }
  });

  it('never holds a regular ticket past the bound under a steady stream of VIP tickets', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 5 }), (bound, vipsPerCall) => {
        const regular = ticket('general', 'regular', 0);
        let waiting: WaitingTicket[] = [regular];
        let now = 0;
        for (let call = 1; call <= 50; call++) {
          for (let v = 0; v < vipsPerCall; v++) waiting.push(ticket('general', 'vip', ++now));
          const choice = chooseNext(
            counter,
            waiting,
            ++now,
            { maxPassOvers: bound, maxWaitFactor: 1000 },
            target,
          )!;
          for (const t of choice.passedOver) t.passedOver++;
          waiting = waiting.filter((t) => t !== choice.ticket);
          if (choice.ticket === regular) {
            expect(call).toBeLessThanOrEqual(bound + 1);
            return;
          }
        }
        throw new Error('the regular ticket was never called');
      }),
    );
  });
});
