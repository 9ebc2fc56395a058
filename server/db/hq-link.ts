/**
 * The hall's link to HQ (migration 009): the acknowledged cursor into the event log and a catalogue
 * waiting for the next opening day; and the event log as it is shipped, each event with the public
 * times of its ticket.
 */
import type { Db } from './open.ts';

export type HqLinkRow = {
  acked_through: number;
  acked_at: number | null;
  catalogue_version: number | null;
  /** HQ's catalogue as JSON, pulled on `pending_day`. */
  pending_catalogue: string | null;
  pending_day: string | null;
};

/** An event to ship, with its ticket's public facts (null for an event without a ticket). */
export type OutboundEventRow = {
  id: number;
  at: number;
  type: string;
  payload: string;
  day: string | null;
  hour: number | null;
  issued_at: number | null;
  first_called_at: number | null;
  serving_at: number | null;
  finished_at: number | null;
};

export type HqLinkRepository = ReturnType<typeof createHqLinkRepository>;

export function createHqLinkRepository(db: Db) {
  const st = {
    link: db.prepare<[], HqLinkRow>(
      `SELECT acked_through, acked_at, catalogue_version, pending_catalogue, pending_day FROM hq_link WHERE id = 1`,
    ),
    ack: db.prepare<[number, number]>('UPDATE hq_link SET acked_through = ?, acked_at = ? WHERE id = 1'),
    pending: db.prepare<[string, string]>(
      'UPDATE hq_link SET pending_catalogue = ?, pending_day = ? WHERE id = 1',
    ),
    applied: db.prepare<[number]>(
      'UPDATE hq_link SET catalogue_version = ?, pending_catalogue = NULL, pending_day = NULL WHERE id = 1',
    ),
    // Only the ticket row's public facts: never its id, phone hash, masked phone or customer.
    eventsAfter: db.prepare<[number, number], OutboundEventRow>(
      `SELECT e.id, e.at, e.type, e.payload, t.day, t.hour, t.issued_at, t.first_called_at, t.serving_at,
              t.finished_at
         FROM events e LEFT JOIN tickets t ON t.id = e.ticket_id
        WHERE e.id > ? ORDER BY e.id LIMIT ?`,
    ),
    newestEvent: db.prepare<[], number | null>('SELECT MAX(id) FROM events').pluck(),
    firstEventAfter: db
      .prepare<[number], number>('SELECT at FROM events WHERE id > ? ORDER BY id LIMIT 1')
      .pluck(),
    anyTicketOn: db.prepare<[string], number>('SELECT EXISTS (SELECT 1 FROM tickets WHERE day = ?)').pluck(),
  };

  return {
    link: (): HqLinkRow => st.link.get()!,
    /** HQ holds the events through `seq`. */
    ack: (seq: number, at: number) => void st.ack.run(seq, at),
    /** A catalogue pulled on `day`, to apply at the next opening day. */
    holdCatalogue: (catalogue: string, day: string) => void st.pending.run(catalogue, day),
    /** The held catalogue is in force as `version`. */
    catalogueApplied: (version: number) => void st.applied.run(version),
    /** At most `limit` events after `seq`, oldest first. */
    eventsAfter: (seq: number, limit: number): OutboundEventRow[] => st.eventsAfter.all(seq, limit),
    /** The id of the newest event (0 before any). */
    newestEvent: (): number => st.newestEvent.get() ?? 0,
    /** The time of the oldest event after `seq`, if any. */
    firstEventAfter: (seq: number): number | undefined => st.firstEventAfter.get(seq),
    anyTicketOn: (day: string): boolean => st.anyTicketOn.get(day) === 1,
  };
}
