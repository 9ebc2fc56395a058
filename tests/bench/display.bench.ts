/**
 * Call → wall display DOM in Chromium: a hall (child process, the production bundle) and the wall display
 * in headless Chromium; a staff member calls 50 tickets one after the other. For each call: from the
 * moment its HTTP answer reached the caller to the moment the number appeared in the display's DOM
 * (a MutationObserver in the page stamps Date.now(); both ends share the machine's clock).
 */
import { join } from 'node:path';
import { launchBrowser } from '../helpers/browser.ts';
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

const CALLS = 50;
const TARGET_P95_MS = 150;

export async function benchCallToDisplay(): Promise<BenchRow[]> {
  const dir = tempDir('display');
  const hall = await startHallChild(join(dir.path, 'hall.sqlite'), dir.path);
  const browser = await launchBrowser();
  const agent = keepAliveAgent(2);
  try {
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

    const delays: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      await expectStatus(
        send(agent, hall.url, 'POST', '/api/v1/tickets', {
          body: { serviceId: 'general', channel: 'reception' },
        }),
        201,
        'issue',
      );
      const called = await expectStatus(
        send(agent, hall.url, 'POST', '/api/v1/counters/1/call', { cookie }),
        200,
        'call',
      );
      const answeredAt = Date.now();
      const number = (JSON.parse(called.body) as { ticket: { number: string } }).ticket.number;
      const shownAt = await page.waitForFunction(
        (n) => (window as unknown as { __shownAt: Record<string, number> }).__shownAt[n],
        number,
        { timeout: 5_000 },
      );
      delays.push(Math.max(0, ((await shownAt.jsonValue()) as number) - answeredAt));
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
        name: `call answer → number in the wall display's DOM (Chromium), p95 of ${CALLS}`,
        figure: `${ms(p95)} (p50 ${ms(percentile(delays, 50))}, max ${ms(Math.max(...delays))})`,
        target: `≤ ${TARGET_P95_MS} ms`,
        ok: p95 <= TARGET_P95_MS,
      },
    ];
  } finally {
    agent.destroy();
    await browser.close();
    await hall.stop();
    dir.remove();
  }
}
