/**
 * The audit log: who changed what and when, before → after. Written in the same transaction as the change
 * it describes, so a change is never without its record.
 */
import type { DateRange } from '../contract/api.ts';
import type { AuditEntry } from '../contract/manager.ts';
import type { Db } from '../db/open.ts';
import { DAY } from '../domain/clock.ts';
import { instantOf } from '../domain/hall-time.ts';

export type AuditRecord = {
  at: number;
  userId: string | null;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
};

type Row = {
  id: number;
  at: number;
  user_id: string | null;
  user_name: string | null;
  action: string;
  target: string;
  before: string | null;
  after: string | null;
};

/** Data URLs (notice images, up to 200 KB) are logged by size: the audit log keeps what changed, not every byte. */
function compact(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null), (_key, v: unknown) =>
    typeof v === 'string' && v.startsWith('data:') && v.length > 120
      ? `${v.slice(0, v.indexOf(',') + 1)}… (${v.length} characters)`
      : v,
  );
}

export function createAuditLog(db: Db, timeZone: string) {
  const st = {
    insert: db.prepare(
      'INSERT INTO audit_log(at, user_id, action, target, before, after) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    between: db.prepare<[number, number], Row>(
      `SELECT a.id, a.at, a.user_id, u.name AS user_name, a.action, a.target, a.before, a.after
         FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
        WHERE a.at >= ? AND a.at < ? ORDER BY a.id DESC LIMIT 5000`,
    ),
  };
  const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(compact(v)));
  return {
    /** Call inside the transaction of the change. */
    record(entry: AuditRecord): void {
      st.insert.run(
        entry.at,
        entry.userId,
        entry.action,
        entry.target,
        json(entry.before),
        json(entry.after),
      );
    },
    /** The entries of the range's local days (the hall's time zone), newest first, at most 5,000. */
    list(range: DateRange): AuditEntry[] {
      const start = instantOf(range.from, 0, timeZone);
      // The day after `to`, at local midnight: noon plus a day lands on the next date whatever DST does.
      const next = new Date(Date.parse(`${range.to}T12:00:00Z`) + DAY).toISOString().slice(0, 10);
      return st.between.all(start, instantOf(next, 0, timeZone)).map((r) => ({
        id: r.id,
        at: new Date(r.at).toISOString(),
        userId: r.user_id,
        userName: r.user_name,
        action: r.action,
        target: r.target,
        before: r.before === null ? null : JSON.parse(r.before),
        after: r.after === null ? null : JSON.parse(r.after),
      }));
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
