/**
 * Writes a played history (server/domain/sim/demo-history.ts) into a new hall database made with the
 * real migrations: ticket rows with the timestamps and fields the hall would have written, and the event
 * log in time order. For `npm start`'s new demo hall (scripts/demo-history.ts), the statistics benchmark
 * and tests that need weeks of a hall.
 */
import { randomBytes } from 'node:crypto';
import { counterServiceWeights, DEMO_HALL, type HallConfig } from '../config.ts';
import type { CallNotice } from '../contract/api.ts';
import { SERVQUAL } from '../contract/api.ts';
import type { PublicTicket } from '../contract/events.ts';
import type { Db } from '../db/open.ts';
import { addDays, localTime } from '../domain/hall-time.ts';
import { type PastTicket, playHistory } from '../domain/sim/demo-history.ts';

export type DemoHistoryOptions = {
  days: number;
  /** Last day (YYYY-MM-DD); default: yesterday in the hall. */
  end?: string;
  seed?: number;
  /** Times the demo hall's customers and counters (see `playHistory`). */
  scale?: number;
  hall?: HallConfig;
  now?: number;
};

export type DemoHistoryResult = { from: string; to: string; tickets: number; events: number; ms: number };

type EventRow = [
  at: number,
  type: string,
  ticketId: string,
  counterId: string | null,
  reason: string | null,
  payload: string,
];

/**
 * Writes the history into `db`, a new hall database (opened with the migrations, no ticket yet: the
 * numbers would collide), and leaves it in WAL mode for the hall.
 */
