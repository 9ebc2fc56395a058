/**
 * HQ at scale (`npm run bench -- hq`), on a private PostgreSQL cluster of its own:
 *
 * 1. Ingest: 2,000 halls × one busy day. Two busy days (about 1,400 customers each) are lived by
 *    simulated halls on the real hall engine and shipped by the real sender (recorded, 1 MiB batches);
 *    then 2,000 halls post them — hall i the day of template i mod 2, under its own token — to
 *    `POST /hq/v1/ingest` of HQ running in a child process (own CPU), eight halls at a time. Each 200
 *    means the batch is stored and in the rollups. The floor: the same rows in one bare `COPY` into the
 *    same table (emptied first), as the superuser from a file — no HTTP, no JSON, no rollups.
 * 2. Dashboards: the rollups are extended to 90 days of 2,000 halls, and `GET /hq/v1/halls` and
 *    `GET /hq/v1/stats/breakdown?by=hall` over the last 30 days are asked for in turns, warm.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, createWriteStream } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import pg from 'pg';
import { decodeTotals, encodeTotals, TotalsSum } from '../../hq/domain/totals.ts';
import { startPrivateCluster } from '../../hq/server/cluster.ts';
import { openSimulatedHall } from '../../hq/server/sim-hall.ts';
import type { HqBatch } from '../../server/contract/hq.ts';
import { addDays, instantOf, localTime } from '../../server/domain/hall-time.ts';
import { recordBatches } from '../helpers/hq-batches.ts';
import { busyHall, busyProfile } from './hq-halls.ts';
import { type BenchRow, keepAliveAgent, ms, percentile, send, startChild, tempDir } from './lib.ts';

const HALLS = Number(process.env.HQ_BENCH_HALLS ?? 2000);
const TEMPLATES = 2;
const CONCURRENT_HALLS = 8;
const DASHBOARD_DAYS = 90;
const WARM = 40;
const TZ = busyHall.timeZone;

/** Targets of the issue: ingest ≥ 0.3 × the floor and a day of 2,000 halls in under 10 minutes; dashboards p95 ≤ 300 ms. */
const RATIO_TARGET = 0.3;
const DAY_TARGET_S = 600;
const DASHBOARD_TARGET_MS = 300;

