/**
 * What the screens read of the queue: services with their waits, counters, tickets with their place and
 * forecast, the snapshot a stream starts from, the events it resumes with, and events dressed with the
 * queue figures of the moment when they are sent. Reads only: the commands write.
 */
import {
  CALL_SHOWN_MS,
  type CallNotice,
  type CounterDetail,
  type CounterView,
  type EtaBasis,
  type HallSnapshot,
  type ServiceView,
  type TicketStatus,
  type TicketView,
  type WaitOutlook,
} from '../contract/api.ts';
import type { HallEvent, PublicTicket, ServerEvents } from '../contract/events.ts';
import type { CounterRepository, CounterRow } from '../db/counters.ts';
import type { EventRepository } from '../db/events.ts';
import type { Db } from '../db/open.ts';
import type { TicketRepository, TicketRow } from '../db/tickets.ts';
import { type Clock, MINUTE } from '../domain/clock.ts';
import { meanServiceMinutes, naiveEtaMinutes } from '../domain/eta.ts';
import { instantOf } from '../domain/hall-time.ts';
import type { Outcome, RecordedEvent, Tx } from './command-path.ts';
import type { ConfigMaps } from './hall-config.ts';
import type { EtaFigure, LiveEta } from './hall-eta.ts';
import { type Actor, lineGroupOf } from './queue-moves.ts';
import type { RecentServiceTimes } from './service-times.ts';
import type { WaitingCounts } from './waiting-counts.ts';

/** Calls shown on the wall's list of recent calls. */
const RECENT_CALLS = 10;

/** A ticket as events name it: no id (holding the id is the right to see and cancel the ticket). */
export const publicTicket = (row: TicketRow): PublicTicket => ({
  number: row.number,
  serviceId: row.service_id,
  tier: row.tier,
  counterId: row.counter_id,
});

const trackUrl = (ticketId: string) => `/t/${ticketId}`;
const etaRange = (f: EtaFigure | null) => (f ? { low: f.low, high: f.high } : null);

/**
 * New tickets waiting for their forecast, made for all of a group commit's tickets in one play once it
 * has committed (the forecast plays the hall forward: too slow for each ticket alone).
 */
export class JoinedTickets {
  private readonly joining = new Map<string, { serviceId: string; view: TicketView }>();

  constructor(private readonly liveEta: LiveEta) {}

  /** A ticket that has just joined its line in `tx`: its view gets its forecast after the commit. */
  add(view: TicketView, tx: Tx): void {
    this.joining.set(view.id, { serviceId: view.serviceId, view });
    tx.onCommit(() => this.forecast());
  }

  /** The command rolled back: its tickets never joined. */
  clear(): void {
    this.joining.clear();
  }

  private forecast(): void {
    if (this.joining.size === 0) return;
    const tickets = [...this.joining].map(([ticketId, j]) => ({ ticketId, serviceId: j.serviceId }));
    const forecasts = this.liveEta.issued(tickets);
    for (const [ticketId, { view }] of this.joining) {
      const forecast = forecasts.get(ticketId);
      if (forecast) {
        view.etaMinutes = forecast.minutes;
        view.etaRange = etaRange(forecast);
        view.etaBasis = 'forecast';
      }
    }
    this.joining.clear();
  }
}

export type HallViewsDeps = {
  /** For the snapshot's one read transaction. */
  db: Db;
  clock: Clock;
  demo: boolean;
  setup: ConfigMaps;
  tickets: TicketRepository;
  counters: CounterRepository;
  events: EventRepository;
  waitingCounts: WaitingCounts;
  serviceTimes: RecentServiceTimes;
  liveEta: LiveEta;
  /** When a counter serving the service is expected to open, while none does (opening-outlook.ts). */
  expectedOpen: (serviceId: string) => number | null;
  joined: JoinedTickets;
};

export type HallViews = ReturnType<typeof createHallViews>;

