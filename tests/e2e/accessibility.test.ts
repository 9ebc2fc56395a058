/**
 * Every page and major state, checked by axe-core in Chromium against the real server: no serious or
 * critical violation — kiosk (first screen in both layouts, ticket done, elderly mode, self-service),
 * phone tracking, booking, the wall (also mid-blink of a call), the counter (signed in, rating dialog)
 * and the manager (live, history with two weeks of history, configuration). Touch targets on the
 * kiosk, the counter and the phone are at least 44 px. Screenshots are saved (not committed).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoHistoryFile } from '../../scripts/demo-history.ts';
import type { RunningHall } from '../../server/main.ts';
import { expectNoSeriousViolations, expectTouchTargets } from '../helpers/accessibility.ts';
import { launchBrowser, SCREENSHOTS } from '../helpers/browser.ts';
import { signInOnPage, tap } from '../helpers/e2e.ts';
import { Client, startTestServer } from '../helpers/http.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const PORTRAIT = { width: 1080, height: 1920 };
const LANDSCAPE = { width: 1920, height: 1080 };
const PHONE = { width: 390, height: 844 };
const DESK = { width: 1366, height: 900 };

let hall: RunningHall;
let browser: BrowserContext;

beforeAll(async () => {
  // Two weeks of a hall, so the manager's history has its charts and heatmap to check.
  const dbPath = join(tempDir(), 'hall.sqlite');
  writeDemoHistoryFile(dbPath, { days: 14 });
  hall = await startTestServer({ pages: true, settings: { dbPath } });
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchBrowser();
});
afterEach(async () => {
  for (const page of browser.pages()) await page.close();
});
afterAll(async () => {
  await browser?.close();
  await hall?.close();
});

async function open(path: string, viewport: { width: number; height: number }): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewportSize(viewport);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // A refusal the screen could have seen coming is a console error in Chromium ("Failed to load
  // resource: … 409"): none of these walks provokes one. The staff pages' session probe is the one
  // answer they cannot foresee (401 from GET /auth/me before signing in).
  page.on('console', (m) => {
    const url = m.location().url;
    if (m.type() === 'error' && !url.endsWith('/api/v1/auth/me')) errors.push(`${m.text()} ${url}`);
  });
  page.on('close', () => expect(errors, path).toEqual([]));
  await page.goto(hall.url + path);
  return page;
}

/** axe over the state on screen, and a screenshot of it. */
async function check(page: Page, name: string) {
  await page.screenshot({ path: join(SCREENSHOTS, `a11y-${name}.png`), fullPage: true });
  await expectNoSeriousViolations(page, name);
}

const signedIn = async (username: string) => {
  const client = new Client(hall.url);
  expect((await client.login(username)).status).toBe(200);
  return client;
};

