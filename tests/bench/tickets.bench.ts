/**
 * POST /api/v1/tickets at 16 concurrent keep-alive clients on loopback: the hall against the floor (a bare
 * Express handler doing one durable insert), measured in the same run with the same client. Both servers
 * run in child processes, so the client does not share their event loop, and they are measured in
 * alternating one-second slices (floor, hall, floor, hall, …), so that whatever else the shared machine is
 * doing falls on both alike. The hall keeps every ticket it issues waiting, as a hall would until counters
 * call them: its queue grows through the run.
 */

import type { Agent } from 'node:http';
import { join } from 'node:path';
import { writeDemoHistoryFile } from '../../scripts/demo-history.ts';
import { loadHistory } from '../../server/app/hall-eta.ts';
import { counterServiceWeights, DEMO_HALL } from '../../server/config.ts';
import { openDatabase } from '../../server/db/open.ts';
import { predictWaits } from '../../server/domain/eta.ts';
import { localTime } from '../../server/domain/hall-time.ts';
import { DEFAULT_ROUTING, type WaitingTicket } from '../../server/domain/routing.ts';
import {
  type BenchRow,
  type ChildServer,
  keepAliveAgent,
  ms,
  percentile,
  send,
  signIn,
  startChild,
  startHallChild,
  tempDir,
} from './lib.ts';

const CLIENTS = 16;
const WARMUP_MS = 1000;
const SLICE_MS = 1000;
const SLICES = 5;
const SERVICES = ['general', 'payments', 'devices'];
/** Days of generated history behind the forecast benchmark's halls, as a hall keeps (hall-eta.ts). */
const HISTORY_DAYS = 56;

type Slice = { latencies: number[]; elapsed: number; errors: number };

/** Runs CLIENTS loops of POST /api/v1/tickets for `durationMs`; counts only 201s as done. */
export async function load(url: string, durationMs: number): Promise<Slice> {
  const agent = keepAliveAgent(CLIENTS);
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const end = started + durationMs;
  const client = async () => {
    while (performance.now() < end) {
      const body = { serviceId: SERVICES[Math.floor(Math.random() * SERVICES.length)], channel: 'reception' };
      const t0 = performance.now();
      const answer = await send(agent, url, 'POST', '/api/v1/tickets', { body }).catch(() => null);
      if (answer?.status === 201) latencies.push(performance.now() - t0);
      else errors++;
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const elapsed = performance.now() - started;
  agent.destroy();
  return { latencies, elapsed, errors };
}

/** Issues per client in one round of the forecast benchmark: 16 × 5 take the queue from 30 to 110. */
const ROUND_ISSUES = 5;
/** Rounds per hall: 13 × 80 = 1,040 answers, enough for a p99. */
const ROUNDS = 13;
const BASE_WAITING = 30;

/**
 * A hall with eight weeks of history (so that forecasts play arrivals, patience and the hall's own
 * service times forward) and thirty tickets waiting; with six counters open every new ticket is
 * forecast, with none open there is no basis for a forecast (the same path, less the forward play).
 */
async function prepareForecastHall(url: string, countersOpen: boolean): Promise<Agent> {
  const agent = keepAliveAgent(CLIENTS);
  if (countersOpen)
    for (let n = 1; n <= 6; n++) {
      const cookie = await signIn(agent, url, `staff${n}`, 'demo-staff');
      const opened = await send(agent, url, 'POST', `/api/v1/counters/${n}/open`, { cookie });
      if (opened.status !== 200) throw new Error(`counter ${n} did not open: ${opened.status}`);
    }
  for (let i = 0; i < BASE_WAITING; i++) await send(agent, url, 'POST', '/api/v1/tickets', { body: body() });
  return agent;
}

const body = () => ({
  serviceId: SERVICES[Math.floor(Math.random() * SERVICES.length)],
  channel: 'reception',
});

/**
 * One round: 16 clients ask five tickets each, taking the queue from 30 to 110 waiting; then the round's
 * tickets are cancelled (not timed), back to 30.
 */
async function forecastRound(url: string, agent: Agent): Promise<Slice> {
  const latencies: number[] = [];
  const issued: string[] = [];
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let i = 0; i < ROUND_ISSUES; i++) {
        const t0 = performance.now();
        const answer = await send(agent, url, 'POST', '/api/v1/tickets', { body: body() }).catch(() => null);
        if (answer?.status !== 201) {
          errors++;
          continue;
        }
        latencies.push(performance.now() - t0);
        issued.push((JSON.parse(answer.body) as { id: string }).id);
      }
    }),
  );
  const elapsed = performance.now() - started;
  for (const id of issued) await send(agent, url, 'POST', `/api/v1/tickets/${id}/cancel`);
  return { latencies, elapsed, errors };
}

