/**
 * A seeded random source: the hall simulator and the ETA's forward runs must be reproducible, so nothing
 * here touches Math.random. The generator is mulberry32 (32-bit state, period 2^32), plenty for a
 * simulation that draws a few million numbers.
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Exponential with mean 1: the gaps of a Poisson process of rate 1. */
  exponential(): number {
    return -Math.log(1 - this.next());
  }

  /** Standard normal (Box–Muller; the second value is dropped to keep the stream simple). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Lognormal given its median and the standard deviation of its logarithm. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** One of the keys, with probability proportional to its weight. */
  pick<K>(weighted: readonly (readonly [K, number])[]): K {
    let total = 0;
    for (const [, w] of weighted) total += w;
    let x = this.next() * total;
    for (const [k, w] of weighted) {
      x -= w;
      if (x < 0) return k;
    }
    return weighted[weighted.length - 1]![0];
  }
}

/** Mixes numbers into one 32-bit seed, so sub-streams (a day, a prediction) are independent of each other. */
export function seedOf(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193);
    h ^= h >>> 13;
    h = Math.imul(h, 0x5bd1e995);
    h ^= h >>> 15;
  }
  return h >>> 0;
}
