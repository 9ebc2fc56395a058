/**
 * From a hall's shipped events to the figures of its days, the way the hall itself counts them: each
 * ticket event carries its public ticket and the ticket row's facts (server/contract/hq.ts), the events of
 * a ticket are folded in sequence order into one ticket, and each ticket counts by statTicket(), the rule
 * the hall's statistics use. Pure: no I/O.
 *
 * Events may arrive twice and out of order: a field is taken from the newest event (by sequence
 * number) that speaks of it, so the fold of a set of events does not depend on their arrival.
 */
import type { TicketStatus } from '../../server/contract/api.ts';
import { HALL_EVENT_NAMES } from '../../server/contract/events.ts';
import { HQ_SCHEMA_VERSION, type HqEvent } from '../../server/contract/hq.ts';
import { GroupAccumulator, statTicket } from '../../server/domain/stats.ts';
import { getOrMake } from './maps.ts';

export type TicketEvent = {
  kind: 'ticket';
  seq: number;
  type: string;
  day: string;
  number: string;
  serviceId: string;
  counterId: string | null;
  hour: number;
  issuedAt: number;
  firstCalledAt?: number | null;
  servingAt?: number | null;
  finishedAt?: number | null;
  waitTargetMinutes: number;
  rating?: number | null;
  reason?: string | null;
};

export type DecodedEvent =
  | TicketEvent
  | { kind: 'other'; seq: number; type: string; day: string }
  | { kind: 'quarantine'; seq: number; reason: string };

/** The status a ticket has after each event; absent: the event does not move it. */
const STATUS_AFTER: Record<string, TicketStatus> = {
  'ticket.issued': 'waiting',
  'ticket.called': 'called',
  'ticket.recalled': 'called',
  'ticket.serving': 'serving',
  'ticket.finished': 'done',
  'ticket.rated': 'done',
  'ticket.no-show': 'no-show',
  'ticket.transferred': 'waiting',
  'ticket.cancelled': 'cancelled',
};

const KNOWN_TYPES = new Set<string>(HALL_EVENT_NAMES);
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** ISO 8601 with an offset (the hall's), as the contract asks of `at` and `sentAt`. */
export function isoWithOffset(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
    !Number.isNaN(Date.parse(value))
  );
}

/** The hall's local date of an ISO time with its offset: as the hall's clock read it. */
const localDayOf = (iso: string) => iso.slice(0, 10);

const time = (v: unknown): number | null | undefined => {
  if (v === undefined) return undefined;
  if (v === null) return null;
  return isoWithOffset(v) ? Date.parse(v) : Number.NaN;
};

/** What an event says, or why HQ cannot read it (it then goes to quarantine). */
export function decodeEvent(schemaVersion: number, e: HqEvent): DecodedEvent {
  if (schemaVersion !== HQ_SCHEMA_VERSION)
    return { kind: 'quarantine', seq: e.seq, reason: `schema version ${schemaVersion} not known` };
  if (!KNOWN_TYPES.has(e.type)) return { kind: 'quarantine', seq: e.seq, reason: `type ${e.type} not known` };
  if (!e.type.startsWith('ticket.'))
    return { kind: 'other', seq: e.seq, type: e.type, day: localDayOf(e.at) };
  const ticket = e.data.ticket as Record<string, unknown> | undefined;
  const facts = e.data.facts as Record<string, unknown> | undefined;
  const invalid = (what: string) => ({
    kind: 'quarantine' as const,
    seq: e.seq,
    reason: `invalid data: ${what}`,
  });
  if (!ticket || typeof ticket !== 'object') return invalid('no ticket');
  if (!facts || typeof facts !== 'object') return invalid('no facts');
  const { number, serviceId, counterId } = ticket;
  if (typeof number !== 'string' || typeof serviceId !== 'string') return invalid('ticket number or service');
  if (counterId !== null && typeof counterId !== 'string') return invalid('ticket counter');
  const { day, hour, waitTargetMinutes } = facts;
  if (typeof day !== 'string' || !DAY.test(day)) return invalid('facts.day');
  if (typeof hour !== 'number' || !Number.isInteger(hour) || hour < 0 || hour > 23)
    return invalid('facts.hour');
  if (typeof waitTargetMinutes !== 'number' || !(waitTargetMinutes > 0))
    return invalid('facts.waitTargetMinutes');
  const issuedAt = time(facts.issuedAt);
  if (typeof issuedAt !== 'number' || Number.isNaN(issuedAt)) return invalid('facts.issuedAt');
  const times = {
    firstCalledAt: time(facts.firstCalledAt),
    servingAt: time(facts.servingAt),
    finishedAt: time(facts.finishedAt),
  };
  for (const [k, v] of Object.entries(times)) if (Number.isNaN(v)) return invalid(`facts.${k}`);
  const rating = e.data.rating;
  if (rating !== undefined && rating !== null && (typeof rating !== 'number' || !Number.isFinite(rating)))
    return invalid('rating');
  const reason = e.data.reason;
  return {
    kind: 'ticket',
    seq: e.seq,
    type: e.type,
    day,
    number,
    serviceId,
    counterId: counterId ?? null,
    hour,
    issuedAt,
    ...times,
    waitTargetMinutes,
    ...(rating === undefined ? {} : { rating: rating as number | null }),
    ...(typeof reason === 'string' ? { reason } : {}),
  } as TicketEvent;
}

