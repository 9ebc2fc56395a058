import { describe, expect, it } from 'vitest';
import { Random, seedOf } from './random.ts';

describe('seeded random source', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const draw = (seed: number) => {
      const random = new Random(seed);
      return Array.from({ length: 5 }, () => random.next());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    for (const x of draw(1)) expect(x).toSatisfy((v: number) => v >= 0 && v < 1);
  });

  it('draws with the right centre: exponential mean 1, lognormal median as given, chance as given', () => {
    const random = new Random(42);
    const n = 20_000;
    let exp = 0;
    let chance = 0;
    const logs: number[] = [];
    for (let i = 0; i < n; i++) {
      exp += random.exponential();
      if (random.chance(0.3)) chance++;
      logs.push(random.lognormal(7, 0.5));
    }
    logs.sort((a, b) => a - b);
    expect(exp / n).toBeCloseTo(1, 1);
    expect(chance / n).toBeCloseTo(0.3, 1);
    expect(logs[n / 2]!).toBeCloseTo(7, 0);
  });

  it('picks keys in proportion to their weights', () => {
    const random = new Random(3);
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 10_000; i++)
      counts[
        random.pick<'a' | 'b'>([
          ['a', 1],
          ['b', 3],
        ])
      ]++;
    expect(counts.b / 10_000).toBeCloseTo(0.75, 1);
  });

  it('mixes seeds so that nearby parts give unrelated streams', () => {
    expect(seedOf(7, 1)).not.toBe(seedOf(7, 2));
    expect(seedOf(7, 1)).not.toBe(seedOf(1, 7));
    expect(seedOf(7, 1)).toBe(seedOf(7, 1));
  });
});
