/**
 * Statistics over a range of opening days. The timestamps come from the ticket rows, which the command
 * path writes in the same transaction as each event, so they agree with the event log by construction
 * (wait = first call − issue; service = finish − start of serving).
 */

import type { HallConfig } from '../config.ts';
import type { DateRange, StatsSummary, TicketStatus } from '../contract/api.ts';
import type { Db } from '../db/open.ts';
import { type Clock, MINUTE } from '../domain/clock.ts';
import { localTime } from '../domain/hall-time.ts';
import { GroupAccumulator, type GroupTotals, type StatTicket } from '../domain/stats.ts';

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
];

const COLUMNS =
  'id, number, day, hour, service_id, counter_id, staff_id, tier, channel, status, end_reason, issued_at, first_called_at, serving_at, finished_at, rating';

export type Stats = ReturnType<typeof createStats>;

type Dimension = 'all' | 'service' | 'counter' | 'hour';
type Groups = Record<Dimension, Map<string, GroupAccumulator>>;

const newGroups = (): Groups => ({ all: new Map(), service: new Map(), counter: new Map(), hour: new Map() });

function groupOf(groups: Groups, dimension: Dimension, key: string): GroupAccumulator {
  const g = groups[dimension].get(key) ?? new GroupAccumulator();
  groups[dimension].set(key, g);
  return g;
}

export function createStats(db: Db, config: HallConfig, clock: Clock) {
  const targets = new Map(config.services.map((s) => [s.id, s.waitTargetMinutes]));
  const inRange = db.prepare<[string, string]>(
    `SELECT ${COLUMNS} FROM tickets WHERE day BETWEEN ? AND ? ORDER BY day, issued_at`,
  );
  const st = {
    rolledUpDays: db.prepare<[string, string], { day: string }>(
      "SELECT day FROM day_rollups WHERE dimension = 'all' AND day BETWEEN ? AND ?",
    ),
    rollups: db.prepare<[string, string], { dimension: Dimension; key: string; totals: string }>(
      'SELECT dimension, key, totals FROM day_rollups WHERE day BETWEEN ? AND ?',
    ),
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
  function toStat(r: Row): StatTicket {
    const [, , , , serviceId, , , , , status, endReason, issuedAt, firstCalledAt, servingAt, finishedAt] = r;
    return {
      status,
      unservedAtClosing: status === 'cancelled' && endReason === 'closing',
      waitMinutes: firstCalledAt === null ? null : (firstCalledAt - issuedAt) / MINUTE,
      serviceMinutes:
        status === 'done' && servingAt !== null && finishedAt !== null
          ? (finishedAt - servingAt) / MINUTE
          : null,
      waitTargetMinutes: targets.get(serviceId) ?? 15,
    };
  }

  function rows(range: DateRange): IterableIterator<Row> {
    return inRange.raw(true).iterate(range.from, range.to) as IterableIterator<Row>;
  }

  /** Adds raw ticket rows of a range into the groups. */
  function addRows(groups: Groups, range: DateRange): void {
    for (const r of rows(range)) {
      const t = toStat(r);
      groupOf(groups, 'all', 'all').add(t);
      groupOf(groups, 'service', r[4]).add(t);
      if (r[5] !== null) groupOf(groups, 'counter', r[5]).add(t);
      groupOf(groups, 'hour', String(r[3]).padStart(2, '0')).add(t);
    }
  }

  /**
   * Rolls up the days of a range that have ended and have no open ticket left, and are not rolled up
   * yet. Each day in its own transaction, so a long catch-up never holds the writer for long.
   */
  function rollUp(range: DateRange, maxDays = Number.POSITIVE_INFINITY): number {
    const today = localTime(clock.now(), config.timeZone).day;
    const done = new Set(st.rolledUpDays.all(range.from, range.to).map((r) => r.day));
    let rolled = 0;
    for (const { day } of st.ticketDays.all(range.from, range.to)) {
      if (rolled >= maxDays) break;
      if (day >= today || done.has(day) || st.openTickets.get(day)!.n > 0) continue;
      const groups = newGroups();
      addRows(groups, { from: day, to: day });
      db.transaction(() => {
        for (const dimension of Object.keys(groups) as Dimension[])
          for (const [key, g] of groups[dimension])
            st.insertRollup.run(day, dimension, key, JSON.stringify(g.totals()));
      })();
      rolled++;
    }
    return rolled;
  }

  return {
    rollUp,

    summary(range: DateRange): StatsSummary {
      rollUp(range);
      const groups = newGroups();
      for (const r of st.rollups.all(range.from, range.to))
        groupOf(groups, r.dimension, r.key).mergeTotals(JSON.parse(r.totals) as GroupTotals);
      // Days not rolled up (today, or a day with tickets still open) are read ticket by ticket.
      const rolled = new Set(st.rolledUpDays.all(range.from, range.to).map((r) => r.day));
      for (const { day } of st.ticketDays.all(range.from, range.to))
        if (!rolled.has(day)) addRows(groups, { from: day, to: day });

      const all = groups.all.get('all') ?? new GroupAccumulator();
      const total = all.figures('all');
      const serviceOrder = config.services.map((s) => s.id);
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

    /** One CSV row per ticket: UTF-8 with a BOM so Excel opens it right, RFC 4180 quoting. */
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
      ].join(',')}\r\n`;
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
        ];
        yield `${cells.map(csvCell).join(',')}\r\n`;
      }
    },
  };
}

export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
