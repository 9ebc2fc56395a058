/**
 * The manager's statistics queries over a year of a busy hall, up to and including today: 364 closed
 * days of a hall six times the demo hall (about 1,500 tickets a day), played by the hall simulator into a
 * temporary database, and today live — a hall (child process) started on it takes tickets from kiosks
 * and serves them at six counters through the API, so that today is read from the ticket rows while the
 * closed days come from their rollups.
 *
 * Warm: in that process, after today's traffic, every query WARM times (the queries take turns, so a
 * noisy moment on the shared machine falls on all of them alike), judged on the p95. Cold: for each
 * query, COLD fresh processes on the same file, whose first statistics call it is; the closed days were
 * rolled up by the first process (as a running hall rolls each day up when it closes), so the fresh one
 * rolls nothing up. The file is in the page cache: cold means a fresh process, not a fresh disk.
 */
import { spawnSync } from 'node:child_process';
import type { Agent } from 'node:http';
import { join } from 'node:path';
import { writeDemoHistoryFile } from '../../scripts/demo-history.ts';
import { addDays } from '../../server/domain/hall-time.ts';
import {
  type BenchRow,
  count,
  expectStatus,
  keepAliveAgent,
  ms,
  percentile,
  send,
  signIn,
  sleep,
  startHallChild,
  tempDir,
} from './lib.ts';

/** Days of the year: the closed ones generated, and today. */
const DAYS = 365;
/** Times the demo hall: about 1,500 tickets a day. */
const SCALE = 6;
/** Warm calls per query: enough for a p95 that is not simply the slowest call. */
const WARM = 40;
/** Fresh processes per query for its cold first call. */
const COLD = 3;
/** Today so far: tickets issued, and how many are left waiting. */
const TODAY_TICKETS = 600;
const TODAY_WAITING = 30;
const TODAY_KIOSKS = 4;
const TODAY_SERVICES = ['general', 'payments', 'devices', 'broadband', 'business', 'complaints', 'retention'];
/** Year statistics answer from rollups (a manager's page asks for a year); other queries are lighter. */
const YEAR_TARGET_MS = 50;
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

type Session = { url: string; agent: Agent; manager: string };

/** A hall process on `dbPath` with the manager signed in, for as long as `use` runs. */
async function withHall<T>(
  dbPath: string,
  logDir: string,
  use: (session: Session) => Promise<T>,
): Promise<T> {
  const hall = await startHallChild(dbPath, logDir);
  const agent = keepAliveAgent(8);
  try {
    return await use({
      url: hall.url,
      agent,
      manager: await signIn(agent, hall.url, 'manager', 'demo-manager'),
    });
  } catch (error) {
    hall.assertAlive(); // a dead server explains an ECONNREFUSED
    throw error;
  } finally {
    agent.destroy();
    await hall.stop();
  }
}

/**
 * Today's traffic through the API: kiosks issue while fewer than 60 wait, six counters call, start and
 * finish until TODAY_WAITING are left. Returns the numbers in the order they were called.
 */
async function playToday({ url, agent }: Session): Promise<string[]> {
  const cookies = await Promise.all(
    [1, 2, 3, 4, 5, 6].map(async (n) => {
      const cookie = await signIn(agent, url, `staff${n}`, 'demo-staff');
      await expectStatus(send(agent, url, 'POST', `/api/v1/counters/${n}/open`, { cookie }), 200, 'open');
      return cookie;
    }),
  );
  let issued = 0;
  let finished = 0;
  const called: string[] = [];
  const kiosk = async () => {
    while (issued < TODAY_TICKETS) {
      if (issued - finished >= 60) {
        await sleep(5);
        continue;
      }
      const serviceId = TODAY_SERVICES[issued++ % TODAY_SERVICES.length];
      await expectStatus(
        send(agent, url, 'POST', '/api/v1/tickets', { body: { serviceId, channel: 'kiosk' } }),
        201,
        'issue',
      );
    }
  };
  const counter = async (n: number, cookie: string) => {
    while (finished < TODAY_TICKETS - TODAY_WAITING) {
      const call = await send(agent, url, 'POST', `/api/v1/counters/${n}/call`, { cookie });
      if (call.status === 204) {
        await sleep(5);
        continue;
      }
      if (call.status !== 200) throw new Error(`counter ${n} call: ${call.status} ${call.body}`);
      called.push((JSON.parse(call.body) as { ticket: { number: string } }).ticket.number);
      await expectStatus(send(agent, url, 'POST', `/api/v1/counters/${n}/start`, { cookie }), 200, 'start');
      const body = finished % 3 === 0 ? { rating: 4 + (finished % 2) } : {};
      await expectStatus(
        send(agent, url, 'POST', `/api/v1/counters/${n}/finish`, { body, cookie }),
        200,
        'finish',
      );
      finished++;
    }
  };
  await Promise.all([
    ...Array.from({ length: TODAY_KIOSKS }, kiosk),
    ...cookies.map((cookie, i) => counter(i + 1, cookie)),
  ]);
  return called;
}

