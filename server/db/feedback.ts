/**
 * The rows of feedback and complaints: each with the reference the customer quotes (FB-MMDD-NNN, counted
 * per day), the masked number for the manager's call-back, and the ticket a complaint came with.
 */
import type { Lang } from '../contract/api.ts';
import type { FeedbackEntry } from '../contract/kiosk.ts';
import type { Db } from './open.ts';

export type FeedbackRow = {
  id: string;
  reference: string;
  day: string;
  kind: FeedbackEntry['kind'];
  /** A JSON array of the topics. */
  topics: string;
  lang: Lang;
  kiosk_id: string | null;
  customer_ref: string | null;
  phone_masked: string | null;
  ticket_id: string | null;
  created_at: number;
};

/** Feedback as the manager lists it: with the number of the ticket a complaint came with. */
export type ListedFeedbackRow = FeedbackRow & { ticket_number: string | null };

export type FeedbackRepository = ReturnType<typeof createFeedbackRepository>;

export function createFeedbackRepository(db: Db) {
  const st = {
    countOnDay: db.prepare<[string], number>('SELECT COUNT(*) FROM feedback WHERE day = ?').pluck(),
    add: db.prepare<Omit<FeedbackRow, 'ticket_id'>>(
      `INSERT INTO feedback(id, reference, day, kind, topics, lang, kiosk_id, customer_ref, phone_masked, created_at)
       VALUES (@id, @reference, @day, @kind, @topics, @lang, @kiosk_id, @customer_ref, @phone_masked, @created_at)`,
    ),
    linkTicket: db.prepare<[string, string]>('UPDATE feedback SET ticket_id = ? WHERE id = ?'),
    latest: db.prepare<[number], ListedFeedbackRow>(
      `SELECT f.*, t.number AS ticket_number FROM feedback f LEFT JOIN tickets t ON t.id = f.ticket_id
       ORDER BY f.created_at DESC, f.rowid DESC LIMIT ?`,
    ),
  };

  return {
    countOnDay: (day: string): number => st.countOnDay.get(day)!,
    /** Files feedback; a complaint's ticket is linked once it is issued. */
    add: (feedback: Omit<FeedbackRow, 'ticket_id'>) => void st.add.run(feedback),
    linkTicket: (id: string, ticketId: string) => void st.linkTicket.run(ticketId, id),
    /** The newest first. */
    latest: (limit: number): ListedFeedbackRow[] => st.latest.all(limit),
  };
}
