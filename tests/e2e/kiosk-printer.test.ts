/**
 * Printer trouble never strands a customer: with the (simulated) ticket printer out of paper, the kiosk
 * still issues the ticket, says the paper did not come out, and shows the number with the phone QR.
 */
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningHall } from '../../server/main.ts';
import { launchBrowser, SCREENSHOTS } from '../helpers/browser.ts';
import { Client, startTestServer } from '../helpers/http.ts';

let hall: RunningHall;
let browser: BrowserContext;

beforeAll(async () => {
  hall = await startTestServer({ pages: true });
  browser = await launchBrowser({ width: 1080, height: 1920 });
});

afterAll(async () => {
  await browser?.close();
  await hall?.close();
});

it('shows the ticket with its phone QR when the printer is out of paper', async () => {
  const manager = new Client(hall.url);
  await manager.login('manager');
  const paperOut = { action: 'printer', paperOut: true, paperNearEnd: false, coverOpen: false };
  expect((await manager.post('/api/v1/demo/devices/printer', paperOut)).status).toBe(200);

  const page = await browser.newPage();
  await page.goto(`${hall.url}/kiosk/?kiosk=k1`);
  const tap = (name: string | RegExp) => page.getByRole('button', { name }).first().click();
  await page.getByText('您好，欢迎光临').waitFor();
  await tap(/^取号/);
  await tap(/^业务办理/);
  await tap(/^业务办理/);
  await tap('跳过');
  await tap('确认取号');
  await page.getByText('打印机未能出票，但您的号码有效', { exact: false }).waitFor();
  const number = await page.locator('.ticket-number').textContent();
  expect(number).toMatch(/^A\d{3}$/);
  const qr = await page.locator('svg.qr').getAttribute('data-value');
  expect(qr).toMatch(new RegExp(`^${hall.url}/t/[A-Za-z0-9_-]{22}$`));
  await page.screenshot({ path: join(SCREENSHOTS, 'kiosk-printer-out-of-paper.png') });

  // The ticket exists and waits, and the printer's state is in the health answer.
  const ticket = await manager.get(`/api/v1/tickets/${qr!.split('/t/')[1]}`);
  expect(ticket.json).toMatchObject({
    number,
    status: 'waiting',
    print: 'failed',
    printProblem: 'paper-out',
  });
  const health = await manager.get('/api/v1/health');
  expect(health.json.devices).toContainEqual(expect.objectContaining({ id: 'printer', status: 'paper-out' }));
});
