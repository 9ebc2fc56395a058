/**
 * POST /api/v1/tickets at 16 concurrent keep-alive clients on loopback: the hall against the floor (a bare
 * Express handler doing one durable insert), measured in the same run with the same client. Both servers
 * run in child processes, so the client does not share their event loop, and they are measured in
 * alternating one-second slices (floor, hall, floor, hall, …), so that whatever else the shared machine is
 * doing falls on both alike. The hall keeps every ticket it issues waiting, as a hall would until counters
 * call them: its queue grows through the run.
 */
import { join } from 'node:path';
import {
  type BenchRow,
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

/**
 * Issuing with six counters open, where each new ticket gets a live forecast (a forward play of the
 * hall): the queue grows from 30 to 110 waiting, the range where forecasts are made, as 16 clients ask
 * five tickets each. Information beside the throughput target: what forecasting costs under load.
 */
async function issuingWithForecasts(url: string): Promise<Slice> {
  const agent = keepAliveAgent(CLIENTS);
  for (let n = 1; n <= 6; n++) {
    const cookie = await signIn(agent, url, `staff${n}`, 'demo-staff');
    const opened = await send(agent, url, 'POST', `/api/v1/counters/${n}/open`, { cookie });
    if (opened.status !== 200) throw new Error(`counter ${n} did not open: ${opened.status}`);
  }
  const body = () => ({
    serviceId: SERVICES[Math.floor(Math.random() * SERVICES.length)],
    channel: 'reception',
  });
  for (let i = 0; i < 30; i++) await send(agent, url, 'POST', '/api/v1/tickets', { body: body() });
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        const answer = await send(agent, url, 'POST', '/api/v1/tickets', { body: body() }).catch(() => null);
        if (answer?.status === 201) latencies.push(performance.now() - t0);
        else errors++;
      }
    }),
  );
  agent.destroy();
  return { latencies, elapsed: performance.now() - started, errors };
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

export async function benchTickets(): Promise<BenchRow[]> {
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
  const forecastingServer = await startHallChild(join(dir.path, 'forecasting.sqlite'), dir.path).catch(
    async (error) => {
      await Promise.all([floorServer.stop(), hallServer.stop()]);
      throw error;
    },
  );
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
    const forecasting = figures([await issuingWithForecasts(forecastingServer.url)]);
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
      {
        name: '  with 6 counters open, 30 → 110 waiting (live forecasts), p50 / p99',
        figure: `${ms(forecasting.p50)} / ${ms(forecasting.p99)} (${forecasting.perSecond.toFixed(0)} /s)`,
        target: '—',
        ok: null,
      },
      ...(hall.errors + floor.errors + forecasting.errors > 0
        ? [
            {
              name: '  failed requests (hall / floor)',
              figure: `${hall.errors} / ${floor.errors} (with forecasts: ${forecasting.errors})`,
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
    forecastingServer.assertAlive();
    throw error;
  } finally {
    await Promise.all([floorServer.stop(), hallServer.stop(), forecastingServer.stop()]);
    dir.remove();
  }
}
