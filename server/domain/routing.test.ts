import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Tier } from '../contract/api.ts';
import { MINUTE } from './clock.ts';
import { DEFAULT_ROUTING, type RoutingCounter, type WaitingTicket, chooseNext } from './routing.ts';

const target = () => 15;
const counter: RoutingCounter = {
  services: [
    { serviceId: 'general', weight: 2 },
    { serviceId: 'payments', weight: 1 },
  ],
  elderlyFirst: false,
};

let seq = 0;
function ticket(serviceId: string, tier: Tier, queuedAt: number, extra: Partial<WaitingTicket> = {}): WaitingTicket {
  seq++;
  return { id: `t${seq}`, number: `X${String(seq).padStart(3, '0')}`, serviceId, tier, queuedAt, passedOver: 0, front: false, ...extra };
}

describe('routing', () => {
  it('calls nothing when no waiting ticket is for a service of this counter', () => {
    expect(chooseNext(counter, [ticket('vip', 'vip', 0)], 0, DEFAULT_ROUTING, target)).toBeNull();
  });

  it('calls the longest-waiting ticket when all are alike, and says so', () => {
    const a = ticket('general', 'regular', 0);
    const b = ticket('general', 'regular', 1000);
    const choice = chooseNext(counter, [b, a], 2 * MINUTE, DEFAULT_ROUTING, target)!;
    expect(choice.ticket).toBe(a);
    expect(choice.explanation.rule).toBe('longest-wait');
    expect(choice.explanation.en).toContain('waited 2 min');
  });

  it('calls a VIP before an earlier regular ticket of the same service and names who it passed over', () => {
    const regular = ticket('general', 'regular', 0);
    const vip = ticket('general', 'vip', 1000);
    const choice = chooseNext(counter, [regular, vip], 2000, DEFAULT_ROUTING, target)!;
    expect(choice.ticket).toBe(vip);
    expect(choice.explanation.rule).toBe('tier');
    expect(choice.explanation.passedOver).toEqual([regular.number]);
    expect(choice.passedOver).toEqual([regular]);
  });

  it('ranks vip, then elderly, then appointment, then regular', () => {
    const tickets = (['regular', 'appointment', 'elderly', 'vip'] as const).map((t, i) => ticket('general', t, i));
    const order: Tier[] = [];
    let left = tickets;
    while (left.length) {
      const c = chooseNext(counter, left, 10, DEFAULT_ROUTING, target)!;
      order.push(c.ticket.tier);
      left = left.filter((t) => t !== c.ticket);
    }
    expect(order).toEqual(['vip', 'elderly', 'appointment', 'regular']);
  });

  it('puts elderly first at an elderly-first counter (爱心窗口)', () => {
    const vip = ticket('general', 'vip', 0);
    const elderly = ticket('general', 'elderly', 1000);
    expect(chooseNext({ ...counter, elderlyFirst: true }, [vip, elderly], 2000, DEFAULT_ROUTING, target)!.ticket).toBe(elderly);
  });

  it('serves its own service before one it helps with, even an earlier ticket there', () => {
    const helped = ticket('payments', 'vip', 0);
    const own = ticket('general', 'regular', 1000);
    const choice = chooseNext(counter, [helped, own], 2000, DEFAULT_ROUTING, target)!;
    expect(choice.ticket).toBe(own);
    expect(choice.explanation.rule).toBe('own-service');
  });

  it('calls an overdue ticket first: passed over to the limit', () => {
    const old = ticket('payments', 'regular', 0, { passedOver: DEFAULT_ROUTING.maxPassOvers });
    const vip = ticket('general', 'vip', 1000);
    const choice = chooseNext(counter, [vip, old], 2000, DEFAULT_ROUTING, target)!;
    expect(choice.ticket).toBe(old);
    expect(choice.explanation.rule).toBe('overdue');
  });

  it('calls an overdue ticket first: waited past the factor × target', () => {
    const old = ticket('payments', 'regular', 0);
    const vip = ticket('general', 'vip', 29 * MINUTE);
    expect(chooseNext(counter, [vip, old], 30 * MINUTE, DEFAULT_ROUTING, target)!.ticket).toBe(old);
    expect(chooseNext(counter, [vip, old], 29 * MINUTE, DEFAULT_ROUTING, target)!.ticket).toBe(vip);
  });

  it('calls a ticket moved to the front before others of higher tier', () => {
    const vip = ticket('general', 'vip', 0);
    const moved = ticket('payments', 'regular', 1000, { front: true });
    const choice = chooseNext(counter, [vip, moved], 2000, DEFAULT_ROUTING, target)!;
    expect(choice.ticket).toBe(moved);
    expect(choice.explanation.rule).toBe('front');
  });
});

describe('routing invariants (property tests)', () => {
  const services = ['general', 'payments', 'vip', 'complaints'];
  const counters: RoutingCounter[] = [
    counter,
    { services: [{ serviceId: 'vip', weight: 2 }, { serviceId: 'general', weight: 1 }], elderlyFirst: false },
    { services: [{ serviceId: 'complaints', weight: 2 }], elderlyFirst: false },
    { services: [{ serviceId: 'general', weight: 2 }, { serviceId: 'payments', weight: 1 }], elderlyFirst: true },
  ];
  const step = fc.oneof(
    fc.record({
      kind: fc.constant('arrive' as const),
      serviceId: fc.constantFrom(...services),
      tier: fc.constantFrom<Tier>('regular', 'vip', 'elderly', 'appointment'),
    }),
    fc.record({ kind: fc.constant('call' as const), counter: fc.integer({ min: 0, max: counters.length - 1 }) }),
  );

  it('never gives a counter a service it does not serve, and passes no ticket over more than the bound', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 300 }), (steps) => {
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

  it('never holds a regular ticket past the bound under a steady stream of VIP tickets', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 5 }), (bound, vipsPerCall) => {
        const regular = ticket('general', 'regular', 0);
        let waiting: WaitingTicket[] = [regular];
        let now = 0;
        for (let call = 1; call <= 50; call++) {
          for (let v = 0; v < vipsPerCall; v++) waiting.push(ticket('general', 'vip', ++now));
          const choice = chooseNext(counter, waiting, ++now, { maxPassOvers: bound, maxWaitFactor: 1000 }, target)!;
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
