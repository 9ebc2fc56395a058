import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GroupAccumulator, type StatTicket } from '../../server/domain/stats.ts';
import { decodeTotals, encodeTotals, TotalsSum } from './totals.ts';

const wholeMs = (max: number) => fc.integer({ min: 0, max }).map((ms) => ms / 60_000);
const ticket: fc.Arbitrary<StatTicket> = fc.record({
  status: fc.constantFrom('waiting', 'called', 'serving', 'done', 'no-show', 'cancelled'),
  unservedAtClosing: fc.boolean(),
  // A clock set back between issue and call makes a negative wait: the adder's sparse side counts it.
  waitMinutes: fc.option(
    fc.oneof(
      wholeMs(4 * 3_600_000),
      fc.integer({ min: -600_000, max: -1 }).map((ms) => ms / 60_000),
    ),
  ),
  serviceMinutes: fc.option(wholeMs(3_600_000)),
  waitTargetMinutes: fc.constantFrom(10, 15, 20),
  rating: fc.option(fc.record({ score: fc.integer({ min: 1, max: 5 }), dimensions: fc.constant({}) })),
});

const sortedHistogram = (h: number[]) => {
  const pairs: [number, number][] = [];
  for (let i = 2; i + 1 < h.length; i += 2) pairs.push([h[i]!, h[i + 1]!]);
  return [h[0], Math.round(h[1]! * 60_000), ...pairs.sort((a, b) => a[0] - b[0]).flat()];
};

describe('rollup totals in their compact form', () => {
  it('decode to what was encoded', () => {
    fc.assert(
      fc.property(fc.array(ticket, { maxLength: 60 }), (tickets) => {
        const g = new GroupAccumulator();
        for (const t of tickets) g.add(t);
        const totals = g.totals();
        const back = decodeTotals(encodeTotals(totals));
        const { waits, services, ...counts } = totals;
        expect(back).toMatchObject(counts);
        expect(sortedHistogram(back.waits)).toEqual(sortedHistogram(waits));
        expect(sortedHistogram(back.services)).toEqual(sortedHistogram(services));
      }),
    );
  });

  it('add up to the figures of all the tickets together, whatever the grouping', () => {
    fc.assert(
      fc.property(fc.array(fc.array(ticket, { maxLength: 25 }), { minLength: 1, maxLength: 8 }), (groups) => {
        const whole = new GroupAccumulator();
        const sum = new TotalsSum();
        for (const group of groups) {
          const g = new GroupAccumulator();
          for (const t of group) {
            g.add(t);
            whole.add(t);
          }
          sum.add(encodeTotals(g.totals()));
        }
        // Its own reading of the dense counts gives the hall's accumulator's figures.
        expect(sum.figures('x')).toEqual(whole.figures('x'));
        expect(sum.ratingAvg()).toBe(whole.ratings.figures('x').avg);
        expect(sum.unservedAtClosing).toBe(whole.unservedAtClosing);
        const merged = new GroupAccumulator();
        merged.mergeTotals(sum.totals());
        expect(merged.figures('x')).toEqual(whole.figures('x'));
        // A group taken away again leaves exactly the others (running totals of days rely on it).
        const [first, ...rest] = groups;
        const encodedFirst = (() => {
          const g = new GroupAccumulator();
          for (const t of first!) g.add(t);
          return encodeTotals(g.totals());
        })();
        sum.add(encodedFirst, -1);
        const others = new GroupAccumulator();
        for (const t of rest.flat()) others.add(t);
        expect(sum.figures('x')).toEqual(others.figures('x'));
        expect(decodeTotals(sum.encoded())).toMatchObject({ tickets: others.tickets });
        sum.reset();
        expect(sum.figures('x')).toEqual(new GroupAccumulator().figures('x'));
      }),
    );
  });
});
