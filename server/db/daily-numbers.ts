/** The daily_numbers table: per opening day and prefix, the last ticket number handed out. */
import type { Db } from './open.ts';

export type DailyNumberRepository = ReturnType<typeof createDailyNumberRepository>;

export function createDailyNumberRepository(db: Db) {
  const next = db.prepare<[string, string], { last: number }>(
    `INSERT INTO daily_numbers(day, prefix, last) VALUES (?, ?, 1)
     ON CONFLICT(day, prefix) DO UPDATE SET last = last + 1 RETURNING last`,
  );
  return {
    /** The next sequence number of `prefix` on `day`, from 1. */
    next: (day: string, prefix: string): number => next.get(day, prefix)!.last,
  };
}
