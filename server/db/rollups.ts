/**
 * The statistics' rollups (migrations 003, 007, 011): per closed opening day, and per month that has
 * ended with every day rolled up, the figures of each group along each dimension, in the compact form of
 * server/domain/totals.ts. A cache of the ticket rows: nothing here is a record.
 */
import type { Db } from './open.ts';

/** What a group is: the whole range, a service, a counter, an hour of issue, a staff member. */
export const DIMENSIONS = ['all', 'service', 'counter', 'hour', 'staff'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** One group of one day (YYYY-MM-DD) or month (YYYY-MM), with its encoded totals. */
export type RollupRow = [period: string, dimension: Dimension, key: string, totals: Uint8Array];

/** A day with tickets that lacks its figures' rollups, its staffing rollups (migration 007), or both. */
export type UnrolledDay = { day: string; hasFigures: 0 | 1; hasStaffing: 0 | 1 };

export type RollupsRepository = ReturnType<typeof createRollupsRepository>;

export function createRollupsRepository(db: Db) {
  // Dimensions go in as a JSON list; periods compare as text (YYYY-MM-DD, YYYY-MM).
  const st = {
    days: db
      .prepare<[string, string, string], RollupRow>(
        `SELECT day, dimension, key, totals FROM day_rollups
          WHERE day BETWEEN ? AND ? AND dimension IN (SELECT value FROM json_each(?))`,
      )
      .raw(true),
    months: db
      .prepare<[string, string, string], RollupRow>(
        `SELECT month, dimension, key, totals FROM month_rollups
          WHERE month BETWEEN ? AND ? AND dimension IN (SELECT value FROM json_each(?))`,
      )
      .raw(true),
    // A rolled-up day has an `all` group (it had tickets): one look-up per day.
    unrolledDays: db.prepare<[string, string], UnrolledDay>(
      `SELECT day, hasFigures, hasStaffing FROM (
         SELECT day,
                EXISTS (SELECT 1 FROM day_rollups r WHERE r.day = d.day AND r.dimension = 'all') AS hasFigures,
                EXISTS (SELECT 1 FROM staffing_days s WHERE s.day = d.day) AS hasStaffing
           FROM (SELECT DISTINCT day FROM tickets WHERE day BETWEEN ? AND ?) d)
        WHERE hasFigures = 0 OR hasStaffing = 0 ORDER BY day`,
    ),
    rolledMonths: db
      .prepare<[string, string], string>(
        'SELECT DISTINCT month FROM month_rollups WHERE month BETWEEN ? AND ?',
      )
      .pluck(),
    ticketDays: db
      .prepare<[string, string], string>('SELECT DISTINCT day FROM tickets WHERE day BETWEEN ? AND ?')
      .pluck(),
    addDay: db.prepare<[string, Dimension, string, Uint8Array]>(
      'INSERT OR REPLACE INTO day_rollups(day, dimension, key, totals) VALUES (?, ?, ?, ?)',
    ),
    addMonth: db.prepare<[string, Dimension, string, Uint8Array]>(
      'INSERT OR REPLACE INTO month_rollups(month, dimension, key, totals) VALUES (?, ?, ?, ?)',
    ),
  };

  return {
    /** The groups of the rolled-up days from `from` to `to` (inclusive), along the given dimensions. */
    days: (from: string, to: string, dimensions: readonly Dimension[]): RollupRow[] =>
      st.days.all(from, to, JSON.stringify(dimensions)),
    /** The groups of the rolled-up months from `from` to `to` (YYYY-MM, inclusive). */
    months: (from: string, to: string, dimensions: readonly Dimension[]): RollupRow[] =>
      st.months.all(from, to, JSON.stringify(dimensions)),
    /** The days from `from` to `to` that have tickets and lack some of their rollups, in order. */
    unrolledDays: (from: string, to: string): UnrolledDay[] => st.unrolledDays.all(from, to),
    /** The months from `from` to `to` (YYYY-MM) that have rollups of their own. */
    rolledMonths: (from: string, to: string): string[] => st.rolledMonths.all(from, to),
    /** The months with tickets from `from` to `to` (YYYY-MM-DD) and no rollups of their own. */
    monthsToRollUp(from: string, to: string): string[] {
      const rolled = new Set(st.rolledMonths.all(from.slice(0, 7), to.slice(0, 7)));
      const months = new Set(st.ticketDays.all(from, to).map((day) => day.slice(0, 7)));
      return [...months].filter((m) => !rolled.has(m));
    },
    /** A day's groups (call in a transaction: a day is rolled up whole or not at all). */
    addDay(day: string, groups: Iterable<[Dimension, string, Uint8Array]>): void {
      for (const [dimension, key, totals] of groups) st.addDay.run(day, dimension, key, totals);
    },
    /** A month's groups, likewise. */
    addMonth(month: string, groups: Iterable<[Dimension, string, Uint8Array]>): void {
      for (const [dimension, key, totals] of groups) st.addMonth.run(month, dimension, key, totals);
    },
  };
}