export async function benchHq(): Promise<BenchRow[]> {
  const dir = tempDir('hq');
  chmodSync(dir.path, 0o755); // PostgreSQL runs as the postgres user
  const rows: BenchRow[] = [];
  const cluster = await startPrivateCluster({
    dir: join(dir.path, 'pg'),
    settings: { shared_buffers: '1GB', max_wal_size: '16GB', checkpoint_timeout: '30min' },
  });
  const admin = new pg.Client({ ...cluster.superuser, database: 'hallq' });
  let hq: Awaited<ReturnType<typeof startChild>> | null = null;
  try {
    // ---- two busy days, lived and shipped for real ----
    const day = addDays(localTime(Date.now(), TZ).day, -1);
    const t0 = performance.now();
    const templates: string[][] = [];
    for (let t = 0; t < TEMPLATES; t++) {
      const sim = openSimulatedHall({
        dbPath: join(dir.path, `template-${t}.sqlite`),
        config: busyHall,
        seed: 101 + t,
        shape: { load: 1, slowness: 1 },
        profile: busyProfile,
      });
      sim.playUntil(day, instantOf(day, 23 * 60, TZ));
      const batches = await recordBatches({
        dbPath: sim.dbPath,
        clock: sim.clock,
        timeZone: TZ,
        waitTarget: () => 15,
        maxBatchBytes: 1024 * 1024,
      });
      templates.push(batches);
      sim.close();
    }
    const perTemplate = templates.map((batches) =>
      batches.reduce((n, b) => n + (JSON.parse(b) as HqBatch).events.length, 0),
    );
    const totalEvents = Array.from({ length: HALLS }, (_, i) => perTemplate[i % TEMPLATES]!).reduce(
      (a, b) => a + b,
      0,
    );
    rows.push({
      name: `  ${TEMPLATES} busy days lived on the hall engine and shipped (${perTemplate.join(' and ')} events, ${templates.flat().length} batches)`,
      figure: `${((performance.now() - t0) / 1000).toFixed(0)} s`,
      target: '—',
      ok: null,
    });

    // ---- HQ and its halls ----
    hq = await startChild(
      'hq/server/main.ts',
      { HQ_DATABASE_URL: cluster.url, HQ_DEMO: '0', HQ_HOST: '127.0.0.1', HQ_PORT: '0' },
      dir.path,
    );
    await admin.connect();
    await admin.query('SET ROLE hallq');
    await admin.query("SELECT set_config('hallq.scope', '*', false)");
    const tokens = Array.from({ length: HALLS }, () => randomBytes(24).toString('base64url'));
    await admin.query(
      `INSERT INTO hq_regions (id, name) SELECT 'r' || g, 'Region ' || g FROM generate_series(1, 20) g`,
    );
    await admin.query(
      `INSERT INTO hq_halls (id, name, region, token_hash)
       SELECT 'h' || lpad(i::text, 4, '0'), 'Hall ' || i, 'r' || (1 + i % 20), t
         FROM unnest($1::text[]) WITH ORDINALITY AS u(t, i)`,
      [tokens.map((t) => createHash('sha256').update(t).digest('hex'))],
    );
    const keys = (
      await admin.query<{ hall_key: number }>('SELECT hall_key FROM hq_halls ORDER BY id')
    ).rows.map((r) => r.hall_key);

    // ---- the floor: the same rows, one bare COPY into the same table ----
    const floorFile = join(dir.path, 'pg', 'floor.csv');
    const file = createWriteStream(floorFile);
    const receivedAt = new Date().toISOString();
    const linesOf = templates.map((batches) =>
      batches.flatMap((b) =>
        (JSON.parse(b) as HqBatch).events.map((e) => {
          const facts = e.data.facts as { day?: string } | undefined;
          const data = `"${JSON.stringify(e.data).replaceAll('"', '""')}"`;
          return `,${facts?.day ?? e.at.slice(0, 10)},${e.seq},${e.at},${receivedAt},${e.type},${data}\n`;
        }),
      ),
    );
    for (let h = 0; h < HALLS; h++) {
      const chunk = linesOf[h % TEMPLATES]!.map((l) => keys[h] + l).join('');
      if (!file.write(chunk)) await new Promise<void>((resolve) => file.once('drain', () => resolve()));
    }
    await new Promise<void>((resolve) => {
      file.end(() => resolve());
    });
    chmodSync(floorFile, 0o644);
    await admin.query('RESET ROLE');
    await admin.query(
      `CREATE TABLE hq_events_d${day.replaceAll('-', '')} PARTITION OF hq_events FOR VALUES FROM ('${day}') TO ('${addDays(day, 1)}')`,
    );
    await admin.query(`ALTER TABLE hq_events_d${day.replaceAll('-', '')} OWNER TO hallq`);
    await admin.query('CHECKPOINT');
    const f0 = performance.now();
    await admin.query(
      `COPY hq_events (hall_key, day, seq, at, received_at, type, data) FROM '${floorFile}' WITH (FORMAT csv)`,
    );
    const floorS = (performance.now() - f0) / 1000;
    await admin.query('TRUNCATE hq_events');
    await admin.query('CHECKPOINT');

    // ---- ingest through HQ ----
    const agent = keepAliveAgent(CONCURRENT_HALLS);
    let shed = 0;
    const i0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENT_HALLS }, async () => {
        for (let h = next++; h < HALLS; h = next++) {
          for (const body of templates[h % TEMPLATES]!) {
            for (;;) {
              const answer = await postBatch(agent, hq!.url, tokens[h]!, body);
              if (answer.status === 200) break;
              if (answer.status !== 429)
                throw new Error(`ingest: ${answer.status} ${answer.body.slice(0, 200)}`);
              shed++;
              await new Promise((r) => setTimeout(r, 1000 * Number(answer.retryAfter ?? 1)));
            }
          }
        }
      }),
    );
    const ingestS = (performance.now() - i0) / 1000;
    agent.destroy();
    const stored = Number((await admin.query('SELECT count(*) AS n FROM hq_events')).rows[0].n);
    if (stored !== totalEvents) throw new Error(`stored ${stored} events, expected ${totalEvents}`);
    const rate = totalEvents / ingestS;
    const floorRate = totalEvents / floorS;
    rows.push(
      {
        name: `ingest: ${HALLS.toLocaleString('en')} halls × a busy day (${(totalEvents / 1e6).toFixed(1)} M events) through POST /hq/v1/ingest, rolled up`,
        figure: `${Math.round(rate).toLocaleString('en')} events/s (${ingestS.toFixed(0)} s${shed ? `, ${shed} shed with 429` : ''})`,
        target: '—',
        ok: null,
      },
      {
        name: '  floor: the same rows, one bare COPY into the same table',
        figure: `${Math.round(floorRate).toLocaleString('en')} rows/s (${floorS.toFixed(0)} s)`,
        target: '—',
        ok: null,
      },
      {
        name: 'ingest ÷ floor',
        figure: `${(rate / floorRate).toFixed(2)} ×`,
        target: `≥ ${RATIO_TARGET} ×`,
        ok: rate / floorRate >= RATIO_TARGET,
      },
      {
        name: `a full day of ${HALLS.toLocaleString('en')} halls ingested`,
        figure: `${(ingestS / 60).toFixed(1)} min`,
        target: `< ${DAY_TARGET_S / 60} min`,
        ok: ingestS < DAY_TARGET_S,
      },
    );

    // ---- 90 days of rollups, and the dashboards ----
    // Each hall's busy day, and 89 days before it made from it with every wait moved by up to a minute
    // either way (a day's histogram as varied as real days make the running totals), written as ingest
    // writes them: whole days and their running totals. Cells and counters are copied as they are.
    const d0 = performance.now();
    await admin.query('SET ROLE hallq');
    for (const table of ['hq_counter_days', 'hq_cells']) {
      const columns = (
        await admin.query<{ c: string }>(
          `SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) AS c
             FROM information_schema.columns WHERE table_name = $1 AND column_name <> 'day'`,
          [table],
        )
      ).rows[0]!.c;
      await admin.query(
        `INSERT INTO ${table} (day, ${columns})
         SELECT t.day - n, ${columns
           .split(', ')
           .map((c) => `t.${c}`)
           .join(', ')}
           FROM ${table} t CROSS JOIN generate_series(1, ${DASHBOARD_DAYS - 1}) n`,
      );
    }
    const real = (
      await admin.query<{ hall_key: number; totals: Buffer; max_seq: number }>(
        'SELECT hall_key, totals, max_seq FROM hq_hall_days ORDER BY hall_key',
      )
    ).rows;
    await admin.query('DELETE FROM hq_hall_days');
    for (const r of real) {
      const days: string[] = [];
      const daily: Buffer[] = [];
      const running: Buffer[] = [];
      const sum = new TotalsSum();
      for (let n = DASHBOARD_DAYS - 1; n >= 0; n--) {
        const totals = n === 0 ? r.totals : shiftedWaits(r.totals, ((r.hall_key * 7 + n * 13) % 21) - 10);
        days.push(addDays(day, -n));
        daily.push(totals);
        sum.add(totals);
        running.push(sum.encoded());
      }
      await admin.query(
        `INSERT INTO hq_hall_days (hall_key, day, totals, max_seq, open_tickets)
         SELECT $1, d, t, $4, 0 FROM unnest($2::date[], $3::bytea[]) AS u(d, t)`,
        [r.hall_key, days, daily, r.max_seq],
      );
      await admin.query(
        `INSERT INTO hq_hall_cumulatives (hall_key, day, totals) SELECT $1, d, t FROM unnest($2::date[], $3::bytea[]) AS u(d, t)
         ON CONFLICT (hall_key, day) DO UPDATE SET totals = excluded.totals`,
        [r.hall_key, days, running],
      );
    }
    await admin.query('RESET ROLE');
    await admin.query('VACUUM ANALYZE');
    const sizes = (
      await admin.query<{ cells: string; cumulative: string }>(
        `SELECT (SELECT count(*) FROM hq_cells) AS cells,
                (SELECT round(avg(length(totals))) FROM hq_hall_cumulatives) AS cumulative`,
      )
    ).rows[0]!;
    rows.push({
      name: `  rollups for ${DASHBOARD_DAYS} days × ${HALLS.toLocaleString('en')} halls (${(Number(sizes.cells) / 1e6).toFixed(1)} M service × hour cells; running totals ${sizes.cumulative} bytes a day)`,
      figure: `${((performance.now() - d0) / 1000).toFixed(0)} s`,
      target: '—',
      ok: null,
    });
    const webAgent = keepAliveAgent(1);
    const password = randomBytes(12).toString('hex');
    await createUser(admin, password);
    const login = await send(webAgent, hq.url, 'POST', '/hq/v1/auth/login', {
      body: { username: 'bench', password },
    });
    if (login.status !== 200) throw new Error(`sign-in: ${login.status} ${login.body}`);
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const month = `from=${addDays(day, -29)}&to=${day}`;
    const queries: [string, string][] = [
      [`GET /hq/v1/halls (${HALLS.toLocaleString('en')} halls with today)`, '/hq/v1/halls'],
      ['GET /hq/v1/stats/breakdown?by=hall over 30 days', `/hq/v1/stats/breakdown?${month}&by=hall`],
      ['GET /hq/v1/stats/breakdown?by=region over 30 days', `/hq/v1/stats/breakdown?${month}&by=region`],
    ];
    const times = new Map(queries.map(([label]) => [label, [] as number[]]));
    for (let round = -1; round < WARM; round++)
      for (const [label, path] of queries) {
        const s0 = performance.now();
        const answer = await send(webAgent, hq.url, 'GET', path, { cookie });
        const elapsed = performance.now() - s0;
        if (answer.status !== 200) throw new Error(`${label}: ${answer.status} ${answer.body.slice(0, 200)}`);
        if (round >= 0) times.get(label)!.push(elapsed);
      }
    webAgent.destroy();
    for (const [label] of queries) {
      const sorted = [...times.get(label)!].sort((a, b) => a - b);
      const p95 = percentile(sorted, 95);
      const measured = label.includes('by=region') ? null : p95 <= DASHBOARD_TARGET_MS;
      rows.push({
        name: `${label}, p50 / p95 / max of ${WARM} warm`,
        figure: `${ms(percentile(sorted, 50))} / ${ms(p95)} / ${ms(sorted.at(-1)!)}`,
        target: measured === null ? '—' : `p95 ≤ ${DASHBOARD_TARGET_MS} ms`,
        ok: measured,
      });
    }
    return rows;
  } catch (error) {
    hq?.assertAlive();
    throw error;
  } finally {
    await admin.end().catch(() => {});
    await hq?.stop();
    await cluster.stop();
    dir.remove();
  }
}