type Figures = { perSecond: number; p50: number; p99: number; errors: number; slices: number[] };

function figures(slices: Slice[]): Figures {
  const all = slices.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const elapsed = slices.reduce((sum, s) => sum + s.elapsed, 0);
  return {
    perSecond: (all.length / elapsed) * 1000,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    errors: slices.reduce((sum, s) => sum + s.errors, 0),
    slices: slices.map((s) => Math.round((s.latencies.length / s.elapsed) * 1000)),
  };
}

/** POST /tickets against the floor: throughput and latency with nothing waiting to forecast. */
async function benchThroughput(): Promise<BenchRow[]> {
  const dir = tempDir('tickets');
  const floorServer = await startChild(
    'tests/bench/floor-server.ts',
    { FLOOR_DB: join(dir.path, 'floor.sqlite') },
    dir.path,
  );
  const hallServer = await startHallChild(join(dir.path, 'hall.sqlite'), dir.path).catch(async (error) => {
    await floorServer.stop();
    throw error;
  });
  try {
    await load(floorServer.url, WARMUP_MS);
    await load(hallServer.url, WARMUP_MS);
    const floorSlices: Slice[] = [];
    const hallSlices: Slice[] = [];
    for (let i = 0; i < SLICES; i++) {
      floorSlices.push(await load(floorServer.url, SLICE_MS));
      hallSlices.push(await load(hallServer.url, SLICE_MS));
    }
    const agent = keepAliveAgent(1);
    const services = await send(agent, hallServer.url, 'GET', '/api/v1/services');
    agent.destroy();
    const waiting = (JSON.parse(services.body) as { waiting: number }[]).reduce(
      (sum, s) => sum + s.waiting,
      0,
    );

    const floor = figures(floorSlices);
    const hall = figures(hallSlices);
    const ratio = hall.perSecond / floor.perSecond;
    return [
      {
        name: `POST /tickets throughput, ${CLIENTS} clients, ${SLICES} × 1 s (hall)`,
        figure: `${hall.perSecond.toFixed(0)} /s = ${ratio.toFixed(2)} × floor`,
        target: '≥ 0.5 × floor',
        ok: ratio >= 0.5,
      },
      {
        name: 'POST /tickets latency p50 / p99 (hall)',
        figure: `${ms(hall.p50)} / ${ms(hall.p99)}`,
        target: 'p99 ≤ 20 ms',
        ok: hall.p99 <= 20,
      },
      {
        name: '  floor: bare Express + one durable INSERT',
        figure: `${floor.perSecond.toFixed(0)} /s, p50 ${ms(floor.p50)}, p99 ${ms(floor.p99)}`,
        target: '—',
        ok: null,
      },
      {
        name: '  tickets/s per slice, floor | hall',
        figure: `${floor.slices.join(' ')} | ${hall.slices.join(' ')} (${waiting} waiting at the end)`,
        target: '—',
        ok: null,
      },
      ...(hall.errors + floor.errors > 0
        ? [
            {
              name: '  failed requests (hall / floor)',
              figure: `${hall.errors} / ${floor.errors}`,
              target: '0',
              ok: false,
            },
          ]
        : []),
    ];
  } catch (error) {
    // A dead server explains an ECONNREFUSED.
    floorServer.assertAlive();
    hallServer.assertAlive();
    throw error;
  } finally {
    await Promise.all([floorServer.stop(), hallServer.stop()]);
    dir.remove();
  }
}

/** The live forecast must keep issuing this quick at 16 clients with six counters open (p99, ms). */
const FORECAST_P99_TARGET_MS = 50;

/**
 * Issuing while every new ticket is forecast live: 13 rounds of 30 → 110 waiting at 16 clients (after one
 * round not measured), beside the same rounds in a hall with no counter open (no basis for a forecast, so
 * none is played), alternating round by round. Then what one forecast (a group of 16 tickets and the next to join three services)
 * costs in the process at 110, 500 and 1,000 waiting: no queue is too long to forecast.
 */
