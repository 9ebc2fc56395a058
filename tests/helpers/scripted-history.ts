import { expect } from 'vitest';
import type { MinuteFigures, RatingInput, ServqualDimension } from '../../server/contract/api.ts';
import { MINUTE } from '../../server/domain/clock.ts';
import { ok, staff1, staff2, testHall } from './test-hall.ts';

/**
 * A scripted history across hall days, weeks and months, with tickets late on 25 November and early on
 * 26 November in Shanghai — one UTC day, two hall days. The test keeps its own record of every ticket
 * and works the true figures out from it, independently of the statistics code.
 */
export type Scripted = {
  day: string;
  weekday: number;
  hour: number;
  serviceId: string;
  counterId: string | null;
  staffId: string | null;
  outcome: 'done' | 'no-show' | 'cancelled';
  wait: number | null;
  service: number | null;
  rating: { score: number; dimensions: Partial<Record<ServqualDimension, number>> } | null;
};

const SHANGHAI = 8 * 60 * MINUTE; // no daylight saving time
const BLOCKS: [start: string, tickets: number][] = [
  ['2026-11-25T09:00', 5],
  ['2026-11-25T22:30', 2], // ends before local midnight …
  ['2026-11-26T00:00', 3], // … and this starts after it, the same UTC day (16:00Z on the 25th)
  ['2026-11-26T14:00', 3],
  ['2026-11-30T10:00', 4],
  ['2026-12-01T09:00', 4],
];
const WAITS = [2, 5, 9, 14, 16, 22, 31, 15, 7];
const SERVICES = [3, 6, 8, 4, 5];

export function scriptedHistory() {
  const t = testHall({ start: Date.parse('2026-11-25T00:30:00Z') });
  const { hall, clock } = t;
  ok(hall.openCounter('1', staff1));
  ok(hall.openCounter('2', staff2));
  const record: Scripted[] = [];
  let i = 0;
  for (const [start, count] of BLOCKS) {
    for (let k = 0; k < count; k++, i++) {
      const issueAt = Date.parse(`${start}:00Z`) - SHANGHAI + k * 45 * MINUTE;
      const local = new Date(issueAt + SHANGHAI);
      const serviceId = i % 3 === 0 ? 'payments' : 'general';
      const outcome = i % 7 === 3 ? 'no-show' : i % 7 === 5 ? 'cancelled' : 'done';
      const [counterId, staff] = i % 2 === 0 ? (['1', staff1] as const) : (['2', staff2] as const);
      const wait = WAITS[i % WAITS.length]!;
      const service = SERVICES[i % SERVICES.length]!;
      const score = (i % 5) + 1;
      const rating: RatingInput | undefined =
        outcome !== 'done' || i % 3 === 0
          ? undefined
          : i % 3 === 1
            ? score
            : { score, dimensions: { reliability: score, empathy: Math.max(1, score - 1) } };
      clock.set(issueAt);
      const ticket = ok(hall.issueTicket({ serviceId, channel: 'reception' }));
      if (outcome === 'cancelled') ok(hall.cancelTicket(ticket.id));
      else {
        clock.set(issueAt + wait * MINUTE);
        expect(ok(hall.callNext(counterId, staff))?.ticket.id).toBe(ticket.id);
        if (outcome === 'no-show') ok(hall.noShow(counterId, staff));
        else {
          ok(hall.start(counterId, staff));
          clock.advance(service * MINUTE);
          ok(hall.finish(counterId, staff, rating));
        }
      }
      record.push({
        day: local.toISOString().slice(0, 10),
        weekday: (local.getUTCDay() + 6) % 7,
        hour: local.getUTCHours(),
        serviceId,
        counterId: outcome === 'cancelled' ? null : counterId,
        staffId: outcome === 'cancelled' ? null : staff.id,
        outcome,
        wait: outcome === 'cancelled' ? null : wait,
        service: outcome === 'done' ? service : null,
        rating:
          rating === undefined
            ? null
            : typeof rating === 'number'
              ? { score: rating, dimensions: {} }
              : { score: rating.score, dimensions: rating.dimensions ?? {} },
      });
    }
  }
  return { ...t, record };
}

// ---------- the true figures, worked out here from the record ----------

const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;

function minutes(values: number[]): MinuteFigures {
  if (values.length === 0) return { avg: null, p50: null, p90: null };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
  return { avg: round(sorted.reduce((a, b) => a + b, 0) / sorted.length, 1), p50: rank(50), p90: rank(90) };
}

export function figures(list: Scripted[]) {
  const waits = list.flatMap((t) => (t.wait === null ? [] : [t.wait]));
  return {
    tickets: list.length,
    served: list.filter((t) => t.outcome === 'done').length,
    noShows: list.filter((t) => t.outcome === 'no-show').length,
    cancelled: list.filter((t) => t.outcome === 'cancelled').length,
    waitMinutes: minutes(waits),
    serviceMinutes: minutes(list.flatMap((t) => (t.service === null ? [] : [t.service]))),
    withinTargetPct:
      waits.length === 0 ? null : round((100 * waits.filter((w) => w <= 15).length) / waits.length, 1),
  };
}

export function ratings(list: Scripted[]) {
  const rated = list.flatMap((t) => (t.rating ? [t.rating] : []));
  const avg = (xs: number[]) =>
    xs.length === 0 ? null : round(xs.reduce((a, b) => a + b, 0) / xs.length, 2);
  const dim = (d: ServqualDimension) => {
    const xs = rated.flatMap((r) => (r.dimensions[d] === undefined ? [] : [r.dimensions[d]!]));
    return { count: xs.length, avg: avg(xs) };
  };
  return {
    count: rated.length,
    avg: avg(rated.map((r) => r.score)),
    dimensions: {
      reliability: dim('reliability'),
      responsiveness: dim('responsiveness'),
      assurance: dim('assurance'),
      empathy: dim('empathy'),
      tangibles: dim('tangibles'),
    },
  };
}

export const days = (from: string, to: string) => {
  const out: string[] = [];
  for (let d = Date.parse(from); d <= Date.parse(to); d += 86_400_000)
    out.push(new Date(d).toISOString().slice(0, 10));
  return out;
};