export function createHallViews(deps: HallViewsDeps) {
  const { clock, setup, tickets, counters, events, waitingCounts, liveEta } = deps;

  /** What a wait figure rests on: the forecast, else whether any open counter serves the service at all. */
  const etaBasis = (f: EtaFigure | null, serviceId: string, rows: CounterRow[]): EtaBasis =>
    f ? 'forecast' : countersServing(serviceId, rows) === 0 ? 'no-counter' : 'estimate';

  /** Waiting tickets and the oldest queue time per service, from the partial index on waiting tickets. */
  function waitingSummary(): Map<string, { waiting: number; oldest: number }> {
    return new Map(
      setup.config.services.map((s) => [
        s.id,
        { waiting: waitingCounts.waitingIn(s.id), oldest: tickets.oldestWaiting(s.id) ?? clock.now() },
      ]),
    );
  }

  function countersServing(serviceId: string, rows: CounterRow[]): number {
    return rows.filter(
      (c) => (c.status === 'open' || c.status === 'serving') && setup.serves(c.id, serviceId),
    ).length;
  }

  function etaFor(serviceId: string, peopleAhead: number, rows: CounterRow[]): number {
    return naiveEtaMinutes(
      peopleAhead,
      meanServiceMinutes(deps.serviceTimes.of(serviceId)),
      countersServing(serviceId, rows),
    );
  }

  /** Whether an open counter serves the service now, and if not, why and until when (wait-wording.ts). */
  function outlookOf(serviceId: string, rows: CounterRow[]): WaitOutlook {
    const servedNow = countersServing(serviceId, rows) > 0;
    const expected = servedNow ? null : deps.expectedOpen(serviceId);
    return {
      servedNow,
      pausedCounters: rows.filter((c) => c.status === 'paused' && setup.serves(c.id, serviceId)).length,
      expectedOpenAt: expected === null ? null : new Date(expected).toISOString(),
    };
  }

  /** `cachedOnly`: reuse the forecasts already made, if any (issuing, the hot path, makes none). */
  function serviceViews(cachedOnly = false): ServiceView[] {
    const now = clock.now();
    const summary = waitingSummary();
    const rows = counters.all();
    return setup.config.services.map((s) => {
      const { waiting, oldest } = summary.get(s.id) ?? { waiting: 0, oldest: now };
      const forecast = liveEta.forService(s.id, cachedOnly);
      return {
        id: s.id,
        prefix: s.prefix,
        name: s.name,
        open: setup.isServiceOpen(s, now),
        waiting,
        etaMinutes: forecast?.minutes ?? etaFor(s.id, waiting, rows),
        etaRange: etaRange(forecast),
        etaBasis: etaBasis(forecast, s.id, rows),
        outlook: outlookOf(s.id, rows),
        waitTargetMinutes: s.waitTargetMinutes,
        longestWaitMinutes: waiting === 0 ? 0 : Math.floor((now - oldest) / MINUTE),
      };
    });
  }

  function counterView(row: CounterRow): CounterView {
    return {
      id: row.id,
      name: row.name,
      status: row.status,
      currentTicket: row.ticket_number,
      currentSince: row.ticket_since === null ? null : new Date(row.ticket_since).toISOString(),
      serviceIds: setup.servicesOf(row.id),
      pauseReason: row.pause_reason,
      staffName: row.staff_name,
    };
  }

  function counterViews(): CounterView[] {
    const rows = counters.all();
    return setup.config.counters.map((c) => counterView(rows.find((r) => r.id === c.id)!));
  }

  /**
   * `joinedIn`: the command in which the ticket has just joined the end of its line group (issued or
   * transferred), so its place comes from the counts instead of counting the line, and its forecast is
   * made once the command (or its whole group commit) has committed.
   */
  function ticketView(row: TicketRow, joinedIn?: Tx): TicketView {
    let position = 0;
    let etaMinutes = 0;
    let forecast: EtaFigure | null = null;
    let basis: EtaBasis | null = null;
    const rows = counters.all();
    if (row.status === 'waiting') {
      position = joinedIn ? waitingCounts.placeOfNewest(lineGroupOf(row)) : tickets.placeInLine(row);
      forecast = joinedIn ? null : liveEta.forTicket(row.id, row.service_id);
      etaMinutes = forecast?.minutes ?? etaFor(row.service_id, position - 1, rows);
      basis = etaBasis(forecast, row.service_id, rows);
    }
    const view: TicketView = {
      id: row.id,
      number: row.number,
      serviceId: row.service_id,
      status: row.status,
      position,
      etaMinutes,
      etaRange: etaRange(forecast),
      etaBasis: basis,
      outlook: row.status === 'waiting' ? outlookOf(row.service_id, rows) : null,
      counterId: row.counter_id,
      tier: row.tier,
      channel: row.channel,
      issuedAt: new Date(row.issued_at).toISOString(),
      calledAt: row.called_at === null ? null : new Date(row.called_at).toISOString(),
      finishedAt: row.finished_at === null ? null : new Date(row.finished_at).toISOString(),
      trackUrl: trackUrl(row.id),
      print: row.print_state,
      printProblem: row.print_problem,
    };
    if (joinedIn && row.status === 'waiting') deps.joined.add(view, joinedIn);
    return view;
  }

  /**
   * Events as they travel: ticket events carry the figures of the services they changed (and always
   * their own service's), not the whole hall; screens merge them by id. Forecasts already made are
   * reused when only tickets were issued (the hot path: each new ticket forecast itself).
   */
  let sentViews = new Map<string, string>();
  function presentEvents(recorded: readonly RecordedEvent[]): HallEvent[] {
    let views: { all: ServiceView[]; changed: ServiceView[] } | null = null;
    return recorded.map((e) => {
      let data = e.data as Record<string, unknown>;
      if (e.type.startsWith('ticket.') && e.type !== 'ticket.print-failed') {
        views ??= viewsSinceSent(recorded.every((x) => x.type === 'ticket.issued'));
        const own = (data.ticket as PublicTicket).serviceId;
        const services = views.changed.some((v) => v.id === own)
          ? views.changed
          : [...views.changed, ...views.all.filter((v) => v.id === own)];
        data = { ...data, services };
      }
      return { id: e.id, type: e.type, at: new Date(e.at).toISOString(), data } as HallEvent;
    });
  }

  function viewsSinceSent(cachedOnly: boolean): { all: ServiceView[]; changed: ServiceView[] } {
    const all = serviceViews(cachedOnly);
    const next = new Map(all.map((v) => [v.id, JSON.stringify(v)]));
    const changed = all.filter((v) => sentViews.get(v.id) !== next.get(v.id));
    sentViews = next;
    return { all, changed };
  }

  /** The start of the local opening day at `now`. */
  const startOfDay = (now: number) => instantOf(setup.dayAt(now), 0, setup.config.timeZone);

  function snapshot(): HallSnapshot {
    return deps.db.transaction(() => {
      const now = clock.now();
      const today = startOfDay(now);
      const calls = events
        .recentCalls(RECENT_CALLS)
        .filter((r) => r.at >= today)
        .map((r) => ({ ...r, call: (JSON.parse(r.payload) as ServerEvents['ticket.called']).call }));
      const calling = new Map<string, CallNotice>();
      for (const { call, at, status } of calls)
        if (status === 'called' && now - at < CALL_SHOWN_MS && !calling.has(call.number))
          calling.set(call.number, call);
      const { config } = setup;
      return {
        hall: { name: config.name, demo: deps.demo, timeZone: config.timeZone },
        services: serviceViews(),
        counters: counterViews(),
        recentCalls: calls.map((r) => r.call),
        calling: [...calling.values()],
        lastEventId: events.lastId(),
      };
    })();
  }

  /**
   * Events after `afterId`, oldest first, for a stream that resumes. Ticket events are replayed without
   * queue figures: the stream's snapshot, sent first, holds the figures of now.
   */
  function eventsAfter(afterId: number, limit = 1000): HallEvent[] {
    return events.after(afterId, limit).map((r) => {
      const data = JSON.parse(r.payload) as Record<string, unknown>;
      if (r.type.startsWith('ticket.') && r.type !== 'ticket.print-failed') data.services = [];
      return { id: r.id, type: r.type, at: new Date(r.at).toISOString(), data } as HallEvent;
    });
  }

  /**
   * Whether a stream that saw event `afterId` may resume from the log: only within the opening day (a
   * screen that was away longer is redrawn from the snapshot alone).
   */
  function resumableAfter(afterId: number): boolean {
    const next = events.firstAtAfter(afterId);
    return next === undefined || next >= startOfDay(clock.now());
  }

  /**
   * The counter as its terminal shows it. `customerRef` (the BSS id of an identified customer) stays on
   * the server: the caller looks the account up and fills `customer.account`.
   */
  function counterDetail(
    counterId: string,
    actor: Actor,
  ): Outcome<{ detail: CounterDetail; customerRef: string | null }> {
    const row = counters.get(counterId);
    if (!row)
      return { ok: false, status: 404, code: 'counter-not-found', message: `no counter ${counterId}` };
    if (actor.role !== 'manager' && row.staff_id !== null && row.staff_id !== actor.id)
      return {
        ok: false,
        status: 403,
        code: 'not-seated',
        message: `${row.name} is staffed by ${row.staff_name}`,
      };
    const summary = waitingSummary();
    const ticket = row.ticket_id ? tickets.get(row.ticket_id)! : null;
    const now = clock.now();
    return {
      ok: true,
      value: {
        customerRef: ticket?.customer_ref ?? null,
        detail: {
          counter: counterView(row),
          ticket: ticket ? ticketView(ticket) : null,
          explanation:
            ticket?.call_rule && ticket.call_reason_zh && ticket.call_reason_en
              ? {
                  rule: ticket.call_rule,
                  zh: ticket.call_reason_zh,
                  en: ticket.call_reason_en,
                  passedOver: [],
                }
              : null,
          customer:
            ticket && (ticket.customer_name_masked || ticket.phone_masked)
              ? { maskedName: ticket.customer_name_masked, maskedPhone: ticket.phone_masked, account: null }
              : null,
          queues: setup.servicesOf(counterId).map((serviceId) => {
            const { waiting, oldest } = summary.get(serviceId) ?? { waiting: 0, oldest: now };
            return { serviceId, waiting, longestWaitMinutes: Math.floor((now - oldest) / MINUTE) };
          }),
        },
      },
    };
  }

  function getTicket(id: string): Outcome<TicketView> {
    const row = tickets.get(id);
    if (!row) return { ok: false, status: 404, code: 'ticket-not-found', message: 'no such ticket' };
    return { ok: true, value: ticketView(row) };
  }

  /** A ticket's state and place in its line (0 unless waiting), without its forecast: cheap. */
  function placeInLine(
    ticketId: string,
  ): { status: TicketStatus; serviceId: string; number: string; position: number } | null {
    const row = tickets.get(ticketId);
    if (!row) return null;
    const position = row.status === 'waiting' ? tickets.placeInLine(row) : 0;
    return { status: row.status, serviceId: row.service_id, number: row.number, position };
  }

  return {
    serviceViews,
    counterView,
    counterViews,
    ticketView,
    getTicket,
    placeInLine,
    /** Whether an open counter serves the service now, and if not, why and until when. */
    serviceOutlook: (serviceId: string) => outlookOf(serviceId, counters.all()),
    presentEvents,
    snapshot,
    eventsAfter,
    resumableAfter,
    counterDetail,
  };
}
