/**
 * Text messages to customers (one-time codes, appointment codes). The embedded default is an outbox
 * table that the manager page shows in demo mode; a real SMS gateway is adapted to `Sms` and chosen in
 * server/main.ts.
 */
import type Database from 'better-sqlite3';
import type { Clock } from '../../domain/clock.ts';
import { DAY } from '../../domain/clock.ts';
import { maskPhone } from '../privacy.ts';

/**
 * Guarantees: `send` resolves once the message was accepted for delivery and rejects when it was not
 * (the caller tells the customer to try again). It never retries by itself: a code that arrives twice,
 * minutes apart, confuses more than it helps. It keeps no copy of the number in clear.
 */
export interface Sms {
  send(message: { to: string; text: string }): Promise<void>;
}

export type OutboxMessage = { id: number; at: string; to: string; text: string };

export type SmsOutbox = Sms & {
  /** The newest messages first. */
  list(limit?: number): OutboxMessage[];
};

/**
 * The outbox: messages are stored with the number masked, the way the demo's manager page shows them.
 * Hazard: the text holds the one-time code in clear — that is the point of a demo outbox; rows older
 * than a day are deleted so codes do not pile up.
 */
export function createSmsOutbox(db: Database.Database, clock: Clock): SmsOutbox {
  const insert = db.prepare('INSERT INTO sms_outbox(at, to_masked, text) VALUES (?, ?, ?)');
  const prune = db.prepare('DELETE FROM sms_outbox WHERE at < ?');
  const list = db.prepare<[number], { id: number; at: number; to_masked: string; text: string }>(
    'SELECT * FROM sms_outbox ORDER BY id DESC LIMIT ?',
  );
  return {
    async send({ to, text }) {
      const now = clock.now();
      prune.run(now - DAY);
      insert.run(now, maskPhone(to), text);
    },
    list(limit = 50) {
      return list
        .all(limit)
        .map((r) => ({ id: r.id, at: new Date(r.at).toISOString(), to: r.to_masked, text: r.text }));
    },
  };
}
