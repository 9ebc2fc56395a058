/**
 * The events table: the hall's append-only log. Each row is one event as stored (its payload JSON, without
 * the queue figures attached when it is sent); ids grow with time.
 */
import type { TicketStatus } from '../contract/api.ts';
import type { HallEventName } from '../contract/events.ts';
import type { Db } from './open.ts';

/** An event row as appended: who and what it points at, for the audit view and statistics. */
export type NewEvent = {
  at: number;
  type: HallEventName;
  ticketId: string | null;
  counterId: string | null;
  staffId: string | null;
  reason: string | null;
  payload: string;
};

export type EventRow = { id: number; type: HallEventName; at: number; payload: string };

/** A call of a ticket as recorded, with the counter's name now (null: a counter since removed). */
export type CallRow = {
  at: number;
  counter_id: string | null;
  counter_name: string | null;
  reason: string | null;
  payload: string;
};

/** The time of the hall's latest event (events are appended in time order), or 0 for a new hall. */
export function lastEventAt(db: Db): number {
  return db.prepare<[], { at: number }>('SELECT at FROM events ORDER BY id DESC LIMIT 1').get()?.at ?? 0;
}

export type EventRepository = ReturnType<typeof createEventRepository>;

export function createEventRepository(db: Db) {
  const st = {
    append: db.prepare<NewEvent>(
      `INSERT INTO events(at, type, ticket_id, counter_id, staff_id, reason, payload)
       VALUES (@at, @type, @ticketId, @counterId, @staffId, @reason, @payload)`,
    ),
    lastId: db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM events'),
    firstAfter: db.prepare<[number], { at: number }>(
      'SELECT at FROM events WHERE id > ? ORDER BY id LIMIT 1',
    ),
    after: db.prepare<[number, number], EventRow>(
      'SELECT id, type, at, payload FROM events WHERE id > ? ORDER BY id LIMIT ?',
    ),
    recentCalls: db.prepare<[number], { at: number; payload: string; status: TicketStatus | null }>(
      `SELECT e.at, e.payload, t.status FROM events e LEFT JOIN tickets t ON t.id = e.ticket_id
       WHERE e.type IN ('ticket.called', 'ticket.recalled') ORDER BY e.id DESC LIMIT ?`,
    ),
    callsOf: db.prepare<[string], CallRow>(
      `SELECT e.at, e.counter_id, c.name AS counter_name, e.reason, e.payload FROM events e
       LEFT JOIN counters c ON c.id = e.counter_id
       WHERE e.ticket_id = ? AND e.type = 'ticket.called' ORDER BY e.id`,
    ),
  };

  return {
    /** Appends one event; returns its id. */
    append: (event: NewEvent): number => Number(st.append.run(event).lastInsertRowid),
    /** The latest event's id, 0 when there is none. */
    lastId: (): number => st.lastId.get()?.id ?? 0,
    /** When the first event after `id` happened, if there is one. */
    firstAtAfter: (id: number): number | undefined => st.firstAfter.get(id)?.at,
    /** Events after `id`, oldest first. */
    after: (id: number, limit: number): EventRow[] => st.after.all(id, limit),
    /** The newest calls and recalls, newest first, with their ticket's status now. */
    recentCalls: (limit: number) => st.recentCalls.all(limit),
    /** The calls of a ticket (not its recalls), oldest first. */
    callsOf: (ticketId: string): CallRow[] => st.callsOf.all(ticketId),
  };
}
