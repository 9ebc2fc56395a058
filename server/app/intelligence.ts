/**
 * The manager's questions to the queue's intelligence, answered from the tickets and events tables:
 * why a ticket was called when it was (the routing explanation recorded with each call), and how many
 * counters each weekday and hour needs (Erlang C on the history of a range).
 */
import type { HallConfig } from '../config.ts';
import type {
  CallReason,
  DateRange,
  RecordedCall,
  RoutedTicket,
  RoutingWhyAnswer,
  StaffingAdvice,
  TicketStatus,
  Tier,
} from '../contract/api.ts';
import type { ServerEvents } from '../contract/events.ts';
import type { Db } from '../db/open.ts';
import { parseClockTime } from '../domain/hall-time.ts';
import { HallHistory, type PastArrival } from '../domain/history.ts';
import { adviseStaffing, DEFAULT_SERVICE_LEVEL } from '../domain/staffing.ts';

type TicketRow = {
  id: string;
  number: string;
  service_id: string;
  tier: Tier;
  status: TicketStatus;
  issued_at: number;
  first_called_at: number | null;
  passed_over: number;
  call_rule: CallReason['rule'] | null;
  call_reason_zh: string | null;
  call_reason_en: string | null;
};

type CallRow = {
  at: number;
  counter_id: string | null;
  counter_name: string | null;
  reason: string | null;
  payload: string;
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const round1 = (x: number) => Math.round(x * 10) / 10;

export type Intelligence = ReturnType<typeof createIntelligence>;

export function createIntelligence(db: Db, config: () => HallConfig) {
  const st = {
    ticket: db.prepare<[string, string], TicketRow>(
      `SELECT id, number, service_id, tier, status, issued_at, first_called_at, passed_over, call_rule,
         call_reason_zh, call_reason_en FROM tickets WHERE day = ? AND number = ?`,
    ),
    calls: db.prepare<[string], CallRow>(
      `SELECT e.at, e.counter_id, c.name AS counter_name, e.reason, e.payload FROM events e
       LEFT JOIN counters c ON c.id = e.counter_id
       WHERE e.ticket_id = ? AND e.type = 'ticket.called' ORDER BY e.id`,
    ),
  };

  function describe(row: TicketRow): RoutedTicket {
    const calls = st.calls.all(row.id).map((c, i, all): RecordedCall => {
      const data = JSON.parse(c.payload) as ServerEvents['ticket.called'];
      const explanation = data.explanation;
      // Calls recorded before explanations were kept: the ticket keeps the latest call's reason.
      const latest = i === all.length - 1;
      return {
        at: new Date(c.at).toISOString(),
        counterId: c.counter_id,
        counterName: c.counter_name ?? data.call?.counterName ?? null,
        rule: explanation?.rule ?? (latest ? row.call_rule : null),
        zh: explanation?.zh ?? (latest ? row.call_reason_zh : null),
        en: explanation?.en ?? c.reason ?? (latest ? row.call_reason_en : null),
        passedOver: explanation?.passedOver ?? [],
      };
    });
    return {
      number: row.number,
      serviceId: row.service_id,
      tier: row.tier,
      status: row.status,
      issuedAt: new Date(row.issued_at).toISOString(),
      calledAt: iso(row.first_called_at),
      passedOverCount: row.passed_over,
      calls,
    };
  }

  /** Null: no ticket `number` that day (or no ticket `before`). */
  function routingWhy(query: { day: string; number: string; before?: string }): RoutingWhyAnswer | null {
    const row = st.ticket.get(query.day, query.number);
    if (!row) return null;
    const ticket = describe(row);
    let before: RoutingWhyAnswer['before'] = null;
    if (query.before !== undefined) {
      const other = st.ticket.get(query.day, query.before);
      if (!other) return null;
      const described = describe(other);
      const firstCall = ticket.calls[0]?.at ?? null;
      before = {
        ...described,
        calledEarlier: described.calledAt !== null && (firstCall === null || described.calledAt < firstCall),
        passedOverByThisCall: ticket.calls.some((c) => c.passedOver.includes(other.number)),
      };
    }
    return { day: query.day, ticket, before };
  }

  /**
   * Counters needed per weekday and opening hour, from the range's tickets: arrivals by the hour they
   * were issued, service times by that hour too (the work an hour's arrivals bring), and the hall's wait
   * target (the services' targets weighted by their arrivals) for 80% of customers.
   */
  function staffing(range: DateRange): StaffingAdvice {
    const hall = config();
    const history = new HallHistory();
    const served = db
      .prepare<[string, string], { service_id: string; hour: number; minutes: number }>(
        `SELECT service_id, hour, (finished_at - COALESCE(serving_at, called_at)) / 60000.0 AS minutes FROM tickets
         WHERE day BETWEEN ? AND ? AND status IN ('done', 'no-show') AND called_at IS NOT NULL
           AND finished_at IS NOT NULL ORDER BY finished_at`,
      )
      .all(range.from, range.to);
    for (const s of served) if (s.minutes >= 0) history.addServiceTime(s.service_id, s.hour, s.minutes);

    const arrivals = db
      .prepare<
        [string, string],
        { day: string; weekday: number; hour: number; service_id: string; tier: Tier; n: number }
      >(
        `SELECT day, weekday, hour, issued_service_id AS service_id, tier, COUNT(*) AS n FROM tickets
         WHERE day BETWEEN ? AND ? GROUP BY day, hour, issued_service_id, tier ORDER BY day`,
      )
      .all(range.from, range.to);
    const daysPerWeekday = new Array<number>(7).fill(0);
    const perService = new Map<string, number>();
    let day = '';
    let weekday = 0;
    let issued: PastArrival[] = [];
    const flush = () => {
      if (day) {
        history.addDay(weekday, issued);
        daysPerWeekday[weekday]!++;
      }
      issued = [];
    };
    for (const a of arrivals) {
      if (a.day !== day) {
        flush();
        day = a.day;
        weekday = a.weekday;
      }
      for (let k = 0; k < a.n; k++) issued.push({ hour: a.hour, serviceId: a.service_id, tier: a.tier });
      perService.set(a.service_id, (perService.get(a.service_id) ?? 0) + a.n);
    }
    flush();

    // The wait target to staff for: the services' targets weighted by their tickets.
    const targets = new Map(hall.services.map((s) => [s.id, s.waitTargetMinutes]));
    let weighted = 0;
    let total = 0;
    for (const [serviceId, n] of perService) {
      weighted += n * (targets.get(serviceId) ?? DEFAULT_SERVICE_LEVEL.waitMinutes);
      total += n;
    }
    const level = {
      waitMinutes: total > 0 ? Math.round(weighted / total) : DEFAULT_SERVICE_LEVEL.waitMinutes,
      share: DEFAULT_SERVICE_LEVEL.share,
    };

    // Counters that called someone, per day and hour of issue: the hall's actual staffing.
    const staffed = new Map<string, number>();
    for (const r of db
      .prepare<[string, string], { weekday: number; hour: number; counters: number }>(
        `SELECT weekday, hour, COUNT(DISTINCT counter_id) AS counters FROM tickets
         WHERE day BETWEEN ? AND ? AND counter_id IS NOT NULL GROUP BY day, hour`,
      )
      .all(range.from, range.to))
      staffed.set(`${r.weekday}@${r.hour}`, (staffed.get(`${r.weekday}@${r.hour}`) ?? 0) + r.counters);

    const open = Math.floor(parseClockTime(hall.hours.open) / 60);
    const close = Math.ceil(parseClockTime(hall.hours.close) / 60);
    const hours = Array.from({ length: Math.max(0, close - open) }, (_, i) => open + i);
    const weekdays = [0, 1, 2, 3, 4, 5, 6];
    return {
      from: range.from,
      to: range.to,
      daysPerWeekday,
      level: { waitMinutes: level.waitMinutes, sharePct: level.share * 100 },
      hallCounters: hall.counters.length,
      hours: adviseStaffing(history, weekdays, hours, level).map((a) => ({
        weekday: a.weekday,
        hour: a.hour,
        arrivalsPerHour: round1(a.arrivalsPerHour),
        serviceMinutes: round1(a.serviceMinutes),
        countersNeeded: a.counters,
        expectedWithinPct: round1(a.expectedWithinShare * 100),
        countersStaffed:
          daysPerWeekday[a.weekday]! === 0
            ? 0
            : round1((staffed.get(`${a.weekday}@${a.hour}`) ?? 0) / daysPerWeekday[a.weekday]!),
      })),
    };
  }

  return { routingWhy, staffing };
}
