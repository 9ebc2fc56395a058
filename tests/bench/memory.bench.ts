/**
 * Resident memory of a hall (its own child process) with 200 connected event streams: VmRSS from
 * /proc/<pid>/status once every stream has its snapshot and a few calls have gone out to all of them.
 * The figure includes the tsx loader, as the hall runs with `node --import tsx server/main.ts`.
 */
import { join } from 'node:path';
import {
  type BenchRow,
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
  const hall = await startHallChild(join(dir.path, 'hall.sqlite'), dir.path);
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
    for (let i = 0; i < 20; i++) {
      await expectStatus(
        send(agent, hall.url, 'POST', '/api/v1/tickets', {
          body: { serviceId: 'payments', channel: 'reception' },
        }),
        201,
        'issue',
      );
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
        name: `server resident memory (VmRSS) with ${CLIENTS} SSE clients`,
        figure: `${loaded.rss.toFixed(0)} MB`,
        target: `≤ ${TARGET_MB} MB`,
        ok: loaded.rss <= TARGET_MB,
      },
      {
        name: '  idle before the clients / peak (VmHWM)',
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
