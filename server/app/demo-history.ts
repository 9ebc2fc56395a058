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
import { createPlayedHistoryRepository, type PlayedEventRow } from '../db/played-history.ts';
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
  const rows = createPlayedHistoryRepository(db);
  if (rows.hasTickets())
    throw new Error(
      'this hall has tickets already: write a history into a new database (numbers would collide)',
    );

  const staffOf = new Map(
    hall.counters.map((c, i) => [c.id, hall.staff.filter((s) => s.role === 'staff')[i]?.id ?? null]),
  );
  const counterName = (id: string) => hall.counters.find((c) => c.id === id)?.name ?? id;
  const prefixOf = new Map(hall.services.map((s) => [s.id, s.prefix]));
  let tickets = 0;
  let eventCount = 0;

  rows.inBulk(() => {
    for (const s of hall.services) rows.addService({ ...s, nameZh: s.name.zh, nameEn: s.name.en });
    for (const s of hall.staff) rows.addAccount(s, now);

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
      const events: PlayedEventRow[] = [];
      const last = new Map<string, number>();
      for (const t of played) {
        const id = randomBytes(16).toString('base64url');
        const staffId = t.counterId === null ? null : (staffOf.get(t.counterId) ?? null);
        rows.addTicket({
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
        events.push(...eventsOf(t, id, counterName, staffId));
        const prefix = prefixOf.get(t.serviceId)!;
        const sequence = Number(t.number.slice(1));
        last.set(prefix, Math.max(last.get(prefix) ?? 0, sequence));
      }
      // Event ids increase with time, as in a live hall.
      events.sort((a, b) => a.at - b.at);
      for (const e of events) rows.addEvent(e);
      for (const [prefix, n] of last) rows.lastNumber(day, prefix, n);
      tickets += played.length;
      eventCount += events.length;
    }
  });
  return { from, to, tickets, events: eventCount, ms: Math.round(performance.now() - started) };
}

/** The events the hall would have logged for a ticket, with their public payloads. */
function eventsOf(
  t: PastTicket,
  id: string,
  counterName: (id: string) => string,
  staffId: string | null,
): PlayedEventRow[] {
  const ticket = (counterId: string | null): PublicTicket => ({
    number: t.number,
    serviceId: t.serviceId,
    tier: t.tier,
    counterId,
  });
  /** An event of the ticket; one at a counter names the person there. */
  const event = (
    at: number,
    type: string,
    counterId: string | null,
    reason: string | null,
    payload: object,
  ): PlayedEventRow => ({
    ...{ at, type, ticketId: id, counterId, reason },
    staffId: counterId === null ? null : staffId,
    payload: JSON.stringify(payload),
  });
  const rows = [event(t.issuedAt, 'ticket.issued', null, null, { ticket: ticket(null) })];
  if (t.calledAt === null || t.counterId === null) {
    rows.push(
      event(t.finishedAt, 'ticket.cancelled', null, 'holder', { ticket: ticket(null), reason: 'holder' }),
    );
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
  rows.push(
    event(t.calledAt, 'ticket.called', at, t.call?.en ?? null, {
      ticket: ticket(at),
      call,
      explanation: t.call,
    }),
  );
  if (t.servingAt !== null) rows.push(event(t.servingAt, 'ticket.serving', at, null, { ticket: ticket(at) }));
  rows.push(
    t.status === 'done'
      ? event(t.finishedAt, 'ticket.finished', at, null, { ticket: ticket(at), rating: t.rating })
      : event(t.finishedAt, 'ticket.no-show', at, null, { ticket: ticket(at) }),
  );
  return rows;
}
