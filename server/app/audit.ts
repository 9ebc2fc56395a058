/**
 * The audit log: who changed what and when, before → after. Written in the same transaction as the change
 * it describes, so a change is never without its record.
 */
import type { DateRange } from '../contract/api.ts';
import { AUDIT_LIST_LIMIT, type AuditEntry, type AuditPage } from '../contract/manager.ts';
import { type AuditCursor, createAuditRepository, type ManualActionRow } from '../db/audit.ts';
import type { Db } from '../db/open.ts';
import { DAY } from '../domain/clock.ts';
import { instantOf } from '../domain/hall-time.ts';
import { csvRow } from './csv.ts';

export type AuditRecord = {
  at: number;
  userId: string | null;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
};

/** Data URLs (notice images, up to 200 KB) are logged by size: the audit log keeps what changed, not every byte. */
function compact(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null), (_key, v: unknown) =>
    typeof v === 'string' && v.startsWith('data:') && v.length > 120
      ? `${v.slice(0, v.indexOf(',') + 1)}… (${v.length} characters)`
      : v,
  );
}

/**
 * Status before → after of each ticket action. Finishing and transferring work from `called` or
 * `serving`: their real prior status comes from the ticket's events (`ManualActionRow.prior`).
 */
const TICKET_STEPS: Record<string, [string | null, string]> = {
  'ticket.called': ['waiting', 'called'],
  'ticket.recalled': ['called', 'called'],
  'ticket.serving': ['called', 'serving'],
  'ticket.no-show': ['called', 'no-show'],
  'ticket.finished': [null, 'done'],
};

/** The status a ticket had when its last call, recall or start event was written. */
function priorStatus(r: ManualActionRow): string {
  if (r.prior === 'ticket.serving') return 'serving';
  if (r.prior === 'ticket.called' || r.prior === 'ticket.recalled') return 'called';
  return 'called | serving'; // no earlier event of the ticket: cannot tell
}

/** A manual action as an audit entry: who, when, what, before → after. */
function actionEntry(r: ManualActionRow): AuditEntry {
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
      before: { status: priorStatus(r), serviceId: payload.fromServiceId ?? null },
      after: {
        status: 'waiting',
        serviceId: payload.ticket?.serviceId ?? null,
        ...(r.reason === 'front' ? { front: true } : {}),
      },
    };
  const [before, after] = TICKET_STEPS[r.type] ?? [null, null];
  return {
    ...base,
    action: r.type,
    target,
    before: { status: before ?? priorStatus(r) },
    after: {
      status: after,
      ...(r.type === 'ticket.finished' && payload.rating != null ? { rating: payload.rating } : {}),
    },
  };
}

/** The audit list as CSV: UTF-8 with a BOM (Excel), RFC 4180 quoting, before and after as JSON. */
export function* auditCsv(entries: Iterable<AuditEntry>): Generator<string> {
  yield '\ufeffat,kind,userId,userName,action,target,before,after\r\n';
  for (const e of entries)
    yield csvRow([
      e.at,
      e.kind,
      e.userId ?? '',
      e.userName ?? '',
      e.action,
      e.target,
      e.before === null ? '' : JSON.stringify(e.before),
      e.after === null ? '' : JSON.stringify(e.after),
    ]);
}

/** Rows read per query while walking a range; a page is read whole, so no statement stays open. */
const PAGE_ROWS = 500;

type Paged = { at: number; id: number };

/**
 * The rows of a source newest first, a page at a time by keyset (at, id), so memory stays one page
 * whatever the range. Hazard, why not one `.iterate()` held open: while an iterator is open the
 * connection refuses every write ("This database connection is busy"), and a CSV download waits on the
 * client between chunks, so the hall's command path would fail for as long as a slow download lasted.
 * A page is read whole before it is handed on; between pages the connection is free.
 */
function* paged<R extends Paged>(
  read: (cursor: AuditCursor) => R[],
  start: number,
  end: number,
): Generator<R> {
  // (at, id) < (end, 0) is at < end: ids start at 1.
  let cursor: AuditCursor = { start, at: end, id: 0, limit: PAGE_ROWS };
  for (;;) {
    const rows = read(cursor);
    yield* rows;
    const last = rows.at(-1);
    if (!last || rows.length < PAGE_ROWS) return;
    cursor = { ...cursor, at: last.at, id: last.id };
  }
}

type Timed = AuditEntry & { ms: number };

/** Two newest-first streams as one, newest first; at the same millisecond a change comes before an action. */
function* merge(changes: Iterator<Timed>, actions: Iterator<Timed>): Generator<AuditEntry> {
  let c = changes.next();
  let a = actions.next();
  while (!c.done || !a.done) {
    const takeChange = a.done || (!c.done && c.value.ms >= a.value.ms);
    const { ms: _ms, ...entry } = takeChange ? c.value! : a.value!;
    if (takeChange) c = changes.next();
    else a = actions.next();
    yield entry;
  }
}

export function createAuditLog(db: Db, timeZone: string) {
  const rows = createAuditRepository(db);
  const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(compact(v)));
  /**
   * Every entry of the range's local days (the hall's time zone), newest first: the configuration
   * changes and the manual actions of people at counters, merged by time. Lazy and paged: the CSV
   * streams it in constant memory.
   */
  function* entries(range: DateRange): Generator<AuditEntry> {
    const start = instantOf(range.from, 0, timeZone);
    // The day after `to`, at local midnight: noon plus a day lands on the next date whatever DST does.
    const next = new Date(Date.parse(`${range.to}T12:00:00Z`) + DAY).toISOString().slice(0, 10);
    const end = instantOf(next, 0, timeZone);
    const changes = function* () {
      for (const r of paged(rows.changes, start, end))
        yield {
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
        } satisfies Timed;
    };
    const actions = function* () {
      for (const r of paged(rows.manualActions, start, end)) yield { ...actionEntry(r), ms: r.at };
    };
    yield* merge(changes(), actions());
  }

  /** The newest entries of the range, at most `limit`, and whether the range held more. */
  function latest(range: DateRange, limit = AUDIT_LIST_LIMIT): AuditPage {
    const list: AuditEntry[] = [];
    for (const entry of entries(range)) {
      if (list.length === limit) return { entries: list, truncated: true, limit };
      list.push(entry);
    }
    return { entries: list, truncated: false, limit };
  }

  return {
    /** Call inside the transaction of the change. */
    record(entry: AuditRecord): void {
      rows.add({
        at: entry.at,
        user_id: entry.userId,
        action: entry.action,
        target: entry.target,
        before: json(entry.before),
        after: json(entry.after),
      });
    },
    entries,
    latest,
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
