/**
 * POST /api/v1/tickets as a hall takes it: the demo hall with its eight weeks of history, six counters
 * open (so every new ticket is forecast live), 30 → 110 tickets waiting, and every ticket printed at its
 * kiosk on a network ESC/POS printer (HallQ's TCP-9100 emulator, in a process of its own). 16 kiosk
 * clients on loopback keep one request each in flight.
 *
 * Beside it, in the same run with the same client and the same rounds, two floors (floor-server.ts): a
 * bare Express handler doing one durable INSERT committed per request, and the same committed per turn
 * of the event loop as the hall group-commits; and the same hall with no counter open, where no forecast
 * is played. Every server runs in a child process of its own, and they take turns round by round, so
 * that whatever else the shared machine does falls on all of them alike.
 *
 * One round: 16 clients ask five tickets each, taking a hall's queue from 30 to 110 waiting; then the
 * round's tickets are cancelled (not timed), back to 30.
 */

import { readFileSync } from 'node:fs';
import type { Agent } from 'node:http';
import { join } from 'node:path';
import { loadHistory } from '../../server/app/hall-eta.ts';
import { counterServiceWeights, DEMO_HALL } from '../../server/config.ts';
import { openDatabase } from '../../server/db/open.ts';
import { predictWaits } from '../../server/domain/eta.ts';
import { localTime } from '../../server/domain/hall-time.ts';
import { DEFAULT_ROUTING, type WaitingTicket } from '../../server/domain/routing.ts';
import {
  type BenchRow,
  type ChildServer,
  count,
  demoHallDb,
  expectStatus,
  keepAliveAgent,
  latencyFigure,
  ms,
  percentile,
  send,
  signIn,
  sleep,
  startChild,
  startHallChild,
  tail,
  tempDir,
} from './lib.ts';

const CLIENTS = 16;
/** Tickets per client in one round: 16 × 5 take the queue from 30 to 110. */
const ROUND_ISSUES = 5;
/** Measured rounds per server: 25 × 80 = 2,000 answers, enough for a p99. */
const ROUNDS = 25;
const BASE_WAITING = 30;
const SERVICES = ['general', 'payments', 'devices'];
const KIOSKS = ['k1', 'k2'];
/** The hall must keep at least half the throughput of the stronger floor (group commit)... */
const THROUGHPUT_TARGET = 0.5;
/** ...with a p99 of at most this (ms)... */
const P99_TARGET_MS = 20;
/** ...and a live forecast for every ticket must keep issuing this quick (p99, ms). */
const FORECAST_P99_TARGET_MS = 50;

type Round = {
  latencies: number[];
  elapsed: number;
  errors: number;
  /** Ticket ids answered. */
  issued: string[];
  /** Answers whose wait rests on a forecast played from the history (`etaBasis`). */
  forecast: number;
};

/** A server under test: where it listens, its client, and what it does between rounds. */
type Target = {
  url: string;
  agent: Agent;
  rounds: Round[];
  /** 201s, measured or not: each is a ticket the hall had to print. */
  issued: number;
  /** Brings the queue back after a round (halls), not timed. */
  reset(round: Round): Promise<void>;
};

const ticketRequest = (client: number) => ({
  body: { serviceId: SERVICES[Math.floor(Math.random() * SERVICES.length)], channel: 'kiosk' },
  headers: { 'x-kiosk-id': KIOSKS[client % KIOSKS.length]! },
});

/** One round on one server: CLIENTS clients, ROUND_ISSUES tickets each, one request in flight each. */
async function round(target: Target): Promise<Round> {
  const result: Round = { latencies: [], elapsed: 0, errors: 0, issued: [], forecast: 0 };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let i = 0; i < ROUND_ISSUES; i++) {
        const t0 = performance.now();
        const answer = await send(
          target.agent,
          target.url,
          'POST',
          '/api/v1/tickets',
          ticketRequest(client),
        ).catch(() => null);
        if (answer?.status !== 201) {
          result.errors++;
          continue;
        }
        result.latencies.push(performance.now() - t0);
        const ticket = JSON.parse(answer.body) as { id: unknown; etaBasis?: string };
        result.issued.push(String(ticket.id));
        if (ticket.etaBasis === 'forecast') result.forecast++;
      }
    }),
  );
  result.elapsed = performance.now() - started;
  target.issued += result.issued.length;
  await target.reset(result);
  return result;
}

