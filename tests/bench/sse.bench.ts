/**
 * Call → SSE: a hall (child process) with 200 connected event streams; a staff member at counter 1 calls
 * 50 tickets one after the other. For every (call, client) pair: when did `ticket.called` reach the client,
 * compared with when the call's HTTP answer reached the caller?
 *
 * The hall publishes the event before it writes the HTTP answer, so the event usually arrives first and the
 * difference is negative; the target figure is the p99 of max(0, event − answer), i.e. how late a display
 * can be behind the counter terminal. The time from sending the call to the event is shown beside it.
 */
import { join } from 'node:path';
import {
  type BenchRow,
  expectStatus,
  keepAliveAgent,
  ms,
  percentile,
  send,
  signIn,
  startHallChild,
  tempDir,
} from './lib.ts';
import { connectSseClients } from './sse-clients.ts';

const CLIENTS = 200;
const CALLS = 50;

export async function benchCallToSse(): Promise<BenchRow[]> {
  const dir = tempDir('sse');
  const hall = await startHallChild(join(dir.path, 'hall.sqlite'), dir.path);
  const agent = keepAliveAgent(2);
  const streams = await connectSseClients(hall.url, CLIENTS).catch(async (error: unknown) => {
    await hall.stop();
    dir.remove();
    throw error;
  });
  try {
    const cookie = await signIn(agent, hall.url, 'staff1', 'demo-staff');
    await expectStatus(
      send(agent, hall.url, 'POST', '/api/v1/counters/1/open', { cookie }),
      200,
      'open counter 1',
    );

    const afterAnswer: number[] = [];
    const afterRequest: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      await expectStatus(
        send(agent, hall.url, 'POST', '/api/v1/tickets', {
          body: { serviceId: 'general', channel: 'reception' },
        }),
        201,
        'issue',
      );
      const sent = performance.now();
      const called = await expectStatus(
        send(agent, hall.url, 'POST', '/api/v1/counters/1/call', { cookie }),
        200,
        'call',
      );
      const answered = performance.now();
      const number = (JSON.parse(called.body) as { ticket: { number: string } }).ticket.number;
      const arrivals = await streams.calledEverywhere(number, 5000);
      for (const at of arrivals) {
        afterAnswer.push(at - answered);
        afterRequest.push(at - sent);
      }
      await expectStatus(
        send(agent, hall.url, 'POST', '/api/v1/counters/1/finish', { body: {}, cookie }),
        200,
        'finish',
      );
    }

    const late = afterAnswer.map((d) => Math.max(0, d)).sort((a, b) => a - b);
    const raw = [...afterAnswer].sort((a, b) => a - b);
    const fromRequest = afterRequest.sort((a, b) => a - b);
    const p99 = percentile(late, 99);
    return [
      {
        name: `call → SSE, ${CLIENTS} clients × ${CALLS} calls: p99 of max(0, event − HTTP answer)`,
        figure: ms(p99),
        target: '≤ 50 ms',
        ok: p99 <= 50,
      },
      {
        name: '  event − HTTP answer, p50 / p99 / max (negative: event first)',
        figure: `${ms(percentile(raw, 50))} / ${ms(percentile(raw, 99))} / ${ms(raw[raw.length - 1]!)}`,
        target: '—',
        ok: null,
      },
      {
        name: '  call request sent → event at client, p50 / p99',
        figure: `${ms(percentile(fromRequest, 50))} / ${ms(percentile(fromRequest, 99))}`,
        target: '—',
        ok: null,
      },
    ];
  } catch (error) {
    hall.assertAlive(); // a dead server explains an ECONNREFUSED
    throw error;
  } finally {
    streams.close();
    agent.destroy();
    await hall.stop();
    dir.remove();
  }
}
