/**
 * The hall's queue: its commands (issue, call, finish…), run one at a time on the command path
 * (command-path.ts), and the views the screens read. A side effect that fails never rolls a committed
 * ticket back; it becomes an event of its own.
 */
import { randomBytes } from 'node:crypto';
import type { CounterConfig, HallConfig, ServiceConfig } from '../config.ts';
import { counterServiceWeights } from '../config.ts';
import {
  CALL_SHOWN_MS,
  type CallNotice,
  type CallReason,
  type Channel,
  type CounterDetail,
  type CounterStatus,
  type CounterView,
  type EtaBasis,
  type HallSnapshot,
  type IssueTicketRequest,
  type PauseReason,
  type PrintState,
  type RatingInput,
  type Role,
  type ServiceView,
  type TicketStatus,
  type TicketView,
  type Tier,
  type WaitOutlook,
} from '../contract/api.ts';
import type { HallEvent, HallEventName, PublicTicket, ServerEvents } from '../contract/events.ts';
import type { Db } from '../db/open.ts';
import { type Clock, MINUTE } from '../domain/clock.ts';
import { meanServiceMinutes, naiveEtaMinutes } from '../domain/eta.ts';
import { instantOf, localTime, parseClockTime } from '../domain/hall-time.ts';
import {
  type CounterAction,
  nextCounterStatus,
  nextTicketStatus,
  OPEN_TICKET_STATUSES,
  type TicketAction,
} from '../domain/lifecycle.ts';
import { formatTicketNumber } from '../domain/numbering.ts';
import { chooseNext, type RoutingCounter, type WaitingTicket } from '../domain/routing.ts';
import { hallSalt, hashPhone, maskPhone, sha256 } from '../integrations/privacy.ts';
import { type CommandPath, type Outcome, type RecordedEvent, refuse, type Tx } from './command-path.ts';
import { createLiveEta, type EtaFigure } from './hall-eta.ts';
import { createOpeningOutlook } from './opening-outlook.ts';
import { WaitingCounts } from './waiting-counts.ts';

export type Actor = { id: string; name: string; role: Role };

/** What the printer side effect needs: plain data, laid out by the hardware. */
export type TicketPrintData = {
  kioskId: string | null;
  number: string;
  hallName: { zh: string; en: string };
  serviceName: { zh: string; en: string };
  peopleAhead: number;
  etaMinutes: number;
  issuedAt: number;
  timeZone: string;
  trackUrl: string;
};

export type PrintTicket = (data: TicketPrintData) => Promise<{ ok: true } | { ok: false; problem: string }>;

export type HallDeps = {
  db: Db;
  clock: Clock;
  config: HallConfig;
  commands: CommandPath;
  demo: boolean;
  /** Absent: tickets are not printed (e.g. a test of the queue alone). */
  printTicket?: PrintTicket;
  log: (line: Record<string, unknown>) => void;
};

