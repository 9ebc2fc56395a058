/**
 * Soak: the demo hall with its eight weeks of history (the production bundle in its own process, logging
 * to a file as the journal would take it) under a steady day's traffic compressed: 4 kiosks each issuing
 * a ticket a second, 2 counters calling, starting and finishing (400 ms of "service" each), 50 wall
 * displays and phones on the event stream, and a manager polling the live page (counters, health,
 * breaches, today's statistics) every 5 s. `soak` runs 3 minutes, `soak-30` runs 30 (`npm run bench -- soak-30`).
 *
 * Measured: resident memory growth per hour after a warm-up (the first fifth, at least 30 s; least
 * squares over each minute's lowest sample, taken every 5 s), and log bytes per hour (everything the
 * hall wrote, over the run). One soak hour carries about 14,000 tickets,
 * ten busy days of a hall (~1,400 a day).
 */
import { statSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { DEMO_HALL } from '../../server/config.ts';
import { localTime } from '../../server/domain/hall-time.ts';
import {
  type BenchRow,
  count,
  demoHallDb,
  expectStatus,
  processMemory,
  send,
  signIn,
  sleep,
  startHallChild,
  tempDir,
} from './lib.ts';
import { connectSseClients } from './sse-clients.ts';

const KIOSKS = 4;
const ISSUE_EVERY_MS = 1000;
const SERVICE_MS = 400;
const SSE_CLIENTS = 50;
const POLL_EVERY_MS = 5000;
const SAMPLE_EVERY_MS = 5000;
const BUSY_DAY_TICKETS = 1400;
/** A year of busy days may add this much memory: the server stays under 200 MB from a ~110 MB start. */
const RSS_TARGET_MB_PER_HOUR = 2;
/** Ten busy days of log in a soak hour at 100 KB: a year of busy days is ~4 MB of journal. */
const LOG_TARGET_KB_PER_HOUR = 100;

type Sample = { at: number; rssMb: number };

/** Least-squares slope of y over x. */
function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

/** The line the per-request log of before wrote for a request, and for a queue command. */
const oldRequestLine = (method: string, path: string, status: number) =>
  JSON.stringify({ t: new Date().toISOString(), msg: 'request', method, path, status, ms: 1.5 }).length + 1;
const oldCommandLine = (command: string) =>
  JSON.stringify({ t: new Date().toISOString(), msg: 'command', command, ok: true, ms: 1.5 }).length + 1;

export const benchSoak = (minutes: number) => async (): Promise<BenchRow[]> => {
  if (process.platform !== 'linux')
    return [{ name: 'soak', figure: 'skipped: needs /proc (Linux)', target: '—', ok: null }];
  const dir = tempDir('soak');
  const hall = await startHallChild(demoHallDb(join(dir.path, 'hall.sqlite')).path, dir.path);
  // Idle sockets are dropped after 4 s, before the server's 5-s keep-alive closes them: a request sent
  // on a socket the server is closing fails with ECONNRESET, a fault of the client, not of the hall.
  const agent = new Agent({ keepAlive: true, maxSockets: 16, timeout: 4000 });
  const durationMs = minutes * 60_000;
  const counts = { issued: 0, finished: 0, polls: 0, failures: 0, oldLogBytes: 0 };
  /** Failed requests by what failed: `POST /api/v1/tickets 503`, `GET … ECONNRESET`. */
  const failures = new Map<string, number>();
  const failed = (what: string) => {
    counts.failures++;
    failures.set(what, (failures.get(what) ?? 0) + 1);
  };
  let running = true;
  let streams: Awaited<ReturnType<typeof connectSseClients>> | null = null;

  /** A request whose failure is counted by what failed, not thrown: the soak goes on. */
  const call = async (method: string, path: string, options: { body?: unknown; cookie?: string } = {}) => {
    const what = `${method} ${path.split('?')[0]}`;
    try {
      const answer = await send(agent, hall.url, method, path, options);
      counts.oldLogBytes += oldRequestLine(method, path, answer.status);
      if (answer.status >= 400)
        failed(`${what} ${answer.status} ${/"code":"([^"]+)"/.exec(answer.body)?.[1] ?? ''}`);
      return answer;
    } catch (error) {
      failed(`${what} ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      return null;
    }
  };

  const kiosk = async (k: number) => {
    await sleep((k * ISSUE_EVERY_MS) / KIOSKS);
    while (running) {
      const started = performance.now();
      const issued = await call('POST', '/api/v1/tickets', {
        body: { serviceId: k % 2 === 0 ? 'general' : 'payments', channel: 'kiosk' },
      });
      if (issued?.status === 201) {
        counts.issued++;
        counts.oldLogBytes += oldCommandLine('issue-ticket');
      }
      await sleep(Math.max(0, ISSUE_EVERY_MS - (performance.now() - started)));
    }
  };

  const counter = async (id: string, cookie: string) => {
    while (running) {
      const called = await call('POST', `/api/v1/counters/${id}/call`, { cookie });
      if (called?.status === 409) {
        // A ticket is still at the counter (an answer lost on the way): finish it and go on.
        await call('POST', `/api/v1/counters/${id}/finish`, { body: {}, cookie });
        continue;
      }
      const ticket = called?.status === 200 ? (JSON.parse(called.body) as { ticket: unknown }).ticket : null;
      if (!ticket) {
        await sleep(200);
        continue;
      }
      await call('POST', `/api/v1/counters/${id}/start`, { cookie });
      await sleep(SERVICE_MS);
      const finished = await call('POST', `/api/v1/counters/${id}/finish`, { body: {}, cookie });
      if (finished?.status === 200) counts.finished++;
      counts.oldLogBytes += oldCommandLine('call-next') + oldCommandLine('start') + oldCommandLine('finish');
    }
  };

  const managerPolls = async (cookie: string) => {
    while (running) {
      const day = localTime(Date.now(), DEMO_HALL.timeZone).day;
      for (const path of ['/api/v1/counters', '/api/v1/health', '/api/v1/queue/breaches'])
        await call('GET', path, { cookie });
      await call('GET', `/api/v1/stats/summary?from=${day}&to=${day}`, { cookie });
      counts.polls++;
      await sleep(POLL_EVERY_MS);
    }
  };

  try {
    const staff1 = await signIn(agent, hall.url, 'staff1', 'demo-staff');
    const staff2 = await signIn(agent, hall.url, 'staff2', 'demo-staff');
    const manager = await signIn(agent, hall.url, 'manager', 'demo-manager');
    for (const [id, cookie] of [
      ['1', staff1],
      ['2', staff2],
    ] as const)
      await expectStatus(
        send(agent, hall.url, 'POST', `/api/v1/counters/${id}/open`, { cookie }),
        200,
        'open',
      );
    streams = await connectSseClients(hall.url, SSE_CLIENTS);

    const started = performance.now();
    const samples: Sample[] = [];
    const work = Promise.all([
      ...Array.from({ length: KIOSKS }, (_, k) => kiosk(k)),
      counter('1', staff1),
      counter('2', staff2),
      managerPolls(manager),
    ]);
    while (performance.now() - started < durationMs) {
      hall.assertAlive();
      samples.push({
        at: performance.now() - started,
        rssMb: processMemory(hall.pid).rss,
      });
      await sleep(SAMPLE_EVERY_MS);
    }
    running = false;
    await work;
    const elapsedH = (performance.now() - started) / 3_600_000;
    const peak = processMemory(hall.pid).peak;
    // Everything the run wrote, start and the last summary at stop included: a short run has no
    // quarter-hour summary of its own, so this is the bound an hour can reach, not the steady rate.
    await hall.stop();
    const logBytes = statSync(hall.logPath).size;

    const warmUpMs = Math.max(30_000, durationMs / 5);
    const steady = samples.filter((s) => s.at >= warmUpMs);
    const hours = (ms: number) => ms / 3_600_000;
    // The floor of each minute (after the collector ran) is what the process keeps; the peaks in
    // between are garbage not yet collected.
    const floors = new Map<number, Sample>();
    for (const s of steady) {
      const minute = Math.floor(s.at / 60_000);
      if (!floors.has(minute) || floors.get(minute)!.rssMb > s.rssMb) floors.set(minute, s);
    }
    const rssPerHour = slope([...floors.values()].map((s) => ({ x: hours(s.at), y: s.rssMb })));
    const first = steady[0]!;
    const last = steady.at(-1)!;
    const logPerHour = logBytes / 1024 / elapsedH;
    const ticketsPerHour = counts.issued / elapsedH;
    const label = `soak ${minutes} min`;
    return [
      {
        name: `${label}: RSS growth after warm-up (least squares over the lowest of each minute's 5-s samples, ${floors.size} minutes)`,
        figure: `${rssPerHour >= 0 ? '+' : ''}${rssPerHour.toFixed(1)} MB/h (${first.rssMb.toFixed(0)} → ${last.rssMb.toFixed(0)} MB, peak ${peak.toFixed(0)})`,
        target: `≤ ${RSS_TARGET_MB_PER_HOUR} MB/h${minutes < 30 ? ' (judged on soak-30)' : ''}`,
        ok: minutes < 30 ? null : rssPerHour <= RSS_TARGET_MB_PER_HOUR,
      },
      {
        name: `${label}: log bytes per hour (all it wrote, start and stop included)`,
        figure: `${logPerHour.toFixed(1)} KB/h`,
        target: `≤ ${LOG_TARGET_KB_PER_HOUR} KB/h`,
        ok: logPerHour <= LOG_TARGET_KB_PER_HOUR,
      },
      {
        name: '  the per-request log of before, for the same requests',
        figure: `≈ ${(counts.oldLogBytes / 1024 / 1024 / elapsedH).toFixed(0)} MB/h`,
        target: '—',
        ok: null,
      },
      {
        name: '  traffic',
        figure:
          `${count(Math.round(ticketsPerHour))} tickets/h (${(ticketsPerHour / BUSY_DAY_TICKETS).toFixed(1)} busy days an hour), ` +
          `${counts.finished} finished, ${SSE_CLIENTS} streams, ${counts.polls} manager polls, ${counts.failures} failed requests` +
          (failures.size
            ? ` (${[...failures]
                .sort((a, b) => b[1] - a[1])
                .slice(0, 3)
                .map(([what, n]) => `${what} ×${n}`)
                .join('; ')})`
            : ''),
        target: '0 failed',
        ok: counts.failures === 0,
      },
    ];
  } catch (error) {
    hall.assertAlive();
    throw error;
  } finally {
    running = false;
    streams?.close();
    agent.destroy();
    await hall.stop();
    dir.remove();
  }
};
