/**
 * What the staffing advice reads of a range (migrations 007, 011): per closed day (and month), its arrivals by hour and
 * issued service and the counters that called someone each hour, and per day and service the service
 * times by hour of issue in finishing order; for the other days (today, days with open tickets), the same from the
 * ticket rows. A cache of the ticket rows, like the statistics' rollups.
 */
import type { Db } from './open.ts';

/** A closed day's staffing figures: arrivals as `[hour, serviceId, n][]`, counters as `[hour, n][]`. */
export type StaffingDayRow = { day: string; weekday: number; arrivals: string; counters: string };

/** A month's staffing figures, the sums of its days (server/domain/arrival-tally.ts StoredTally as JSON). */
export type StaffingMonthRow = { month: string; days: string; arrivals: string; counters: string };

/** A day's service times of one service and hour of issue: `times` `[finishedAt, ms, …]` as JSON. */
export type ServiceTimesRow = {
  day: string;
  service_id: string;
  hour: number;
  first_finished_at: number;
  last_finished_at: number;
  n: number;
  times: string;
};

/** A service-times row as the advice walks them: `times` `[finishedAt, ms, …]` as JSON. */
export type ServiceTimes = { id: number; first: number; last: number; n: number; times: string };

/** Tickets issued on a day in one hour for one service (the issued one, before any transfer). */
export type ArrivalCount = { weekday: number; hour: number; service_id: string; n: number };

/** A finished call: the counter was busy `ms` from the call (or from the start of serving). */
export type ServiceTime = { service_id: string; hour: number; finished_at: number; ms: number };

export type StaffingRepository = ReturnType<typeof createStaffingRepository>;

export function createStaffingRepository(db: Db) {
  const st = {
    days: db.prepare<[string, string], StaffingDayRow>(
      'SELECT day, weekday, arrivals, counters FROM staffing_days WHERE day BETWEEN ? AND ?',
    ),
    months: db.prepare<[string, string], StaffingMonthRow>(
      'SELECT month, days, arrivals, counters FROM staffing_months WHERE month BETWEEN ? AND ?',
    ),
    rolledMonths: db
      .prepare<[string, string], string>('SELECT month FROM staffing_months WHERE month BETWEEN ? AND ?')
      .pluck(),
    // Days with tickets and no staffing figures: one look-up per day.
    unrolledDays: db
      .prepare<[string, string], string>(
        `SELECT day FROM (SELECT DISTINCT day FROM tickets WHERE day BETWEEN ? AND ?) d
          WHERE NOT EXISTS (SELECT 1 FROM staffing_days s WHERE s.day = d.day) ORDER BY day`,
      )
      .pluck(),
    keys: db.prepare<[], { service_id: string; hour: number }>(
      'SELECT DISTINCT service_id, hour FROM staffing_service_times',
    ),
    latestFirst: db.prepare<[string, number, string, string], ServiceTimes>(
      `SELECT rowid AS id, first_finished_at AS first, last_finished_at AS last, n, times FROM staffing_service_times
        WHERE service_id = ? AND hour = ? AND day BETWEEN ? AND ? ORDER BY first_finished_at DESC`,
    ),
    spanning: db.prepare<[string, number, string, string, number, number], ServiceTimes>(
      `SELECT rowid AS id, first_finished_at AS first, last_finished_at AS last, n, times FROM staffing_service_times
        WHERE service_id = ? AND hour = ? AND day BETWEEN ? AND ? AND first_finished_at <= ?
          AND last_finished_at >= ?`,
    ),
    arrivalsOn: db.prepare<[string], ArrivalCount>(
      `SELECT MIN(weekday) AS weekday, hour, issued_service_id AS service_id, COUNT(*) AS n FROM tickets
        WHERE day = ? GROUP BY hour, issued_service_id ORDER BY hour, issued_service_id`,
    ),
    countersOn: db.prepare<[string], { hour: number; counters: number }>(
      `SELECT hour, COUNT(DISTINCT counter_id) AS counters FROM tickets
        WHERE day = ? AND counter_id IS NOT NULL GROUP BY hour ORDER BY hour`,
    ),
    // Calls that ended (served or not shown): the counter was busy from the call, or from the start of
    // serving, until the end. Ordered by finishing time; ties by the rest, so equal keys are equal samples.
    timesOn: db.prepare<[string], ServiceTime>(
      `SELECT service_id, hour, finished_at, finished_at - COALESCE(serving_at, called_at) AS ms FROM tickets
        WHERE day = ? AND status IN ('done', 'no-show') AND called_at IS NOT NULL AND finished_at IS NOT NULL
          AND finished_at >= COALESCE(serving_at, called_at)
        ORDER BY finished_at, service_id, hour, ms`,
    ),
    addMonth: db.prepare<StaffingMonthRow>(
      `INSERT OR REPLACE INTO staffing_months(month, days, arrivals, counters)
       VALUES (@month, @days, @arrivals, @counters)`,
    ),
    addDay: db.prepare<StaffingDayRow>(
      `INSERT OR REPLACE INTO staffing_days(day, weekday, arrivals, counters)
       VALUES (@day, @weekday, @arrivals, @counters)`,
    ),
    addTimes: db.prepare<ServiceTimesRow>(
      `INSERT OR REPLACE INTO staffing_service_times(day, service_id, hour, first_finished_at, last_finished_at, n, times)
       VALUES (@day, @service_id, @hour, @first_finished_at, @last_finished_at, @n, @times)`,
    ),
  };

  return {
    /** The rolled-up days from `from` to `to`. */
    days: (from: string, to: string): StaffingDayRow[] => st.days.all(from, to),
    /** The rolled-up months from `from` to `to` (YYYY-MM, inclusive). */
    months: (from: string, to: string): StaffingMonthRow[] => st.months.all(from, to),
    rolledMonths: (from: string, to: string): string[] => st.rolledMonths.all(from, to),
    /** The days from `from` to `to` that have tickets and no staffing figures, in order. */
    unrolledDays: (from: string, to: string): string[] => st.unrolledDays.all(from, to),
    /** Every service and hour of issue with rolled-up service times. */
    keys: () => st.keys.all(),
    /**
     * The rolled-up service-time rows of a service and hour from `from` to `to`, latest first finishing
     * time first, one at a time (in the order of an index: the older rows are not visited).
     */
    latestFirst: (
      serviceId: string,
      hour: number,
      from: string,
      to: string,
    ): IterableIterator<ServiceTimes> => st.latestFirst.iterate(serviceId, hour, from, to),
    /** Those of them that began finishing at `at` or before and ended at `at` or after. */
    spanning: (serviceId: string, hour: number, from: string, to: string, at: number): ServiceTimes[] =>
      st.spanning.all(serviceId, hour, from, to, at, at),
    /** From a day's tickets: arrivals by hour and issued service. */
    arrivalsOn: (day: string): ArrivalCount[] => st.arrivalsOn.all(day),
    /** From a day's tickets: counters that called someone, by hour of issue. */
    countersOn: (day: string) => st.countersOn.all(day),
    /** From a day's tickets: the service times, in finishing order. */
    timesOn: (day: string): ServiceTime[] => st.timesOn.all(day),
    /** A month's figures (call in the month's rollup transaction). */
    addMonth: (row: StaffingMonthRow): void => void st.addMonth.run(row),
    /** A day's figures (call in the day's rollup transaction). */
    addDay: (row: StaffingDayRow): void => void st.addDay.run(row),
    /** A day's service times of one service and hour, likewise. */
    addTimes: (row: ServiceTimesRow): void => void st.addTimes.run(row),
  };
}
