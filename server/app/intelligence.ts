/**
 * The manager's questions to the queue's intelligence, answered from the tickets and events tables:
 * why a ticket was called when it was (the routing explanation recorded with each call), and how many
 * counters each weekday and hour needs (Erlang C on the history of a range, closed days read from the
 * staffing rollups of migration 007).
 */
import { counterServiceWeights, type HallConfig } from '../config.ts';
import {
  CALL_RULE_TEXT,
  type DateRange,
  type RecordedCall,
  type RoutedTicket,
  type RoutingVerdict,
  type RoutingWhyAnswer,
  type StaffingAdvice,
} from '../contract/api.ts';
import type { ServerEvents } from '../contract/events.ts';
import { createEventRepository } from '../db/events.ts';
import type { Db } from '../db/open.ts';
import { createStaffingRepository, type ServiceTimes, type StaffingDayRow } from '../db/staffing.ts';
import { createTicketRepository, type TicketRow } from '../db/tickets.ts';
import { ArrivalTally, type StoredTally } from '../domain/arrival-tally.ts';
import { MINUTE } from '../domain/clock.ts';
import { localTime, parseClockTime } from '../domain/hall-time.ts';
import { HallHistory } from '../domain/history.ts';
import { adviseStaffing, DEFAULT_SERVICE_LEVEL, type StaffingHistory } from '../domain/staffing.ts';
import { daysOfMonth, splitAtMonths } from '../domain/stats.ts';

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

/** Adds a rolled-up day's staffing figures. */
function addStoredDay(tally: ArrivalTally, d: StaffingDayRow): void {
  tally.addDay(
    d.weekday,
    JSON.parse(d.arrivals) as [number, string, number][],
    JSON.parse(d.counters) as [number, number][],
  );
}

/**
 * Service times HallHistory keeps per service and hour (history.ts SAMPLES_KEPT, not exported there): the
 * staffing advice reads at least this many of the latest from the rollups. A test holds the two equal.
 */
export const SERVICE_TIMES_KEPT = 400;

