/**
 * The tickets table read as the hall's history, for the forecasts (server/app/hall-eta.ts): service
 * times, waits and arrivals of the past weeks.
 */
import type { Tier } from '../contract/api.ts';
import type { Db } from './open.ts';

export type TicketHistoryRepository = ReturnType<typeof createTicketHistoryRepository>;

export function createTicketHistoryRepository(db: Db) {
  const st = {
    serviceTimes: db.prepare<[string, number], { service_id: string; start: number; minutes: number }>(
      `SELECT service_id, COALESCE(serving_at, called_at) AS start,
         (finished_at - COALESCE(serving_at, called_at)) / 60000.0 AS minutes
       FROM tickets WHERE day >= ? AND status IN ('done', 'no-show') AND finished_at IS NOT NULL
         AND called_at IS NOT NULL
       ORDER BY finished_at DESC LIMIT ?`,
    ),
    waits: db.prepare<
      [string, string],
      { issued_at: number; first_called_at: number | null; finished_at: number | null; status: string }
    >(
      `SELECT issued_at, first_called_at, finished_at, status FROM tickets
       WHERE day >= ? AND day < ? AND (status IN ('done', 'no-show') OR (status = 'cancelled' AND end_reason = 'holder'))`,
    ),
    arrivals: db.prepare<
      [string, string],
      { day: string; weekday: number; hour: number; service_id: string; tier: Tier; n: number }
    >(
      `SELECT day, weekday, hour, issued_service_id AS service_id, tier, COUNT(*) AS n FROM tickets
       WHERE day >= ? AND day < ? GROUP BY day, hour, issued_service_id, tier ORDER BY day`,
    ),
  };

  return {
    /** The latest calls that ended (done or no-show) from `sinceDay` on, newest first: start and minutes. */
    serviceTimes: (sinceDay: string, limit: number) => st.serviceTimes.all(sinceDay, limit),
    /** How the waits of the days in [fromDay, toDay) ended: called (done, no-show) or left (cancelled by the holder). */
    waits: (fromDay: string, toDay: string) => st.waits.all(fromDay, toDay),
    /** Tickets issued per day, hour, service (as issued) and tier in [fromDay, toDay), by day. */
    arrivals: (fromDay: string, toDay: string) => st.arrivals.all(fromDay, toDay),
  };
}
