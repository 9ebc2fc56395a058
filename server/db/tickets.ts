/**
 * The tickets table: every statement of the hall's queue on it, typed. Which change a ticket may go
 * through, and to which status, is the lifecycle's to say (server/domain/lifecycle.ts); each change
 * writes exactly its own columns, with one statement of its own.
 */
import type { CallReason, Channel, Lang, PrintState, TicketStatus, Tier } from '../contract/api.ts';
import type { TicketAction } from '../domain/lifecycle.ts';
import { TIER_RANK, type WaitingTicket } from '../domain/routing.ts';
import type { Db } from './open.ts';

/** A ticket as stored (the columns the hall reads). */
export type TicketRow = {
  id: string;
  day: string;
  number: string;
  service_id: string;
  tier: Tier;
  channel: Channel;
  status: TicketStatus;
  issued_at: number;
  queued_at: number;
  first_called_at: number | null;
  front: number;
  passed_over: number;
  called_at: number | null;
  serving_at: number | null;
  finished_at: number | null;
  counter_id: string | null;
  print_state: PrintState;
  print_problem: string | null;
  call_rule: CallReason['rule'] | null;
  call_reason_zh: string | null;
  call_reason_en: string | null;
  kiosk_id: string | null;
  phone_masked: string | null;
  customer_ref: string | null;
  customer_name_masked: string | null;
};

/** A ticket as issued: it waits in its service's line from `issuedAt`. */
export type NewTicket = {
  id: string;
  /** Local opening day, hour and weekday (0 = Monday) of the issue, in the hall's time zone. */
  day: string;
  hour: number;
  weekday: number;
  number: string;
  serviceId: string;
  tier: Tier;
  channel: Channel;
  lang: Lang;
  issuedAt: number;
  phoneHash: string | null;
  phoneMasked: string | null;
  kioskId: string | null;
  printState: Extract<PrintState, 'none' | 'pending'>;
  customerRef: string | null;
  customerNameMasked: string | null;
};

/** What each move of the lifecycle writes besides the status. */
type ChangeOf = {
  call: {
    calledAt: number;
    firstCalledAt: number;
    counterId: string;
    staffId: string | null;
    reason: Pick<CallReason, 'rule' | 'zh' | 'en'>;
  };
  recall: { calledAt: number };
  start: { servingAt: number };
  finish: {
    finishedAt: number;
    servingAt: number | null;
    rating: number | null;
    ratingDimensions: string | null;
  };
  'no-show': { finishedAt: number };
  /** Back to waiting in `serviceId`'s line, at its end (or its front). */
  transfer: { serviceId: string; queuedAt: number; front: boolean };
  /** By its holder. */
  cancel: { finishedAt: number };
  /** Unserved at closing (the day sweep). */
  'close-day': { finishedAt: number };
};
export type TicketChange = { [A in TicketAction]: { action: A } & ChangeOf[A] }[TicketAction];
/** Who a change is written to, and the status it moves to. */
type Moved = { id: string; status: TicketStatus };

/** A tier's place in its line (TIER_RANK), in SQL: derived, so the two orders cannot drift apart. */
const tierRankSql = (column: string) =>
  `CASE ${column} ${Object.entries(TIER_RANK)
    .map(([tier, rank]) => `WHEN '${tier}' THEN ${rank}`)
    .join(' ')} END`;

const OPEN = "('waiting', 'called', 'serving')";

export type TicketRepository = ReturnType<typeof createTicketRepository>;