function postBatch(agent: ReturnType<typeof keepAliveAgent>, url: string, token: string, body: string) {
  return new Promise<{ status: number; body: string; retryAfter?: string }>((resolve, reject) => {
    const req = request(`${url}/hq/v1/ingest`, {
      method: 'POST',
      agent,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => {
        text += c;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: text, retryAfter: res.headers['retry-after'] }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The same day with every wait moved by `tenths` (never below zero): another plausible day. */
function shiftedWaits(encoded: Buffer, tenths: number): Buffer {
  const t = decodeTotals(encoded);
  const [count, sum, ...pairs] = t.waits as [number, number, ...number[]];
  const moved: number[] = [];
  let sumMs = Math.round(sum * 60_000);
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const to = Math.max(0, pairs[i]! + tenths);
    sumMs += (to - pairs[i]!) * 6000 * pairs[i + 1]!;
    moved.push(to, pairs[i + 1]!);
  }
  return encodeTotals({ ...t, waits: [count, sumMs / 60_000, ...moved] });
}

async function createUser(admin: pg.Client, password: string): Promise<void> {
  const { createPasswords } = await import('../../server/app/passwords.ts');
  await admin.query(
    `INSERT INTO hq_users (username, name, role, password_hash) VALUES ('bench', 'bench', 'hq', $1)
     ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash`,
    [await createPasswords().hash(password)],
  );
}