describe('accessibility (axe-core, Chromium)', () => {
  it('kiosk: the first screen in both layouts, a ticket, elderly mode and self-service', async () => {
    for (const [layout, size] of [
      ['portrait', PORTRAIT],
      ['landscape', LANDSCAPE],
    ] as const) {
      const page = await open('/kiosk/?kiosk=k1', size);
      await page.getByText('您好，欢迎光临').waitFor();
      await check(page, `kiosk-${layout}-attract`);
      await expectTouchTargets(page, `kiosk ${layout}`);
      await tap(page, /^业务办理/);
      await page.getByText('请留意叫号').waitFor();
      await check(page, `kiosk-${layout}-done`);
      await expectTouchTargets(page, `kiosk ${layout} done`);
      await page.close();
    }
    const elderly = await open('/kiosk/?kiosk=k1', LANDSCAPE);
    await tap(elderly, /^长辈模式/);
    await elderly.locator('.kiosk.elderly').waitFor();
    await check(elderly, 'kiosk-elderly');
    await expectTouchTargets(elderly, 'kiosk elderly');
    // One page per kiosk: a second k1 on its first screen would take the card read below.
    await elderly.close();

    const self = await open('/kiosk/?kiosk=k1', PORTRAIT);
    await tap(self, /^自助办理/);
    await self.getByText('请识别身份').waitFor();
    await check(self, 'kiosk-self-service-identify');
    const manager = await signedIn('manager');
    const card = { name: '张伟', idNumber: '110101199001010011' };
    expect((await manager.post('/api/v1/demo/kiosks/k1/id-card', card)).status).toBe(201);
    await self.getByText('账户余额').waitFor();
    await check(self, 'kiosk-self-service-menu');
    await expectTouchTargets(self, 'kiosk self-service');
  });

  it('phone: tracking a ticket, with its alerts and text panels, and booking', async () => {
    const issued = await new Client(hall.url).post('/api/v1/tickets', { serviceId: 'broadband' });
    for (let i = 0; i < 4; i++)
      await new Client(hall.url).post('/api/v1/tickets', { serviceId: 'broadband' });
    const last = await new Client(hall.url).post('/api/v1/tickets', { serviceId: 'broadband' });
    const phone = await open(last.json.trackUrl, PHONE);
    await phone.getByText('Live', { exact: true }).waitFor();
    await phone.locator('.track-panel').first().waitFor();
    await check(phone, 'phone-tracking');
    await expectTouchTargets(phone, 'phone tracking');
    const first = await open(issued.json.trackUrl, PHONE);
    await first.getByText('Live', { exact: true }).waitFor();
    await check(first, 'phone-tracking-first');

    const book = await open('/book/', PHONE);
    await book.getByText('1. Choose a service').waitFor();
    await check(book, 'phone-book-services');
    await tap(book, 'General business');
    await book.getByText('2. Choose a day and time').waitFor();
    await book.locator('.book-slots, .book-card > p:not(.problem)').first().waitFor();
    await check(book, 'phone-book-slots');
    await expectTouchTargets(book, 'phone booking');
  });

  it('wall: waiting figures, and a call in the yellow frames of its blink', async () => {
    const wall = await open('/display/?voice=off', LANDSCAPE);
    await wall.locator('.current.idle').waitFor();
    await check(wall, 'wall-idle');
    const staff = await signedIn('staff3');
    await new Client(hall.url).post('/api/v1/tickets', { serviceId: 'devices' });
    expect((await staff.post('/api/v1/counters/3/open')).status).toBe(200);
    expect((await staff.post('/api/v1/counters/3/call')).status).toBe(200);
    await wall.locator('.current.blink').waitFor();
    // Held in the second half of a blink cycle (0.9 s): the yellow frame.
    await wall.evaluate(() => {
      for (const animation of document.getAnimations()) {
        animation.pause();
        animation.currentTime = 600;
      }
    });
    expect(await wall.locator('.current').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe(
      'rgb(255, 210, 63)',
    );
    await check(wall, 'wall-mid-blink');
  });

  it('counter: signed in at a counter, and the rating dialog', async () => {
    await new Client(hall.url).post('/api/v1/tickets', { serviceId: 'complaints' });
    const page = await open('/counter/', DESK);
    await page.getByLabel('工号').fill('staff6');
    await page.getByLabel('密码').fill('demo-staff');
    await check(page, 'counter-sign-in');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('button', { name: /^6号窗口/ }).click();
    await page.locator('.action').first().waitFor();
    await page.keyboard.press('o');
    await page.locator('.action.call').click();
    await page.locator('.customer .number').waitFor();
    await check(page, 'counter-working');
    await expectTouchTargets(page, 'counter');
    await page.locator('.action.finish').click();
    await page.getByRole('dialog').waitFor();
    await check(page, 'counter-rating-dialog');
    await expectTouchTargets(page, 'counter rating dialog');
    // Enter after the click finishes without a rating.
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.locator('.last-finished').waitFor();
  });

  it('manager: live, history and configuration', async () => {
    const page = await open('/manager/', DESK);
    await signInOnPage(page);
    await page.getByRole('heading', { name: /今日概况/ }).waitFor();
    await check(page, 'manager-live');
    await page.getByRole('link', { name: /历史统计/ }).click();
    await tap(page, /近30天/);
    // The heatmap over the two weeks: every weekday has its arrivals.
    await expect.poll(() => page.locator('table.heatmap td[title]:not(:empty)').count()).toBeGreaterThan(50);
    await check(page, 'manager-history');
    await page.getByRole('link', { name: /配置/ }).click();
    await page.getByRole('heading', { name: /业务/ }).first().waitFor();
    await check(page, 'manager-config');
  });
});
