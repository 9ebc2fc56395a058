/**
 * The hall's rollup figures (GroupTotals of server/domain/stats.ts) in a compact binary form for HQ's
 * rollup tables, and a fast adder of many of them. Whatever HQ shows is made by the hall's own
 * GroupAccumulator from the added totals, so its figures are the hall's figures.
 *
 * Form: varints — tickets, served, noShows, cancelled, unservedAtClosing, withinTarget; then each minute
 * histogram (waits, services) as count, sum in milliseconds (zigzag), entries, then (tenth delta
 * zigzag, n) per entry in ascending tenths; then the ratings' cells.
 */

import type { MinuteFigures, SummaryGroup } from '../../server/contract/api.ts';
import {
  type GroupTotals,
  groupFigures,
  minuteFiguresOf,
  RatingAccumulator,
} from '../../server/domain/stats.ts';

const MINUTE_MS = 60_000;

class Writer {
  private bytes: number[] = [];
  uint(n: number): void {
    let v = n;
    while (v >= 0x80) {
      this.bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.bytes.push(v);
  }
  int(n: number): void {
    this.uint(n < 0 ? -2 * n - 1 : 2 * n);
  }
  done(): Buffer {
    return Buffer.from(this.bytes);
  }
}

class Reader {
  private at = 0;
  constructor(private buf: Uint8Array) {}
  uint(): number {
    // Most values (counts, tenth steps) fit in one byte.
    const first = this.buf[this.at++]!;
    if (first < 0x80) return first;
    let value = first & 0x7f;
    let scale = 0x80;
    for (;;) {
      const b = this.buf[this.at++]!;
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 0x80;
    }
  }
  int(): number {
    const z = this.uint();
    return z % 2 === 1 ? -(z + 1) / 2 : z / 2;
  }
}

const SCALARS = ['tickets', 'served', 'noShows', 'cancelled', 'unservedAtClosing', 'withinTarget'] as const;

function writeHistogram(w: Writer, stored: readonly number[]): void {
  const count = stored[0] ?? 0;
  w.uint(count);
  w.int(Math.round((stored[1] ?? 0) * MINUTE_MS));
  const entries: [number, number][] = [];
  for (let i = 2; i + 1 < stored.length; i += 2) entries.push([stored[i]!, stored[i + 1]!]);
  entries.sort((a, b) => a[0] - b[0]);
  w.uint(entries.length);
  let previous = 0;
  for (const [tenth, n] of entries) {
    w.int(tenth - previous);
    w.uint(n);
    previous = tenth;
  }
}

export function encodeTotals(t: GroupTotals): Buffer {
  const w = new Writer();
  for (const k of SCALARS) w.uint(t[k]);
  writeHistogram(w, t.waits);
  writeHistogram(w, t.services);
  const ratings = t.ratings ?? [];
  w.uint(ratings.length);
  for (const r of ratings) w.uint(r);
  return w.done();
}

/**
 * Adds encoded totals together: counts and rating cells as sums, histograms in dense arrays of tenths
 * (a wait of up to 27 hours) with a map beside them for anything outside. `reset` makes it ready for
 * the next group without reallocating.
 */
export class TotalsSum {
  private scalars = new Array<number>(SCALARS.length).fill(0);
  private hist = [new Histogram(), new Histogram()] as const;
  private ratings: number[] = [];
  added = 0;

  /** `sign` −1 takes a group away again (exact: every figure is an integer count or sum). */
  add(encoded: Uint8Array, sign: 1 | -1 = 1): void {
    const r = new Reader(encoded);
    for (let i = 0; i < SCALARS.length; i++) this.scalars[i]! += sign * r.uint();
    for (const h of this.hist) h.read(r, sign);
    const n = r.uint();
    for (let i = 0; i < n; i++) this.ratings[i] = (this.ratings[i] ?? 0) + sign * r.uint();
    this.added++;
  }

  /** The sum in the compact form, to be stored. */
  encoded(): Buffer {
    return encodeTotals(this.totals());
  }

  totals(): GroupTotals {
    const [tickets, served, noShows, cancelled, unservedAtClosing, withinTarget] = this.scalars as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    return {
      ...{ tickets, served, noShows, cancelled, unservedAtClosing, withinTarget },
      waits: this.hist[0].stored(),
      services: this.hist[1].stored(),
      ratings: [...this.ratings],
    };
  }

