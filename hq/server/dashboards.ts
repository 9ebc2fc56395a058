/**
 * What the HQ pages read: halls side by side, summaries, breakdowns and trends — from the rollup tables
 * only, never the raw events. Every query runs in the asker's scope, so PostgreSQL itself keeps a region
 * manager to their region. The figures come from added totals by the hall's own rules (hq/domain/totals.ts).
 */
import type { DateRange, SummaryGroup } from '../../server/contract/api.ts';
import type { HqCatalogueService } from '../../server/contract/hq.ts';
import type {
  BreakdownBy,
  HqBreakdownRow,
  HqHall,
  HqQuarantineGroup,
  HqRegion,
  HqSeries,
  HqSummary,
  HqToday,
} from '../contract.ts';
import { getOrMake } from '../domain/maps.ts';
import { TotalsSum } from '../domain/totals.ts';
import { ALL, type HqDb, type Scope } from './db.ts';

const DAY_MS = 86_400_000;
const ONLINE_WITHIN_MS = 2 * 60_000;
/** Below this share within target (with at least MIN_CALLED called today) a hall is breaching now. */
const BREACH_PCT = 80;
const MIN_CALLED = 10;

/** What a question is about: one hall, one region, or everything the asker may see. */
export type Subject = { hallKey: number; hallId: string } | { region: string } | null;

function row(key: string, name: string, g: TotalsSum): HqBreakdownRow {
  const f = g.figures(key);
  return {
    key,
    name,
    tickets: f.tickets,
    served: f.served,
    noShows: f.noShows,
    waitMinutes: f.waitMinutes,
    withinTargetPct: f.withinTargetPct,
    ratingAvg: g.ratingAvg(),
  };
}

/**
 * Adds the totals of rows that arrive sorted by group, one group at a time (one adder reused: a month of
 * two thousand halls is sixty thousand rows).
 */
function reduceSorted<R extends { totals: Buffer }>(
  rows: readonly R[],
  keyOf: (r: R) => string,
  emit: (key: string, g: TotalsSum) => void,
): void {
  const sum = new TotalsSum();
  let current: string | null = null;
  for (const r of rows) {
    const key = keyOf(r);
    if (key !== current) {
      if (current !== null) emit(current, sum);
      sum.reset();
      current = key;
    }
    sum.add(r.totals);
  }
  if (current !== null) emit(current, sum);
}

/** A subject as SQL: a condition on `hall_key` of the rollup table aliased `alias`. */
function subjectSql(subject: Subject, alias: string, next: number): { sql: string; values: unknown[] } {
  if (subject === null) return { sql: 'true', values: [] };
  if ('hallKey' in subject) return { sql: `${alias}.hall_key = $${next}`, values: [subject.hallKey] };
  return {
    sql: `${alias}.hall_key IN (SELECT hall_key FROM hq_halls WHERE region = $${next})`,
    values: [subject.region],
  };
}

export type Dashboards = ReturnType<typeof createDashboards>;

