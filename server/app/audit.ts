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

/** Ticket events that are a person's action at a counter (the others are the customer's or the hall's). */
const MANUAL_TICKET_EVENTS = [
  'ticket.called',
  'ticket.recalled',
  'ticket.serving',
  'ticket.no-show',
  'ticket.transferred',
  'ticket.finished',
] as const;

type ActionRow = {
  id: number;
  at: number;
  type: string;
  staff_id: string;
  user_name: string | null;
  counter_id: string | null;
  reason: string | null;
  payload: string;
};

/** Status before → after of each ticket action; finishing straight from `called` is allowed too. */
const TICKET_STEPS: Record<string, [string | string[], string]> = {
  'ticket.called': ['waiting', 'called'],
  'ticket.recalled': ['called', 'called'],
  'ticket.serving': ['called', 'serving'],
  'ticket.no-show': ['called', 'no-show'],
  'ticket.finished': [['called', 'serving'], 'done'],
};

/** A manual action as an audit entry: who, when, what, before → after. */
function actionEntry(r: ActionRow): AuditEntry {
  const payload = JSON.parse(r.payload) as {
    ticket?: { number: string; serviceId: string };
    counter?: { id: string; status: string; pauseReason?: string | null };
    fromServiceId?: string;
    rating?: number | null;
  };
  const base = {
    kind: 'action' as const,
    id: r.id,
    at: new Date(r.at).toISOString(),
    userId: r.staff_id,
    userName: r.user_name,
  };
  if (r.type === 'counter.updated') {
    const action = ['open', 'resume', 'close'].includes(r.reason ?? '') ? r.reason! : 'pause';
    const before =
      action === 'open' ? 'closed' : action === 'resume' ? 'paused' : action === 'pause' ? 'open' : null;
    return {
      ...base,
      action: `counter.${action}`,
      target: `counter ${r.counter_id}`,
      before: before === null ? null : { status: before },
      after: {
        status: payload.counter?.status ?? null,
        ...(action === 'pause' ? { pauseReason: r.reason } : {}),
      },
    };
  }
  const target = `ticket ${payload.ticket?.number ?? '?'}${r.counter_id ? ` @ counter ${r.counter_id}` : ''}`;
  if (r.type === 'ticket.transferred')
    return {
      ...base,
      action: r.type,
      target,
      before: { serviceId: payload.fromServiceId ?? null },
      after: {
        serviceId: payload.ticket?.serviceId ?? null,
        ...(r.reason === 'front' ? { front: true } : {}),
      },
    };
  const [before, after] = TICKET_STEPS[r.type] ?? [null, null];
  return {
    ...base,
    action: r.type,
    target,
    before: before === null ? null : { status: Array.isArray(before) ? before.join(' | ') : before },
    after: {
      status: after,
      ...(r.type === 'ticket.finished' && payload.rating != null ? { rating: payload.rating } : {}),
    },
  };
}

/** The audit list as CSV: UTF-8 with a BOM (Excel), RFC 4180 quoting, before and after as JSON. */
export function* auditCsv(entries: readonly AuditEntry[]): Generator<string> {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  yield '\ufeffat,kind,userId,userName,action,target,before,after\r\n';
  for (const e of entries)
    yield `${[
      e.at,
      e.kind,
      e.userId ?? '',
      e.userName ?? '',
      e.action,
      e.target,
      e.before === null ? '' : JSON.stringify(e.before),
      e.after === null ? '' : JSON.stringify(e.after),
    ]
      .map(cell)
      .join(',')}\r\n`;
}

export function createAuditLog(db: Db, timeZone: string) {
  const st = {
    insert: db.prepare(
      'INSERT INTO audit_log(at, user_id, action, target, before, after) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    actions: db.prepare<[number, number], ActionRow>(
      `SELECT e.id, e.at, e.type, e.staff_id, u.name AS user_name, e.counter_id, e.reason, e.payload
         FROM events e LEFT JOIN users u ON u.id = e.staff_id
        WHERE e.staff_id IS NOT NULL AND e.at >= ? AND e.at < ?
          AND (e.type IN (${MANUAL_TICKET_EVENTS.map((t) => `'${t}'`).join(', ')})
               OR (e.type = 'counter.updated' AND e.reason IS NOT NULL))
        ORDER BY e.at DESC, e.id DESC LIMIT 5000`,
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
    /**
     * The entries of the range's local days (the hall's time zone), newest first, at most 5,000: the
     * configuration changes and the manual actions of people at counters, merged by time.
     */
    list(range: DateRange): AuditEntry[] {
      const start = instantOf(range.from, 0, timeZone);
      // The day after `to`, at local midnight: noon plus a day lands on the next date whatever DST does.
      const next = new Date(Date.parse(`${range.to}T12:00:00Z`) + DAY).toISOString().slice(0, 10);
      const end = instantOf(next, 0, timeZone);
      const changes = st.between.all(start, end).map((r): AuditEntry & { ms: number } => ({
        kind: 'change',
        id: r.id,
        ms: r.at,
        at: new Date(r.at).toISOString(),
        userId: r.user_id,
        userName: r.user_name,
        action: r.action,
        target: r.target,
        before: r.before === null ? null : JSON.parse(r.before),
        after: r.after === null ? null : JSON.parse(r.after),
      }));
      const actions = st.actions.all(start, end).map((r) => ({ ...actionEntry(r), ms: r.at }));
      return [...changes, ...actions]
        .sort((a, b) => b.ms - a.ms || (a.kind === b.kind ? b.id - a.id : a.kind === 'change' ? -1 : 1))
        .slice(0, 5000)
        .map(({ ms: _ms, ...entry }) => entry);
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
