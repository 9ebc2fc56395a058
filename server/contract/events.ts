/**
 * The push channel, typed once: every event name and its payload. The server's publish and the
 * clients' subscribe are both typed by this map. Payloads are public: ticket numbers, never ids.
 */
import type { CallNotice, CallReason, CounterView, HallSnapshot, ServiceView, Tier } from './api.ts';
import type { DeviceKind, DeviceStatus } from './devices.ts';
import type { KioskEvents } from './kiosk.ts';

/** A ticket as anyone on the hall network may see it. */
export type PublicTicket = {
  number: string;
  serviceId: string;
  tier: Tier;
  counterId: string | null;
};

type TicketEvent = { ticket: PublicTicket; services: ServiceView[] };

export type ServerEvents = {
  snapshot: HallSnapshot;
  'ticket.issued': TicketEvent;
  /** `explanation`: why routing chose it (absent from calls recorded before it was kept). */
  'ticket.called': TicketEvent & { call: CallNotice; explanation?: CallReason };
  'ticket.recalled': TicketEvent & { call: CallNotice };
  'ticket.serving': TicketEvent;
  'ticket.finished': TicketEvent & { rating: number | null };
  /** A rating pad answered after the finish. */
  'ticket.rated': TicketEvent & { rating: number };
  'ticket.no-show': TicketEvent;
  'ticket.transferred': TicketEvent & { fromServiceId: string };
  'ticket.cancelled': TicketEvent & { reason: 'holder' | 'closing' };
  'ticket.print-failed': { ticket: PublicTicket; kioskId: string | null; problem: string };
  'counter.updated': { counter: CounterView };
  'device.status': { id: string; kind: DeviceKind; status: DeviceStatus; detail: string | null };
  /** Sent only on the stream of the kiosk it names (`GET /events?kioskId=…`): see kiosk.ts. */
  'kiosk.id-card': KioskEvents['kiosk.id-card'];
  'kiosk.scan': KioskEvents['kiosk.scan'];
  /** The wall's notices changed: screens fetch `GET /notices` again (the event carries no content). */
  'notices.updated': { count: number };
  /** The manager changed services or counters: the full lists as they are now (removed ones are gone). */
  'hall.configured': { version: number; services: ServiceView[]; counters: CounterView[] };
};

export type EventName = keyof ServerEvents;
export type HallEventName = Exclude<EventName, 'snapshot'>;

/**
 * One event as it travels: the id is the event log's row id and only ever increases; `at` is when the
 * command wrote it, `committedAt` (live events only, not on a replay) when that command's transaction
 * was durably committed.
 */
export type HallEvent<N extends HallEventName = HallEventName> = {
  [K in N]: { id: number; type: K; at: string; committedAt?: string; data: ServerEvents[K] };
}[N];

export const HALL_EVENT_NAMES = [
  'ticket.issued',
  'ticket.called',
  'ticket.recalled',
  'ticket.serving',
  'ticket.finished',
  'ticket.rated',
  'ticket.no-show',
  'ticket.transferred',
  'ticket.cancelled',
  'ticket.print-failed',
  'counter.updated',
  'device.status',
  'kiosk.id-card',
  'kiosk.scan',
  'notices.updated',
  'hall.configured',
] as const satisfies readonly HallEventName[];