export function createDashboards(deps: { db: HqDb; now: () => number }) {
  const { db } = deps;

  /** Service names and order from the newest catalogue the asker can see (the halls' own ids otherwise). */
  async function serviceNames(scope: Scope): Promise<Map<string, string>> {
    const rows = await db.read<{ services: HqCatalogueService[] }>(
      scope,
      `SELECT DISTINCT ON (region) services FROM hq_catalogues ORDER BY region, version DESC`,
    );
    const names = new Map<string, string>();
    for (const r of rows) for (const s of r.services) if (!names.has(s.id)) names.set(s.id, s.name.zh);
    return names;
  }

  return {
    /** Who a hall or region is, seen from everywhere: for telling a 403 from a 404. */
    async locate(q: {
      hallId?: string;
      region?: string;
    }): Promise<{ kind: 'hall'; hallKey: number; region: string } | { kind: 'region' } | null> {
      if (q.hallId !== undefined) {
        const [h] = await db.read<{ hall_key: number; region: string }>(
          ALL,
          'SELECT hall_key, region FROM hq_halls WHERE id = $1',
          [q.hallId],
        );
        return h ? { kind: 'hall', hallKey: h.hall_key, region: h.region } : null;
      }
      const [r] = await db.read(ALL, 'SELECT 1 FROM hq_regions WHERE id = $1', [q.region]);
      return r ? { kind: 'region' } : null;
    },

    async regions(scope: Scope): Promise<HqRegion[]> {
      return (
        await db.read<{ id: string; name: string; halls: number }>(
          scope,
          `SELECT r.id, r.name, (SELECT count(*)::int FROM hq_halls h WHERE h.region = r.id) AS halls
             FROM hq_regions r ORDER BY r.id`,
        )
      ).map((r) => ({ id: r.id, name: r.name, halls: r.halls }));
    },

    async halls(scope: Scope): Promise<HqHall[]> {
      const now = deps.now();
      const rows = await db.read<{
        id: string;
        name: string;
        region: string;
        last_seen_at: Date | null;
        sent_at: Date | null;
        current_as_of: Date | null;
        acked_through: number;
        max_seq: number;
        app_version: string | null;
        schema_version: number | null;
        catalogue_version: number | null;
        day: string;
        totals: Buffer | null;
        latest_version: number | null;
        behind_since: Date | null;
      }>(
        scope,
        `WITH h AS (
           SELECT *, ((to_timestamp($1 / 1000.0) AT TIME ZONE 'UTC')
                      + make_interval(mins => coalesce(utc_offset_minutes, 0)))::date AS today
             FROM hq_halls)
         SELECT h.id, h.name, h.region, h.last_seen_at, h.sent_at, h.current_as_of, h.acked_through, h.max_seq,
                h.app_version, h.schema_version, h.catalogue_version, h.today::text AS day, d.totals,
                c.latest AS latest_version,
                (SELECT min(v.published_at) FROM unnest(c.versions, c.published) AS v(version, published_at)
                  WHERE v.version > coalesce(h.catalogue_version, 0)) AS behind_since
           FROM h LEFT JOIN hq_hall_days d ON d.hall_key = h.hall_key AND d.day = h.today
           LEFT JOIN (SELECT region, max(version) AS latest, array_agg(version) AS versions,
                             array_agg(published_at) AS published
                        FROM hq_catalogues GROUP BY region) c ON c.region = h.region
          ORDER BY h.region, h.id`,
        [now],
      );
      const g = new TotalsSum();
      return rows.map((r): HqHall => {
        g.reset();
        if (r.totals) g.add(r.totals);
        const f = g.figures('today');
        const today: HqToday = {
          tickets: f.tickets,
          served: f.served,
          noShows: f.noShows,
          waitMinutes: { avg: f.waitMinutes.avg, p90: f.waitMinutes.p90 },
          withinTargetPct: f.withinTargetPct,
          ratingAvg: g.ratingAvg(),
        };
        const called = g.called;
        const seen = r.last_seen_at?.getTime() ?? null;
        return {
          id: r.id,
          name: r.name,
          region: r.region,
          lastSeenAt: r.last_seen_at?.toISOString() ?? null,
          online: seen !== null && now - seen <= ONLINE_WITHIN_MS,
          lagSeconds: r.current_as_of
            ? Math.max(0, Math.round((now - r.current_as_of.getTime()) / 1000))
            : null,
          today,
          day: seen === null ? null : r.day,
          clockSkewSeconds:
            r.sent_at && seen !== null ? Math.round((r.sent_at.getTime() - seen) / 1000) : null,
          ackedThrough: r.acked_through,
          appVersion: r.app_version,
          schemaVersion: r.schema_version,
          gap: r.max_seq > r.acked_through,
          catalogueVersion: r.catalogue_version,
          latestCatalogueVersion: r.latest_version,
          catalogueBehindDays: r.behind_since ? Math.floor((now - r.behind_since.getTime()) / DAY_MS) : null,
          breaching: f.withinTargetPct !== null && called >= MIN_CALLED && f.withinTargetPct < BREACH_PCT,
        };
      });
    },

    /** The hall's summary shape over the halls of the subject; byCounter for one hall only. */
    async summary(scope: Scope, range: DateRange, subject: Subject): Promise<HqSummary> {
      const where = subjectSql(subject, 'c', 3);
      const cells = await db.read<{ service_id: string; hour: number; totals: Buffer; hall_key: number }>(
        scope,
        `SELECT c.service_id, c.hour, c.totals, c.hall_key FROM hq_cells c
          WHERE c.day BETWEEN $1 AND $2 AND ${where.sql}`,
        [range.from, range.to, ...where.values],
      );
      const all = new TotalsSum();
      const byService = new Map<string, TotalsSum>();
      const byHour = new Map<string, TotalsSum>();
      const halls = new Set<number>();
      const into = (map: Map<string, TotalsSum>, key: string) => getOrMake(map, key, () => new TotalsSum());
      for (const c of cells) {
        all.add(c.totals);
        into(byService, c.service_id).add(c.totals);
        into(byHour, String(c.hour).padStart(2, '0')).add(c.totals);
        halls.add(c.hall_key);
      }
      let byCounter: SummaryGroup[] = [];
      if (subject && 'hallKey' in subject) {
        const counters = await db.read<{ counter_id: string; totals: Buffer }>(
          scope,
          `SELECT counter_id, totals FROM hq_counter_days
            WHERE hall_key = $3 AND day BETWEEN $1 AND $2 ORDER BY counter_id`,
          [range.from, range.to, subject.hallKey],
        );
        byCounter = [];
        reduceSorted(
          counters,
          (r) => r.counter_id,
          (key, g) => byCounter.push(g.figures(key)),
        );
        byCounter.sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
      }
      const order = [...(await serviceNames(scope)).keys()];
      const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
      const total = all.figures('all');
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
          .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
          .map(([k, s]) => s.figures(k)),
        byCounter,
        byHour: [...byHour].sort(([a], [b]) => a.localeCompare(b)).map(([k, s]) => s.figures(k)),
        halls: halls.size,
        ratingAvg: all.ratingAvg(),
      };
    },

    async breakdown(
      scope: Scope,
      range: DateRange,
      by: BreakdownBy,
      subject: Subject,
    ): Promise<HqBreakdownRow[]> {
      const out: HqBreakdownRow[] = [];
      if (by === 'service') {
        const where = subjectSql(subject, 'c', 3);
        const names = await serviceNames(scope);
        const rows = await db.read<{ key: string; totals: Buffer }>(
          scope,
          `SELECT c.service_id AS key, c.totals FROM hq_cells c
            WHERE c.day BETWEEN $1 AND $2 AND ${where.sql} ORDER BY c.service_id`,
          [range.from, range.to, ...where.values],
        );
        reduceSorted(
          rows,
          (r) => r.key,
          (key, g) => out.push(row(key, names.get(key) ?? key, g)),
        );
        return out;
      }
      // Every hall (or region) in scope ranks, figures or not.
      const halls = await db.read<{
        hall_key: number;
        id: string;
        name: string;
        region: string;
        region_name: string;
      }>(
        scope,
        `SELECT h.hall_key, h.id, h.name, h.region, r.name AS region_name FROM hq_halls h
           JOIN hq_regions r ON r.id = h.region WHERE ${subjectSql(subject, 'h', 1).sql} ORDER BY h.id`,
        subjectSql(subject, 'h', 1).values,
      );
      // Each hall's days in the range: the difference of its running totals at both ends (two rows a hall,
      // whatever the range), as base64 text — two thirds the bytes of bytea's hex.
      const cumulative = (where: string) =>
        `(SELECT encode(c.totals, 'base64') FROM hq_hall_cumulatives c
           WHERE c.hall_key = h.hall_key AND ${where} ORDER BY c.day DESC LIMIT 1)`;
      const ends = await db.read<{ hall_key: number; upto: string | null; before: string | null }>(
        scope,
        `SELECT h.hall_key, ${cumulative('c.day <= $2')} AS upto, ${cumulative('c.day < $1')} AS before
           FROM hq_halls h WHERE ${subjectSql(subject, 'h', 3).sql}`,
        [range.from, range.to, ...subjectSql(subject, 'h', 3).values],
      );
      const hallOf = new Map(halls.map((h) => [h.hall_key, h]));
      // What ranks: each hall, or each region (named once, in id order), with an adder each.
      const rankedBy = new Map<string, { name: string; region?: string; sum: TotalsSum | null }>();
      for (const h of by === 'hall' ? halls : [...halls].sort((a, b) => a.region.localeCompare(b.region)))
        if (by === 'hall') rankedBy.set(h.id, { name: h.name, region: h.region, sum: null });
        else if (!rankedBy.has(h.region)) rankedBy.set(h.region, { name: h.region_name, sum: null });
      const rows = new Map<string, HqBreakdownRow>();
      const shared = new TotalsSum();
      for (const e of ends) {
        const h = hallOf.get(e.hall_key);
        if (!h || e.upto === null) continue;
        const ranked = rankedBy.get(by === 'hall' ? h.id : h.region)!;
        // One adder reused hall after hall; one per region (a few dozen).
        if (by === 'region') ranked.sum ??= new TotalsSum();
        const sum = ranked.sum ?? shared;
        if (by === 'hall') sum.reset();
        sum.add(Buffer.from(e.upto, 'base64'));
        if (e.before !== null) sum.add(Buffer.from(e.before, 'base64'), -1);
        if (by === 'hall') rows.set(h.id, row(h.id, h.name, sum));
      }
      const empty = new TotalsSum();
      for (const [key, { name, region, sum }] of rankedBy)
        out.push({
          ...(rows.get(key) ?? row(key, name, sum ?? empty)),
          ...(region === undefined ? {} : { region }),
        });
      return out;
    },

    async series(scope: Scope, range: DateRange, subject: Subject): Promise<HqSeries> {
      const where = subjectSql(subject, 'd', 3);
      const rows = await db.read<{ day: string; totals: Buffer; final: boolean }>(
        scope,
        `SELECT d.day::text AS day, d.totals,
                d.max_seq <= h.acked_through
                  AND d.day < ((h.sent_at AT TIME ZONE 'UTC') + make_interval(mins => h.utc_offset_minutes))::date AS final
           FROM hq_hall_days d JOIN hq_halls h ON h.hall_key = d.hall_key
          WHERE d.day BETWEEN $1 AND $2 AND ${where.sql} ORDER BY d.day`,
        [range.from, range.to, ...where.values],
      );
      const final = new Map<string, boolean>();
      for (const r of rows) final.set(r.day, (final.get(r.day) ?? true) && r.final);
      const points: HqSeries['points'] = [];
      reduceSorted(
        rows,
        (r) => r.day,
        (day, g) => {
          const { key: _key, ...f } = row(day, day, g);
          points.push({ day, ...f, final: final.get(day)! });
        },
      );
      return { from: range.from, to: range.to, points };
    },

    async quarantine(): Promise<HqQuarantineGroup[]> {
      const rows = await db.read<{
        hall_id: string;
        reason: string;
        type: string;
        schema_version: number;
        app_version: string;
        events: number;
        first_seq: number;
        last_seq: number;
        last_received_at: Date;
      }>(
        ALL,
        `SELECT h.id AS hall_id, q.reason, q.type, q.schema_version, q.app_version, count(*)::int AS events,
                min(q.seq) AS first_seq, max(q.seq) AS last_seq, max(q.received_at) AS last_received_at
           FROM hq_quarantine q JOIN hq_halls h ON h.hall_key = q.hall_key
          GROUP BY h.id, q.reason, q.type, q.schema_version, q.app_version
          ORDER BY max(q.received_at) DESC LIMIT 500`,
      );
      return rows.map((r) => ({
        hallId: r.hall_id,
        reason: r.reason,
        type: r.type,
        schemaVersion: r.schema_version,
        appVersion: r.app_version,
        events: r.events,
        firstSeq: r.first_seq,
        lastSeq: r.last_seq,
        lastReceivedAt: r.last_received_at.toISOString(),
      }));
    },
  };
}
