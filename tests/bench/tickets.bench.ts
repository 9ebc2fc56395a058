/**
 * POST /api/v1/tickets at 16 concurrent keep-alive clients on loopback: the hall against the floor (a bare
 * Express handler doing one durable insert), measured in the same run with the same client. Both servers
 * run in child processes, so the client does not share their event loop.
 */
import { join } from 'node:path';
import {
  type BenchRow,
  keepAliveAgent,
  ms,
  percentile,
  send,
  sleep,
  startChild,
  startHallChild,
  tempDir,
} from './lib.ts';

const CLIENTS = 16;
const WARMUP_MS = 1000;
const MEASURE_MS = 5000;
const SERVICES = ['general', 'payments', 'devices'];

export type LoadResult = {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** Completed requests in each second of the measurement. */
  bySecond: number[];
};

/** Runs CLIENTS loops of POST /api/v1/tickets for `durationMs`; counts only 201s as done. */
export async function load(url: string, durationMs: number): Promise<LoadResult> {
  const agent = keepAliveAgent(CLIENTS);
  const latencies: number[] = [];
  const bySecond: number[] = [];
  let errors = 0;
  const started = performance.now();
  const end = started + durationMs;
  const client = async () => {
    while (performance.now() < end) {
      const body = { serviceId: SERVICES[Math.floor(Math.random() * SERVICES.length)], channel: 'reception' };
      const t0 = performance.now();
      const answer = await send(agent, url, 'POST', '/api/v1/tickets', { body }).catch(() => null);
      const t1 = performance.now();
      if (answer?.status !== 201) {
        errors++;
        continue;
      }
      latencies.push(t1 - t0);
      const second = Math.floor((t1 - started) / 1000);
      bySecond[second] = (bySecond[second] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const elapsed = performance.now() - started;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    perSecond: (latencies.length / elapsed) * 1000,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
    bySecond: Array.from(bySecond, (n) => n ?? 0),
  };
}

export async function benchTickets(): Promise<BenchRow[]> {
  const dir = tempDir('tickets');
  try {
    const floorServer = await startChild(
      'tests/bench/floor-server.ts',
      { FLOOR_DB: join(dir.path, 'floor.sqlite') },
      dir.path,
    );
    let floor: LoadResult;
    try {
      await load(floorServer.url, WARMUP_MS);
      floor = await load(floorServer.url, MEASURE_MS);
    } finally {
      await floorServer.stop();
    }
    await sleep(200);

    const hallServer = await startHallChild(join(dir.path, 'hall.sqlite'), dir.path);
    let hall: LoadResult;
    let waiting = 0;
    try {
      await load(hallServer.url, WARMUP_MS);
      hall = await load(hallServer.url, MEASURE_MS);
      const services = await send(keepAliveAgent(1), hallServer.url, 'GET', '/api/v1/services');
      waiting = (JSON.parse(services.body) as { waiting: number }[]).reduce((sum, s) => sum + s.waiting, 0);
    } finally {
      await hallServer.stop();
    }

    const ratio = hall.perSecond / floor.perSecond;
    const first = hall.bySecond[0] ?? 0;
    const last = hall.bySecond[hall.bySecond.length - 2] ?? hall.bySecond[hall.bySecond.length - 1] ?? 0;
    return [
      {
        name: `POST /tickets throughput, ${CLIENTS} clients, ${MEASURE_MS / 1000} s (hall)`,
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
        name: '  hall: tickets/s in the first and last second',
        figure: `${first} → ${last} (${waiting} waiting at the end)`,
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
  } finally {
    dir.remove();
  }
}
