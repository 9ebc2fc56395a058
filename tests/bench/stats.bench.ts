/**
 * The manager's statistics queries over a year of a busy hall: 365 days of a hall six times the demo
 * hall (about 1,500 tickets a day), played by the hall simulator into a temporary database, a hall (child process) started on it, the manager
 * signed in. Each query is called once cold, then WARM rounds more times (the queries take turns, so a
 * noisy moment on the shared machine falls on all of them alike), and judged on its warm p95.
 *
 * The very first call is shown on its own, for information: a freshly generated database has no day
 * rollups yet, so it rolls up every closed day (server/app/stats.ts); a running hall does that once per
 * day as days close.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { writeDemoHistoryFile } from '../../scripts/demo-history.ts';
import { addDays } from '../../server/domain/hall-time.ts';
import {
  type BenchRow,
  keepAliveAgent,
  ms,
  percentile,
  send,
  signIn,
  startHallChild,
  tempDir,
} from './lib.ts';

const DAYS = 365;
/** Times the demo hall: about 1,500 tickets a day. */
const SCALE = 6;
/** Warm calls per query after the cold one: enough for a p95 that is not simply the slowest call. */
const WARM = 20;
const TARGET_MS = 200;
/** `npm start` writes a new demo hall's eight weeks of history before the hall starts. */
const DEMO_HISTORY_TARGET_S = 15;

/** The demo history as `npm start` writes it: the whole command, Node and tsx start-up included. */
function timeDemoHistory(dir: string): BenchRow {
  const t0 = performance.now();
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/demo-history.ts', '--days', '56', '--db', join(dir, 'demo.sqlite')],
    { cwd: join(import.meta.dirname, '..', '..'), encoding: 'utf8' },
  );
  const seconds = (performance.now() - t0) / 1000;
  if (run.status !== 0) throw new Error(`demo history failed: ${run.stderr}`);
  return {
    name: `demo hall's 8 weeks of history, as npm start writes it (${run.stdout.split(' ')[0]} tickets)`,
    figure: `${seconds.toFixed(1)} s`,
    target: `≤ ${DEMO_HISTORY_TARGET_S} s`,
    ok: seconds <= DEMO_HISTORY_TARGET_S,
  };
}

export async function benchStats(): Promise<BenchRow[]> {
  const dir = tempDir('stats');
  try {
    const demoHistory = timeDemoHistory(dir.path);
    const dbPath = join(dir.path, 'year.sqlite');
    const generated = writeDemoHistoryFile(dbPath, { days: DAYS, scale: SCALE, seed: 7 });
    const year = `from=${generated.from}&to=${generated.to}`;
    const monthFrom = addDays(generated.to, -30);
    const month = `from=${monthFrom}&to=${generated.to}`;

    /** Label → path; the first is the call that finds no rollups and rolls the year up. */
    const queries: [label: string, path: string][] = [
      ['stats/summary, full year', `/api/v1/stats/summary?${year}`],
      [`stats/summary, one month (${monthFrom} … ${generated.to})`, `/api/v1/stats/summary?${month}`],
      ['stats/series?by=day, full year', `/api/v1/stats/series?${year}&by=day`],
      ['stats/series?by=week, full year', `/api/v1/stats/series?${year}&by=week`],
      ['stats/series?by=month, full year', `/api/v1/stats/series?${year}&by=month`],
      ['stats/breakdown, full year', `/api/v1/stats/breakdown?${year}`],
      ['stats/staffing, full year', `/api/v1/stats/staffing?${year}`],
      // The export streams every ticket row (a year is ~90 MB of CSV): a download, timed over one day.
      [
        `stats/tickets.csv, one day (~${Math.round(generated.tickets / DAYS)} rows)`,
        `/api/v1/stats/tickets.csv?from=${generated.to}&to=${generated.to}`,
      ],
      ['routing/why with before', `/api/v1/routing/why?day=${generated.to}&number=A050&before=A040`],
    ];
    const times = new Map<string, number[]>(queries.map(([label]) => [label, []]));
    const cold = new Map<string, number>();
    let tickets = 0;
    let csvBytes = 0;

    const hall = await startHallChild(dbPath, dir.path);
    const agent = keepAliveAgent(1);
    try {
      const cookie = await signIn(agent, hall.url, 'manager', 'demo-manager');
      const call = async (label: string, path: string): Promise<number> => {
        const t0 = performance.now();
        const answer = await send(agent, hall.url, 'GET', path, { cookie });
        const elapsed = performance.now() - t0;
        if (answer.status !== 200) throw new Error(`${label}: ${answer.status} ${answer.body.slice(0, 200)}`);
        if (path === `/api/v1/stats/summary?${year}`)
          tickets = (JSON.parse(answer.body) as { tickets: number }).tickets;
        if (path.includes('tickets.csv')) csvBytes = Buffer.byteLength(answer.body);
        return elapsed;
      };
      for (const [label, path] of queries) cold.set(label, await call(label, path));
      for (let round = 0; round < WARM; round++)
        for (const [label, path] of queries) times.get(label)!.push(await call(label, path));
    } catch (error) {
      hall.assertAlive(); // a dead server explains an ECONNREFUSED
      throw error;
    } finally {
      agent.destroy();
      await hall.stop();
    }

    const [firstLabel] = queries[0]!;
    return [
      demoHistory,
      ...queries.map(([label]): BenchRow => {
        const sorted = [...times.get(label)!].sort((a, b) => a - b);
        const p95 = percentile(sorted, 95);
        return {
          name: `${label}${label === firstLabel ? ` (${tickets.toLocaleString('en')} tickets)` : ''}, p50 / p95 of ${WARM} warm`,
          figure: `${ms(percentile(sorted, 50))} / ${ms(p95)}`,
          target: `p95 ≤ ${TARGET_MS} ms`,
          ok: p95 <= TARGET_MS,
        };
      }),
      {
        name: `  generating the year (${(generated.tickets / 1000).toFixed(1)}k tickets, ${(generated.events / 1e6).toFixed(2)}M events)`,
        figure: `${(generated.ms / 1000).toFixed(1)} s`,
        target: '—',
        ok: null,
      },
      {
        name: '  first year summary after generating (cold: rolls up all 365 days)',
        figure: ms(cold.get(firstLabel)!),
        target: '—',
        ok: null,
      },
      {
        name: '  first call of each other query (cold), slowest',
        figure: (() => {
          const [label, t] = [...cold].slice(1).sort((a, b) => b[1] - a[1])[0]!;
          return `${ms(t)} (${label.split(',')[0]})`;
        })(),
        target: '—',
        ok: null,
      },
      {
        name: '  one day of tickets.csv',
        figure: `${(csvBytes / 1024).toFixed(0)} KiB`,
        target: '—',
        ok: null,
      },
    ];
  } finally {
    dir.remove();
  }
}