/**
 * A hall with the demo history, printing on its own emulated printer; `countersOpen`: staff seated at
 * all six counters. Thirty tickets wait when it returns. Its processes join `children`, to be stopped.
 */
async function prepareHall(dir: string, name: string, countersOpen: boolean, children: ChildServer[]) {
  const printer = await startChild('tests/bench/printer-server.ts', {}, dir);
  children.push(printer);
  const hall = await startHallChild(demoHallDb(join(dir, `${name}.sqlite`)).path, dir, {
    HALLQ_PRINTER: printer.url,
  });
  children.push(hall);
  const agent = keepAliveAgent(CLIENTS);
  const target: Target = {
    url: hall.url,
    agent,
    rounds: [],
    issued: 0,
    reset: async (r) => {
      for (const id of r.issued) await send(agent, hall.url, 'POST', `/api/v1/tickets/${id}/cancel`);
    },
  };
  if (countersOpen)
    for (const { id } of DEMO_HALL.counters) {
      const cookie = await signIn(agent, hall.url, `staff${id}`, 'demo-staff');
      await expectStatus(
        send(agent, hall.url, 'POST', `/api/v1/counters/${id}/open`, { cookie }),
        200,
        'open',
      );
    }
  for (let i = 0; i < BASE_WAITING; i++) {
    await expectStatus(send(agent, hall.url, 'POST', '/api/v1/tickets', ticketRequest(i)), 201, 'issue');
    target.issued++;
  }
  return { printer, target };
}

/**
 * Waits until the hall's last ticket has left its print queue (jobs print in order), stops the printer
 * and returns how many jobs it received.
 */
async function printedJobs(target: Target, printer: ChildServer): Promise<number> {
  const last = target.rounds.at(-1)?.issued.at(-1);
  const deadline = Date.now() + 60_000;
  while (last && Date.now() < deadline) {
    const answer = await send(target.agent, target.url, 'GET', `/api/v1/tickets/${last}`);
    if ((JSON.parse(answer.body) as { print?: string }).print !== 'pending') break;
    await sleep(100);
  }
  await printer.stop();
  const stopped = /"msg":"printer stopped","jobs":(\d+)/.exec(readFileSync(printer.logPath, 'utf8'));
  return Number(stopped?.[1] ?? Number.NaN);
}

type Figures = { perSecond: number; sorted: number[]; errors: number; forecast: number };

function figures(rounds: Round[]): Figures {
  const sorted = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const sum = (of: (r: Round) => number) => rounds.reduce((total, r) => total + of(r), 0);
  return {
    perSecond: (sorted.length / sum((r) => r.elapsed)) * 1000,
    sorted,
    errors: sum((r) => r.errors),
    forecast: sum((r) => r.forecast),
  };
}

