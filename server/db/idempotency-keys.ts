/** The idempotency_keys table: a ticket request's key, the hash of what it asked, and the ticket it made. */
import type { Db } from './open.ts';

export type IdempotencyKeyRepository = ReturnType<typeof createIdempotencyKeyRepository>;

export function createIdempotencyKeyRepository(db: Db) {
  const st = {
    find: db.prepare<[string], { request_hash: string; ticket_id: string }>(
      'SELECT request_hash, ticket_id FROM idempotency_keys WHERE key = ?',
    ),
    insert: db.prepare<[string, string, string, number]>(
      'INSERT INTO idempotency_keys(key, request_hash, ticket_id, created_at) VALUES (?, ?, ?, ?)',
    ),
  };
  return {
    /** What a key was first used for, if it was. */
    find: (key: string): { requestHash: string; ticketId: string } | null => {
      const row = st.find.get(key);
      return row ? { requestHash: row.request_hash, ticketId: row.ticket_id } : null;
    },
    remember: (key: string, requestHash: string, ticketId: string, at: number): void =>
      void st.insert.run(key, requestHash, ticketId, at),
  };
}
