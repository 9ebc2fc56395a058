/**
 * The manager's questions to the queue's intelligence, answered from the tickets and events tables:
 * why a ticket was called when it was (the routing explanation recorded with each call), and how many
 * counters each weekday and hour needs (Erlang C on the history of a range, closed days read from the
 * staffing rollups of migration 007).
 */
import { counterServiceWeights, type HallConfig } from '../config.ts';
import {
  CALL_RULE_TEXT,
  type CallReason,
  type DateRange,
  type RecordedCall,
  type RoutedTicket,
  type RoutingVerdict,
  type RoutingWhyAnswer,
  type StaffingAdvice,
  type TicketStatus,
  type Tier,
} from '../contract/api.ts';
import type { ServerEvents } from '../contract/events.ts';
import type { Db } from '../db/open.ts';
import { MINUTE } from '../domain/clock.ts';
import { localTime, parseClockTime } from '../domain/hall-time.ts';
import { HallHistory } from '../domain/history.ts';
import { adviseStaffing, DEFAULT_SERVICE_LEVEL, type StaffingHistory } from '../domain/staffing.ts';

type TicketRow = {
  id: string;
  number: string;
  service_id: string;
  tier: Tier;
  status: TicketStatus;
  issued_at: number;
  queued_at: number;
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

/** A ticket as `routingWhy` describes it, with its row. */
type Described = RoutedTicket & { row: TicketRow };

/** Where the later of two tickets stands now, when it has not been called. */
function afterwards(b: Described, lang: 'zh' | 'en', clock: (ms: number) => string): string {
  if (b.calls.length > 0) {
    const at = clock(Date.parse(b.calls[0]!.at));
    return lang === 'zh' ? ` ${b.number} 于 ${at} 叫号。` : ` ${b.number} was called at ${at}.`;
  }
  if (b.status === 'waiting')
    return lang === 'zh' ? ` ${b.number} 仍在等候。` : ` ${b.number} is still waiting.`;
  return lang === 'zh' ? ` ${b.number} 未被叫号就离开了。` : ` ${b.number} left without being called.`;
}
const round1 = (x: number) => Math.round(x * 10) / 10;

export type Intelligence = ReturnType<typeof createIntelligence>;

/**
 * Service times HallHistory keeps per service and hour (history.ts SAMPLES_KEPT, not exported there): the
 * staffing advice reads at least this many of the latest from the rollups. A test holds the two equal.
 */
export const SERVICE_TIMES_KEPT = 400;

/**
 * `rollUp` rolls up the closed days of a range (stats.ts), staffing figures included; `ticketDays` lists
 * the days of a range that have tickets.
 */
export function createIntelligence(
  db: Db,
  config: () => HallConfig,
  rollUp: (range: DateRange) => void,
  ticketDays: (range: DateRange) => { day: string }[],
) {
  const st = {
    ticket: db.prepare<[string, string], TicketRow>(
      `SELECT id, number, service_id, tier, status, issued_at, queued_at, first_called_at, passed_over, call_rule,
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
    const { routing } = config();
    let before: RoutingWhyAnswer['before'] = null;
    let decided: RoutingVerdict | null = null;
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
      decided = verdict({ row, ...ticket }, { row: other, ...described });
    }
    return {
      day: query.day,
      ticket,
      before,
      verdict: decided,
      routing: { maxPassOvers: routing.maxPassOvers, maxWaitFactor: routing.maxWaitFactor },
    };
  }

  /**
   * What decided the order of two tickets: the first call of the one called first, against the other —
   * whether the other was waiting then, whether that counter serves its service, whether the call
   * passed it over (and by which rule), or whether it simply came later.
   */
  function verdict(x: Described, y: Described): RoutingVerdict {
    const hall = config();
    const clock = (ms: number) => {
      const t = localTime(ms, hall.timeZone);
      return `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
    };
    const xCall = x.calls[0];
    const yCall = y.calls[0];
    if (!xCall && !yCall)
      return {
        first: null,
        rule: null,
        zh: `${x.number} 和 ${y.number} 都还没有叫号。`,
        en: `Neither ${x.number} nor ${y.number} has been called yet.`,
      };
    const [a, b] = !yCall || (xCall && xCall.at <= yCall.at) ? [x, y] : [y, x];
    const call = a.calls[0]!;
    const calledAt = Date.parse(call.at);
    const at = call.counterName ?? call.counterId ?? '?';
    const when = { zh: `${clock(calledAt)} 在${at}`, en: `at ${clock(calledAt)} by ${at}` };
    const said = { zh: call.zh ? `（${call.zh}）` : '', en: call.en ? ` (“${call.en}”)` : '' };
    const rule = call.rule ? CALL_RULE_TEXT[call.rule] : null;
    const serviceName = hall.services.find((s) => s.id === b.row.service_id)?.name ?? {
      zh: b.row.service_id,
      en: b.row.service_id,
    };
    const counter = hall.counters.find((c) => c.id === call.counterId);
    const servesB = counter
      ? counterServiceWeights(counter).some((s) => s.serviceId === b.row.service_id)
      : true;
    const decided = (text: { zh: string; en: string }, byRule: boolean): RoutingVerdict => ({
      first: a.number,
      rule: byRule ? call.rule : null,
      zh: text.zh + afterwards(b, 'zh', clock),
      en: text.en + afterwards(b, 'en', clock),
    });
    if (b.row.queued_at > calledAt)
      return decided(
        {
          zh: `${a.number} 于 ${when.zh}叫号时，${b.number} 还没有排队（${clock(b.row.queued_at)} 才排入）。`,
          en: `${a.number} was called ${when.en} before ${b.number} had joined the queue (at ${clock(b.row.queued_at)}).`,
        },
        false,
      );
    if (call.passedOver.includes(b.number)) {
      const waited = Math.floor((calledAt - b.row.queued_at) / MINUTE);
      const target = hall.services.find((s) => s.id === b.row.service_id)?.waitTargetMinutes ?? 15;
      const past = waited >= target;
      return decided(
        {
          zh: `${a.number} 于 ${when.zh}先叫，越过了 ${b.number}（当时已等 ${waited} 分钟${past ? `，已超过目标 ${target} 分钟` : ''}）：规则是${rule?.zh ?? '（未记录）'}${said.zh}。`,
          en: `${a.number} was called ${when.en} ahead of ${b.number}, who had waited ${waited} min by then${past ? `, past its ${target}-minute target` : ''}: the rule was ${rule?.en ?? '(not recorded)'}${said.en}.`,
        },
        true,
      );
    }
    if (!servesB)
      return decided(
        {
          zh: `${a.number} 于 ${when.zh}叫号；该窗口不办理 ${b.number} 的业务（${serviceName.zh}）。`,
          en: `${a.number} was called ${when.en}, a counter that does not serve ${b.number}'s service (${serviceName.en}).`,
        },
        false,
      );
    if (b.row.queued_at >= a.row.queued_at)
      return decided(
        {
          zh: `${a.number} 排队在先（${clock(a.row.queued_at)}，${b.number} ${clock(b.row.queued_at)}），于 ${when.zh}先叫：${rule?.zh ?? ''}${said.zh}。`,
          en: `${a.number} joined the queue first (${clock(a.row.queued_at)}, ${b.number} at ${clock(b.row.queued_at)}) and was called ${when.en}: ${rule?.en ?? ''}${said.en}.`,
        },
        true,
      );
    return decided(
      {
        zh: `${a.number} 于 ${when.zh}叫号，这是该窗口的主办业务；${b.number} 的业务该窗口只是协办，未超时前不算被跳过：${rule?.zh ?? ''}${said.zh}。`,
        en: `${a.number} was called ${when.en} for that counter's own service; it only helps with ${b.number}'s, which does not count as passing it over until it is overdue: ${rule?.en ?? ''}${said.en}.`,
      },
      true,
    );
  }

  // ---------- staffing: what a day gives the advice, from its rollup or from its tickets ----------

  const sf = {
    days: db.prepare<[string, string], { day: string; weekday: number; arrivals: string; counters: string }>(
      'SELECT day, weekday, arrivals, counters FROM staffing_days WHERE day BETWEEN ? AND ?',
    ),
    rolledUpDays: db.prepare<[string, string], { day: string }>(
      'SELECT day FROM staffing_days WHERE day BETWEEN ? AND ?',
    ),
    timeRows: db
      .prepare<[string, string], [id: number, serviceId: string, first: number, last: number, hours: string]>(
        `SELECT rowid, service_id, first_finished_at, last_finished_at, hours FROM staffing_service_times
          WHERE day BETWEEN ? AND ?`,
      )
      .raw(true),
    times: db.prepare<[string], { service_id: string; times: string }>(
      `SELECT service_id, times FROM staffing_service_times WHERE rowid IN (SELECT value FROM json_each(?))`,
    ),
    arrivalsOf: db.prepare<[string], { weekday: number; hour: number; service_id: string; n: number }>(
      `SELECT MIN(weekday) AS weekday, hour, issued_service_id AS service_id, COUNT(*) AS n FROM tickets
        WHERE day = ? GROUP BY hour, issued_service_id ORDER BY hour, issued_service_id`,
    ),
    countersOf: db.prepare<[string], { hour: number; counters: number }>(
      `SELECT hour, COUNT(DISTINCT counter_id) AS counters FROM tickets
        WHERE day = ? AND counter_id IS NOT NULL GROUP BY hour ORDER BY hour`,
    ),
    // Calls that ended (served or not shown): the counter was busy from the call, or from the start of
    // serving, until the end. Ordered by finishing time; ties by the rest, so equal keys are equal samples.
    timesOf: db.prepare<[string], { service_id: string; hour: number; finished_at: number; ms: number }>(
      `SELECT service_id, hour, finished_at, finished_at - COALESCE(serving_at, called_at) AS ms FROM tickets
        WHERE day = ? AND status IN ('done', 'no-show') AND called_at IS NOT NULL AND finished_at IS NOT NULL
          AND finished_at >= COALESCE(serving_at, called_at)
        ORDER BY finished_at, service_id, hour, ms`,
    ),
    insertDay: db.prepare<[string, number, string, string]>(
      'INSERT OR REPLACE INTO staffing_days(day, weekday, arrivals, counters) VALUES (?, ?, ?, ?)',
    ),
    insertTimes: db.prepare<[string, string, number, number, string, string]>(
      `INSERT OR REPLACE INTO staffing_service_times(day, service_id, first_finished_at, last_finished_at,
         hours, times) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
  };

  /** The days of a range whose staffing figures are rolled up. */
  function staffingRolledUp(range: DateRange): Set<string> {
    return new Set(sf.rolledUpDays.all(range.from, range.to).map((r) => r.day));
  }

  /**
   * Writes a closed day's staffing figures (stats.ts rollUp calls it, in its transaction for the day).
   * A day without tickets has nothing to roll up.
   */
  function rollUpStaffingDay(day: string): void {
    const arrivals = sf.arrivalsOf.all(day);
    if (arrivals.length === 0) return;
    sf.insertDay.run(
      day,
      arrivals[0]!.weekday,
      JSON.stringify(arrivals.map((a) => [a.hour, a.service_id, a.n])),
      JSON.stringify(sf.countersOf.all(day).map((c) => [c.hour, c.counters])),
    );
    const byService = new Map<string, { hours: Map<number, number>; flat: number[] }>();
    for (const t of sf.timesOf.all(day)) {
      const kept = byService.get(t.service_id) ?? { hours: new Map<number, number>(), flat: [] };
      byService.set(t.service_id, kept);
      kept.hours.set(t.hour, (kept.hours.get(t.hour) ?? 0) + 1);
      kept.flat.push(t.finished_at, t.hour, t.ms);
    }
    for (const [serviceId, { hours, flat }] of byService)
      sf.insertTimes.run(
        day,
        serviceId,
        flat[0]!,
        flat[flat.length - 3]!,
        JSON.stringify([...hours]),
        JSON.stringify(flat),
      );
  }

  /**
   * Counters needed per weekday and opening hour, from the range's tickets: arrivals by the hour they
   * were issued, service times by that hour too (the work an hour's arrivals bring), and the hall's wait
   * target (the services' targets weighted by their arrivals) for 80% of customers.
   *
   * Closed days are read from their staffing rollups, the others (today, days with open tickets) from
   * their tickets; the advice is the same either way (intelligence.test.ts).
   */
  function staffing(range: DateRange): StaffingAdvice {
    const hall = config();
    rollUp(range);

    // Arrivals per weekday, hour and issued service; days seen per weekday; counters that called someone.
    const arrivals = new Map<string, number>();
    const daysPerWeekday = new Array<number>(7).fill(0);
    const perService = new Map<string, number>();
    const staffed = new Map<string, number>();
    const serviceIds = new Set<string>();
    const addDay = (
      weekday: number,
      issued: Iterable<readonly [hour: number, serviceId: string, n: number]>,
      counters: Iterable<readonly [hour: number, counters: number]>,
    ) => {
      daysPerWeekday[weekday]!++;
      for (const [hour, serviceId, n] of issued) {
        const key = `${weekday}@${hour}@${serviceId}`;
        arrivals.set(key, (arrivals.get(key) ?? 0) + n);
        perService.set(serviceId, (perService.get(serviceId) ?? 0) + n);
        serviceIds.add(serviceId);
      }
      for (const [hour, n] of counters)
        staffed.set(`${weekday}@${hour}`, (staffed.get(`${weekday}@${hour}`) ?? 0) + n);
    };
    /** Service times that may be among the latest HallHistory keeps: [finished at, service, hour, ms]. */
    const samples: [number, string, number, number][] = [];

    const rolled = new Set<string>();
    for (const d of sf.days.all(range.from, range.to)) {
      rolled.add(d.day);
      addDay(
        d.weekday,
        JSON.parse(d.arrivals) as [number, string, number][],
        JSON.parse(d.counters) as [number, number][],
      );
    }
    for (const { day } of ticketDays(range)) {
      if (rolled.has(day)) continue;
      const issued = sf.arrivalsOf.all(day);
      addDay(
        issued[0]!.weekday,
        issued.map((a) => [a.hour, a.service_id, a.n] as const),
        sf.countersOf.all(day).map((c) => [c.hour, c.counters] as const),
      );
      for (const t of sf.timesOf.all(day)) samples.push([t.finished_at, t.service_id, t.hour, t.ms]);
    }
    for (const r of sf.times.all(JSON.stringify(latestTimeRows(range)))) {
      const flat = JSON.parse(r.times) as number[];
      for (let i = 0; i < flat.length; i += 3)
        samples.push([flat[i]!, r.service_id, flat[i + 1]!, flat[i + 2]!]);
    }
    // In finishing order, as if every ticket of the range had been read: HallHistory keeps the latest.
    samples.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[2] - b[2] || a[3] - b[3]));
    const times = new HallHistory();
    for (const [, serviceId, hour, ms] of samples) {
      times.addServiceTime(serviceId, hour, ms / 60000);
      serviceIds.add(serviceId);
    }
    const history: StaffingHistory = {
      services: () => [...serviceIds],
      arrivalsPerHour: (weekday, hour, serviceId) =>
        daysPerWeekday[weekday] === 0
          ? 0
          : (arrivals.get(`${weekday}@${hour}@${serviceId}`) ?? 0) / daysPerWeekday[weekday]!,
      meanServiceMinutes: (serviceId, hour) => times.meanServiceMinutes(serviceId, hour),
    };

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

  /**
   * The rolled-up service-time rows (day × service) of a range that can hold one of the
   * SERVICE_TIMES_KEPT latest times of their service at some hour: a row is skipped only when, for each
   * hour it has times of, that many times of the service at that hour finished after its last one, in
   * rows that began finishing later. Finishing times, not days, so that days overlapping in finishing
   * time could not fool it (the hall closes a day's open tickets when the next begins, so they do not).
   * The latest times of a service at any hour are among the latest of their own hour, so these rows hold
   * them too.
   */
  function latestTimeRows(range: DateRange): number[] {
    type Meta = { id: number; first: number; last: number; hours: [hour: number, n: number][] };
    const byService = new Map<string, Meta[]>();
    for (const [id, serviceId, first, last, hours] of sf.timeRows.all(range.from, range.to)) {
      const rows = byService.get(serviceId) ?? [];
      byService.set(serviceId, rows);
      rows.push({ id, first, last, hours: JSON.parse(hours) as [number, number][] });
    }
    const wanted: number[] = [];
    for (const rows of byService.values()) {
      rows.sort((a, b) => b.first - a.first);
      // later.get(hour)[k]: the times at that hour in the k rows that began finishing last.
      const later = new Map<number, number[]>();
      rows.forEach((r, k) => {
        for (const [hour, n] of r.hours) {
          const sums = later.get(hour) ?? [];
          later.set(hour, sums);
          while (sums.length <= k) sums.push(sums[sums.length - 1] ?? 0);
          sums[k + 1] = sums[k]! + n;
        }
      });
      const laterAt = (hour: number, k: number) => {
        const sums = later.get(hour)!;
        return sums[Math.min(k, sums.length - 1)]!;
      };
      for (const r of rows) {
        // How many rows began finishing strictly after this one ended (they lead the sorted list).
        let lo = 0;
        let hi = rows.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (rows[mid]!.first > r.last) lo = mid + 1;
          else hi = mid;
        }
        if (r.hours.some(([hour]) => laterAt(hour, lo) < SERVICE_TIMES_KEPT)) wanted.push(r.id);
      }
    }
    return wanted;
  }

  return { routingWhy, staffing, staffingRolledUp, rollUpStaffingDay };
}