type FoldedTicket = {
  serviceId: string;
  counterId: string | null;
  hour: number;
  status: TicketStatus;
  endReason: string | null;
  issuedAt: number;
  firstCalledAt: number | null;
  servingAt: number | null;
  finishedAt: number | null;
  waitTargetMinutes: number;
  rating: number | null;
  /** Sequence numbers of the events the state and the rating were taken from. */
  stateSeq: number;
  ratingSeq: number;
};

export const cellKey = (serviceId: string, hour: number) => `${serviceId}\u0000${hour}`;
export const splitCellKey = (key: string) => {
  const [serviceId, hour] = key.split('\u0000') as [string, string];
  return { serviceId, hour: Number(hour) };
};

/** The figures of one hall day: per service × hour cell, per counter, and the whole day. */
export type DayFigures = {
  cells: Map<string, GroupAccumulator>;
  counters: Map<string, GroupAccumulator>;
  all: GroupAccumulator;
  openTickets: number;
};

/** The tickets of one hall day, folded from its ticket events in any order. */
export class DayFold {
  private tickets = new Map<string, FoldedTicket>();
  maxSeq = 0;

  apply(e: TicketEvent): void {
    this.maxSeq = Math.max(this.maxSeq, e.seq);
    let t = this.tickets.get(e.number);
    if (!t) {
      t = {
        serviceId: e.serviceId,
        counterId: e.counterId,
        hour: e.hour,
        status: 'waiting',
        endReason: null,
        issuedAt: e.issuedAt,
        firstCalledAt: null,
        servingAt: null,
        finishedAt: null,
        waitTargetMinutes: e.waitTargetMinutes,
        rating: null,
        stateSeq: 0,
        ratingSeq: 0,
      };
      this.tickets.set(e.number, t);
    }
    // Set once on the hall and never changed after: any event that carries them will do.
    if (e.firstCalledAt != null) t.firstCalledAt = e.firstCalledAt;
    if (e.servingAt != null) t.servingAt = e.servingAt;
    if (e.finishedAt != null) t.finishedAt = e.finishedAt;
    const status = STATUS_AFTER[e.type];
    if (status && e.seq > t.stateSeq) {
      t.stateSeq = e.seq;
      t.status = status;
      t.serviceId = e.serviceId;
      t.counterId = e.counterId;
      t.waitTargetMinutes = e.waitTargetMinutes;
      t.endReason = status === 'cancelled' ? (e.reason ?? null) : null;
    }
    if ((e.type === 'ticket.finished' || e.type === 'ticket.rated') && e.seq > t.ratingSeq) {
      t.ratingSeq = e.seq;
      t.rating = e.rating ?? null;
    }
  }

  get size(): number {
    return this.tickets.size;
  }

  figures(): DayFigures {
    const out: DayFigures = {
      cells: new Map(),
      counters: new Map(),
      all: new GroupAccumulator(),
      openTickets: 0,
    };
    const group = (map: Map<string, GroupAccumulator>, key: string) =>
      getOrMake(map, key, () => new GroupAccumulator());
    for (const t of this.tickets.values()) {
      const stat = statTicket({
        ...t,
        rating: t.rating === null ? null : { score: t.rating, dimensions: {} },
      });
      out.all.add(stat);
      group(out.cells, cellKey(t.serviceId, t.hour)).add(stat);
      if (t.counterId !== null) group(out.counters, t.counterId).add(stat);
      if (t.status === 'waiting' || t.status === 'called' || t.status === 'serving') out.openTickets++;
    }
    return out;
  }
}
