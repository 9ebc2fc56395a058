/**
 * The tickets table as the statistics read it: the rows of the days not rolled up yet (and of any range,
 * for the CSV export), and whether a day still has open tickets (it is rolled up once it has none).
 */
import type { TicketStatus } from '../contract/api.ts';
import type { Db } from './open.ts';

/** A ticket's row as the statistics read it: a tuple, since a year's export reads hundreds of thousands. */
export type StatRow = [
  id: string,
  number: string,
  day: string,
  hour: number,
  serviceId: string,
  counterId: string | null,
  staffId: string | null,
  tier: string,
  channel: string,
  status: TicketStatus,
  endReason: string | null,
  issuedAt: number,
  firstCalledAt: number | null,
  servingAt: number | null,
  finishedAt: number | null,
  rating: number | null,
  /** JSON of the rating's SERVQUAL dimensions. */
  ratingDimensions: string | null,
];

export type StatisticsRepository = ReturnType<typeof createStatisticsRepository>;

export function createStatisticsRepository(db: Db) {
  const st = {
    tickets: db
      .prepare<[string, string], StatRow>(
        `SELECT id, number, day, hour, service_id, counter_id, staff_id, tier, channel, status, end_reason, issued_at,
                first_called_at, serving_at, finished_at, rating, rating_dimensions
           FROM tickets WHERE day BETWEEN ? AND ? ORDER BY day, issued_at`,
      )
      .raw(true),
    openTicketsOn: db
      .prepare<[string], number>(
        "SELECT COUNT(*) FROM tickets WHERE day = ? AND status IN ('waiting', 'called', 'serving')",
      )
      .pluck(),
  };

  return {
    /**
     * The tickets of the days from `from` to `to`, by day and time of issue, one at a time. Hazard: the
     * connection can write nothing until the iteration ends, so iterate to the end without waiting.
     */
    tickets: (from: string, to: string): IterableIterator<StatRow> => st.tickets.iterate(from, to),
    openTicketsOn: (day: string): number => st.openTicketsOn.get(day)!,
  };
}
