/**
 * The tickets table read as the hall's past staffing (server/app/opening-outlook.ts): on how many days of
 * each weekday a counter called someone at an hour (by the hour the tickets were issued).
 */
import type { Db } from './open.ts';

export type StaffedHourRow = { weekday: number; hour: number; counter_id: string; days: number };

export type StaffedHoursRepository = ReturnType<typeof createStaffedHoursRepository>;

export function createStaffedHoursRepository(db: Db) {
  const st = {
    staffed: db.prepare<[string, string], StaffedHourRow>(
      `SELECT weekday, hour, counter_id, COUNT(DISTINCT day) AS days FROM tickets
       WHERE day >= ? AND day < ? AND counter_id IS NOT NULL GROUP BY weekday, hour, counter_id`,
    ),
    days: db.prepare<[string, string], { weekday: number; days: number }>(
      'SELECT weekday, COUNT(DISTINCT day) AS days FROM tickets WHERE day >= ? AND day < ? GROUP BY weekday',
    ),
  };

  return {
    /** Per weekday, hour and counter of the days in [from, to): the days it called a ticket of that hour. */
    staffed: (from: string, to: string): StaffedHourRow[] => st.staffed.all(from, to),
    /** Per weekday, the days in [from, to) that had tickets. */
    daysPerWeekday: (from: string, to: string): Map<number, number> =>
      new Map(st.days.all(from, to).map((r) => [r.weekday, r.days])),
  };
}
