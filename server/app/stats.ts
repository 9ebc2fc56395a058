/**
 * Statistics over a range of opening days. The timestamps come from the ticket rows, which the command
 * path writes in the same transaction as each event, so they agree with the event log by construction
 * (wait = first call − issue; service = finish − start of serving).
 *
 * A day that has ended with no ticket open is rolled up (server/db/rollups.ts), and so is a month that
 * has ended with every day rolled up; a range reads its whole months, its other closed days and then,
 * ticket by ticket, its live days (today, or a day with tickets still open). A year is then about twelve
 * months of rollups, the days at its ends and today: exactly the figures of its ticket rows, since
 * every figure is an integer count, sum or histogram cell (stats-rollups.test.ts holds the two equal).
 */

import type { HallConfig } from '../config.ts';
import {
  type DateRange,
  type Rating,
  SERVQUAL,
  type StatsSummary,
  type SummaryGroup,
} from '../contract/api.ts';
import type { Period, SeriesPoint, StatsBreakdown, StatsSeries } from '../contract/manager.ts';
import { createAccountsRepository } from '../db/accounts.ts';
import type { Db } from '../db/open.ts';
import { createRollupsRepository, DIMENSIONS, type Dimension, type RollupRow } from '../db/rollups.ts';
import { createStatisticsRepository, type StatRow } from '../db/statistics.ts';
import type { Clock } from '../domain/clock.ts';
import { localDateTime, localTime } from '../domain/hall-time.ts';
import {
  daysOfMonth,
  GroupAccumulator,
  periodOf,
  periodsIn,
  type StatTicket,
  splitAtMonths,
  statTicket,
  weekdayOf,
} from '../domain/stats.ts';
import { encodedTickets, encodeTotals, TotalsSum } from '../domain/totals.ts';
import { csvRow } from './csv.ts';
import { createIntelligence } from './intelligence.ts';

export type Stats = ReturnType<typeof createStats>;

const SUMMARY_DIMENSIONS: readonly Dimension[] = ['all', 'service', 'counter', 'hour'];

