/**
 * The HQ pages in Chromium, on a real HQ fed by a real hall: sign in, the hall ranked with its own
 * figures, the attention list, a hall's detail, and a catalogue edited and published as a new version.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_HALL } from '../../server/config.ts';
import type { StatsSummary } from '../../server/contract/api.ts';
import type { RunningHall } from '../../server/main.ts';
import { launchBrowser, SCREENSHOTS } from '../helpers/browser.ts';
import { signInOnPage, tap } from '../helpers/e2e.ts';
import { hqClient, shipped, startTestHq, type TestHq } from '../helpers/hq.ts';
import { Client, startTestServer } from '../helpers/http.ts';

let test: TestHq;
let hall: RunningHall;
let browser: BrowserContext;
let own: StatsSummary;

beforeAll(async () => {
  test = await startTestHq({ now: Date.now, pages: true });
  const token = await test.addHall({ id: 'tianhe', name: '天河营业厅', region: 'guangzhou' });
  await test.addHall({ id: 'never-seen', name: '从未连接厅', region: 'shenzhen' });
  hall = await startTestServer({ settings: { hq: { url: test.hq.url, token } } });
  const staff = new Client(hall.url);
  expect((await staff.login('staff1')).status).toBe(200);
  expect((await staff.post('/api/v1/counters/1/open')).status).toBe(200);
  for (let i = 0; i < 4; i++)
    expect((await staff.post('/api/v1/tickets', { serviceId: 'general' })).status).toBe(201);
  for (let i = 0; i < 2; i++) {
    expect((await staff.post('/api/v1/counters/1/call')).status).toBe(200);
    expect((await staff.post('/api/v1/counters/1/finish', { rating: 5 })).status).toBe(200);
  }
  await shipped(hall);
  const manager = new Client(hall.url);
  expect((await manager.login('manager')).status).toBe(200);
  const today = (await manager.get('/api/v1/hall')).json.timeZone
    ? new Intl.DateTimeFormat('en-CA', { timeZone: DEMO_HALL.timeZone }).format(new Date())
    : '';
  own = (await manager.get(`/api/v1/stats/summary?from=${today}&to=${today}`)).json;
  const admin = await hqClient(test, { username: 'chief', role: 'hq' });
  const services = DEMO_HALL.services.map(
    ({ id, prefix, name, category, waitTargetMinutes, selfService }) => ({
      ...{ id, prefix, name, category, waitTargetMinutes, selfService },
    }),
  );
  expect((await admin.post('/hq/v1/catalogue', { region: 'guangzhou', services })).status).toBe(201);
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await hall?.close();
  await test?.stop();
});

/** A new tab, signed out: each test signs in for itself. */
async function open(path: string): Promise<Page> {
  await browser.clearCookies();
  const page = await browser.newPage();
  await page.setViewportSize({ width: 1440, height: 1000 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('close', () => expect(errors).toEqual([]));
  await page.goto(test.hq.url + path);
  return page;
}

describe('the HQ pages in Chromium', () => {
  it('rank the hall with its own figures, list what needs attention, and open a hall’s detail', async () => {
    const page = await open('/hq/');
    await signInOnPage(page, 'chief', 'chief-password');
    const row = page.locator('table.ranking').nth(1).locator('tr', { hasText: '天河营业厅' });
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    expect(cells[3]).toBe(String(own.tickets));
    expect(cells[4]).toBe(own.withinTargetPct === null ? '—' : `${own.withinTargetPct}%`);
    expect(cells[9]).toContain('在线');
    await page.locator('.attention li', { hasText: '从未连接厅' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'hq-overview.png') });

    await row.getByRole('link', { name: '天河营业厅' }).click();
    await page.locator('dl.link').waitFor();
    await page.locator('.kpis').waitFor();
    expect(await page.locator('.kpis').textContent()).toContain(String(own.served));
    await page.screenshot({ path: join(SCREENSHOTS, 'hq-hall.png') });
    await page.close();
  });

  it('publishes an edited catalogue as the next version', async () => {
    const page = await open('/hq/#catalogue');
    await signInOnPage(page, 'chief', 'chief-password');
    const general = page.getByLabel('业务办理 General business');
    await general.fill('12');
    await general.dispatchEvent('change');
    await tap(page, /发布为 v2/);
    await page.getByText('已发布 v2 / Published v2').waitFor();
    await page.getByText(/v2 ·/).waitFor();
    await page.close();
  });
});
