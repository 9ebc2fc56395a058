/**
 * Call → SSE: the demo hall with its eight weeks of history (a child process) and 200 connected event
 * streams; staff at counter 1 call 50 tickets one after the other from a queue kept at 30 waiting, so
 * that every event carries the live queue figures a hall sends.
 *
 * For every (call, client) pair: from the call's durable commit (`committedAt`, which the hall stamps in
 * its live events) to the moment the client received the `ticket.called` event, both read from the
 * machine's wall clock. Nothing is clamped: what the figure holds is the hall's work after the commit
 * (queue figures, forecasts), the publishing, the 200 writes and the reading. The 200 clients share this
 * one process, so the last of them to be read also waits for the others' reading, as it would not on
 * 200 screens; the spread from first to last is shown.
 */
import { join } from 'node:path';
import {
  type BenchRow,
  count,
  demoHallDb,
  expectStatus,
  keepAliveAgent,
  latencyFigure,
  ms,
  percentile,
  send,
  signIn,
  startHallChild,
  tail,
  tempDir,
} from './lib.ts';
import { connectSseClients } from './sse-clients.ts';

const CLIENTS = 200;
const CALLS = 50;
const WAITING = 30;
const TARGET_P99_MS = 50;

export async function benchCallToSse(): Promise<BenchRow[]> {
  const dir = tempDir('sse');
  const hall = await startHallChild(demoHallDb(join(dir.path, 'hall.sqlite')).path, dir.path);
  const agent = keepAliveAgent(2);
  const streams = await connectSseClients(hall.url, CLIENTS).catch(async (error: unknown) => {
    await hall.stop();
    dir.remove();
    throw error;
  });
  const issue = () =>
    expectStatus(
      send(agent, hall.url, 'POST', '/api/v1/tickets', {
        body: { serviceId: 'general', channel: 'reception' },
      }),
      201,
      'issue',
    );
  try {
    const cookie = await signIn(agent, hall.url, 'staff1', 'demo-staff');
    await expectStatus(
      send(agent, hall.url, 'POST', '/api/v1/counters/1/open', { cookie }),
      200,
      'open counter 1',
    );
    for (let i = 0; i < WAITING; i++) await issue();

    const fromCommit: number[] = [];
    const fromRequest: number[] = [];
    const spread: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      await issue(); // one joins as one is called: the queue stays at 30
      const sent = Date.now();
      const called = await expectStatus(
        send(agent, hall.url, 'POST', '/api/v1/counters/1/call', { cookie }),
        200,
        'call',
      );
      const number = (JSON.parse(called.body) as { ticket: { number: string } }).ticket.number;
      const arrivals = await streams.calledEverywhere(number, 5000);
      for (const { committedAt, receivedAt } of arrivals) {
        fromCommit.push(receivedAt - committedAt);
        fromRequest.push(receivedAt - sent);
      }
      const received = arrivals.map((a) => a.receivedAt);
      spread.push(Math.max(...received) - Math.min(...received));
      await expectStatus(
        send(agent, hall.url, 'POST', '/api/v1/counters/1/finish', { body: {}, cookie }),
        200,
        'finish',
      );
    }

    const sorted = fromCommit.sort((a, b) => a - b);
    const late = tail(sorted);
    spread.sort((a, b) => a - b);
    return [
      {
        name: `call → SSE: committed → received, ${CLIENTS} clients × ${CALLS} calls, 8-week demo hall, ${WAITING} waiting`,
        figure: latencyFigure(sorted),
        target: `p99 ≤ ${TARGET_P99_MS} ms`,
        ok: late.label === 'p99' && late.value <= TARGET_P99_MS,
      },
      {
        name: '  the call request sent → received, the same pairs',
        figure: latencyFigure(fromRequest.sort((a, b) => a - b)),
        target: '—',
        ok: null,
      },
      {
        name: `  first to last of the ${CLIENTS} clients, per call`,
        figure: `p50 ${ms(percentile(spread, 50))}, max ${ms(spread.at(-1)!)} of ${count(spread.length)}`,
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
