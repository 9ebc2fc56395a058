import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { staff1, staff2, testHall } from '../../tests/helpers/test-hall.ts';
import { DEMO_HALL } from '../config.ts';
import type { DateRange } from '../contract/api.ts';
import type { Period } from '../contract/manager.ts';
import { ManualClock, MINUTE } from '../domain/clock.ts';
import { addDays } from '../domain/hall-time.ts';
import { weekdayOf } from '../domain/stats.ts';
import { createStats } from './stats.ts';

/**
 * The rollup path (closed days from day rollups, whole months from month rollups, live days ticket by
 * ticket) against the plain path (every ticket row read), on random ticket rows: the answers must be
 * the same, to the last digit, over random ranges — ranges that take in today, months with a day still
 * open (so only partly closed), months wholly closed, and ranges that cut months in two.
 */

/** The days tickets fall on: from the middle of August to today, over four month boundaries. */
const FIRST_DAY = '2026-08-20';
const TODAY = '2026-12-02';
const SPAN = 104; // days from FIRST_DAY to TODAY
const OPEN = ['waiting', 'called', 'serving'] as const;
const CLOSED = ['done', 'done', 'done', 'no-show', 'cancelled'] as const;
const SERVICES = ['general', 'payments', 'devices', 'vip'];

const ticket = fc.record({
  day: fc.integer({ min: 0, max: SPAN }),
  hour: fc.integer({ min: 8, max: 20 }),
  minute: fc.integer({ min: 0, max: 59 }),
  service: fc.constantFrom(...SERVICES),
  counter: fc.constantFrom('1', '2', '3'),
  /** Milliseconds, so waits and services fall on and between tenths of a minute. */
  waitMs: fc.integer({ min: 0, max: 90 * MINUTE }),
  serviceMs: fc.integer({ min: 0, max: 40 * MINUTE }),
  outcome: fc.constantFrom(...CLOSED, 'closing' as const),
  rating: fc.option(
    fc.record({
      score: fc.integer({ min: 1, max: 5 }),
      reliability: fc.option(fc.integer({ min: 1, max: 5 })),
    }),
  ),
});
type Ticket = typeof ticket extends fc.Arbitrary<infer T> ? T : never;

const range = fc.tuple(fc.integer({ min: 0, max: SPAN }), fc.integer({ min: 0, max: SPAN })).map(
  ([a, b]): DateRange => ({
    from: addDays(FIRST_DAY, Math.min(a, b)),
    to: addDays(FIRST_DAY, Math.max(a, b)),
  }),
);

function hallWith(tickets: Ticket[], openDays: number[]) {
  const t = testHall();
  const insert = t.db.prepare(
    `INSERT INTO tickets(id, day, hour, weekday, number, service_id, issued_service_id, tier, channel, status,
       issued_at, queued_at, first_called_at, called_at, serving_at, finished_at, counter_id, staff_id, end_reason,
       rating, rating_dimensions)
     VALUES (@id, @day, @hour, @weekday, @number, @service, @service, 'regular', 'reception', @status, @issuedAt,
       @issuedAt, @calledAt, @calledAt, @servingAt, @finishedAt, @counter, @staff, @endReason, @rating, @dimensions)`,
  );
  const row = (x: Ticket, i: number, status: string) => {
    const day = addDays(FIRST_DAY, x.day);
    const issuedAt = Date.parse(`${day}T${String(x.hour).padStart(2, '0')}:00:00+08:00`) + x.minute * MINUTE;
    const called = status !== 'waiting' && !(status === 'cancelled');
    const calledAt = called ? issuedAt + x.waitMs : null;
    const served = status === 'done' || status === 'serving';
    const servingAt = served && calledAt !== null ? calledAt + 30_000 : null;
    const finishedAt =
      status === 'done'
        ? servingAt! + x.serviceMs
        : status === 'no-show'
          ? calledAt! + 2 * MINUTE
          : status === 'cancelled'
            ? issuedAt + x.waitMs
            : null;
    const rated = status === 'done' && x.rating;
    return {
      id: `t${i}`,
      day,
      hour: x.hour,
      weekday: weekdayOf(day),
      number: `A${i}`,
      service: x.service,
      status,
      issuedAt,
      calledAt,
      servingAt,
      finishedAt,
      counter: calledAt === null ? null : x.counter,
      staff: calledAt === null ? null : x.counter === '1' ? staff1.id : staff2.id,
      endReason: status === 'cancelled' ? (x.outcome === 'closing' ? 'closing' : 'holder') : null,
      rating: rated ? x.rating!.score : null,
      dimensions:
        rated && x.rating!.reliability !== null
          ? JSON.stringify({ reliability: x.rating!.reliability })
          : null,
    };
  };
  t.db.transaction(() => {
    tickets.forEach((x, i) => {
      // A day still open keeps some tickets open: it is read live, and its month is not closed.
      const open = openDays.includes(x.day) && x.minute % 2 === 0;
      const status = open ? OPEN[i % OPEN.length]! : x.outcome === 'closing' ? 'cancelled' : x.outcome;
      insert.run(row(x, i, status));
    });
  })();
  return t.db;
}

