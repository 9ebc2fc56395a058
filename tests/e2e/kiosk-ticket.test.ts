/**
 * The kiosk and the phone page in Chromium against the real server (demo hall, simulated printer):
 * a ticket in Chinese at a portrait kiosk and in English at a landscape one, elderly mode, the idle
 * reset, and the phone page following a ticket to its call. Screenshots of every screen are saved (not
 * committed) for a person to look at.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHall } from '../../server/main.ts';
import { launchBrowser, SCREENSHOTS } from '../helpers/browser.ts';
import { Client, startTestServer } from '../helpers/http.ts';

const PORTRAIT = { width: 1080, height: 1920 };
const LANDSCAPE = { width: 1920, height: 1080 };
const PHONE = { width: 390, height: 844 };

let hall: RunningHall;
let browser: BrowserContext;

beforeAll(async () => {
  hall = await startTestServer({ pages: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchBrowser();
});

// Each open page holds an event stream, and Chromium allows six connections per host: close them.
afterEach(async () => {
  for (const page of browser.pages()) await page.close();
});

afterAll(async () => {
  await browser?.close();
  await hall?.close();
});

/** A new page (its own tab: no state shared with the last one) at a screen size. */
async function open(path: string, viewport: { width: number; height: number }): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewportSize(viewport);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('close', () => expect(errors).toEqual([]));
  await page.goto(hall.url + path);
  return page;
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `kiosk-${name}.png`) });
const tap = (page: Page, name: string | RegExp) => page.getByRole('button', { name }).first().click();

describe('kiosk in Chromium', () => {
  it('issues a ticket in Chinese at a portrait kiosk, with the phone QR', async () => {
    const page = await open('/kiosk/?kiosk=k1', PORTRAIT);
    await page.getByText('您好，欢迎光临').waitFor();
    await shot(page, 'portrait-zh-1-attract');
    await tap(page, /^取号/);
    await shot(page, 'portrait-zh-2-categories');
    await tap(page, /^业务办理/);
    await shot(page, 'portrait-zh-3-services');
    await tap(page, /^业务办理/);
    await shot(page, 'portrait-zh-4-identify');
    await tap(page, '跳过');
    await shot(page, 'portrait-zh-5-confirm');
    await tap(page, '确认取号');
    await page.getByText('请留意叫号').waitFor();
    await shot(page, 'portrait-zh-6-done');
    expect(await page.locator('.ticket-number').textContent()).toMatch(/^A\d{3}$/);
    const qr = await page.locator('svg.qr').getAttribute('data-value');
    expect(qr).toMatch(new RegExp(`^${hall.url}/t/[A-Za-z0-9_-]{22}$`));
    await tap(page, '完成');
    await page.getByText('您好，欢迎光临').waitFor();
  });

  it('issues a ticket in English at a landscape kiosk, offering self-service first for payments', async () => {
    const page = await open('/kiosk/?kiosk=k1', LANDSCAPE);
    await page.getByText('您好，欢迎光临').waitFor();
    await tap(page, 'English');
    await page.getByText('Welcome', { exact: true }).waitFor();
    await shot(page, 'landscape-en-1-attract');
    await tap(page, /^Take a ticket/);
    await tap(page, /^Payments and top-up/);
    await tap(page, /^Payments & top-up/);
    await page.getByText('You can do this here yourself').waitFor();
    await shot(page, 'landscape-en-2-self-service-offer');
    await tap(page, 'I still want a ticket');
    await tap(page, 'Skip');
    await tap(page, 'Get my ticket');
    await page.getByText('Please watch the display').waitFor();
    await shot(page, 'landscape-en-3-done');
    expect(await page.locator('.ticket-number').textContent()).toMatch(/^B\d{3}$/);
  });

  it('in elderly mode goes straight to the services in large, high-contrast type, and speaks', async () => {
    const page = await open('/kiosk/', PORTRAIT);
    // The prompts are observed as the clips the page fetches from the voice pack, not as sound.
    const clips: string[] = [];
    page.on('requestfinished', (request) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith('/voice/')) clips.push(path);
    });
    const fetched = (path: string) => expect.poll(() => clips, { timeout: 10_000 }).toContain(path);
    await tap(page, /^长辈模式/);
    await shot(page, 'portrait-elderly-1-attract');
    expect(clips).toEqual([]);
    await tap(page, /^取号/);
    await page.getByText('请选择业务').waitFor();
    await shot(page, 'portrait-elderly-2-services');
    expect(await page.locator('.kiosk.elderly').count()).toBe(1);
    await fetched('/voice/prompts/zh/choose-service.wav');
    await tap(page, /^业务办理/);
    await tap(page, '跳过');
    await fetched('/voice/prompts/zh/confirm.wav');
    await tap(page, '确认取号');
    await page.getByText('请留意叫号').waitFor();
    await shot(page, 'portrait-elderly-3-done');
    const number = (await page.locator('.ticket-number').textContent()) ?? '';
    // 这是您的号码 A零零一，请留意叫号: the number letter by letter and digit by digit, as on the wall.
    await fetched('/voice/prompts/zh/wait-for-call.wav');
    expect(clips).toContain('/voice/prompts/zh/your-number.wav');
    for (const ch of number.toLowerCase())
      expect(clips).toContain(/\d/.test(ch) ? `/voice/zh/${ch}.wav` : `/voice/zh/letter-${ch}.wav`);
    expect(clips.every((c) => !c.includes('/en/'))).toBe(true);
  });

  it('asks "still there?" when left alone, then returns home with nothing kept', async () => {
    const page = await open('/kiosk/?idle=1', LANDSCAPE);
    await tap(page, /^取号/);
    await tap(page, 'English');
    await page.getByText('Still there?').waitFor({ timeout: 5_000 });
    await shot(page, 'landscape-still-there');
    await page.getByText('您好，欢迎光临').waitFor({ timeout: 15_000 });
  });
});

