/**
 * `POST /hq/v1/ingest`: a hall's batch, stored once per (hall, seq), acknowledged through the highest
 * sequence number below which nothing is missing, and folded into the rollups of the (hall, day) pairs
 * it touched — all in one transaction, so an acknowledged event is in the figures.
 *
 * The folds of recent hall days are kept in memory: each equals the fold of every stored event of its
 * day, and a batch's events are folded onto it (the fold is idempotent and order-free, so a resent or
 * early batch does no harm). A day not in memory is folded again from its stored events.
 */
import type pg from 'pg';
import type { HqBatch, HqEvent } from '../../server/contract/hq.ts';
import { addDays } from '../../server/domain/hall-time.ts';
import type { GroupAccumulator } from '../../server/domain/stats.ts';
import { DayFold, type DecodedEvent, decodeEvent, splitCellKey, type TicketEvent } from '../domain/fold.ts';
import { encodeTotals, TotalsSum } from '../domain/totals.ts';
import { ALL, type HqDb } from './db.ts';

export type IngestHall = { hallKey: number; id: string; region: string };

/** Days further than this from HQ's today are not partitioned: their events wait in quarantine. */
const PAST_DAYS = 800;
const FUTURE_DAYS = 2;

type CachedDay = {
  fold: DayFold;
  /** What the rollup tables hold for this day, encoded, by cell and counter key: only changes are written. */
  cells: Map<string, Buffer>;
  counters: Map<string, Buffer>;
  /** The whole day as hq_hall_days holds it (null: no row yet, or not known when folded anew). */
  all: Buffer | null;
};

export type Ingest = ReturnType<typeof createIngest>;