const local = (day: string, time: string) => Date.parse(`${day}T${time}:00+08:00`);

describe('statistics from rollups', () => {
  it('answer exactly as the ticket rows do, over random tickets and ranges', () => {
    fc.assert(
      fc.property(
        fc.array(ticket, { minLength: 1, maxLength: 250 }),
        fc.array(fc.integer({ min: 0, max: SPAN - 1 }), { maxLength: 3 }),
        fc.array(range, { minLength: 1, maxLength: 4 }),
        fc.constantFrom<Period>('day', 'week', 'month'),
        (tickets, openDays, ranges, by) => {
          const db = hallWith(tickets, openDays);
          const ask = (stats: ReturnType<typeof createStats>, r: DateRange) => ({
            summary: stats.summary(r),
            breakdown: stats.breakdown(r),
            series: stats.series(r, by),
            staffing: stats.staffing(r),
          });
          // The plain path: a hall whose today comes before every ticket rolls nothing up.
          const plain = createStats(db, DEMO_HALL, new ManualClock(local('2026-01-01', '10:00')));
          const expected = ranges.map((r) => ask(plain, r));
          expect(db.prepare('SELECT COUNT(*) AS n FROM day_rollups').get()).toEqual({ n: 0 });

          const rolled = createStats(db, DEMO_HALL, new ManualClock(local(TODAY, '15:00')));
          // Closed days and months rolled up as a running hall does, then the same questions.
          rolled.rollUp({ from: '2000-01-01', to: '2099-12-31' });
          ranges.forEach((r, i) => {
            expect(ask(rolled, r), `${r.from} … ${r.to}`).toEqual(expected[i]);
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the random histories take in rolled-up months, open days and today', () => {
    const db = hallWith(
      Array.from({ length: SPAN + 1 }, (_, day) => ({
        day,
        hour: 10,
        minute: 0,
        service: 'general',
        counter: '1',
        waitMs: 5 * MINUTE,
        serviceMs: 3 * MINUTE,
        outcome: 'done' as const,
        rating: null,
      })),
      [Number((Date.parse('2026-10-10') - Date.parse(FIRST_DAY)) / 86_400_000)],
    );
    const stats = createStats(db, DEMO_HALL, new ManualClock(local(TODAY, '15:00')));
    stats.rollUp({ from: '2000-01-01', to: '2099-12-31' });
    // August (whose tickets begin on the 20th), September and November are closed; October has a day
    // still open, and December has today.
    expect(db.prepare('SELECT DISTINCT month FROM month_rollups ORDER BY month').all()).toEqual([
      { month: '2026-08' },
      { month: '2026-09' },
      { month: '2026-11' },
    ]);
    expect(stats.summary({ from: FIRST_DAY, to: TODAY }).tickets).toBe(SPAN + 1);
  });
});
