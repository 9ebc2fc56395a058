/**
 * Call → wall display DOM in Chromium: the demo hall with its eight weeks of history (child process, the
 * production bundle) and the wall display in headless Chromium; staff at counter 1 call 200 tickets one
 * after the other from a queue kept at 30 waiting. For each call: from its durable commit (`committedAt`,
 * stamped in the live `ticket.called` event, read by an event stream in this process) to the moment the
 * number appeared in the display's DOM (a MutationObserver in the page stamps Date.now()). Both are the
 * machine's wall clock, so nothing is clamped and nothing of this process's HTTP client is in the figure.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser } from '../helpers/browser.ts';
import {
  type BenchRow,
  count,
  demoHallDb,
  expectStatus,
  keepAliveAgent,
  ms,
  percentile,
  ROOT,
  send,
  signIn,
  startHallChild,
  tempDir,
} from './lib.ts';
import { connectSseClients, type SseClients } from './sse-clients.ts';

const CALLS = 200;
const WAITING = 30;
const TARGET_P95_MS = 150;

export async function benchCallToDisplay(): Promise<BenchRow[]> {
  // The hall serves the built pages: without them there is no display to time.
  if (!existsSync(join(ROOT, 'dist', 'display', 'wall', 'index.html')))
    return [
      {
        name: 'call → wall display in Chromium',
        figure: 'not built: run `npx vite build` (or `npm start`) first',
        target: `p95 ≤ ${TARGET_P95_MS} ms`,
        ok: null,
      },
    ];
  const dir = tempDir('display');
  const hall = await startHallChild(demoHallDb(join(dir.path, 'hall.sqlite')).path, dir.path);
  const browser = await launchBrowser();
  const agent = keepAliveAgent(2);
  let stream: SseClients | null = null;
  const issue = () =>
    expectStatus(
      send(agent, hall.url, 'POST', '/api/v1/tickets', {
        body: { serviceId: 'general', channel: 'reception' },
      }),
      201,
      'issue',
    );
  try {
    stream = await connectSseClients(hall.url, 1);
    const page = await browser.newPage();
    await page.goto(`${hall.url}/display/?voice=off`);
    await page.locator('.clock').waitFor();
    // Only inline arrow functions here: a named one would carry tsx's `__name` helper into the page.
    await page.evaluate(() => {
      const shown: Record<string, number> = {};
      Object.assign(window, { __shownAt: shown });
      new MutationObserver(() => {
        for (const n of document.querySelectorAll('.current-number')) {
          const text = n.textContent?.trim() ?? '';
          if (text && !(text in shown)) shown[text] = Date.now();
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const cookie = await signIn(agent, hall.url, 'staff1', 'demo-staff');
    await expectStatus(send(agent, hall.url, 'POST', '/api/v1/counters/1/open', { cookie }), 200, 'open');
    for (let i = 0; i < WAITING; i++) await issue();

    const delays: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      await issue(); // one joins as one is called: the queue stays at 30
      const called = await expectStatus(
        send(agent, hall.url, 'POST', '/api/v1/counters/1/call', { cookie }),
        200,
        'call',
      );
      const number = (JSON.parse(called.body) as { ticket: { number: string } }).ticket.number;
      const [event] = await stream.calledEverywhere(number, 5_000);
      const shownAt = await page.waitForFunction(
        (n) => (window as unknown as { __shownAt: Record<string, number> }).__shownAt[n],
        number,
        { timeout: 5_000 },
      );
      delays.push(((await shownAt.jsonValue()) as number) - event!.committedAt);
      await expectStatus(
        send(agent, hall.url, 'POST', '/api/v1/counters/1/finish', { cookie }),
        200,
        'finish',
      );
    }
    delays.sort((a, b) => a - b);
    const p95 = percentile(delays, 95);
    return [
      {
        name: `call → wall display: committed → number in the DOM (Chromium), 8-week demo hall, ${WAITING} waiting`,
        figure: `p50 ${ms(percentile(delays, 50))}, p95 ${ms(p95)}, max ${ms(delays.at(-1)!)} of ${count(delays.length)}`,
        target: `p95 ≤ ${TARGET_P95_MS} ms`,
        ok: p95 <= TARGET_P95_MS,
      },
    ];
  } finally {
    stream?.close();
    agent.destroy();
    await browser.close();
    await hall.stop();
    dir.remove();
  }
}
