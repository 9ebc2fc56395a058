/**
 * Statistics over a range of opening days. The timestamps come from the ticket rows, which the command
 * path writes in the same transaction as each event, so they agree with the event log by construction
 * (wait = first call − issue; service = finish − start of serving).
 */

import type { HallConfig } from '../config.ts';
import {
  type DateRange,
  type Rating,
  SERVQUAL,
  type StatsSummary,
  type SummaryGroup,
  type TicketStatus,
} from '../contract/api.ts';
import type { Period, SeriesPoint, StatsBreakdown, StatsSeries } from '../contract/manager.ts';
import type { Db } from '../db/open.ts';
import type { Clock } from '../domain/clock.ts';
import { localDateTime, localTime } from '../domain/hall-time.ts';
import {
  GroupAccumulator,
  type GroupTotals,
  periodOf,
  periodsIn,
  type StatTicket,
  statTicket,
  weekdayOf,
} from '../domain/stats.ts';
import { csvRow } from './csv.ts';
import { createIntelligence } from './intelligence.ts';

type Row = [
  id: string,
  number: string,
  day: string,
  hour: number,
  serviceId: string,
  counterId: string | null,
  staffId: string | null,
  tier: string,
  channel: string,
  status: TicketStatus,
  endReason: string | null,
  issuedAt: number,
  firstCalledAt: number | null,
  servingAt: number | null,
  finishedAt: number | null,
  rating: number | null,
  ratingDimensions: string | null,
];

const COLUMNS =
  'id, number, day, hour, service_id, counter_id, staff_id, tier, channel, status, end_reason, issued_at, first_called_at, serving_at, finished_at, rating, rating_dimensions';

export type Stats = ReturnType<typeof createStats>;

type Dimension = 'all' | 'service' | 'counter' | 'hour' | 'staff';
type Groups = Record<Dimension, Map<string, GroupAccumulator>>;
const DIMENSIONS: readonly Dimension[] = ['all', 'service', 'counter', 'hour', 'staff'];

const newGroups = (): Groups => ({
  all: new Map(),
  service: new Map(),
  counter: new Map(),
  hour: new Map(),
  staff: new Map(),
});

/** The group a ticket row falls in along a dimension; null when it has none there (never at a counter). */
function keyOf(r: Row, dimension: Dimension): string | null {
  switch (dimension) {
    case 'all':
      return 'all';
    case 'service':
      return r[4];
    case 'counter':
      return r[5];
    case 'hour':
      return String(r[3]).padStart(2, '0');
    case 'staff':
      return r[6];
  }
}

/** The longest range the series and breakdown accept: ten years of days. */

function groupOf(groups: Groups, dimension: Dimension, key: string): GroupAccumulator {
  const g = groups[dimension].get(key) ?? new GroupAccumulator();
  groups[dimension].set(key, g);
  return g;
}