export async function benchStats(): Promise<BenchRow[]> {
  const dir = tempDir('stats');
  try {
    const demoHistory = timeDemoHistory(dir.path);
    const dbPath = join(dir.path, 'year.sqlite');
    const generated = writeDemoHistoryFile(dbPath, { days: DAYS - 1, scale: SCALE, seed: 7 });
    const today = addDays(generated.to, 1);
    const year = `from=${generated.from}&to=${today}`;
    const monthFrom = addDays(today, -29);
    const month = `from=${monthFrom}&to=${today}`;
    const yearSummary = `/api/v1/stats/summary?${year}`;

    /** Label → path and p95 target; filled in once today's calls are known. */
    const queries: [label: string, path: string, targetMs: number][] = [];
    const warm = new Map<string, number[]>();
    const cold = new Map<string, number[]>();
    let yearTickets = 0;
    let todayTickets = 0;
    let csvRows = 0;
    const time = async (session: Session, label: string, path: string): Promise<number> => {
      const t0 = performance.now();
      const answer = await send(session.agent, session.url, 'GET', path, { cookie: session.manager });
      const elapsed = performance.now() - t0;
      if (answer.status !== 200) throw new Error(`${label}: ${answer.status} ${answer.body.slice(0, 200)}`);
      if (path === yearSummary) yearTickets = (JSON.parse(answer.body) as { tickets: number }).tickets;
      if (path.includes('tickets.csv')) csvRows = answer.body.split('\r\n').length - 2;
      return elapsed;
    };

    await withHall(dbPath, dir.path, async (session) => {
      // This process rolls up the closed days (as a hall does when each day closes), then lives today.
      await time(session, 'roll-up', yearSummary);
      const called = await playToday(session);
      todayTickets = (
        JSON.parse(
          (
            await send(session.agent, session.url, 'GET', `/api/v1/stats/summary?from=${today}&to=${today}`, {
              cookie: session.manager,
            })
          ).body,
        ) as { tickets: number }
      ).tickets;
      queries.push(
        ['stats/summary, a year to today', yearSummary, YEAR_TARGET_MS],
        ['stats/summary, 30 days to today', `/api/v1/stats/summary?${month}`, TARGET_MS],
        ['stats/series?by=day, a year to today', `/api/v1/stats/series?${year}&by=day`, TARGET_MS],
        ['stats/series?by=week, a year to today', `/api/v1/stats/series?${year}&by=week`, TARGET_MS],
        ['stats/series?by=month, a year to today', `/api/v1/stats/series?${year}&by=month`, TARGET_MS],
        ['stats/breakdown, a year to today', `/api/v1/stats/breakdown?${year}`, YEAR_TARGET_MS],
        ['stats/staffing, a year to today', `/api/v1/stats/staffing?${year}`, YEAR_TARGET_MS],
        // The export streams every ticket row (a year is ~90 MB of CSV): a download, timed over two days.
        [
          'stats/tickets.csv, yesterday and today',
          `/api/v1/stats/tickets.csv?from=${generated.to}&to=${today}`,
          TARGET_MS,
        ],
        [
          "routing/why, today's 50th call against its 40th",
          `/api/v1/routing/why?day=${today}&number=${called[49]}&before=${called[39]}`,
          TARGET_MS,
        ],
      );
      for (const [label] of queries) {
        warm.set(label, []);
        cold.set(label, []);
      }
      for (let round = 0; round < WARM; round++)
        for (const [label, path] of queries) warm.get(label)!.push(await time(session, label, path));
    });
    for (let i = 0; i < COLD; i++)
      for (const [label, path] of queries)
        cold.get(label)!.push(await withHall(dbPath, dir.path, (session) => time(session, label, path)));

    return [
      demoHistory,
      ...queries.map(([label, , targetMs], i): BenchRow => {
        const sorted = [...warm.get(label)!].sort((a, b) => a - b);
        const p95 = percentile(sorted, 95);
        const what =
          i === 0
            ? ` (${count(yearTickets)} tickets, ${count(todayTickets)} of them today)`
            : label.includes('csv')
              ? ` (${count(csvRows)} rows)`
              : '';
        return {
          name: `${label}${what}: warm p50 / p95 of ${WARM} · cold first call in a fresh process, max of ${COLD}`,
          figure: `${ms(percentile(sorted, 50))} / ${ms(p95)} · ${ms(Math.max(...cold.get(label)!))}`,
          target: `p95 ≤ ${targetMs} ms`,
          ok: p95 <= targetMs,
        };
      }),
      {
        name: `  generating the ${DAYS - 1} closed days (${(generated.tickets / 1000).toFixed(1)}k tickets, ${(generated.events / 1e6).toFixed(2)}M events)`,
        figure: `${(generated.ms / 1000).toFixed(1)} s`,
        target: '—',
        ok: null,
      },
    ];
  } finally {
    dir.remove();
  }
}