export function createIngest(deps: {
  db: HqDb;
  /** HQ's clock (ms). */
  now: () => number;
  log: (line: Record<string, unknown>) => void;
  /** Hall days kept folded in memory. */
  cachedDays?: number;
}) {
  const { db } = deps;
  const cacheLimit = deps.cachedDays ?? 1024;
  /** Insertion order = least recently used first. */
  const cache = new Map<string, CachedDay>();
  /** Per hall, the `max_seq` this process last wrote: another writer since means our folds are stale. */
  const lastWritten = new Map<number, number>();
  const partitions = new Set<string>();
  /** One batch of a hall at a time in this process (the row lock does it across processes). */
  const queues = new Map<number, Promise<unknown>>();

  const cacheKey = (hallKey: number, day: string) => `${hallKey}|${day}`;

  function forgetHall(hallKey: number): void {
    for (const key of cache.keys()) if (key.startsWith(`${hallKey}|`)) cache.delete(key);
    lastWritten.delete(hallKey);
  }

  /** Daily partitions of hq_events, made as days first arrive (DDL outside the batch's transaction). */
  async function ensurePartitions(days: Iterable<string>): Promise<void> {
    const missing = [...days].filter((d) => !partitions.has(d));
    if (missing.length === 0) return;
    await db.tx(ALL, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock(7110002)');
      const existing = await c.query<{ name: string }>(
        "SELECT relname AS name FROM pg_class WHERE relname LIKE 'hq_events_d%' AND relkind = 'r'",
      );
      const have = new Set(existing.rows.map((r) => r.name));
      for (const day of missing) {
        const name = `hq_events_d${day.replaceAll('-', '')}`;
        if (!have.has(name))
          await c.query(
            `CREATE TABLE ${name} PARTITION OF hq_events FOR VALUES FROM ('${day}') TO ('${addDays(day, 1)}')`,
          );
      }
    });
    for (const day of missing) partitions.add(day);
  }

  /** The fold of a day: from memory, or from its stored events. */
  async function foldOf(c: pg.PoolClient, hallKey: number, day: string): Promise<CachedDay> {
    const key = cacheKey(hallKey, day);
    const cached = cache.get(key);
    if (cached) {
      cache.delete(key); // to the end: most recently used
      cache.set(key, cached);
      return cached;
    }
    const fold = new DayFold();
    const rows = await c.query<{ seq: number; type: string; data: string }>(
      `SELECT seq, type, data::text AS data FROM hq_events WHERE hall_key = $1 AND day = $2 AND type LIKE 'ticket.%'`,
      [hallKey, day],
    );
    for (const r of rows.rows) {
      const decoded = decodeEvent(1, { seq: r.seq, at: '', type: r.type, data: JSON.parse(r.data) });
      if (decoded.kind === 'ticket') fold.apply(decoded);
    }
    // Unknown: what the tables hold for this day is replaced whole on this write.
    const [stored] = (
      await c.query<{ totals: Buffer }>('SELECT totals FROM hq_hall_days WHERE hall_key = $1 AND day = $2', [
        hallKey,
        day,
      ])
    ).rows;
    const entry: CachedDay = { fold, cells: new Map(), counters: new Map(), all: stored?.totals ?? null };
    cache.set(key, entry);
    while (cache.size > cacheLimit) cache.delete(cache.keys().next().value!);
    return entry;
  }

  /** Writes the figures of a hall day that changed since the tables last heard of them. */
  async function writeDay(
    c: pg.PoolClient,
    hallKey: number,
    day: string,
    entry: CachedDay,
    maxSeq: number,
    cold: boolean,
  ): Promise<void> {
    const figures = entry.fold.figures();
    if (cold) {
      await c.query('DELETE FROM hq_cells WHERE hall_key = $1 AND day = $2', [hallKey, day]);
      await c.query('DELETE FROM hq_counter_days WHERE hall_key = $1 AND day = $2', [hallKey, day]);
    }
    const cells = diff(entry.cells, figures.cells);
    if (cells.changed.length > 0) {
      const keys = cells.changed.map(([k]) => splitCellKey(k));
      await c.query(
        `INSERT INTO hq_cells (hall_key, day, service_id, hour, totals)
         SELECT $1, $2, s, h, t FROM unnest($3::text[], $4::int[], $5::bytea[]) AS u(s, h, t)
         ON CONFLICT (hall_key, day, service_id, hour) DO UPDATE SET totals = excluded.totals`,
        [
          hallKey,
          day,
          keys.map((k) => k.serviceId),
          keys.map((k) => k.hour),
          cells.changed.map(([, t]) => t),
        ],
      );
    }
    if (cells.removed.length > 0) {
      const keys = cells.removed.map(splitCellKey);
      await c.query(
        `DELETE FROM hq_cells WHERE hall_key = $1 AND day = $2
           AND (service_id, hour) IN (SELECT * FROM unnest($3::text[], $4::smallint[]))`,
        [hallKey, day, keys.map((k) => k.serviceId), keys.map((k) => k.hour)],
      );
    }
    const counters = diff(entry.counters, figures.counters);
    if (counters.changed.length > 0)
      await c.query(
        `INSERT INTO hq_counter_days (hall_key, day, counter_id, totals)
         SELECT $1, $2, k, t FROM unnest($3::text[], $4::bytea[]) AS u(k, t)
         ON CONFLICT (hall_key, day, counter_id) DO UPDATE SET totals = excluded.totals`,
        [hallKey, day, counters.changed.map(([k]) => k), counters.changed.map(([, t]) => t)],
      );
    if (counters.removed.length > 0)
      await c.query('DELETE FROM hq_counter_days WHERE hall_key = $1 AND day = $2 AND counter_id = ANY($3)', [
        hallKey,
        day,
        counters.removed,
      ]);
    // Without the service-time histogram: what reads whole days (rankings, trends, today) shows waits,
    // and a summary's service times come from the cells. Fewer bytes for every dashboard.
    const all = encodeTotals({ ...figures.all.totals(), services: [0, 0] });
    await c.query(
      `INSERT INTO hq_hall_days (hall_key, day, totals, max_seq, open_tickets) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (hall_key, day) DO UPDATE SET totals = excluded.totals,
         max_seq = GREATEST(hq_hall_days.max_seq, excluded.max_seq), open_tickets = excluded.open_tickets`,
      [hallKey, day, all, maxSeq, figures.openTickets],
    );
    if (!entry.all?.equals(all)) await addToCumulatives(c, hallKey, day, all, entry.all);
    entry.all = all;
  }

  /**
   * Stores a validated batch and answers `ackedThrough`. The caller has checked the hall's token and
   * the batch's shape; `rawBody` is the request body as sent (its events go to PostgreSQL as they came).
   */
  function ingest(hall: IngestHall, batch: HqBatch, rawBody: string): Promise<number> {
    const previous = queues.get(hall.hallKey) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(() => store(hall, batch, rawBody));
    queues.set(hall.hallKey, next);
    void next
      .catch(() => {})
      .finally(() => {
        if (queues.get(hall.hallKey) === next) queues.delete(hall.hallKey);
      });
    return next;
  }

  async function store(hall: IngestHall, batch: HqBatch, rawBody: string): Promise<number> {
    const receivedAt = deps.now();
    const today = new Date(receivedAt).toISOString().slice(0, 10);
    const [earliest, latest] = [addDays(today, -PAST_DAYS), addDays(today, FUTURE_DAYS)];
    const decoded: DecodedEvent[] = batch.events.map((e) => {
      const d = decodeEvent(batch.schemaVersion, e);
      if (d.kind !== 'quarantine' && (d.day < earliest || d.day > latest))
        return { kind: 'quarantine', seq: e.seq, reason: `day ${d.day} too far from HQ's today` };
      return d;
    });
    const days = new Set<string>();
    for (const d of decoded) if (d.kind !== 'quarantine') days.add(d.day);
    await ensurePartitions(days);

    const { hallKey } = hall;
    try {
      const acked = await db.tx(ALL, async (c) => {
        const link = (
          await c.query<{ acked_through: number; max_seq: number }>(
            'SELECT acked_through, max_seq FROM hq_halls WHERE hall_key = $1 FOR UPDATE',
            [hallKey],
          )
        ).rows[0]!;
        if (lastWritten.has(hallKey) && lastWritten.get(hallKey) !== link.max_seq) forgetHall(hallKey);
        // The days not in memory are folded from what is stored before this batch joins them.
        const cold = new Set([...days].filter((day) => !cache.has(cacheKey(hallKey, day))));
        for (const day of cold) await foldOf(c, hallKey, day);

        const stored = decoded.map((d) => d.kind !== 'quarantine');
        if (stored.some(Boolean))
          await c.query(
            `INSERT INTO hq_events (hall_key, day, seq, at, received_at, type, data)
             SELECT $1, ($3::date[])[o], (e->>'seq')::bigint, (e->>'at')::timestamptz, to_timestamp($4 / 1000.0),
                    e->>'type', (e->'data')::jsonb
               FROM jsonb_array_elements(($2::jsonb)->'events') WITH ORDINALITY AS x(e, o)
              WHERE ($5::bool[])[o]
             ON CONFLICT DO NOTHING`,
            [
              hallKey,
              rawBody,
              decoded.map((d) => (d.kind === 'quarantine' ? null : d.day)),
              receivedAt,
              stored,
            ],
          );
        const quarantined = batch.events.filter((_, i) => !stored[i]);
        if (quarantined.length > 0)
          await c.query(
            `INSERT INTO hq_quarantine (hall_key, seq, at, received_at, type, schema_version, app_version, reason, data)
             SELECT $1, q.seq, q.at, to_timestamp($3 / 1000.0), q.type, $4, $5, q.reason, q.data
               FROM json_to_recordset($2::json) AS q(seq bigint, at text, type text, reason text, data jsonb)
             ON CONFLICT DO NOTHING`,
            [
              hallKey,
              JSON.stringify(
                quarantined.map((e) => ({
                  ...e,
                  reason: (decoded.find((d) => d.seq === e.seq) as { reason: string }).reason,
                })),
              ),
              receivedAt,
              batch.schemaVersion,
              batch.appVersion,
            ],
          );

        const ackedThrough = await advance(c, hallKey, link, batch.events);
        const lastEvent = batch.events[batch.events.length - 1];
        const sentAt = Date.parse(batch.sentAt);
        // Complete up to the newest event sent, in HQ's time; a heartbeat says nothing is waiting.
        const currentAsOf = lastEvent
          ? Math.min(receivedAt, receivedAt - (sentAt - Date.parse(lastEvent.at)))
          : receivedAt;
        await c.query(
          `UPDATE hq_halls SET acked_through = $2, max_seq = GREATEST(max_seq, $3), last_seen_at = to_timestamp($4 / 1000.0),
             sent_at = $5::timestamptz, utc_offset_minutes = $6, current_as_of = to_timestamp($7 / 1000.0),
             app_version = $8, schema_version = $9
           WHERE hall_key = $1`,
          [
            hallKey,
            ackedThrough,
            lastEvent?.seq ?? 0,
            receivedAt,
            batch.sentAt,
            utcOffsetMinutes(batch.sentAt),
            currentAsOf,
            batch.appVersion,
            batch.schemaVersion,
          ],
        );

        // The rollups of every day the batch touched.
        const byDay = new Map<string, { maxSeq: number; tickets: TicketEvent[] }>();
        for (const d of decoded) {
          if (d.kind === 'quarantine') continue;
          const group = byDay.get(d.day) ?? { maxSeq: 0, tickets: [] };
          byDay.set(d.day, group);
          group.maxSeq = Math.max(group.maxSeq, d.seq);
          if (d.kind === 'ticket') group.tickets.push(d);
        }
        for (const [day, { maxSeq, tickets }] of byDay) {
          const entry = await foldOf(c, hallKey, day);
          for (const t of tickets) entry.fold.apply(t);
          await writeDay(c, hallKey, day, entry, maxSeq, cold.has(day));
        }
        const newMax = Math.max(link.max_seq, lastEvent?.seq ?? 0);
        return { ackedThrough, newMax };
      });
      lastWritten.set(hallKey, acked.newMax);
      return acked.ackedThrough;
    } catch (error) {
      // Folds in memory may hold events whose transaction did not commit.
      forgetHall(hallKey);
      throw error;
    }
  }

  return { ingest };
}