type TicketRow = {
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

type CounterRow = {
  id: string;
  name: string;
  status: CounterStatus;
  staff_id: string | null;
  staff_name: string | null;
  ticket_id: string | null;
  ticket_number: string | null;
  /** When the current ticket was started here, else called here. */
  ticket_since: number | null;
  pause_reason: PauseReason | null;
};

/** A counter with the name of the person seated and the number and start of its current ticket. */
const COUNTER_ROWS_SQL = `SELECT c.*, u.name AS staff_name, t.number AS ticket_number,
    COALESCE(t.serving_at, t.called_at) AS ticket_since FROM counters c
  LEFT JOIN users u ON u.id = c.staff_id LEFT JOIN tickets t ON t.id = c.ticket_id`;

const RECENT_SERVICE_TIMES = 20;

/** The tier order of a service's line, in SQL. */
const TIER_RANK_SQL = (column: string) =>
  `CASE ${column} WHEN 'vip' THEN 0 WHEN 'elderly' THEN 1 WHEN 'appointment' THEN 2 ELSE 3 END`;
const RECENT_CALLS = 10;
/** Commands after which forecasts already made still hold. */
const QUEUE_STILL = new Set(['issue-ticket', 'rate', 'device-status']);

export type Hall = ReturnType<typeof createHall>;

export function createHall(deps: HallDeps) {
  const { db, clock, commands } = deps;
  /** Replaced by `reconfigure` (the manager's edits); read it through this variable, never copy it. */
  let config = deps.config;
  const services = new Map(config.services.map((s) => [s.id, s]));
  const counters = new Map(config.counters.map((c) => [c.id, c]));
  const routingCounters = new Map<string, RoutingCounter>(
    config.counters.map((c) => [c.id, { services: counterServiceWeights(c), elderlyFirst: c.elderlyFirst }]),
  );
  const waitTarget = (serviceId: string) => services.get(serviceId)?.waitTargetMinutes ?? 15;

  syncConfiguration(db, config, clock.now());
  const salt = hallSalt(db);

  const st = {
    nextNumber: db.prepare<[string, string], { last: number }>(
      `INSERT INTO daily_numbers(day, prefix, last) VALUES (?, ?, 1)
       ON CONFLICT(day, prefix) DO UPDATE SET last = last + 1 RETURNING last`,
    ),
    insertTicket: db.prepare(
      `INSERT INTO tickets(id, day, hour, weekday, number, service_id, issued_service_id, tier, channel, lang, status,
         issued_at, queued_at, phone_hash, phone_masked, kiosk_id, print_state, customer_ref, customer_name_masked)
       VALUES (@id, @day, @hour, @weekday, @number, @serviceId, @serviceId, @tier, @channel, @lang, 'waiting',
         @now, @now, @phoneHash, @phoneMasked, @kioskId, @printState, @customerRef, @customerName)`,
    ),
    ticket: db.prepare<[string], TicketRow>('SELECT * FROM tickets WHERE id = ?'),
    // Only what routing needs: a busy hall has hundreds waiting, read on every call.
    // Tickets of a day that has closed are never called, even before the sweep has ended them.
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
    oldestWaiting: db.prepare<[string], { oldest: number | null }>(
      `SELECT MIN(queued_at) AS oldest FROM tickets WHERE status = 'waiting' AND service_id = ?`,
    ),
    /** Place in its service's line: front first, then tier (vip, elderly, appointment, regular), then queue time. */
    position: db.prepare<[TicketRow], { position: number }>(
      `SELECT COUNT(*) AS position FROM tickets t WHERE t.status = 'waiting' AND t.service_id = @service_id AND (
         t.front > @front OR (t.front = @front AND (${TIER_RANK_SQL('t.tier')} < ${TIER_RANK_SQL('@tier')} OR
           (t.tier = @tier AND (t.queued_at < @queued_at OR (t.queued_at = @queued_at AND t.id <= @id))))))`,
    ),
    counter: db.prepare<[string], CounterRow>(`${COUNTER_ROWS_SQL} WHERE c.id = ?`),
    allCounters: db.prepare<[], CounterRow>(COUNTER_ROWS_SQL),
    counterOf: db.prepare<[string], { id: string }>('SELECT id FROM counters WHERE staff_id = ?'),
    updateCounter: db.prepare(
      `UPDATE counters SET status = @status, staff_id = @staffId, ticket_id = @ticketId, pause_reason = @pauseReason,
         updated_at = @now WHERE id = @id`,
    ),
    printResult: db.prepare('UPDATE tickets SET print_state = ?, print_problem = ? WHERE id = ?'),
    interruptedPrints: db.prepare(
      "UPDATE tickets SET print_state = 'failed', print_problem = ? WHERE print_state = 'pending'",
    ),
    recentServiceTimes: db.prepare<[string, number], { minutes: number }>(
      `SELECT (finished_at - COALESCE(serving_at, called_at)) / 60000.0 AS minutes FROM tickets
       WHERE status = 'done' AND service_id = ? ORDER BY finished_at DESC LIMIT ?`,
    ),
    idempotent: db.prepare<[string], { request_hash: string; ticket_id: string }>(
      'SELECT request_hash, ticket_id FROM idempotency_keys WHERE key = ?',
    ),
    insertIdempotent: db.prepare(
      'INSERT INTO idempotency_keys(key, request_hash, ticket_id, created_at) VALUES (?, ?, ?, ?)',
    ),
    staleOpenTickets: db.prepare<[string], TicketRow>(
      `SELECT * FROM tickets WHERE status IN ('waiting', 'called', 'serving') AND day < ?`,
    ),
    todaysOpenTickets: db.prepare<[string], TicketRow>(
      `SELECT * FROM tickets WHERE status IN ('waiting', 'called', 'serving') AND day = ?`,
    ),
    /** The newest calls with their ticket's state now (event ids grow with time: today's come first). */
    recentCalls: db.prepare<[number], { at: number; payload: string; status: TicketStatus | null }>(
      `SELECT e.at, e.payload, t.status FROM events e LEFT JOIN tickets t ON t.id = e.ticket_id
       WHERE e.type IN ('ticket.called', 'ticket.recalled') ORDER BY e.id DESC LIMIT ?`,
    ),
    lastEventId: db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM events'),
    firstEventAfter: db.prepare<[number], { at: number }>(
      'SELECT at FROM events WHERE id > ? ORDER BY id LIMIT 1',
    ),
    eventsAfter: db.prepare<
      [number, number],
      { id: number; type: HallEventName; at: number; payload: string }
    >('SELECT id, type, at, payload FROM events WHERE id > ? ORDER BY id LIMIT ?'),
  };

  const waitingCounts = new WaitingCounts(() => st.waitingGroups.all());

  // A print still pending at start never got its answer (the hall stopped first): it did not print.
  commands.run('interrupted-prints', () =>
    st.interruptedPrints.run('HallQ restarted before the printer answered'),
  );

  /** The first day whose waiting tickets may be called: today's (the sweep ends earlier ones). */
  const callableFrom = () => localTime(clock.now(), config.timeZone).day;

  const recentServiceMinutes = new Map<string, number[]>(
    config.services.map((s) => [
      s.id,
      st.recentServiceTimes.all(s.id, RECENT_SERVICE_TIMES).map((r) => r.minutes),
    ]),
  );

  /** Forecasts of the waits (ETA with an interval), from the hall's own history: hall-eta.ts. */
  const liveEta = createLiveEta({
    db,
    clock,
    timeZone: config.timeZone,
    policy: () => config.routing,
    routingCounters,
    waitTarget,
    serviceIds: () => config.services.map((s) => s.id),
    waiting: () =>
      st.waiting.all(callableFrom()).map((t) => ({
        id: t.id,
        number: t.number,
        serviceId: t.service_id,
        tier: t.tier,
        queuedAt: t.queued_at,
        passedOver: t.passed_over,
        front: t.front === 1,
      })),
  });
  const etaRange = (f: EtaFigure | null) => (f ? { low: f.low, high: f.high } : null);
  /** What a wait figure rests on: the forecast, else whether any open counter serves the service at all. */
  const etaBasis = (f: EtaFigure | null, serviceId: string, rows: CounterRow[]): EtaBasis =>
    f ? 'forecast' : countersServing(serviceId, rows) === 0 ? 'no-counter' : 'estimate';

  // ---------- reading state ----------

  /** Waiting tickets and the oldest queue time per service, from the partial index on waiting tickets. */
  function waitingSummary(): Map<string, { waiting: number; oldest: number }> {
    return new Map(
      config.services.map((s) => [
        s.id,
        { waiting: waitingCounts.waitingIn(s.id), oldest: st.oldestWaiting.get(s.id)?.oldest ?? clock.now() },
      ]),
    );
  }

  const serves = (counterId: string, serviceId: string) =>
    routingCounters.get(counterId)?.services.some((s) => s.serviceId === serviceId) ?? false;

  function countersServing(serviceId: string, rows: CounterRow[]): number {
    return rows.filter((c) => (c.status === 'open' || c.status === 'serving') && serves(c.id, serviceId))
      .length;
  }

  function etaFor(serviceId: string, peopleAhead: number, rows: CounterRow[]): number {
    return naiveEtaMinutes(
      peopleAhead,
      meanServiceMinutes(recentServiceMinutes.get(serviceId) ?? []),
      countersServing(serviceId, rows),
    );
  }

  const openingMinutes = new Map(
    config.services.map((s) => {
      const hours = s.hours ?? config.hours;
      return [s.id, [parseClockTime(hours.open), parseClockTime(hours.close)] as const];
    }),
  );

  const openingOutlook = createOpeningOutlook({
    db,
    clock,
    timeZone: () => config.timeZone,
    hoursOf: (serviceId) => openingMinutes.get(serviceId) ?? [0, 0],
    countersOf: (serviceId) => config.counters.filter((c) => serves(c.id, serviceId)).map((c) => c.id),
  });

  /** Whether an open counter serves the service now, and if not, why and until when (wait-wording.ts). */
  function outlookOf(serviceId: string, rows: CounterRow[]): WaitOutlook {
    const servedNow = countersServing(serviceId, rows) > 0;
    const expected = servedNow ? null : openingOutlook.expectedOpen(serviceId);
    return {
      servedNow,
      pausedCounters: rows.filter((c) => c.status === 'paused' && serves(c.id, serviceId)).length,
      expectedOpenAt: expected === null ? null : new Date(expected).toISOString(),
    };
  }

  function isServiceOpen(service: ServiceConfig, now: number): boolean {
    if (!service.enabled) return false;
    const [open, close] = openingMinutes.get(service.id)!;
    const minute = localTime(now, config.timeZone).minuteOfDay;
    return minute >= open && minute < close;
  }

  /** `cachedOnly`: reuse the forecasts already made, if any (issuing, the hot path, makes none). */
  function serviceViews(cachedOnly = false): ServiceView[] {
    const now = clock.now();
    const summary = waitingSummary();
    const rows = st.allCounters.all();
    return config.services.map((s) => {
      const { waiting, oldest } = summary.get(s.id) ?? { waiting: 0, oldest: now };
      const forecast = liveEta.forService(s.id, cachedOnly);
      return {
        id: s.id,
        prefix: s.prefix,
        name: s.name,
        open: isServiceOpen(s, now),
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
      serviceIds: routingCounters.get(row.id)?.services.map((s) => s.serviceId) ?? [],
      pauseReason: row.pause_reason,
      staffName: row.staff_name,
    };
  }

  function counterViews(): CounterView[] {
    const rows = st.allCounters.all();
    return config.counters.map((c) => counterView(rows.find((r) => r.id === c.id)!));
  }

  function trackUrl(id: string): string {
    return `/t/${id}`;
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
    const rows = st.allCounters.all();
    if (row.status === 'waiting') {
      position = joinedIn
        ? waitingCounts.placeOfNewest({ serviceId: row.service_id, front: row.front === 1, tier: row.tier })
        : st.position.get(row)!.position;
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
    if (joinedIn && row.status === 'waiting') {
      joining.set(row.id, { serviceId: row.service_id, view });
      joinedIn.onCommit(forecastJoined);
    }
    return view;
  }

  const publicTicket = (row: TicketRow): PublicTicket => ({
    number: row.number,
    serviceId: row.service_id,
    tier: row.tier,
    counterId: row.counter_id,
  });

  // ---------- writing ----------

  /**
   * Events as they travel: ticket events carry the figures of the services they changed (and always
   * their own service's), not the whole hall; screens merge them by id. Forecasts already made are
   * reused when only tickets were issued (the hot path: each new ticket forecast itself).
   */
  let sentViews = new Map<string, string>();
  function presentEvents(events: readonly RecordedEvent[]): HallEvent[] {
    let views: { all: ServiceView[]; changed: ServiceView[] } | null = null;
    return events.map((e) => {
      let data = e.data as Record<string, unknown>;
      if (e.type.startsWith('ticket.') && e.type !== 'ticket.print-failed') {
        views ??= viewsSinceSent(events.every((x) => x.type === 'ticket.issued'));
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
  commands.presentWith(presentEvents);

  /** New tickets waiting for their forecast: made for all of a group commit's tickets in one play. */
  const joining = new Map<string, { serviceId: string; view: TicketView }>();

  function forecastJoined(): void {
    if (joining.size === 0) return;
    const tickets = [...joining].map(([ticketId, j]) => ({ ticketId, serviceId: j.serviceId }));
    const forecasts = liveEta.issued(tickets);
    for (const [ticketId, { view }] of joining) {
      const forecast = forecasts.get(ticketId);
      if (forecast) {
        view.etaMinutes = forecast.minutes;
        view.etaRange = etaRange(forecast);
        view.etaBasis = 'forecast';
      }
    }
    joining.clear();
  }

  /** What a command's end means for what the hall keeps in memory beside the database. */
  function settled(name: string, ok: boolean): void {
    if (!ok) {
      waitingCounts.reload(); // the transaction rolled back; so do the counts
      joining.clear();
      liveEta.moved();
    } else if (!QUEUE_STILL.has(name)) {
      // Forecasts made before a call, a cancellation or a counter change are stale; a new ticket behind
      // the others changes them little (and forecasts itself).
      liveEta.moved();
    }
  }

  /** Runs one command of the hall on the command path, after the day's sweep if it is due. */
  function command<T>(name: string, body: (tx: Tx) => T): Outcome<T> {
    sweepIfDue();
    const outcome = commands.run(name, body);
    settled(name, outcome.ok);
    return outcome;
  }

  /** The local day whose sweep has committed, and whether its closing sweep has too. */
  let swept = { day: '', closing: false };

  /**
   * Tickets left open from an earlier day, or after today's closing time, end as unserved: in a
   * transaction of its own, before the first command of the day or at the timer, whichever comes
   * first, and counted as done only once it has committed (a refused or failed command after midnight
   * leaves it to the next one). A hall open around the clock ends its day at midnight.
   */
  function sweepIfDue(): void {
    const now = clock.now();
    const local = localTime(now, config.timeZone);
    const pastClosing = local.minuteOfDay >= parseClockTime(config.hours.close);
    if (swept.day === local.day && (!pastClosing || swept.closing)) return;
    const ended = [
      ...st.staleOpenTickets.all(local.day),
      ...(pastClosing ? st.todaysOpenTickets.all(local.day) : []),
    ];
    if (ended.length > 0) {
      let outcome: Outcome<void>;
      try {
        outcome = closeTickets(ended, now);
      } catch (error) {
        // The command after it still runs: tickets of an earlier day are never called anyway.
        deps.log({ msg: 'day sweep failed', level: 'error', error: String(error) });
        return;
      }
      settled('close-day', outcome.ok);
      if (!outcome.ok) return;
    }
    if (swept.day !== local.day) liveEta.dayTurned();
    swept = { day: local.day, closing: pastClosing };
  }

  /** Ends the given tickets as unserved at closing, in a transaction of their own. */
  function closeTickets(ended: readonly TicketRow[], now: number): Outcome<void> {
    return commands.run('close-day', (tx) => {
      for (const t of ended) {
        const row = st.ticket.get(t.id)!;
        if (!OPEN_TICKET_STATUSES.includes(row.status)) continue;
        setTicket(row, 'close-day', { end_reason: 'closing', finished_at: now });
        if (row.counter_id) releaseCounterTicket(row.counter_id, row.id);
        tx.record(
          'ticket.cancelled',
          { ticket: publicTicket(row), reason: 'closing' },
          { ticketId: row.id, reason: 'closing' },
        );
      }
    });
  }

  function releaseCounterTicket(counterId: string, ticketId: string): void {
    const row = st.counter.get(counterId);
    if (!row || row.ticket_id !== ticketId) return;
    writeCounter(row, {
      status: nextCounterStatus(row.status, 'release-ticket') ?? row.status,
      ticketId: null,
    });
  }

  function setTicket(
    row: TicketRow,
    action: TicketAction,
    changes: Record<string, string | number | null>,
  ): TicketRow {
    const status = nextTicketStatus(row.status, action);
    if (!status)
      refuse(409, 'illegal-transition', `ticket ${row.number} is ${row.status}; it cannot ${action}`);
    const all = { status, ...changes };
    if (row.status === 'waiting')
      waitingCounts.leave({ serviceId: row.service_id, front: row.front === 1, tier: row.tier });
    if (status === 'waiting')
      waitingCounts.join({
        serviceId: String(changes.service_id ?? row.service_id),
        front: (changes.front ?? row.front) === 1,
        tier: row.tier,
      });
    const columns = Object.keys(all);
    db.prepare(`UPDATE tickets SET ${columns.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run({
      ...all,
      id: row.id,
    });
    return st.ticket.get(row.id)!;
  }

  function writeCounter(
    row: CounterRow,
    changes: Partial<{
      status: CounterStatus;
      staffId: string | null;
      ticketId: string | null;
      pauseReason: string | null;
    }>,
  ): CounterRow {
    st.updateCounter.run({
      id: row.id,
      status: changes.status ?? row.status,
      staffId: changes.staffId === undefined ? row.staff_id : changes.staffId,
      ticketId: changes.ticketId === undefined ? row.ticket_id : changes.ticketId,
      pauseReason: changes.pauseReason === undefined ? row.pause_reason : changes.pauseReason,
      now: clock.now(),
    });
    return st.counter.get(row.id)!;
  }

  function moveCounter(
    row: CounterRow,
    action: CounterAction,
    changes: Parameters<typeof writeCounter>[1] = {},
  ): CounterRow {
    const status = nextCounterStatus(row.status, action);
    if (!status) refuse(409, `counter-${row.status}`, counterConflictMessage(row, action));
    return writeCounter(row, { ...changes, status });
  }

  function counterConflictMessage(row: CounterRow, action: CounterAction): string {
    if (row.status === 'serving')
      return `${row.name} is serving ${row.ticket_number}: finish, transfer or mark it no-show first`;
    return `${row.name} is ${row.status}; it cannot ${action}`;
  }

  function findCounter(counterId: string): CounterRow {
    const row = st.counter.get(counterId);
    if (!row) refuse(404, 'counter-not-found', `no counter ${counterId}`);
    return row;
  }

  /** Actions at a counter belong to the person seated there, or a manager. */
  function seatedCounter(counterId: string, actor: Actor): CounterRow {
    const row = findCounter(counterId);
    if (row.status === 'closed') refuse(409, 'counter-closed', `${row.name} is closed: open it first`);
    if (row.staff_id !== actor.id && actor.role !== 'manager')
      refuse(403, 'not-seated', `${row.name} is staffed by ${row.staff_name ?? 'someone else'}`);
    return row;
  }

  function currentTicket(row: CounterRow): TicketRow {
    if (!row.ticket_id)
      refuse(409, 'no-current-ticket', `${row.name} has no ticket at the moment: call one first`);
    return st.ticket.get(row.ticket_id)!;
  }

  function callNotice(ticket: TicketRow, counter: CounterRow, recall: boolean) {
    return {
      number: ticket.number,
      serviceId: ticket.service_id,
      counterId: counter.id,
      counterName: counter.name,
      at: new Date(clock.now()).toISOString(),
      recall,
    };
  }

  function counterUpdated(tx: Tx, row: CounterRow, actor: Actor | null, reason?: string): void {
    tx.record(
      'counter.updated',
      { counter: counterView(row) },
      { counterId: row.id, staffId: actor?.id, reason },
    );
  }

  // ---------- commands ----------

  type IssueContext = {
    kioskId?: string;
    idempotencyKey?: string;
    tier?: Tier;
    /** The customer the kiosk identified: masked data and the BSS id only. */
    customer?: { ref: string | null; maskedName: string; maskedPhone: string | null };
  };

  function issueTicket(request: IssueTicketRequest, context: IssueContext = {}): Outcome<TicketView> {
    return command('issue-ticket', (tx) => issueBody(tx, request, context));
  }

  function issueBody(tx: Tx, request: IssueTicketRequest, context: IssueContext): TicketView {
    const requestHash = context.idempotencyKey
      ? sha256(JSON.stringify([request, context.kioskId ?? null]))
      : '';
    if (context.idempotencyKey) {
      const seen = st.idempotent.get(context.idempotencyKey);
      if (seen) {
        if (seen.request_hash !== requestHash)
          refuse(409, 'idempotency-key-reused', 'this Idempotency-Key was used for a different request');
        return ticketView(st.ticket.get(seen.ticket_id)!);
      }
    }
    const service = services.get(request.serviceId);
    if (!service) refuse(404, 'service-not-found', `no service ${request.serviceId}`);
    const now = clock.now();
    if (!isServiceOpen(service, now)) refuse(409, 'service-closed', `${service.name.en} is closed now`);
    const local = localTime(now, config.timeZone);
    const sequence = st.nextNumber.get(local.day, service.prefix)!.last;
    const channel = request.channel ?? 'kiosk';
    // An appointment checked in at a kiosk prints there too.
    const atKiosk = channel === 'kiosk' || (channel === 'appointment' && context.kioskId !== undefined);
    const willPrint = atKiosk && deps.printTicket !== undefined;
    const id = randomBytes(16).toString('base64url');
    const phone = request.customer?.phone;
    st.insertTicket.run({
      id,
      day: local.day,
      hour: local.hour,
      weekday: local.weekday,
      number: formatTicketNumber(service.prefix, sequence),
      serviceId: service.id,
      tier:
        context.tier ?? (channel === 'appointment' ? 'appointment' : (request.customer?.tier ?? 'regular')),
      channel,
      lang: request.lang ?? 'zh',
      now,
      phoneHash: phone ? hashPhone(salt, phone) : null,
      phoneMasked: phone ? maskPhone(phone) : (context.customer?.maskedPhone ?? null),
      customerRef: context.customer?.ref ?? null,
      customerName: context.customer?.maskedName ?? null,
      kioskId: context.kioskId ?? null,
      printState: willPrint ? 'pending' : 'none',
    });
    if (context.idempotencyKey) st.insertIdempotent.run(context.idempotencyKey, requestHash, id, now);
    const row = st.ticket.get(id)!;
    waitingCounts.join({ serviceId: row.service_id, front: false, tier: row.tier });
    tx.record('ticket.issued', { ticket: publicTicket(row) }, { ticketId: id });
    const view = ticketView(row, tx);
    if (willPrint)
      // Laid out once its group has committed, with the forecast made then.
      tx.afterCommit(
        () =>
          void printIssued(id, {
            kioskId: row.kiosk_id,
            number: row.number,
            hallName: config.name,
            serviceName: service.name,
            peopleAhead: view.position - 1,
            etaMinutes: view.etaMinutes,
            issuedAt: now,
            timeZone: config.timeZone,
            trackUrl: (config.publicUrl ?? '') + view.trackUrl,
          }),
      );
    return view;
  }

  /**
   * Issues a ticket with the others asked for in the same turn of the event loop: one transaction and
   * one durable commit for all of them (a group commit), each its own savepoint.
   */
  async function issueTicketSoon(
    request: IssueTicketRequest,
    context: IssueContext = {},
  ): Promise<Outcome<TicketView>> {
    sweepIfDue();
    const outcome = await commands.runSoon('issue-ticket', (tx) => issueBody(tx, request, context));
    settled('issue-ticket', outcome.ok);
    return outcome;
  }

  /** The print job runs after the 201; its outcome is recorded on the ticket and, on failure, announced. */
  async function printIssued(ticketId: string, data: TicketPrintData): Promise<void> {
    const result = await deps.printTicket!(data).catch((error: unknown) => ({
      ok: false as const,
      problem: error instanceof Error ? error.message : String(error),
    }));
    // The answer is long gone: a write that fails now (a full disk) waits and is retried, never thrown.
    commands.later('print-result', (tx) => {
      st.printResult.run(result.ok ? 'printed' : 'failed', result.ok ? null : result.problem, ticketId);
      if (!result.ok) {
        const row = st.ticket.get(ticketId)!;
        tx.record(
          'ticket.print-failed',
          { ticket: publicTicket(row), kioskId: row.kiosk_id, problem: result.problem },
          { ticketId, reason: result.problem },
        );
      }
    });
  }

  function getTicket(id: string): Outcome<TicketView> {
    const row = st.ticket.get(id);
    if (!row) return { ok: false, status: 404, code: 'ticket-not-found', message: 'no such ticket' };
    return { ok: true, value: ticketView(row) };
  }

  function cancelTicket(id: string): Outcome<TicketView> {
    return command('cancel-ticket', (tx) => {
      const row = st.ticket.get(id);
      if (!row) refuse(404, 'ticket-not-found', 'no such ticket');
      if (row.status === 'cancelled') return ticketView(row); // cancelling twice is harmless
      const next = setTicket(row, 'cancel', { end_reason: 'holder', finished_at: clock.now() });
      if (row.status === 'waiting') liveEta.waited((clock.now() - row.issued_at) / MINUTE, true);
      tx.record(
        'ticket.cancelled',
        { ticket: publicTicket(next), reason: 'holder' },
        { ticketId: id, reason: 'holder' },
      );
      return ticketView(next);
    });
  }

  function openCounter(counterId: string, actor: Actor): Outcome<CounterView> {
    return command('open-counter', (tx) => {
      const row = findCounter(counterId);
      const seatedAt = st.counterOf.get(actor.id);
      if (seatedAt && seatedAt.id !== counterId)
        refuse(409, 'already-seated', `${actor.name} is already at counter ${seatedAt.id}: close it first`);
      if (row.status !== 'closed' && row.staff_id === actor.id) return counterView(row); // opening twice is harmless
      const next = moveCounter(row, 'open', { staffId: actor.id, pauseReason: null });
      counterUpdated(tx, next, actor, 'open');
      return counterView(next);
    });
  }

  function pauseCounter(
    counterId: string,
    actor: Actor,
    reason: PauseReason = 'other',
  ): Outcome<CounterView> {
    return command('pause-counter', (tx) => {
      const next = moveCounter(seatedCounter(counterId, actor), 'pause', { pauseReason: reason });
      counterUpdated(tx, next, actor, reason);
      return counterView(next);
    });
  }

  function resumeCounter(counterId: string, actor: Actor): Outcome<CounterView> {
    return command('resume-counter', (tx) => {
      const next = moveCounter(seatedCounter(counterId, actor), 'resume', { pauseReason: null });
      counterUpdated(tx, next, actor, 'resume');
      return counterView(next);
    });
  }

  function closeCounter(counterId: string, actor: Actor): Outcome<CounterView> {
    return command('close-counter', (tx) => {
      const next = moveCounter(seatedCounter(counterId, actor), 'close', {
        staffId: null,
        pauseReason: null,
      });
      counterUpdated(tx, next, actor, 'close');
      return counterView(next);
    });
  }

  function callNext(
    counterId: string,
    actor: Actor,
  ): Outcome<{ ticket: TicketView; explanation: CallReason } | null> {
    return command('call', (tx) => {
      const row = seatedCounter(counterId, actor);
      if (row.status !== 'open') moveCounter(row, 'take-ticket'); // refuses with the counter's state
      const now = clock.now();
      const waiting: WaitingTicket[] = st.waiting.all(callableFrom()).map((t) => ({
        id: t.id,
        number: t.number,
        serviceId: t.service_id,
        tier: t.tier,
        queuedAt: t.queued_at,
        passedOver: t.passed_over,
        front: t.front === 1,
      }));
      const choice = chooseNext(routingCounters.get(counterId)!, waiting, now, config.routing, waitTarget);
      if (!choice) return null;
      const { explanation } = choice;
      const ticket = setTicket(st.ticket.get(choice.ticket.id)!, 'call', {
        called_at: now,
        first_called_at: st.ticket.get(choice.ticket.id)!.called_at ?? now,
        counter_id: counterId,
        staff_id: row.staff_id,
        front: 0,
        call_rule: explanation.rule,
        call_reason_zh: explanation.zh,
        call_reason_en: explanation.en,
      });
      if (choice.passedOver.length > 0) {
        const bump = db.prepare('UPDATE tickets SET passed_over = passed_over + 1 WHERE id = ?');
        for (const t of choice.passedOver) bump.run(t.id);
      }
      const counter = moveCounter(row, 'take-ticket', { ticketId: ticket.id });
      tx.record(
        'ticket.called',
        // The explanation is kept with the call: the manager can ask later why it came when it did.
        { ticket: publicTicket(ticket), call: callNotice(ticket, counter, false), explanation },
        { ticketId: ticket.id, counterId, staffId: actor.id, reason: explanation.en },
      );
      counterUpdated(tx, counter, actor);
      return { ticket: ticketView(ticket), explanation };
    });
  }

  function recall(counterId: string, actor: Actor): Outcome<TicketView> {
    return command('recall', (tx) => {
      const row = seatedCounter(counterId, actor);
      const ticket = setTicket(currentTicket(row), 'recall', { called_at: clock.now() });
      tx.record(
        'ticket.recalled',
        { ticket: publicTicket(ticket), call: callNotice(ticket, row, true) },
        { ticketId: ticket.id, counterId, staffId: actor.id },
      );
      return ticketView(ticket);
    });
  }

  function start(counterId: string, actor: Actor): Outcome<TicketView> {
    return command('start', (tx) => {
      const row = seatedCounter(counterId, actor);
      const ticket = setTicket(currentTicket(row), 'start', { serving_at: clock.now() });
      tx.record(
        'ticket.serving',
        { ticket: publicTicket(ticket) },
        { ticketId: ticket.id, counterId, staffId: actor.id },
      );
      return ticketView(ticket);
    });
  }

  function noShow(counterId: string, actor: Actor): Outcome<TicketView> {
    return command('no-show', (tx) => {
      const row = seatedCounter(counterId, actor);
      const ticket = setTicket(currentTicket(row), 'no-show', { finished_at: clock.now() });
      const counter = moveCounter(row, 'release-ticket', { ticketId: null });
      // The counter was busy with the call all the same; the holder had gone.
      if (ticket.called_at !== null) liveEta.served(ticket.service_id, ticket.called_at, clock.now());
      liveEta.waited(((ticket.first_called_at ?? clock.now()) - ticket.issued_at) / MINUTE, true);
      tx.record(
        'ticket.no-show',
        { ticket: publicTicket(ticket) },
        { ticketId: ticket.id, counterId, staffId: actor.id },
      );
      counterUpdated(tx, counter, actor);
      return ticketView(ticket);
    });
  }

  function finish(counterId: string, actor: Actor, rating?: RatingInput): Outcome<TicketView> {
    return command('finish', (tx) => {
      const row = seatedCounter(counterId, actor);
      const now = clock.now();
      const current = currentTicket(row);
      const score = rating === undefined ? null : typeof rating === 'number' ? rating : rating.score;
      const dimensions =
        typeof rating === 'object' && rating.dimensions ? JSON.stringify(rating.dimensions) : null;
      const ticket = setTicket(current, 'finish', {
        finished_at: now,
        // Finishing straight from `called` counts serving from the call.
        serving_at: current.serving_at ?? current.called_at,
        rating: score,
        rating_dimensions: dimensions,
      });
      const counter = moveCounter(row, 'release-ticket', { ticketId: null });
      const times = recentServiceMinutes.get(ticket.service_id)!;
      times.unshift((now - (ticket.serving_at ?? now)) / MINUTE);
      times.length = Math.min(times.length, RECENT_SERVICE_TIMES);
      if (ticket.serving_at !== null) liveEta.served(ticket.service_id, ticket.serving_at, now);
      liveEta.waited(((ticket.first_called_at ?? now) - ticket.issued_at) / MINUTE, false);
      tx.record(
        'ticket.finished',
        { ticket: publicTicket(ticket), rating: score },
        { ticketId: ticket.id, counterId, staffId: actor.id },
      );
      counterUpdated(tx, counter, actor);
      return ticketView(ticket);
    });
  }

  function transfer(counterId: string, actor: Actor, serviceId: string, front = false): Outcome<TicketView> {
    return command('transfer', (tx) => {
      const row = seatedCounter(counterId, actor);
      const current = currentTicket(row);
      if (!services.has(serviceId)) refuse(404, 'service-not-found', `no service ${serviceId}`);
      if (serviceId === current.service_id && !front)
        refuse(409, 'same-service', `${current.number} already waits for ${serviceId}`);
      const ticket = setTicket(current, 'transfer', {
        service_id: serviceId,
        queued_at: clock.now(),
        front: front ? 1 : 0,
        passed_over: 0,
        counter_id: null,
        called_at: null,
        serving_at: null,
      });
      const counter = moveCounter(row, 'release-ticket', { ticketId: null });
      tx.record(
        'ticket.transferred',
        { ticket: publicTicket(ticket), fromServiceId: current.service_id },
        { ticketId: ticket.id, counterId, staffId: actor.id, reason: front ? 'front' : undefined },
      );
      counterUpdated(tx, counter, actor);
      return ticketView(ticket, tx);
    });
  }

  /** A device's status changed: recorded and announced (`device.status`), for screens and the manager. */
  function recordDeviceStatus(status: ServerEvents['device.status']): void {
    // Reported as it happens (the disk may be what is failing): kept for a retry when it cannot be written.
    commands.later('device-status', (tx) => {
      tx.record('device.status', status, { reason: status.status });
    });
  }

  /**
   * A rating pad's answer for the ticket just finished at its counter. Ratings arrive after the finish
   * (the customer presses the pad as they leave), so the latest finished ticket with that number wins.
   */
  function rateFinished(counterId: string, number: string, rating: RatingInput): Outcome<TicketView> {
    return command('rate', (tx) => {
      const row = db
        .prepare<[string, string], TicketRow>(
          `SELECT * FROM tickets WHERE counter_id = ? AND number = ? AND status = 'done' ORDER BY finished_at DESC LIMIT 1`,
        )
        .get(counterId, number);
      if (!row) refuse(404, 'ticket-not-found', `no finished ticket ${number} at counter ${counterId}`);
      const score = typeof rating === 'number' ? rating : rating.score;
      const dimensions =
        typeof rating === 'object' && rating.dimensions ? JSON.stringify(rating.dimensions) : null;
      db.prepare('UPDATE tickets SET rating = ?, rating_dimensions = ? WHERE id = ?').run(
        score,
        dimensions,
        row.id,
      );
      tx.record(
        'ticket.rated',
        { ticket: publicTicket(row), rating: score },
        { ticketId: row.id, counterId, reason: 'rating-pad' },
      );
      return ticketView(st.ticket.get(row.id)!);
    });
  }

  /** The day's sweep, when due: a timer calls this so an idle hall still closes its day. */
  const sweepDay = sweepIfDue;

  // ---------- views for screens ----------

  function snapshot(): HallSnapshot {
    return db.transaction(() => {
      const now = clock.now();
      const today = instantOf(localTime(now, config.timeZone).day, 0, config.timeZone);
      const calls = st.recentCalls
        .all(RECENT_CALLS)
        .filter((r) => r.at >= today)
        .map((r) => ({ ...r, call: (JSON.parse(r.payload) as ServerEvents['ticket.called']).call }));
      const calling = new Map<string, CallNotice>();
      for (const { call, at, status } of calls)
        if (status === 'called' && now - at < CALL_SHOWN_MS && !calling.has(call.number))
          calling.set(call.number, call);
      return {
        hall: { name: config.name, demo: deps.demo, timeZone: config.timeZone },
        services: serviceViews(),
        counters: counterViews(),
        recentCalls: calls.map((r) => r.call),
        calling: [...calling.values()],
        lastEventId: st.lastEventId.get()?.id ?? 0,
      };
    })();
  }

  /**
   * Events after `afterId`, oldest first, for a stream that resumes. Ticket events are replayed without
   * queue figures: the stream's snapshot, sent first, holds the figures of now.
   */
  function eventsAfter(afterId: number, limit = 1000): HallEvent[] {
    return st.eventsAfter.all(afterId, limit).map((r) => {
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
    const next = st.firstEventAfter.get(afterId);
    const today = localTime(clock.now(), config.timeZone).day;
    return next === undefined || next.at >= instantOf(today, 0, config.timeZone);
  }

  /**
   * The counter as its terminal shows it. `customerRef` (the BSS id of an identified customer) stays on
   * the server: the caller looks the account up and fills `customer.account`.
   */
  function counterDetail(
    counterId: string,
    actor: Actor,
  ): Outcome<{ detail: CounterDetail; customerRef: string | null }> {
    const row = st.counter.get(counterId);
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
    const ticket = row.ticket_id ? st.ticket.get(row.ticket_id)! : null;
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
          queues: (routingCounters.get(counterId)?.services ?? []).map(({ serviceId }) => {
            const { waiting, oldest } = summary.get(serviceId) ?? { waiting: 0, oldest: now };
            return { serviceId, waiting, longestWaitMinutes: Math.floor((now - oldest) / MINUTE) };
          }),
        },
      },
    };
  }

  function counterConfig(counterId: string): CounterConfig | undefined {
    return counters.get(counterId);
  }

  /** The person seated at a counter, for devices (keypads) that act on their behalf. */
  function seatedActor(counterId: string): Actor | null {
    const row = st.counter.get(counterId);
    if (!row?.staff_id) return null;
    const user = db
      .prepare<[string], Actor>('SELECT id, name, role FROM users WHERE id = ?')
      .get(row.staff_id);
    return user ?? null;
  }

  /**
   * Applies a new configuration live (services, counters, opening hours, routing weights): the maps are
   * refilled in place, so whoever holds them (routing, forecasts) sees the new ones, and the database's
   * services and counters follow (unless `store` is false: putting the maps back after a rollback).
   * Call inside the command that stores the configuration.
   */
  function reconfigure(next: HallConfig, { store = true } = {}): void {
    config = next;
    services.clear();
    for (const s of next.services) services.set(s.id, s);
    counters.clear();
    for (const c of next.counters) counters.set(c.id, c);
    routingCounters.clear();
    for (const c of next.counters)
      routingCounters.set(c.id, { services: counterServiceWeights(c), elderlyFirst: c.elderlyFirst });
    openingMinutes.clear();
    for (const s of next.services) {
      const hours = s.hours ?? next.hours;
      openingMinutes.set(s.id, [parseClockTime(hours.open), parseClockTime(hours.close)] as const);
    }
    for (const s of next.services)
      if (!recentServiceMinutes.has(s.id))
        recentServiceMinutes.set(
          s.id,
          st.recentServiceTimes.all(s.id, RECENT_SERVICE_TIMES).map((r) => r.minutes),
        );
    if (store) syncConfiguration(db, next, clock.now());
    liveEta.moved(); // forecasts made under the old counters and policy
  }

  return {
    issueTicket,
    issueTicketSoon,
    getTicket,
    cancelTicket,
    openCounter,
    pauseCounter,
    resumeCounter,
    closeCounter,
    callNext,
    recall,
    start,
    noShow,
    finish,
    transfer,
    sweepDay,
    recordDeviceStatus,
    rateFinished,
    snapshot,
    eventsAfter,
    resumableAfter,
    counterDetail,
    counterViews,
    serviceViews,
    /** Whether an open counter serves the service now, and if not, why and until when. */
    serviceOutlook: (serviceId: string) => outlookOf(serviceId, st.allCounters.all()),
    /** A ticket's state and place in its line (0 unless waiting), without its forecast: cheap. */
    placeInLine(
      ticketId: string,
    ): { status: TicketStatus; serviceId: string; number: string; position: number } | null {
      const row = st.ticket.get(ticketId);
      if (!row) return null;
      const position = row.status === 'waiting' ? st.position.get(row)!.position : 0;
      return { status: row.status, serviceId: row.service_id, number: row.number, position };
    },
    counterConfig,
    seatedActor,
    /** Waiting tickets forecast to miss their service's wait target, per service (the manager's live tab). */
    predictedBreaches: () => liveEta.breaches(config.services.map((s) => s.id)),
    reconfigure,
    /** The configuration in force now (it changes with `reconfigure`). */
    get config(): HallConfig {
      return config;
    },
  };
}

/** Services and counters in the database follow the configuration; counters keep their live state. */
function syncConfiguration(db: Db, config: HallConfig, now: number): void {
  db.transaction(() => {
    const upsertService = db.prepare(
      `INSERT INTO services(id, prefix, name_zh, name_en, wait_target_minutes, enabled) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET prefix = excluded.prefix, name_zh = excluded.name_zh, name_en = excluded.name_en,
         wait_target_minutes = excluded.wait_target_minutes, enabled = excluded.enabled`,
    );
    // A prefix freed by one service may be taken by another: clear prefixes of services no longer configured.
    const configured = new Set(config.services.map((s) => s.id));
    for (const { id } of db.prepare<[], { id: string }>('SELECT id FROM services').all())
      if (!configured.has(id))
        db.prepare("UPDATE services SET prefix = '~' || id, enabled = 0 WHERE id = ?").run(id);
    for (const s of config.services)
      upsertService.run(s.id, s.prefix, s.name.zh, s.name.en, s.waitTargetMinutes, s.enabled ? 1 : 0);
    const upsertCounter = db.prepare(
      `INSERT INTO counters(id, name, updated_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name`,
    );
    for (const c of config.counters) upsertCounter.run(c.id, c.name, now);
  })();
}