/** `rollUp` rolls up the closed days of a range (stats.ts), staffing figures included. */
export function createIntelligence(db: Db, config: () => HallConfig, rollUp: (range: DateRange) => void) {
  const tickets = createTicketRepository(db);
  const events = createEventRepository(db);
  const rollups = createStaffingRepository(db);

  function describe(row: TicketRow): RoutedTicket {
    const calls = events.callsOf(row.id).map((c, i, all): RecordedCall => {
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
    const row = tickets.byNumber(query.day, query.number);
    if (!row) return null;
    const ticket = describe(row);
    const { routing } = config();
    let before: RoutingWhyAnswer['before'] = null;
    let decided: RoutingVerdict | null = null;
    if (query.before !== undefined) {
      const other = tickets.byNumber(query.day, query.before);
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

  /**
   * Writes a closed day's staffing figures (stats.ts rollUp calls it, in its transaction for the day).
   * A day without tickets has nothing to roll up.
   */
  function rollUpStaffingDay(day: string): void {
    const arrivals = rollups.arrivalsOn(day);
    if (arrivals.length === 0) return;
    rollups.addDay({
      day,
      weekday: arrivals[0]!.weekday,
      arrivals: JSON.stringify(arrivals.map((a) => [a.hour, a.service_id, a.n])),
      counters: JSON.stringify(rollups.countersOn(day).map((c) => [c.hour, c.counters])),
    });
    const byKey = new Map<string, { serviceId: string; hour: number; flat: number[] }>();
    for (const t of rollups.timesOn(day)) {
      const key = `${t.service_id}@${t.hour}`;
      const kept = byKey.get(key) ?? { serviceId: t.service_id, hour: t.hour, flat: [] };
      byKey.set(key, kept);
      kept.flat.push(t.finished_at, t.ms);
    }
    for (const { serviceId, hour, flat } of byKey.values())
      rollups.addTimes({
        day,
        service_id: serviceId,
        hour,
        first_finished_at: flat[0]!,
        last_finished_at: flat[flat.length - 2]!,
        n: flat.length / 2,
        times: JSON.stringify(flat),
      });
  }

  /** Writes a month's staffing figures, the sums of its days (stats.ts rollUp, in the month's transaction). */
  function rollUpStaffingMonth(month: string): void {
    const { from, to } = daysOfMonth(month);
    const tally = new ArrivalTally();
    for (const d of rollups.days(from, to)) addStoredDay(tally, d);
    const stored = tally.stored();
    rollups.addMonth({
      month,
      days: JSON.stringify(stored.days),
      arrivals: JSON.stringify(stored.arrivals),
      counters: JSON.stringify(stored.counters),
    });
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

    const tally = new ArrivalTally();
    /** Service times that may be among the latest HallHistory keeps, by service: [finished at, hour, ms]. */
    const samples = new Map<string, [number, number, number][]>();
    const sample = (serviceId: string, finishedAt: number, hour: number, ms: number) => {
      const of = samples.get(serviceId) ?? [];
      samples.set(serviceId, of);
      of.push([finishedAt, hour, ms]);
    };

    // Whole months from their rollups, the days around them from theirs.
    const split = splitAtMonths(range, rollups.rolledMonths(range.from.slice(0, 7), range.to.slice(0, 7)));
    if (split.months.length > 0)
      for (const m of rollups.months(split.months[0]!, split.months[split.months.length - 1]!))
        tally.addStored({
          days: JSON.parse(m.days) as StoredTally['days'],
          arrivals: JSON.parse(m.arrivals) as StoredTally['arrivals'],
          counters: JSON.parse(m.counters) as StoredTally['counters'],
        });
    for (const stretch of split.stretches)
      for (const d of rollups.days(stretch.from, stretch.to)) addStoredDay(tally, d);
    for (const day of rollups.unrolledDays(range.from, range.to)) {
      const issued = rollups.arrivalsOn(day);
      tally.addDay(
        issued[0]!.weekday,
        issued.map((a) => [a.hour, a.service_id, a.n] as const),
        rollups.countersOn(day).map((c) => [c.hour, c.counters] as const),
      );
      for (const t of rollups.timesOn(day)) sample(t.service_id, t.finished_at, t.hour, t.ms);
    }
    for (const { serviceId, hour, rows } of latestTimeRows(range))
      for (const r of rows) {
        const flat = JSON.parse(r.times) as number[];
        for (let i = 0; i < flat.length; i += 2) sample(serviceId, flat[i]!, hour, flat[i + 1]!);
      }
    // In finishing order, as if every ticket of the range had been read: HallHistory keeps the latest of
    // each service (and hour), so each service's times are put in order on their own.
    const times = new HallHistory();
    for (const [serviceId, of] of samples) {
      of.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
      for (const [, hour, ms] of of) times.addServiceTime(serviceId, hour, ms / 60000);
    }
    const history: StaffingHistory = {
      // adviseStaffing puts them in order.
      services: () => [...new Set([...tally.services(), ...samples.keys()])],
      arrivalsPerHour: (weekday, hour, serviceId) => tally.arrivalsPerHour(weekday, hour, serviceId),
      meanServiceMinutes: (serviceId, hour) => times.meanServiceMinutes(serviceId, hour),
    };

    // The wait target to staff for: the services' targets weighted by their tickets.
    const targets = new Map(hall.services.map((s) => [s.id, s.waitTargetMinutes]));
    let weighted = 0;
    let total = 0;
    for (const [serviceId, n] of tally.perService) {
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
      daysPerWeekday: tally.daysPerWeekday,
      level: { waitMinutes: level.waitMinutes, sharePct: level.share * 100 },
      hallCounters: hall.counters.length,
      hours: adviseStaffing(history, weekdays, hours, level).map((a) => ({
        weekday: a.weekday,
        hour: a.hour,
        arrivalsPerHour: round1(a.arrivalsPerHour),
        serviceMinutes: round1(a.serviceMinutes),
        countersNeeded: a.counters,
        expectedWithinPct: round1(a.expectedWithinShare * 100),
        countersStaffed: round1(tally.countersStaffed(a.weekday, a.hour)),
      })),
    };
  }

  /**
   * The rolled-up service-time rows (day × service × hour) of a range that can hold one of the
   * SERVICE_TIMES_KEPT latest times of their service and hour: a row is skipped only when that many
   * times of its service and hour finished after its last one, in rows that began finishing later.
   * Finishing times, not days, so that days overlapping in finishing time could not fool it (the hall
   * closes a day's open tickets when the next begins, so they do not). The latest times of a service at
   * any hour are among the latest of their own hour, so these rows hold them too.
   *
   * Each service and hour is walked back from its latest row until the rows read hold that many times;
   * the first finishing time of the last one read, `t`, bounds the rest: an older row ending before `t`
   * has them all after it, so of the rest only those spanning `t` are read.
   */
  function latestTimeRows(range: DateRange): { serviceId: string; hour: number; rows: ServiceTimes[] }[] {
    const wanted: { serviceId: string; hour: number; rows: ServiceTimes[] }[] = [];
    for (const { service_id: serviceId, hour } of rollups.keys()) {
      const rows: ServiceTimes[] = [];
      let times = 0;
      for (const row of rollups.latestFirst(serviceId, hour, range.from, range.to)) {
        rows.push(row);
        times += row.n;
        if (times >= SERVICE_TIMES_KEPT) break;
      }
      if (times >= SERVICE_TIMES_KEPT) {
        const read = new Set(rows.map((r) => r.id));
        const t = rows[rows.length - 1]!.first;
        for (const row of rollups.spanning(serviceId, hour, range.from, range.to, t))
          if (!read.has(row.id)) rows.push(row);
      }
      rows.sort((a, b) => b.first - a.first);
      // later[k]: the times in the k rows that began finishing last.
      const later = [0];
      for (const r of rows) later.push(later[later.length - 1]! + r.n);
      // How many rows began finishing strictly after a row ended (they lead the sorted list).
      const after = (r: ServiceTimes) => {
        let lo = 0;
        let hi = rows.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (rows[mid]!.first > r.last) lo = mid + 1;
          else hi = mid;
        }
        return lo;
      };
      wanted.push({ serviceId, hour, rows: rows.filter((r) => later[after(r)]! < SERVICE_TIMES_KEPT) });
    }
    return wanted;
  }

  return { routingWhy, staffing, rollUpStaffingDay, rollUpStaffingMonth };
}