/**
 * A hall day's figures changed from `before` (null: it had none) to `after`: its running total, and those
 * of every later day, change by the difference (late events of a past day reach the later rows too).
 */
async function addToCumulatives(
  c: pg.PoolClient,
  hallKey: number,
  day: string,
  after: Buffer,
  before: Buffer | null,
): Promise<void> {
  const later = (
    await c.query<{ day: string; totals: Buffer }>(
      'SELECT day, totals FROM hq_hall_cumulatives WHERE hall_key = $1 AND day >= $2 ORDER BY day',
      [hallKey, day],
    )
  ).rows;
  const rows: [string, Buffer][] = [];
  const sum = new TotalsSum();
  if (later[0]?.day !== day) {
    // The day's first figures: its running total starts from the day before it that has one.
    const [previous] = (
      await c.query<{ totals: Buffer }>(
        'SELECT totals FROM hq_hall_cumulatives WHERE hall_key = $1 AND day < $2 ORDER BY day DESC LIMIT 1',
        [hallKey, day],
      )
    ).rows;
    if (previous) sum.add(previous.totals);
    sum.add(after);
    rows.push([day, sum.encoded()]);
  }
  for (const r of later) {
    sum.reset();
    sum.add(r.totals);
    sum.add(after);
    if (before) sum.add(before, -1);
    rows.push([r.day, sum.encoded()]);
  }
  await c.query(
    `INSERT INTO hq_hall_cumulatives (hall_key, day, totals)
     SELECT $1, d, t FROM unnest($2::date[], $3::bytea[]) AS u(d, t)
     ON CONFLICT (hall_key, day) DO UPDATE SET totals = excluded.totals`,
    [hallKey, rows.map(([d]) => d), rows.map(([, t]) => t)],
  );
}

