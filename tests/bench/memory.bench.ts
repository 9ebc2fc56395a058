/**
 * Resident memory of the demo hall as `npm start` makes it — the production bundle on plain node, with
 * its eight weeks of history (which it reads to forecast) — with 200 connected event streams: VmRSS from
 * /proc/<pid>/status once every stream has its snapshot and 20 calls from a queue of 30 have gone out to
 * all of them.
 */
import { join } from 'node:path';
import {
  type BenchRow,
  demoHallDb,
  expectStatus,
  keepAliveAgent,
  processMemory as memory,
  send,
  signIn,
  sleep,
  startHallChild,
  tempDir,
} from './lib.ts';
import { connectSseClients } from './sse-clients.ts';

const CLIENTS = 200;
const WAITING = 30;
const CALLS = 20;
const TARGET_MB = 150;

export async function benchMemory(): Promise<BenchRow[]> {
  if (process.platform !== 'linux')
    return [
      {
        name: 'server memory',
        figure: 'skipped: needs /proc (Linux)',
        target: `≤ ${TARGET_MB} MB`,
        ok: null,
      },
    ];
  const dir = tempDir('memory');
  const hall = await startHallChild(demoHallDb(join(dir.path, 'hall.sqlite')).path, dir.path);
  const agent = keepAliveAgent(2);
  let streams: Awaited<ReturnType<typeof connectSseClients>> | null = null;
  try {
    await sleep(300);
    const idle = memory(hall.pid);
    streams = await connectSseClients(hall.url, CLIENTS);
    const cookie = await signIn(agent, hall.url, 'staff2', 'demo-staff');
    await expectStatus(
      send(agent, hall.url, 'POST', '/api/v1/counters/2/open', { cookie }),
      200,
      'open counter 2',
    );
    const issue = () =>
      expectStatus(
        send(agent, hall.url, 'POST', '/api/v1/tickets', {
          body: { serviceId: 'payments', channel: 'reception' },
        }),
        201,
        'issue',
      );
    for (let i = 0; i < WAITING; i++) await issue();
    for (let i = 0; i < CALLS; i++) {
      await issue();
      const called = await expectStatus(
        send(agent, hall.url, 'POST', '/api/v1/counters/2/call', { cookie }),
        200,
        'call',
      );
      await streams.calledEverywhere(
        (JSON.parse(called.body) as { ticket: { number: string } }).ticket.number,
        5000,
      );
      await expectStatus(
        send(agent, hall.url, 'POST', '/api/v1/counters/2/finish', { body: {}, cookie }),
        200,
        'finish',
      );
    }
    await sleep(500);
    const loaded = memory(hall.pid);
    return [
      {
        name: `server resident memory (VmRSS), 8-week demo hall, ${CLIENTS} SSE clients, after ${CALLS} calls`,
        figure: `${loaded.rss.toFixed(0)} MB`,
        target: `≤ ${TARGET_MB} MB`,
        ok: loaded.rss <= TARGET_MB,
      },
      {
        name: '  idle before the clients (300 ms after start) / peak (VmHWM)',
        figure: `${idle.rss.toFixed(0)} MB / ${loaded.peak.toFixed(0)} MB`,
        target: '—',
        ok: null,
      },
    ];
  } catch (error) {
    hall.assertAlive(); // a dead server explains an ECONNREFUSED
    throw error;
  } finally {
    streams?.close();
    agent.destroy();
    await hall.stop();
    dir.remove();
  }
}
