/**
 * The audit log's rows (configuration changes and other manual acts, before → after as JSON), and the
 * events that are a person's action at a counter, read with them as one list.
 */
import type { Db } from './open.ts';

export type AuditRow = {
  at: number;
  user_id: string | null;
  action: string;
  target: string;
  /** JSON, or null where there was nothing before (after). */
  before: string | null;
  after: string | null;
};

/** A change as the audit list reads it: with its id and the name of who made it. */
export type AuditChangeRow = AuditRow & { id: number; user_name: string | null };

/** An event of a person's action at a counter. */
export type ManualActionRow = {
  id: number;
  at: number;
  type: string;
  staff_id: string;
  user_name: string | null;
  counter_id: string | null;
  reason: string | null;
  payload: string;
  /** For a finish or transfer: the type of the ticket's last call, recall or start event before it. */
  prior: string | null;
};

/** A page of a range, newest first: rows from `start` on, before (`at`, `id`), at most `limit`. */
export type AuditCursor = { start: number; at: number; id: number; limit: number };

export type AuditRepository = ReturnType<typeof createAuditRepository>;

export function createAuditRepository(db: Db) {
  const st = {
    insert: db.prepare<AuditRow>(
      `INSERT INTO audit_log(at, user_id, action, target, before, after)
       VALUES (@at, @user_id, @action, @target, @before, @after)`,
    ),
    // Row values (at, id) < (@at, @id) walk the at index downward from the cursor.
    changes: db.prepare<AuditCursor, AuditChangeRow>(
      `SELECT a.id, a.at, a.user_id, u.name AS user_name, a.action, a.target, a.before, a.after
         FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
        WHERE a.at >= @start AND (a.at, a.id) < (@at, @id)
        ORDER BY a.at DESC, a.id DESC LIMIT @limit`,
    ),
    // The ticket events a person makes at a counter (the others are the customer's or the hall's), and
    // the counter changes they make (a reason: open, resume, close or why they paused).
    actions: db.prepare<AuditCursor, ManualActionRow>(
      `SELECT e.id, e.at, e.type, e.staff_id, u.name AS user_name, e.counter_id, e.reason, e.payload,
              CASE WHEN e.type IN ('ticket.finished', 'ticket.transferred') THEN (
                SELECT p.type FROM events p
                 WHERE p.ticket_id = e.ticket_id AND p.id < e.id
                   AND p.type IN ('ticket.called', 'ticket.recalled', 'ticket.serving')
                 ORDER BY p.id DESC LIMIT 1) END AS prior
         FROM events e LEFT JOIN users u ON u.id = e.staff_id
        WHERE e.staff_id IS NOT NULL AND e.at >= @start AND (e.at, e.id) < (@at, @id)
          AND (e.type IN ('ticket.called', 'ticket.recalled', 'ticket.serving', 'ticket.no-show',
                          'ticket.transferred', 'ticket.finished')
               OR (e.type = 'counter.updated' AND e.reason IS NOT NULL))
        ORDER BY e.at DESC, e.id DESC LIMIT @limit`,
    ),
  };

  return {
    /** Call inside the transaction of the change. */
    add: (row: AuditRow) => void st.insert.run(row),
    changes: (cursor: AuditCursor): AuditChangeRow[] => st.changes.all(cursor),
    manualActions: (cursor: AuditCursor): ManualActionRow[] => st.actions.all(cursor),
  };
}