  /**
   * The figures of everything added, by the hall's own rules (groupFigures, minuteFiguresOf) read
   * straight off the dense counts: a ranking of two thousand halls builds no accumulator per hall.
   */
  figures(key: string): SummaryGroup {
    const [tickets, served, noShows, cancelled, , withinTarget] = this.scalars as number[];
    const [waits, services] = this.hist;
    return groupFigures(
      key,
      {
        tickets: tickets!,
        served: served!,
        noShows: noShows!,
        cancelled: cancelled!,
        withinTarget: withinTarget!,
      },
      waits.figures(),
      waits.count,
      services.figures(),
    );
  }

  get unservedAtClosing(): number {
    return this.scalars[4]!;
  }

  /** Tickets called (those with a wait). */
  get called(): number {
    return this.hist[0].count;
  }

  /** The mean 1–5 rating, by the hall's RatingAccumulator. */
  ratingAvg(): number | null {
    const r = new RatingAccumulator();
    r.mergeStored(this.ratings);
    return r.figures('').avg;
  }

  reset(): void {
    this.scalars.fill(0);
    for (const h of this.hist) h.reset();
    this.ratings = [];
    this.added = 0;
  }
}

const DENSE = 16_384;

class Histogram {
  private dense = new Int32Array(DENSE);
  /** Tenths written in `dense` since the last reset, each once. */
  private marked = new Uint8Array(DENSE);
  private touched: number[] = [];
  private sparse = new Map<number, number>();
  count = 0;
  private sumMs = 0;

  read(r: Reader, sign: 1 | -1): void {
    this.count += sign * r.uint();
    this.sumMs += sign * r.int();
    const entries = r.uint();
    let tenth = 0;
    for (let i = 0; i < entries; i++) {
      tenth += r.int();
      const n = sign * r.uint();
      if (tenth >= 0 && tenth < DENSE) {
        if (this.marked[tenth] === 0) {
          this.marked[tenth] = 1;
          this.touched.push(tenth);
        }
        this.dense[tenth]! += n;
      } else this.sparse.set(tenth, (this.sparse.get(tenth) ?? 0) + n);
    }
  }

  /** The tenths with a count, ascending, and their counts. */
  private entries(): { tenths: number[]; counts: number[] } {
    const tenths: number[] = [];
    const counts: number[] = [];
    for (const t of Int32Array.from(this.touched).sort())
      if (this.dense[t] !== 0) {
        tenths.push(t);
        counts.push(this.dense[t]!);
      }
    if (this.sparse.size === 0) return { tenths, counts };
    // Far outside the dense range (a wait over a day, a clock gone backwards): rare, merged in order.
    const all = tenths.map((t, i): [number, number] => [t, counts[i]!]);
    for (const [t, n] of this.sparse) if (n !== 0) all.push([t, n]);
    all.sort((a, b) => a[0] - b[0]);
    return { tenths: all.map((e) => e[0]), counts: all.map((e) => e[1]) };
  }

  figures(): MinuteFigures {
    const { tenths, counts } = this.entries();
    return minuteFiguresOf(this.count, this.sumMs, tenths, counts);
  }

  /** The stored form of MinuteHistogram: [count, sum of minutes, tenth, n, …], ascending, no empty tenths. */
  stored(): number[] {
    const { tenths, counts } = this.entries();
    const out = [this.count, this.sumMs / MINUTE_MS];
    for (let i = 0; i < tenths.length; i++) out.push(tenths[i]!, counts[i]!);
    return out;
  }

  reset(): void {
    for (const t of this.touched) {
      this.dense[t] = 0;
      this.marked[t] = 0;
    }
    this.touched = [];
    this.sparse.clear();
    this.count = 0;
    this.sumMs = 0;
  }
}

/** Decodes one encoded totals as it is (no adding, so none of TotalsSum's arrays): a single group. */
export function decodeTotals(encoded: Uint8Array): GroupTotals {
  const r = new Reader(encoded);
  const [tickets, served, noShows, cancelled, unservedAtClosing, withinTarget] = SCALARS.map(() =>
    r.uint(),
  ) as [number, number, number, number, number, number];
  const histogram = () => {
    const out = [r.uint(), r.int() / MINUTE_MS];
    const entries = r.uint();
    let tenth = 0;
    for (let i = 0; i < entries; i++) {
      tenth += r.int();
      out.push(tenth, r.uint());
    }
    return out;
  };
  const waits = histogram();
  const services = histogram();
  const ratings = Array.from({ length: r.uint() }, () => r.uint());
  return { tickets, served, noShows, cancelled, unservedAtClosing, withinTarget, waits, services, ratings };
}