/** A hall's running totals made again from its days (after hall days were written by other means). */
export async function rebuildCumulatives(c: pg.PoolClient, hallKey: number): Promise<number> {
  const days = (
    await c.query<{ day: string; totals: Buffer }>(
      'SELECT day, totals FROM hq_hall_days WHERE hall_key = $1 ORDER BY day',
      [hallKey],
    )
  ).rows;
  const sum = new TotalsSum();
  const rows = days.map((d) => {
    sum.add(d.totals);
    return sum.encoded();
  });
  await c.query('DELETE FROM hq_hall_cumulatives WHERE hall_key = $1', [hallKey]);
  await c.query(
    `INSERT INTO hq_hall_cumulatives (hall_key, day, totals)
     SELECT $1, d, t FROM unnest($2::date[], $3::bytea[]) AS u(d, t)`,
    [hallKey, days.map((d) => d.day), rows],
  );
  return rows.length;
}

/** Previous encodings against new figures: what to write and what to delete; `known` becomes the new. */
function diff(
  known: Map<string, Buffer>,
  now: Map<string, GroupAccumulator>,
): { changed: [string, Buffer][]; removed: string[] } {
  const changed: [string, Buffer][] = [];
  for (const [key, g] of now) {
    const encoded = encodeTotals(g.totals());
    const before = known.get(key);
    if (!before?.equals(encoded)) changed.push([key, encoded]);
    known.set(key, encoded);
  }
  const removed = [...known.keys()].filter((k) => !now.has(k));
  for (const k of removed) known.delete(k);
  return { changed, removed };
}

/**
 * The new `acked_through`: straight on when the batch continues the hall's log without a gap and nothing
 * is held beyond it; otherwise by walking the held sequence numbers from the old one.
 */
async function advance(
  c: pg.PoolClient,
  hallKey: number,
  link: { acked_through: number; max_seq: number },
  events: readonly HqEvent[],
): Promise<number> {
  if (events.length === 0) return link.acked_through;
  const first = events[0]!.seq;
  const last = events[events.length - 1]!.seq;
  const contiguous = last - first === events.length - 1;
  if (contiguous && first <= link.acked_through + 1 && link.max_seq <= last)
    return Math.max(link.acked_through, last);
  let acked = link.acked_through;
  const held = await c.query<{ seq: number }>(
    `SELECT seq FROM hq_events WHERE hall_key = $1 AND seq > $2
     UNION SELECT seq FROM hq_quarantine WHERE hall_key = $1 AND seq > $2 ORDER BY seq`,
    [hallKey, acked],
  );
  for (const { seq } of held.rows) {
    if (seq !== acked + 1) break;
    acked = seq;
  }
  return acked;
}

/** `+08:00` → 480. */
export function utcOffsetMinutes(iso: string): number {
  const m = /([+-])(\d{2}):(\d{2})$/.exec(iso);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}