async function benchForecasts(): Promise<BenchRow[]> {
  const dir = tempDir('forecasts');
  const dbPaths = [join(dir.path, 'forecast.sqlite'), join(dir.path, 'no-forecast.sqlite')] as const;
  for (const dbPath of dbPaths) writeDemoHistoryFile(dbPath, { days: HISTORY_DAYS, seed: 7 });
  const servers: ChildServer[] = [];
  try {
    for (const dbPath of dbPaths) servers.push(await startHallChild(dbPath, dir.path));
    const [forecastServer, noForecastServer] = servers as [ChildServer, ChildServer];
    const forecastAgent = await prepareForecastHall(forecastServer.url, true);
    const noForecastAgent = await prepareForecastHall(noForecastServer.url, false);
    // One round each first, not measured: compiling the forward play is not what a hall pays per ticket.
    await forecastRound(forecastServer.url, forecastAgent);
    await forecastRound(noForecastServer.url, noForecastAgent);
    const forecastRounds: Slice[] = [];
    const noForecastRounds: Slice[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      forecastRounds.push(await forecastRound(forecastServer.url, forecastAgent));
      noForecastRounds.push(await forecastRound(noForecastServer.url, noForecastAgent));
    }
    forecastAgent.destroy();
    noForecastAgent.destroy();
    const forecast = figures(forecastRounds);
    const noForecast = figures(noForecastRounds);
    const samples = forecastRounds.reduce((n, r) => n + r.latencies.length, 0);
    return [
      {
        name: `POST /tickets, 6 counters open, 30 → 110 waiting, every ticket forecast live, ${CLIENTS} clients: p50 / p99`,
        figure: `${ms(forecast.p50)} / ${ms(forecast.p99)} (${forecast.perSecond.toFixed(0)} /s, ${samples} tickets)`,
        target: `p99 ≤ ${FORECAST_P99_TARGET_MS} ms`,
        ok: forecast.p99 <= FORECAST_P99_TARGET_MS,
      },
      {
        name: '  the same with no counter open (no forecast played)',
        figure: `${ms(noForecast.p50)} / ${ms(noForecast.p99)} (${noForecast.perSecond.toFixed(0)} /s)`,
        target: '—',
        ok: null,
      },
      ...forecastCost(dbPaths[0]).map(
        (c): BenchRow => ({
          name: `  one forecast in the process (16 tickets + 3 joiners), ${c.waiting} waiting: p50 / max of ${c.runs}`,
          figure: `${ms(c.p50)} / ${ms(c.max)}`,
          target: '—',
          ok: null,
        }),
      ),
      ...(forecast.errors + noForecast.errors > 0
        ? [
            {
              name: '  failed requests (forecast / no forecast)',
              figure: `${forecast.errors} / ${noForecast.errors}`,
              target: '0',
              ok: false,
            },
          ]
        : []),
    ];
  } catch (error) {
    for (const server of servers) server.assertAlive();
    throw error;
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    dir.remove();
  }
}

/** Times one forecast of the demo hall, six counters calling, from the history in `dbPath`. */
function forecastCost(dbPath: string): { waiting: number; runs: number; p50: number; max: number }[] {
  const db = openDatabase(dbPath);
  const now = Date.now();
  const local = localTime(now, DEMO_HALL.timeZone);
  const history = loadHistory(db, DEMO_HALL.timeZone, local.day);
  db.close();
  const counters = DEMO_HALL.counters.map((c) => ({
    routing: { services: counterServiceWeights(c), elderlyFirst: c.elderlyFirst },
    busyWith: null,
  }));
  return [110, 500, 1000].map((n) => {
    const waiting: WaitingTicket[] = Array.from({ length: n }, (_, i) => ({
      id: `t${i}`,
      number: `T${i}`,
      serviceId: SERVICES[i % SERVICES.length]!,
      tier: 'regular',
      queuedAt: now - (n - i) * 10_000,
      passedOver: 0,
      front: false,
    }));
    const joiners = SERVICES.map((serviceId, i) => ({
      ...waiting[0]!,
      id: `join${i}`,
      number: `J${i}`,
      serviceId,
      queuedAt: now + 1,
    }));
    const state = {
      now,
      minuteOfDay: local.minuteOfDay,
      weekday: local.weekday,
      waiting: [...waiting, ...joiners],
      counters,
      policy: DEFAULT_ROUTING,
      waitTargetMinutes: () => 15,
    };
    const ticketIds = [...waiting.slice(-16), ...joiners].map((t) => t.id);
    const runs = 30;
    const times: number[] = [];
    predictWaits(state, history, { ticketIds }); // not timed: compiling it is no hall's cost per ticket
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      predictWaits(state, history, { ticketIds, seed: i });
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return { waiting: n, runs, p50: percentile(times, 50), max: times[times.length - 1]! };
  });
}

export async function benchTickets(): Promise<BenchRow[]> {
  return [...(await benchThroughput()), ...(await benchForecasts())];
}