/** `hall`: the configuration, or a getter of the one in force (the manager edits it live). */
export function createStats(db: Db, hall: HallConfig | (() => HallConfig), clock: Clock) {
  const current = typeof hall === 'function' ? hall : () => hall;
  // Read on each use: a wait target the manager changes counts from the next query on.
  let targetsOf: HallConfig | null = null;
  let targets = new Map<string, number>();
  const target = (serviceId: string) => {
    const config = current();
    if (config !== targetsOf) {
      targets = new Map(config.services.map((s) => [s.id, s.waitTargetMinutes]));
      targetsOf = config;
    }
    return targets.get(serviceId) ?? 15;
  };
  const inRange = db.prepare<[string, string]>(
    `SELECT ${COLUMNS} FROM tickets WHERE day BETWEEN ? AND ? ORDER BY day, issued_at`,
  );
  const st = {
    rolledUpDays: db.prepare<[string, string], { day: string }>(
      "SELECT day FROM day_rollups WHERE dimension = 'all' AND day BETWEEN ? AND ?",
    ),
    // The summary's groups only: the staff rollups feed the breakdown.
    rollups: db.prepare<[string, string], { dimension: Dimension; key: string; totals: string }>(
      "SELECT dimension, key, totals FROM day_rollups WHERE day BETWEEN ? AND ? AND dimension <> 'staff'",
    ),
    dayRollups: db.prepare<
      [string, string, string, string],
      { day: string; dimension: Dimension; key: string; totals: string }
    >(
      // Dimensions named in the first parameter are read light: their ticket count and ratings only.
      `SELECT day, dimension, key,
              CASE WHEN instr(?, dimension) > 0
                   THEN json_object('tickets', totals ->> '$.tickets', 'ratings', totals -> '$.ratings')
                   ELSE totals END AS totals
         FROM day_rollups WHERE day BETWEEN ? AND ? AND instr(?, dimension) > 0`,
    ),
    staffNames: db.prepare<[], { id: string; name: string }>('SELECT id, name FROM users'),
    ticketDays: db.prepare<[string, string], { day: string }>(
      'SELECT DISTINCT day FROM tickets WHERE day BETWEEN ? AND ? ORDER BY day',
    ),
    openTickets: db.prepare<[string], { n: number }>(
      "SELECT COUNT(*) AS n FROM tickets WHERE day = ? AND status IN ('waiting', 'called', 'serving')",
    ),
    insertRollup: db.prepare(
      'INSERT OR REPLACE INTO day_rollups(day, dimension, key, totals) VALUES (?, ?, ?, ?)',
    ),
  };
  const ticketDays = (range: DateRange) => st.ticketDays.all(range.from, range.to);
  const intelligence = createIntelligence(db, current, (range) => rollUp(range), ticketDays);

  function toStat(r: Row): StatTicket {
    const [, , , , serviceId, , , , , status, endReason, issuedAt, firstCalledAt, servingAt, finishedAt] = r;
    const [rating, dimensions] = [r[15], r[16]];
    return statTicket({
      ...{ status, endReason, issuedAt, firstCalledAt, servingAt, finishedAt },
      rating:
        rating === null
          ? null
          : { score: rating, dimensions: dimensions ? (JSON.parse(dimensions) as Rating['dimensions']) : {} },
      waitTargetMinutes: target(serviceId),
    });
  }

  function rows(range: DateRange): IterableIterator<Row> {
    return inRange.raw(true).iterate(range.from, range.to) as IterableIterator<Row>;
  }

  /** Adds raw ticket rows of a range into the groups. */
  function addRows(groups: Groups, range: DateRange): void {
    for (const r of rows(range)) {
      const t = toStat(r);
      for (const dimension of DIMENSIONS) {
        const key = keyOf(r, dimension);
        if (key !== null) groupOf(groups, dimension, key).add(t);
      }
    }
  }

  /**
   * Feeds every day of a range, along the given dimensions, into the accumulator `into` picks: closed
   * days from their rollups, the others (today, days with open tickets) ticket by ticket.
   */
  function eachDay(
    range: DateRange,
    dimensions: readonly Dimension[],
    into: (day: string, dimension: Dimension, key: string) => GroupAccumulator,
    light: readonly Dimension[] = [],
  ): void {
    rollUp(range);
    const wanted = dimensions.join(' ');
    for (const r of st.dayRollups.all(light.join(' ') || '-', range.from, range.to, wanted))
      if (!dimensions.includes(r.dimension)) continue;
      else if (light.includes(r.dimension))
        into(r.day, r.dimension, r.key).mergeCounts(
          JSON.parse(r.totals) as Pick<GroupTotals, 'tickets' | 'ratings'>,
        );
      else into(r.day, r.dimension, r.key).mergeTotals(JSON.parse(r.totals) as GroupTotals);
    const rolled = new Set(st.rolledUpDays.all(range.from, range.to).map((r) => r.day));
    for (const { day } of ticketDays(range)) {
      if (rolled.has(day)) continue;
      for (const r of rows({ from: day, to: day })) {
        const t = toStat(r);
        for (const dimension of dimensions) {
          const key = keyOf(r, dimension);
          if (key !== null) into(day, dimension, key).add(t);
        }
      }
    }
  }

  const pointOf = (period: string, g: GroupAccumulator): SeriesPoint => {
    const { key: _key, ...figures } = g.figures(period);
    return { period, ...figures, unservedAtClosing: g.unservedAtClosing };
  };

  /** Per period (day, week from Monday, month): the summary's headline figures, for charts. */
  function series(range: DateRange, by: Period): StatsSeries {
    const periods = new Map(periodsIn(range.from, range.to, by).map((p) => [p, new GroupAccumulator()]));
    eachDay(range, ['all'], (day) => periods.get(periodOf(day, by))!);
    return { from: range.from, to: range.to, by, points: [...periods].map(([p, g]) => pointOf(p, g)) };
  }

  /**
   * By staff member and weekday, arrivals by weekday and hour, and ratings by staff, counter and service.
   * Hours, services and counters are read light (counts and ratings, no histograms): that is all they give here.
   */
  function breakdown(range: DateRange): StatsBreakdown {
    const groups = newGroups();
    const weekdays = Array.from({ length: 7 }, () => new GroupAccumulator());
    const heat = new Map<string, GroupAccumulator>();
    eachDay(
      range,
      DIMENSIONS,
      (day, dimension, key) => {
        if (dimension === 'all') return weekdays[weekdayOf(day)]!;
        if (dimension === 'hour') {
          const cell = `${weekdayOf(day)}|${Number(key)}`;
          const g = heat.get(cell) ?? new GroupAccumulator();
          heat.set(cell, g);
          return g;
        }
        return groupOf(groups, dimension, key);
      },
      ['hour', 'service', 'counter'],
    );
    const all = new GroupAccumulator();
    for (const g of weekdays) all.mergeTotals(g.totals());
    const names = new Map(st.staffNames.all().map((u) => [u.id, u.name]));
    const serviceOrder = current().services.map((s) => s.id);
    const counterOrder = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
    const sortedKeys = (dimension: Dimension, order: (a: string, b: string) => number) =>
      [...groups[dimension].keys()].sort(order);
    const staffKeys = sortedKeys('staff', (a, b) =>
      (names.get(a) ?? a).localeCompare(names.get(b) ?? b, 'zh'),
    );
    const serviceKeys = sortedKeys('service', (a, b) => serviceOrder.indexOf(a) - serviceOrder.indexOf(b));
    const counterKeys = sortedKeys('counter', counterOrder);
    const of = (dimension: Dimension, key: string) => groups[dimension].get(key)!;
    return {
      from: range.from,
      to: range.to,
      byStaff: staffKeys.map((k) => ({ ...of('staff', k).figures(k), name: names.get(k) ?? k })),
      byWeekday: weekdays.map((g, i): SummaryGroup => g.figures(String(i))),
      arrivals: Array.from({ length: 7 }, (_, w) =>
        Array.from({ length: 24 }, (_, h) => heat.get(`${w}|${h}`)?.tickets ?? 0),
      ),
      ratings: {
        all: all.ratings.figures('all'),
        byStaff: staffKeys.map((k) => ({ ...of('staff', k).ratings.figures(k), name: names.get(k) ?? k })),
        byCounter: counterKeys.map((k) => of('counter', k).ratings.figures(k)),
        byService: serviceKeys.map((k) => of('service', k).ratings.figures(k)),
      },
    };
  }

  /**
   * Rolls up the days of a range that have ended and have no open ticket left, and are not rolled up
   * yet. Each day in its own transaction, so a long catch-up never holds the writer for long.
   */
  function rollUp(range: DateRange, maxDays = Number.POSITIVE_INFINITY): number {
    const today = localTime(clock.now(), current().timeZone).day;
    const done = new Set(st.rolledUpDays.all(range.from, range.to).map((r) => r.day));
    // Staffing rollups came later (migration 007): a day may have its figures and still lack them.
    const staffed = intelligence.staffingRolledUp(range);
    let rolled = 0;
    for (const { day } of ticketDays(range)) {
      if (rolled >= maxDays) break;
      if (day >= today || (done.has(day) && staffed.has(day)) || st.openTickets.get(day)!.n > 0) continue;
      const groups = newGroups();
      if (!done.has(day)) addRows(groups, { from: day, to: day });
      db.transaction(() => {
        for (const dimension of Object.keys(groups) as Dimension[])
          for (const [key, g] of groups[dimension])
            st.insertRollup.run(day, dimension, key, JSON.stringify(g.totals()));
        if (!staffed.has(day)) intelligence.rollUpStaffingDay(day);
      })();
      rolled++;
    }
    return rolled;
  }

  return {
    /** Why a ticket was called when it was, and counters needed per hour: intelligence.ts. */
    routingWhy: intelligence.routingWhy,
    staffing: intelligence.staffing,
    rollUp,
    series,
    breakdown,

    summary(range: DateRange): StatsSummary {
      rollUp(range);
      const groups = newGroups();
      for (const r of st.rollups.all(range.from, range.to))
        groupOf(groups, r.dimension, r.key).mergeTotals(JSON.parse(r.totals) as GroupTotals);
      // Days not rolled up (today, or a day with tickets still open) are read ticket by ticket.
      const rolled = new Set(st.rolledUpDays.all(range.from, range.to).map((r) => r.day));
      for (const { day } of ticketDays(range)) if (!rolled.has(day)) addRows(groups, { from: day, to: day });

      const all = groups.all.get('all') ?? new GroupAccumulator();
      const total = all.figures('all');
      const serviceOrder = current().services.map((s) => s.id);
      const sorted = (dimension: Dimension, order: (a: string, b: string) => number) =>
        [...groups[dimension]].sort(([a], [b]) => order(a, b)).map(([k, g]) => g.figures(k));
      return {
        from: range.from,
        to: range.to,
        tickets: total.tickets,
        served: total.served,
        noShows: total.noShows,
        cancelled: total.cancelled,
        unservedAtClosing: all.unservedAtClosing,
        waitMinutes: total.waitMinutes,
        serviceMinutes: total.serviceMinutes,
        withinTargetPct: total.withinTargetPct,
        byService: sorted('service', (a, b) => serviceOrder.indexOf(a) - serviceOrder.indexOf(b)),
        byCounter: sorted('counter', (a, b) => a.localeCompare(b, 'en', { numeric: true })),
        byHour: sorted('hour', (a, b) => a.localeCompare(b)),
      };
    },

    /**
     * One CSV row per ticket: UTF-8 with a BOM so Excel opens it right, RFC 4180 quoting. The columns up
     * to `rating` are the contract's (times in UTC); after them, for people reading it in a spreadsheet:
     * the service and staff names, the times on the hall's clock, and the rating per SERVQUAL dimension.
     */
    *csv(range: DateRange): Generator<string> {
      yield `\uFEFF${[
        'number',
        'day',
        'serviceId',
        'tier',
        'channel',
        'status',
        'endReason',
        'issuedAt',
        'calledAt',
        'servingAt',
        'finishedAt',
        'counterId',
        'staffId',
        'waitMinutes',
        'serviceMinutes',
        'withinTarget',
        'rating',
        'serviceName',
        'staffName',
        'issuedLocal',
        'calledLocal',
        'finishedLocal',
        ...SERVQUAL,
      ].join(',')}\r\n`;
      const { timeZone, services } = current();
      const serviceNames = new Map(services.map((s) => [s.id, s.name.zh]));
      const staffNames = new Map(st.staffNames.all().map((u) => [u.id, u.name]));
      const local = (ms: number | null) => (ms === null ? '' : localDateTime(ms, timeZone));
      const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());
      const minutes = (x: number | null) => (x === null ? '' : x.toFixed(2));
      for (const r of rows(range)) {
        const [
          ,
          number,
          day,
          ,
          serviceId,
          counterId,
          staffId,
          tier,
          channel,
          status,
          endReason,
          issuedAt,
          firstCalledAt,
          servingAt,
          finishedAt,
          rating,
        ] = r;
        const t = toStat(r);
        const cells = [
          number,
          day,
          serviceId,
          tier,
          channel,
          status,
          endReason ?? '',
          iso(issuedAt),
          iso(firstCalledAt),
          iso(servingAt),
          iso(finishedAt),
          counterId ?? '',
          staffId ?? '',
          minutes(t.waitMinutes),
          minutes(t.serviceMinutes),
          t.waitMinutes === null ? '' : t.waitMinutes <= t.waitTargetMinutes ? 'yes' : 'no',
          rating === null ? '' : String(rating),
          serviceNames.get(serviceId) ?? '',
          staffId === null ? '' : (staffNames.get(staffId) ?? ''),
          local(issuedAt),
          local(firstCalledAt),
          local(finishedAt),
          ...SERVQUAL.map((d) => String(t.rating?.dimensions[d] ?? '')),
        ];
        yield csvRow(cells);
      }
    },
  };
}