/** The group a ticket row falls in along a dimension; null when it has none there (never at a counter). */
function keyOf(r: StatRow, dimension: Dimension): string | null {
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

/**
 * How a range is read: the months wholly in it that have rollups, the stretches of days around them
 * (their closed days from day rollups), and the live days, ticket by ticket.
 */
type Parts = { range: DateRange; months: string[]; stretches: DateRange[]; live: string[] };

/** Figures added up by section (a dimension, or what a question makes of one) and key. */
type Groups = Map<string, Map<string, TotalsSum>>;

function groupOf(groups: Groups, section: string, key: string): TotalsSum {
  const keyed = groups.get(section) ?? new Map<string, TotalsSum>();
  groups.set(section, keyed);
  const g = keyed.get(key) ?? new TotalsSum();
  keyed.set(key, g);
  return g;
}

/** The keys of a section, in the given order. */
const keysOf = (groups: Groups, section: string, order: (a: string, b: string) => number) =>
  [...(groups.get(section)?.keys() ?? [])].sort(order);

/** A group's figures; an empty group's when the range has none there. */
const read = (groups: Groups, section: string, key: string) =>
  groups.get(section)?.get(key) ?? new TotalsSum();

/** `hall`: the configuration, or a getter of the one in force (the manager edits it live). */
export function createStats(db: Db, hall: HallConfig | (() => HallConfig), clock: Clock) {
  const current = typeof hall === 'function' ? hall : () => hall;
  const tickets = createStatisticsRepository(db);
  const rollups = createRollupsRepository(db);
  const accounts = createAccountsRepository(db);
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
  const intelligence = createIntelligence(db, current, (range) => rollUp(range));

  function toStat(r: StatRow): StatTicket {
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

  /**
   * Adds ticket rows into the groups `sections` names for each (section and key; a null key: none
   * there), counted as a closed day's rollup would count them and then added like one.
   */
  function addTickets(
    groups: Groups,
    rows: Iterable<StatRow>,
    sections: (r: StatRow) => Iterable<[section: string, key: string | null]>,
  ): void {
    const counted = new Map<string, Map<string, GroupAccumulator>>();
    for (const r of rows) {
      const t = toStat(r);
      for (const [section, key] of sections(r)) {
        if (key === null) continue;
        const keyed = counted.get(section) ?? new Map<string, GroupAccumulator>();
        counted.set(section, keyed);
        const g = keyed.get(key) ?? new GroupAccumulator();
        keyed.set(key, g);
        g.add(t);
      }
    }
    for (const [section, keyed] of counted)
      for (const [key, g] of keyed) groupOf(groups, section, key).add(encodeTotals(g.totals()));
  }

  /** A ticket row's groups along the given dimensions. */
  const along =
    (dimensions: readonly Dimension[]) =>
    (r: StatRow): [string, string | null][] =>
      dimensions.map((d) => [d, keyOf(r, d)]);

  function partsOf(range: DateRange): Parts {
    const live = rollups
      .unrolledDays(range.from, range.to)
      .filter((d) => !d.hasFigures)
      .map((d) => d.day);
    const rolled = rollups.rolledMonths(range.from.slice(0, 7), range.to.slice(0, 7));
    const { months, stretches } = splitAtMonths(range, rolled);
    return { range, months, stretches, live };
  }

  /**
   * The rollups of a range's closed days along the given dimensions: by month where a whole month is
   * rolled up, by day elsewhere; `daily`: by day throughout, for questions that need each day.
   */
  function* closedRows(parts: Parts, dimensions: readonly Dimension[], daily = false): Generator<RollupRow> {
    if (daily) {
      yield* rollups.days(parts.range.from, parts.range.to, dimensions);
      return;
    }
    if (parts.months.length > 0)
      yield* rollups.months(parts.months[0]!, parts.months[parts.months.length - 1]!, dimensions);
    for (const s of parts.stretches) yield* rollups.days(s.from, s.to, dimensions);
  }

  /** The live days' tickets. */
  function* liveRows(parts: Parts): Generator<StatRow> {
    for (const day of parts.live) yield* tickets.tickets(day, day);
  }

  const pointOf = (period: string, g: TotalsSum): SeriesPoint => {
    const { key: _key, ...figures } = g.figures(period);
    return { period, ...figures, unservedAtClosing: g.unservedAtClosing };
  };

  /** Per period (day, week from Monday, month): the summary's headline figures, for charts. */
  function series(range: DateRange, by: Period): StatsSeries {
    rollUp(range);
    const parts = partsOf(range);
    const groups: Groups = new Map();
    for (const [period, , , totals] of closedRows(parts, ['all'], by !== 'month'))
      groupOf(groups, 'period', periodOf(period, by)).add(totals);
    addTickets(groups, liveRows(parts), (r) => [['period', periodOf(r[2], by)]]);
    const points = periodsIn(range.from, range.to, by).map((p) => pointOf(p, read(groups, 'period', p)));
    return { from: range.from, to: range.to, by, points };
  }

  /**
   * By staff member and weekday, arrivals by weekday and hour, and ratings by staff, counter and service.
   * Services and counters are added light (counts and ratings, no histograms): that is all they give here.
   */
  function breakdown(range: DateRange): StatsBreakdown {
    rollUp(range);
    const parts = partsOf(range);
    const groups: Groups = new Map();
    const arrivals = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
    for (const [, dimension, key, totals] of closedRows(parts, ['staff', 'service', 'counter'])) {
      if (dimension === 'staff') groupOf(groups, dimension, key).add(totals);
      else groupOf(groups, dimension, key).addCounts(totals);
    }
    for (const [day, dimension, key, totals] of closedRows(parts, ['all', 'hour'], true)) {
      const weekday = weekdayOf(day);
      if (dimension === 'hour') arrivals[weekday]![Number(key)]! += encodedTickets(totals);
      else {
        groupOf(groups, 'weekday', String(weekday)).add(totals);
        groupOf(groups, 'all', 'all').addCounts(totals);
      }
    }
    const live = [...liveRows(parts)];
    for (const r of live) arrivals[weekdayOf(r[2])]![r[3]]!++;
    const alongLive = along(['all', 'staff', 'service', 'counter']);
    addTickets(groups, live, (r) => [['weekday', String(weekdayOf(r[2]))], ...alongLive(r)]);
    const names = accounts.names();
    const serviceOrder = current().services.map((s) => s.id);
    const staffKeys = keysOf(groups, 'staff', (a, b) =>
      (names.get(a) ?? a).localeCompare(names.get(b) ?? b, 'zh'),
    );
    const serviceKeys = keysOf(
      groups,
      'service',
      (a, b) => serviceOrder.indexOf(a) - serviceOrder.indexOf(b),
    );
    const counterKeys = keysOf(groups, 'counter', (a, b) => a.localeCompare(b, 'en', { numeric: true }));
    const ratings = (section: string) => (k: string) => read(groups, section, k).ratingFigures(k);
    return {
      from: range.from,
      to: range.to,
      byStaff: staffKeys.map((k) => ({ ...read(groups, 'staff', k).figures(k), name: names.get(k) ?? k })),
      byWeekday: Array.from(
        { length: 7 },
        (_, w): SummaryGroup => read(groups, 'weekday', String(w)).figures(String(w)),
      ),
      arrivals,
      ratings: {
        all: ratings('all')('all'),
        byStaff: staffKeys.map((k) => ({ ...ratings('staff')(k), name: names.get(k) ?? k })),
        byCounter: counterKeys.map(ratings('counter')),
        byService: serviceKeys.map(ratings('service')),
      },
    };
  }

  /**
   * Rolls up the days of a range that have ended and have no open ticket left, and are not rolled up
   * yet, then the months wholly in the range that have ended with every day rolled up (figures and
   * staffing). Each day and
   * month in its own transaction, so a long catch-up never holds the writer for long. At most `max` of
   * them; answers how many.
   */
  function rollUp(range: DateRange, max = Number.POSITIVE_INFINITY): number {
    const today = localTime(clock.now(), current().timeZone).day;
    let rolled = 0;
    for (const { day, hasFigures, hasStaffing } of rollups.unrolledDays(range.from, range.to)) {
      if (rolled >= max) break;
      if (day >= today || tickets.openTicketsOn(day) > 0) continue;
      const groups: Groups = new Map();
      if (!hasFigures) addTickets(groups, tickets.tickets(day, day), along(DIMENSIONS));
      db.transaction(() => {
        rollups.addDay(day, encoded(groups));
        // Staffing rollups came later (migration 007): a day may have its figures and still lack them.
        if (!hasStaffing) intelligence.rollUpStaffingDay(day);
      })();
      rolled++;
    }
    for (const month of rollups.monthsToRollUp(range.from, range.to)) {
      if (rolled >= max) break;
      const days = daysOfMonth(month);
      if (days.from < range.from || days.to > range.to || days.to >= today) continue;
      if (rollups.unrolledDays(days.from, days.to).length > 0) continue;
      const groups: Groups = new Map();
      for (const [, dimension, key, totals] of rollups.days(days.from, days.to, DIMENSIONS))
        groupOf(groups, dimension, key).add(totals);
      db.transaction(() => {
        rollups.addMonth(month, encoded(groups));
        intelligence.rollUpStaffingMonth(month);
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
      const parts = partsOf(range);
      const groups: Groups = new Map();
      for (const [, dimension, key, totals] of closedRows(parts, SUMMARY_DIMENSIONS))
        groupOf(groups, dimension, key).add(totals);
      addTickets(groups, liveRows(parts), along(SUMMARY_DIMENSIONS));
      const all = read(groups, 'all', 'all');
      const total = all.figures('all');
      const serviceOrder = current().services.map((s) => s.id);
      const sorted = (dimension: Dimension, order: (a: string, b: string) => number) =>
        keysOf(groups, dimension, order).map((k) => read(groups, dimension, k).figures(k));
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
      const staffNames = accounts.names();
      const local = (ms: number | null) => (ms === null ? '' : localDateTime(ms, timeZone));
      const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());
      const minutes = (x: number | null) => (x === null ? '' : x.toFixed(2));
      for (const r of tickets.tickets(range.from, range.to)) {
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

/** Groups along the dimensions in their stored form: `[dimension, key, encoded totals]`. */
function* encoded(groups: Groups): Generator<[Dimension, string, Uint8Array]> {
  for (const [dimension, keyed] of groups)
    for (const [key, g] of keyed) yield [dimension as Dimension, key, g.encoded()];
}