async function benchIssuing(): Promise<BenchRow[]> {
  const dir = tempDir('tickets');
  const children: ChildServer[] = [];
  const agents: Agent[] = [];
  const floor = async (commit: 'request' | 'group'): Promise<Target> => {
    const server = await startChild(
      'tests/bench/floor-server.ts',
      { FLOOR_DB: join(dir.path, `floor-${commit}.sqlite`), FLOOR_COMMIT: commit },
      dir.path,
    );
    children.push(server);
    const agent = keepAliveAgent(CLIENTS);
    agents.push(agent);
    return { url: server.url, agent, rounds: [], issued: 0, reset: async () => {} };
  };
  try {
    const perRequest = await floor('request');
    const group = await floor('group');
    const forecast = await prepareHall(dir.path, 'forecast', true, children);
    agents.push(forecast.target.agent);
    const quiet = await prepareHall(dir.path, 'no-forecast', false, children);
    agents.push(quiet.target.agent);

    const targets = [perRequest, group, forecast.target, quiet.target];
    // One round each first, not measured: compiling the paths is not what a hall pays per ticket.
    for (const target of targets) await round(target);
    for (let i = 0; i < ROUNDS; i++) for (const target of targets) target.rounds.push(await round(target));

    const printed = {
      forecast: await printedJobs(forecast.target, forecast.printer),
      quiet: await printedJobs(quiet.target, quiet.printer),
    };
    const [fr, gr, hall, noForecast] = targets.map((t) => figures(t.rounds)) as [
      Figures,
      Figures,
      Figures,
      Figures,
    ];
    const ratio = hall.perSecond / gr.perSecond;
    const hallTail = tail(hall.sorted);
    const floorRow = (label: string, f: Figures): BenchRow => ({
      name: `  floor, ${label}`,
      figure: `${f.perSecond.toFixed(0)} /s, ${latencyFigure(f.sorted)}`,
      target: '—',
      ok: null,
    });
    const failures = targets.reduce((n, t) => n + figures(t.rounds).errors, 0);
    return [
      {
        name: `POST /tickets: 2 kiosks printing (TCP printer), 6 counters open, 30 → 110 waiting, 8-week demo hall, ${CLIENTS} clients, ${count(hall.sorted.length)} tickets`,
        figure: `${hall.perSecond.toFixed(0)} /s = ${ratio.toFixed(2)} × group-commit floor (${(hall.perSecond / fr.perSecond).toFixed(2)} × per-request floor)`,
        target: `≥ ${THROUGHPUT_TARGET} × floor`,
        ok: ratio >= THROUGHPUT_TARGET,
      },
      {
        name: '  latency of those tickets',
        figure: latencyFigure(hall.sorted),
        target: `p99 ≤ ${P99_TARGET_MS} ms`,
        ok: hallTail.label === 'p99' && hallTail.value <= P99_TARGET_MS,
      },
      {
        name: `  each of them forecast live (answers with a forecast: ${count(hall.forecast)}): ${hallTail.label}, beside the same hall with no counter open (${count(noForecast.forecast)} forecast)`,
        figure: `${ms(hallTail.value)} (no counter open: ${latencyFigure(noForecast.sorted)}, ${noForecast.perSecond.toFixed(0)} /s)`,
        target: `p99 ≤ ${FORECAST_P99_TARGET_MS} ms`,
        ok: hallTail.label === 'p99' && hallTail.value <= FORECAST_P99_TARGET_MS,
      },
      floorRow('group commit: bare Express, one INSERT, one durable commit per turn of the event loop', gr),
      floorRow('per-request commit: bare Express, one INSERT, one durable commit per request', fr),
      {
        name: '  print jobs the printers received, of the tickets the halls issued (with / without counters)',
        figure: `${count(printed.forecast)} of ${count(forecast.target.issued)} / ${count(printed.quiet)} of ${count(quiet.target.issued)}`,
        target: 'all',
        ok: printed.forecast === forecast.target.issued && printed.quiet === quiet.target.issued,
      },
      ...(failures > 0
        ? [{ name: '  failed requests, all servers', figure: count(failures), target: '0', ok: false }]
        : []),
    ];
  } catch (error) {
    // A dead server explains an ECONNREFUSED.
    for (const child of children) child.assertAlive();
    throw error;
  } finally {
    for (const agent of agents) agent.destroy();
    await Promise.all(children.map((child) => child.stop()));
    dir.remove();
  }
}

/**
 * What one forecast (a group of 16 tickets and the next to join three services) costs in the process at
 * 110, 500 and 1,000 waiting, six counters calling, from the demo history: no queue is too long to
 * forecast.
 */
function benchForecastCost(): BenchRow[] {
  const dir = tempDir('forecast-cost');
  const db = openDatabase(demoHallDb(join(dir.path, 'hall.sqlite')).path);
  const now = Date.now();
  const local = localTime(now, DEMO_HALL.timeZone);
  const history = loadHistory(db, DEMO_HALL.timeZone, local.day);
  db.close();
  dir.remove();
  const counters = DEMO_HALL.counters.map((c) => ({
    routing: { services: counterServiceWeights(c), elderlyFirst: c.elderlyFirst },
    busyWith: null,
  }));
  const runs = 30;
  return [110, 500, 1000].map((n): BenchRow => {
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
    predictWaits(state, history, { ticketIds }); // not timed: compiling it is no hall's cost per ticket
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      predictWaits(state, history, { ticketIds, seed: i });
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return {
      name: `  one forecast in the process (16 tickets + 3 joiners), ${n} waiting`,
      figure: `p50 ${ms(percentile(times, 50))}, max ${ms(times.at(-1)!)} of ${runs}`,
      target: '—',
      ok: null,
    };
  });
}

export async function benchTickets(): Promise<BenchRow[]> {
  return [...(await benchIssuing()), ...benchForecastCost()];
}
