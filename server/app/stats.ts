/**
 * Statistics over a range of opening days. The timestamps come from the ticket rows, which the command
 * path writes in the same transaction as each event, so they agree with the event log by construction
 * (wait = first call − issue; service = finish − start of serving).
 */

import type { HallConfig } from '../config.ts';
import type { DateRange, StatsSummary, TicketStatus } from '../contract/api.ts';
import type { Db } from '../db/open.ts';
import { MINUTE } from '../domain/clock.ts';
import { GroupAccumulator, type StatTicket } from '../domain/stats.ts';

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

export function createStats(db: Db, config: HallConfig) {
  const targets = new Map(config.services.map((s) => [s.id, s.waitTargetMinutes]));
  const inRange = db.prepare<[string, string]>(
    `SELECT ${COLUMNS} FROM tickets WHERE day BETWEEN ? AND ? ORDER BY day, issued_at`,
  );

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

  return {
    summary(range: DateRange): StatsSummary {
      const all = new GroupAccumulator();
      const byService = new Map<string, GroupAccumulator>();
      const byCounter = new Map<string, GroupAccumulator>();
      const byHour = new Map<number, GroupAccumulator>();
      const group = <K>(map: Map<K, GroupAccumulator>, key: K) => {
        const g = map.get(key) ?? new GroupAccumulator();
        map.set(key, g);
        return g;
      };
      for (const r of rows(range)) {
        const t = toStat(r);
        all.add(t);
        group(byService, r[4]).add(t);
        if (r[5] !== null) group(byCounter, r[5]).add(t);
        group(byHour, r[3]).add(t);
      }
      const total = all.figures('all');
      const serviceOrder = config.services.map((s) => s.id);
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
        byService: [...byService]
          .sort(([a], [b]) => serviceOrder.indexOf(a) - serviceOrder.indexOf(b))
          .map(([k, g]) => g.figures(k)),
        byCounter: [...byCounter]
          .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
          .map(([k, g]) => g.figures(k)),
        byHour: [...byHour].sort(([a], [b]) => a - b).map(([k, g]) => g.figures(String(k).padStart(2, '0'))),
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