export function writeDemoHistory(db: Db, options: DemoHistoryOptions): DemoHistoryResult {
  const started = performance.now();
  const hall = options.hall ?? DEMO_HALL;
  const now = options.now ?? Date.now();
  const to = options.end ?? addDays(localTime(now, hall.timeZone).day, -1);
  const from = addDays(to, -(options.days - 1));
  if (db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM tickets').get()!.n > 0)
    throw new Error(
      'this hall has tickets already: write a history into a new database (numbers would collide)',
    );
  // Nothing here needs to survive a power cut, and one transaction written straight into the file beats
  // going through the WAL. WAL comes back on at the end.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');

  const staffOf = new Map(
    hall.counters.map((c, i) => [c.id, hall.staff.filter((s) => s.role === 'staff')[i]?.id ?? null]),
  );
  const counterName = (id: string) => hall.counters.find((c) => c.id === id)?.name ?? id;
  const insertTicket = db.prepare(
    `INSERT INTO tickets(id, day, hour, weekday, number, service_id, issued_service_id, tier, channel, lang, status,
       issued_at, queued_at, passed_over, first_called_at, called_at, serving_at, finished_at, counter_id, staff_id,
       end_reason, print_state, call_rule, call_reason_zh, call_reason_en, rating, rating_dimensions)
     VALUES (@id, @day, @hour, @weekday, @number, @serviceId, @serviceId, @tier, @channel, @lang, @status,
       @issuedAt, @issuedAt, @passedOver, @calledAt, @calledAt, @servingAt, @finishedAt, @counterId, @staffId,
       @endReason, @printState, @rule, @reasonZh, @reasonEn, @rating, @dimensions)`,
  );
  const insertEvent = db.prepare(
    'INSERT INTO events(at, type, ticket_id, counter_id, staff_id, reason, payload) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertNumber = db.prepare('INSERT INTO daily_numbers(day, prefix, last) VALUES (?, ?, ?)');
  const prefixOf = new Map(hall.services.map((s) => [s.id, s.prefix]));
  let tickets = 0;
  let events = 0;

  db.transaction(() => {
    const service = db.prepare(
      `INSERT INTO services(id, prefix, name_zh, name_en, wait_target_minutes, enabled) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO NOTHING`,
    );
    for (const s of hall.services)
      service.run(s.id, s.prefix, s.name.zh, s.name.en, s.waitTargetMinutes, s.enabled ? 1 : 0);
    // The hall gives these accounts their demo (or real) passwords when it starts; this hash matches nothing.
    const user = db.prepare(
      `INSERT INTO users(id, username, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, 'none$generated', ?)
       ON CONFLICT(id) DO NOTHING`,
    );
    for (const s of hall.staff) user.run(s.id, s.username, s.name, s.role, now);

    const days = playHistory({
      hall: {
        timeZone: hall.timeZone,
        services: hall.services,
        counters: hall.counters.map((c) => ({
          id: c.id,
          routing: { services: counterServiceWeights(c), elderlyFirst: c.elderlyFirst },
        })),
      },
      from,
      days: options.days,
      seed: options.seed ?? 1,
      scale: options.scale,
    });
    for (const { day, tickets: played } of days) {
      const rows: EventRow[] = [];
      const last = new Map<string, number>();
      for (const t of played) {
        const id = randomBytes(16).toString('base64url');
        const staffId = t.counterId === null ? null : (staffOf.get(t.counterId) ?? null);
        insertTicket.run({
          id,
          day,
          hour: t.hour,
          weekday: t.weekday,
          number: t.number,
          serviceId: t.serviceId,
          tier: t.tier,
          channel: t.channel,
          lang: t.lang,
          status: t.status,
          issuedAt: t.issuedAt,
          passedOver: t.passedOver,
          calledAt: t.calledAt,
          servingAt: t.servingAt,
          finishedAt: t.finishedAt,
          counterId: t.counterId,
          staffId,
          endReason: t.endReason,
          printState: t.channel === 'kiosk' ? 'printed' : 'none',
          rule: t.call?.rule ?? null,
          reasonZh: t.call?.zh ?? null,
          reasonEn: t.call?.en ?? null,
          rating: t.rating,
          dimensions:
            t.dimensions && JSON.stringify(Object.fromEntries(SERVQUAL.map((d, i) => [d, t.dimensions![i]]))),
        });
        rows.push(...eventsOf(t, id, counterName));
        const prefix = prefixOf.get(t.serviceId)!;
        const sequence = Number(t.number.slice(1));
        last.set(prefix, Math.max(last.get(prefix) ?? 0, sequence));
      }
      // Event ids increase with time, as in a live hall.
      rows.sort((a, b) => a[0] - b[0]);
      for (const [at, type, ticketId, counterId, reason, payload] of rows)
        insertEvent.run(at, type, ticketId, counterId, counterId && staffOf.get(counterId), reason, payload);
      for (const [prefix, n] of last) insertNumber.run(day, prefix, n);
      tickets += played.length;
      events += rows.length;
    }
  })();
  db.pragma('journal_mode = WAL');
  db.pragma('optimize');
  return { from, to, tickets, events, ms: Math.round(performance.now() - started) };
}

/** The events the hall would have logged for a ticket, with their public payloads. */
function eventsOf(t: PastTicket, id: string, counterName: (id: string) => string): EventRow[] {
  const ticket = (counterId: string | null): PublicTicket => ({
    number: t.number,
    serviceId: t.serviceId,
    tier: t.tier,
    counterId,
  });
  const rows: EventRow[] = [
    [t.issuedAt, 'ticket.issued', id, null, null, JSON.stringify({ ticket: ticket(null) })],
  ];
  if (t.calledAt === null || t.counterId === null) {
    rows.push([
      t.finishedAt,
      'ticket.cancelled',
      id,
      null,
      'holder',
      JSON.stringify({ ticket: ticket(null), reason: 'holder' }),
    ]);
    return rows;
  }
  const at = t.counterId;
  const call: CallNotice = {
    number: t.number,
    serviceId: t.serviceId,
    counterId: at,
    counterName: counterName(at),
    at: new Date(t.calledAt).toISOString(),
    recall: false,
  };
  rows.push([
    t.calledAt,
    'ticket.called',
    id,
    at,
    t.call?.en ?? null,
    JSON.stringify({ ticket: ticket(at), call, explanation: t.call }),
  ]);
  if (t.servingAt !== null)
    rows.push([t.servingAt, 'ticket.serving', id, at, null, JSON.stringify({ ticket: ticket(at) })]);
  rows.push(
    t.status === 'done'
      ? [
          t.finishedAt,
          'ticket.finished',
          id,
          at,
          null,
          JSON.stringify({ ticket: ticket(at), rating: t.rating }),
        ]
      : [t.finishedAt, 'ticket.no-show', id, at, null, JSON.stringify({ ticket: ticket(at) })],
  );
  return rows;
}