export function createTicketRepository(db: Db) {
  const st = {
    insert: db.prepare<NewTicket>(
      `INSERT INTO tickets(id, day, hour, weekday, number, service_id, issued_service_id, tier, channel, lang, status,
         issued_at, queued_at, phone_hash, phone_masked, kiosk_id, print_state, customer_ref, customer_name_masked)
       VALUES (@id, @day, @hour, @weekday, @number, @serviceId, @serviceId, @tier, @channel, @lang, 'waiting',
         @issuedAt, @issuedAt, @phoneHash, @phoneMasked, @kioskId, @printState, @customerRef, @customerNameMasked)`,
    ),
    byId: db.prepare<[string], TicketRow>('SELECT * FROM tickets WHERE id = ?'),
    byNumber: db.prepare<[string, string], TicketRow>('SELECT * FROM tickets WHERE day = ? AND number = ?'),
    // Only what routing needs: a busy hall has hundreds waiting, read on every call.
    waiting: db.prepare<
      [string],
      Pick<TicketRow, 'id' | 'number' | 'service_id' | 'tier' | 'queued_at' | 'passed_over' | 'front'>
    >(
      `SELECT id, number, service_id, tier, queued_at, passed_over, front FROM tickets
       WHERE status = 'waiting' AND day >= ?`,
    ),
    waitingGroups: db.prepare<[], { service_id: string; front: number; tier: Tier; n: number }>(
      `SELECT service_id, front, tier, COUNT(*) AS n FROM tickets WHERE status = 'waiting' GROUP BY service_id, front, tier`,
    ),
    waitingSinceIssue: db.prepare<[], Pick<TicketRow, 'id' | 'service_id' | 'issued_at'>>(
      `SELECT id, service_id, issued_at FROM tickets WHERE status = 'waiting'`,
    ),
    oldestWaiting: db.prepare<[string], { oldest: number | null }>(
      `SELECT MIN(queued_at) AS oldest FROM tickets WHERE status = 'waiting' AND service_id = ?`,
    ),
    /** Place in its service's line: front first, then tier, then queue time. */
    position: db.prepare<
      [Pick<TicketRow, 'id' | 'service_id' | 'front' | 'tier' | 'queued_at'>],
      { position: number }
    >(
      `SELECT COUNT(*) AS position FROM tickets t WHERE t.status = 'waiting' AND t.service_id = @service_id AND (
         t.front > @front OR (t.front = @front AND (${tierRankSql('t.tier')} < ${tierRankSql('@tier')} OR
           (t.tier = @tier AND (t.queued_at < @queued_at OR (t.queued_at = @queued_at AND t.id <= @id))))))`,
    ),
    recentServiceMinutes: db.prepare<[string, number], { minutes: number }>(
      `SELECT (finished_at - COALESCE(serving_at, called_at)) / 60000.0 AS minutes FROM tickets
       WHERE status = 'done' AND service_id = ? ORDER BY finished_at DESC LIMIT ?`,
    ),
    openBefore: db.prepare<[string], TicketRow>(`SELECT * FROM tickets WHERE status IN ${OPEN} AND day < ?`),
    openOn: db.prepare<[string], TicketRow>(`SELECT * FROM tickets WHERE status IN ${OPEN} AND day = ?`),
    latestFinished: db.prepare<[string, string], TicketRow>(
      `SELECT * FROM tickets WHERE counter_id = ? AND number = ? AND status = 'done' ORDER BY finished_at DESC LIMIT 1`,
    ),
    called: db.prepare<Moved & Omit<ChangeOf['call'], 'reason'> & ChangeOf['call']['reason']>(
      `UPDATE tickets SET status = @status, called_at = @calledAt, first_called_at = @firstCalledAt,
         counter_id = @counterId, staff_id = @staffId, front = 0, call_rule = @rule, call_reason_zh = @zh,
         call_reason_en = @en WHERE id = @id`,
    ),
    recalled: db.prepare<Moved & ChangeOf['recall']>(
      'UPDATE tickets SET status = @status, called_at = @calledAt WHERE id = @id',
    ),
    serving: db.prepare<Moved & ChangeOf['start']>(
      'UPDATE tickets SET status = @status, serving_at = @servingAt WHERE id = @id',
    ),
    finished: db.prepare<Moved & ChangeOf['finish']>(
      `UPDATE tickets SET status = @status, finished_at = @finishedAt, serving_at = @servingAt, rating = @rating,
         rating_dimensions = @ratingDimensions WHERE id = @id`,
    ),
    noShow: db.prepare<Moved & ChangeOf['no-show']>(
      'UPDATE tickets SET status = @status, finished_at = @finishedAt WHERE id = @id',
    ),
    transferred: db.prepare<Moved & Omit<ChangeOf['transfer'], 'front'> & { front: 0 | 1 }>(
      `UPDATE tickets SET status = @status, service_id = @serviceId, queued_at = @queuedAt, front = @front,
         passed_over = 0, counter_id = NULL, called_at = NULL, serving_at = NULL WHERE id = @id`,
    ),
    /** Cancelled by its holder, or unserved at closing. */
    ended: db.prepare<Moved & { finishedAt: number; endReason: 'holder' | 'closing' }>(
      'UPDATE tickets SET status = @status, end_reason = @endReason, finished_at = @finishedAt WHERE id = @id',
    ),
    passedOver: db.prepare<[string]>('UPDATE tickets SET passed_over = passed_over + 1 WHERE id = ?'),
    rated: db.prepare<[number, string | null, string]>(
      'UPDATE tickets SET rating = ?, rating_dimensions = ? WHERE id = ?',
    ),
    printResult: db.prepare<[PrintState, string | null, string]>(
      'UPDATE tickets SET print_state = ?, print_problem = ? WHERE id = ?',
    ),
    interruptedPrints: db.prepare<[string]>(
      "UPDATE tickets SET print_state = 'failed', print_problem = ? WHERE print_state = 'pending'",
    ),
  };

  return {
    insert: (ticket: NewTicket): void => void st.insert.run(ticket),
    get: (id: string): TicketRow | undefined => st.byId.get(id),
    /** The ticket of that number on that opening day. */
    byNumber: (day: string, number: string): TicketRow | undefined => st.byNumber.get(day, number),

    /** Waiting tickets of `fromDay` on, as routing sees them (tickets of a closed day are never called). */
    waitingFrom: (fromDay: string): WaitingTicket[] =>
      st.waiting.all(fromDay).map((t) => ({
        id: t.id,
        number: t.number,
        serviceId: t.service_id,
        tier: t.tier,
        queuedAt: t.queued_at,
        passedOver: t.passed_over,
        front: t.front === 1,
      })),
    /** Waiting tickets counted per service and line group (front, tier). */
    waitingGroups: () => st.waitingGroups.all(),
    /** Every waiting ticket (of any day), with its service and when it was issued. */
    waitingSinceIssue: () => st.waitingSinceIssue.all(),
    /** When the longest-waiting ticket of a service joined its line, if any waits. */
    oldestWaiting: (serviceId: string): number | null => st.oldestWaiting.get(serviceId)?.oldest ?? null,
    /** A waiting ticket's place in its line, 1 = next. */
    placeInLine: (row: TicketRow): number => st.position.get(row)!.position,
    /** Service times (minutes) of a service's latest finished tickets, newest first. */
    recentServiceMinutes: (serviceId: string, limit: number): number[] =>
      st.recentServiceMinutes.all(serviceId, limit).map((r) => r.minutes),
    /** Tickets still open (waiting, called, serving) from a day before `day`. */
    openBefore: (day: string): TicketRow[] => st.openBefore.all(day),
    /** Tickets still open (waiting, called, serving) of `day`. */
    openOn: (day: string): TicketRow[] => st.openOn.all(day),
    /** The latest finished ticket with this number at this counter. */
    latestFinished: (counterId: string, number: string): TicketRow | undefined =>
      st.latestFinished.get(counterId, number),

    /** Writes one move of the lifecycle, to `status` (the lifecycle's answer for `change.action`). */
    change(id: string, status: TicketStatus, change: TicketChange): void {
      switch (change.action) {
        case 'call':
          return void st.called.run({ id, status, ...change, ...change.reason });
        case 'recall':
          return void st.recalled.run({ id, status, ...change });
        case 'start':
          return void st.serving.run({ id, status, ...change });
        case 'finish':
          return void st.finished.run({ id, status, ...change });
        case 'no-show':
          return void st.noShow.run({ id, status, ...change });
        case 'transfer':
          return void st.transferred.run({ id, status, ...change, front: change.front ? 1 : 0 });
        case 'cancel':
          return void st.ended.run({ id, status, ...change, endReason: 'holder' });
        case 'close-day':
          return void st.ended.run({ id, status, ...change, endReason: 'closing' });
      }
    },
    /** One more pass-over for a ticket a counter called past. */
    passedOver: (id: string): void => void st.passedOver.run(id),
    /** A rating after the finish (a rating pad). */
    rated: (id: string, rating: number, dimensions: string | null): void =>
      void st.rated.run(rating, dimensions, id),
    printResult: (id: string, result: { ok: true } | { ok: false; problem: string }): void =>
      void st.printResult.run(result.ok ? 'printed' : 'failed', result.ok ? null : result.problem, id),
    /** Prints still pending (their answer never came) count as failed, for `problem`. */
    failPendingPrints: (problem: string): void => void st.interruptedPrints.run(problem),
  };
}