describe('phone page in Chromium', () => {
  it('follows a ticket to its call and says where to go', async () => {
    const kiosk = new Client(hall.url);
    const issued = await kiosk.post('/api/v1/tickets', { serviceId: 'general' });
    expect(issued.status).toBe(201);
    // Headless Chromium says en-US, so the page starts in English.
    const phone = await open(issued.json.trackUrl, PHONE);
    await phone.getByText(issued.json.number).waitFor();
    await phone.getByText('Live', { exact: true }).waitFor();
    await shot(phone, 'phone-1-waiting');

    const staff = new Client(hall.url);
    await staff.login('staff1');
    expect((await staff.post('/api/v1/counters/1/open', {})).status).toBe(200);
    // Earlier tests left tickets that counter 1 may serve first: finish them until ours is called.
    for (;;) {
      const call = await staff.post('/api/v1/counters/1/call', {});
      expect(call.status).toBe(200);
      if (call.json.ticket.number === issued.json.number) break;
      expect((await staff.post('/api/v1/counters/1/finish', {})).status).toBe(200);
    }
    await phone.getByText('Please go to counter 1').waitFor({ timeout: 5_000 });
    await shot(phone, 'phone-2-called');
    await tap(phone, '中文');
    await phone.getByText('请到 1号窗口').waitFor();
  });

  it('cancels a ticket after a confirmation', async () => {
    const kiosk = new Client(hall.url);
    const issued = await kiosk.post('/api/v1/tickets', { serviceId: 'devices' });
    const phone = await open(issued.json.trackUrl, PHONE);
    await phone.getByText(issued.json.number).waitFor();
    await tap(phone, 'Cancel my ticket');
    await shot(phone, 'phone-3-cancel-confirm');
    await tap(phone, 'Yes, cancel it');
    await phone.getByText('This ticket is cancelled').waitFor();
    await shot(phone, 'phone-4-cancelled');
  });
});
