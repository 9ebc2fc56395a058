/**
 * Writes a played history (server/app/demo-history.ts) into a new hall database: the services and staff
 * it names, its tickets as the hall would have left them, their events and the day's last numbers.
 */
import type { Role, Tier } from '../contract/api.ts';
import type { StatTicket } from '../domain/stats.ts';
import type { Db } from './open.ts';

/** A past ticket: one service throughout (never transferred), called once, at most. */
export type PlayedTicketRow = {
  id: string;
  day: string;
  hour: number;
  weekday: number;
  number: string;
  serviceId: string;
  tier: Tier;
  channel: string;
  lang: string;
  status: StatTicket['status'];
  issuedAt: number;
  passedOver: number;
  calledAt: number | null;
  servingAt: number | null;
  finishedAt: number | null;
  counterId: string | null;
  staffId: string | null;
  endReason: string | null;
  printState: 'none' | 'printed';
  rule: string | null;
  reasonZh: string | null;
  reasonEn: string | null;
  rating: number | null;
  /** JSON of the rating's SERVQUAL dimensions. */
  dimensions: string | null;
};

export type PlayedEventRow = {
  at: number;
  type: string;
  ticketId: string;
  counterId: string | null;
  staffId: string | null;
  reason: string | null;
  payload: string;
};

export type PlayedHistoryRepository = ReturnType<typeof createPlayedHistoryRepository>;

export function createPlayedHistoryRepository(db: Db) {
  const st = {
    anyTicket: db.prepare<[], number>('SELECT EXISTS (SELECT 1 FROM tickets)').pluck(),
    service: db.prepare<[string, string, string, string, number, 0 | 1]>(
      `INSERT INTO services(id, prefix, name_zh, name_en, wait_target_minutes, enabled) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO NOTHING`,
    ),
    // The hall gives these accounts their demo (or real) passwords when it starts; this hash matches nothing.
    account: db.prepare<[string, string, string, Role, number]>(
      `INSERT INTO users(id, username, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, 'none$generated', ?)
       ON CONFLICT(id) DO NOTHING`,
    ),
    ticket: db.prepare<PlayedTicketRow>(
      `INSERT INTO tickets(id, day, hour, weekday, number, service_id, issued_service_id, tier, channel, lang, status,
         issued_at, queued_at, passed_over, first_called_at, called_at, serving_at, finished_at, counter_id, staff_id,
         end_reason, print_state, call_rule, call_reason_zh, call_reason_en, rating, rating_dimensions)
       VALUES (@id, @day, @hour, @weekday, @number, @serviceId, @serviceId, @tier, @channel, @lang, @status,
         @issuedAt, @issuedAt, @passedOver, @calledAt, @calledAt, @servingAt, @finishedAt, @counterId, @staffId,
         @endReason, @printState, @rule, @reasonZh, @reasonEn, @rating, @dimensions)`,
    ),
    event: db.prepare<PlayedEventRow>(
      `INSERT INTO events(at, type, ticket_id, counter_id, staff_id, reason, payload)
       VALUES (@at, @type, @ticketId, @counterId, @staffId, @reason, @payload)`,
    ),
    lastNumber: db.prepare<[string, string, number]>(
      'INSERT INTO daily_numbers(day, prefix, last) VALUES (?, ?, ?)',
    ),
  };

  return {
    /** Whether the hall has any ticket (a history goes only into a new hall: numbers would collide). */
    hasTickets: (): boolean => st.anyTicket.get() === 1,
    /**
     * Runs `write` in one transaction written straight into the file, with no journal and no fsync:
     * nothing of a new history needs to survive a power cut. WAL comes back on at the end.
     */
    inBulk<T>(write: () => T): T {
      db.pragma('journal_mode = OFF');
      db.pragma('synchronous = OFF');
      const result = db.transaction(write)();
      db.pragma('journal_mode = WAL');
      db.pragma('optimize');
      return result;
    },
    /** A service the hall does not have yet (one it has keeps its row). */
    addService: (s: {
      id: string;
      prefix: string;
      nameZh: string;
      nameEn: string;
      waitTargetMinutes: number;
      enabled: boolean;
    }) => void st.service.run(s.id, s.prefix, s.nameZh, s.nameEn, s.waitTargetMinutes, s.enabled ? 1 : 0),
    /** An account the hall does not have yet, with no password. */
    addAccount: (a: { id: string; username: string; name: string; role: Role }, now: number) =>
      void st.account.run(a.id, a.username, a.name, a.role, now),
    addTicket: (ticket: PlayedTicketRow) => void st.ticket.run(ticket),
    /** Give them in time order: event ids increase with time, as in a live hall. */
    addEvent: (event: PlayedEventRow) => void st.event.run(event),
    lastNumber: (day: string, prefix: string, last: number) => void st.lastNumber.run(day, prefix, last),
  };
}
