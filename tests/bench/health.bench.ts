/**
 * /health under a hostile stream load, on the demo hall with its eight weeks of history (as `npm start`
 * makes it): five event streams that never read, one stream resuming from `lastEventId=0` (the whole
 * history, were it replayed), and four kiosks issuing so that events keep flowing to all of them. A
 * monitor asks /health one request after another; the hall's resident memory is sampled throughout.
 */
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import {
  type BenchRow,
  count,
  demoHallDb,
  keepAliveAgent,
  latencyFigure,
  processMemory,
  send,
  startHallChild,
  tail,
  tempDir,
} from './lib.ts';

const HEALTH_REQUESTS = 2000;
const STUCK = 5;
const KIOSKS = 4;
const TARGET_P99_MS = 50;
const TARGET_RSS_MB = 200;

/** Opens an event stream and never reads from it after the first bytes. */
async function stuckStream(url: string, path: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`);
  await new Promise((resolve) => socket.once('data', resolve));
  socket.pause();
  return socket;
}

export async function benchHealth(): Promise<BenchRow[]> {
  const dir = tempDir('health');
  const history = demoHallDb(join(dir.path, 'hall.sqlite'));
  const hall = await startHallChild(history.path, dir.path);
  const sockets: Socket[] = [];
  const agent = keepAliveAgent(KIOSKS + 1);
  let running = true;
  try {
    for (let i = 0; i < STUCK; i++) sockets.push(await stuckStream(hall.url, '/api/v1/events'));
    sockets.push(await stuckStream(hall.url, '/api/v1/events?lastEventId=0'));
    let issued = 0;
    const kiosk = async () => {
      while (running) {
        const answer = await send(agent, hall.url, 'POST', '/api/v1/tickets', {
          body: { serviceId: 'general', channel: 'reception' },
        });
        if (answer.status === 201) issued++;
      }
    };
    const kiosks = Array.from({ length: KIOSKS }, kiosk);
    let peakRss = processMemory(hall.pid).rss;
    let rssSamples = 1;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, processMemory(hall.pid).rss);
      rssSamples++;
    }, 100);
    const times: number[] = [];
    for (let i = 0; i < HEALTH_REQUESTS; i++) {
      const t0 = performance.now();
      const answer = await send(agent, hall.url, 'GET', '/api/v1/health');
      times.push(performance.now() - t0);
      if (answer.status !== 200) throw new Error(`/health answered ${answer.status}`);
    }
    running = false;
    await Promise.all(kiosks);
    clearInterval(sampler);
    peakRss = Math.max(peakRss, processMemory(hall.pid).rss);
    times.sort((a, b) => a - b);
    const slow = tail(times);
    return [
      {
        name: `/health, one request after another: ${STUCK} stuck streams + a resume from 0, ${KIOSKS} kiosks issuing, 8-week demo hall (${(history.events / 1000).toFixed(0)}k events)`,
        figure: `${latencyFigure(times)} (${count(issued)} tickets meanwhile)`,
        target: `p99 ≤ ${TARGET_P99_MS} ms`,
        ok: slow.label === 'p99' && slow.value <= TARGET_P99_MS,
      },
      {
        name: `  hall resident memory, peak of ${count(rssSamples)} samples during it (every 100 ms)`,
        figure: `${peakRss.toFixed(0)} MB`,
        target: `≤ ${TARGET_RSS_MB} MB`,
        ok: peakRss <= TARGET_RSS_MB,
      },
    ];
  } catch (error) {
    hall.assertAlive();
    throw error;
  } finally {
    running = false;
    for (const s of sockets) s.destroy();
    agent.destroy();
    await hall.stop();
    dir.remove();
  }
}
