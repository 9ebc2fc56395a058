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

/** Touches the first button with this name, and counts the touch. */
function toucher(page: Page) {
  let touches = 0;
  return {
    touch: async (name: string | RegExp) => {
      touches++;
      await tap(page, name);
    },
    count: () => touches,
  };
}

describe('kiosk in Chromium', () => {
  it.each([
    ['portrait', 'zh', PORTRAIT],
    ['portrait', 'en', PORTRAIT],
    ['landscape', 'zh', LANDSCAPE],
    ['landscape', 'en', LANDSCAPE],
  ] as const)(
    'a first-time customer takes a walk-in ticket in two touches at most: %s, %s',
    async (layout, lang, size) => {
      const page = await open('/kiosk/?kiosk=k1', size);
      await page.getByText('您好，欢迎光临').waitFor();
      const { touch, count } = toucher(page);
      if (lang === 'en') {
        await touch('English');
        await page.getByText('Welcome', { exact: true }).waitFor();
      }
      await shot(page, `${layout}-${lang}-1-attract`);
      await touch(lang === 'zh' ? /^业务办理/ : /^General business/);
      await page.getByText(lang === 'zh' ? '请留意叫号' : 'Please watch the display').waitFor();
      await shot(page, `${layout}-${lang}-2-done`);
      expect(count()).toBeLessThanOrEqual(2);
      expect(await page.locator('.ticket-number').textContent()).toMatch(/^A\d{3}$/);
      // No counter is open in this hall: the ticket says so instead of promising a time.
      const card = (await page.locator('.ticket-card').textContent()) ?? '';
      expect(card).toMatch(lang === 'zh' ? /该业务窗口暂未开放/ : /No counter for this is open yet/);
      expect(card).not.toMatch(/下一位|即将叫号|约 0 分钟|You are next|Any moment/);
      const qr = await page.locator('svg.qr').getAttribute('data-value');
      expect(qr).toMatch(new RegExp(`^${hall.url}/t/[A-Za-z0-9_-]{22}$`));
      await tap(page, lang === 'zh' ? '完成' : 'Done');
      await page.getByText(lang === 'zh' ? '您好，欢迎光临' : 'Welcome', { exact: true }).waitFor();
    },
  );

  it('offers self-service first for payments: one more touch for a ticket', async () => {
    const page = await open('/kiosk/?kiosk=k1', LANDSCAPE);
    await page.getByText('您好，欢迎光临').waitFor();
    const { touch, count } = toucher(page);
    await touch('English');
    await touch(/^Payments & top-up/);
    await page.getByText('You can do this here yourself').waitFor();
    await shot(page, 'landscape-en-self-service-offer');
    await touch('I still want a ticket');
    await page.getByText('Please watch the display').waitFor();
    expect(count()).toBe(3);
    expect(await page.locator('.ticket-number').textContent()).toMatch(/^B\d{3}$/);
  });

  it('in elderly mode shows every service in large, high-contrast type, speaks, and fits 1920×1080', async () => {
    const page = await open('/kiosk/', LANDSCAPE);
    // The prompts are observed as the clips the page fetches from the voice pack, not as sound.
    const clips: string[] = [];
    page.on('requestfinished', (request) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith('/voice/')) clips.push(path);
    });
    const fetched = (path: string) => expect.poll(() => clips, { timeout: 10_000 }).toContain(path);
    await tap(page, /^长辈模式/);
    await shot(page, 'landscape-elderly-1-attract');
    expect(await page.locator('.kiosk.elderly').count()).toBe(1);
    await fetched('/voice/prompts/zh/choose-service.wav');
    // Every service and the other ways forward are in view, nothing cut off below the screen.
    for (const tile of await page.locator('.tile, .attract-more .btn').all()) {
      const box = (await tile.boundingBox())!;
      expect(box.y + box.height).toBeLessThanOrEqual(LANDSCAPE.height);
    }
    expect(await page.locator('.tile').count()).toBe(8);
    await tap(page, /^业务办理/);
    await page.getByText('请留意叫号').waitFor();
    await shot(page, 'landscape-elderly-2-done');
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
    await tap(page, '手机号识别');
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
    // Headless Chromium says en-US, so the page starts in English. Notifications allowed, as after a yes.
    await browser.grantPermissions(['notifications'], { origin: hall.url });
    const phone = await open(issued.json.trackUrl, PHONE);
    const clips: string[] = [];
    phone.on('requestfinished', (request) => clips.push(new URL(request.url()).pathname));
    await phone.getByText(issued.json.number).waitFor();
    await phone.getByText('Live', { exact: true }).waitFor();
    await shot(phone, 'phone-1-waiting');
    // One tap turns sound and notifications on; the chime plays once to be heard.
    await tap(phone, 'Turn on sound and notifications');
    await phone.getByText(/On: this page chimes and vibrates/).waitFor();
    expect(await phone.getByText('Notifications are on too.').count()).toBe(1);
    await expect.poll(() => clips).toContain('/voice/chime.wav');
    await shot(phone, 'phone-1b-alerts-on');

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
    expect(await phone.title()).toBe(`${issued.json.number}: go to counter 1`);
    await shot(phone, 'phone-2-called');
    await tap(phone, '中文');
    await phone.getByText('请到 1号窗口').waitFor();
  });

  it('texts the holder who asked, through the outbox, when three people are ahead', async () => {
    const kiosk = new Client(hall.url);
    const staff = new Client(hall.url);
    await staff.login('staff2');
    // Business customers, whom counter 6 calls when no complaint or cancellation waits: five ahead of ours.
    const line = [];
    for (let i = 0; i < 6; i++)
      line.push((await kiosk.post('/api/v1/tickets', { serviceId: 'business' })).json);
    const mine = line[5];
    const phone = await open(mine.trackUrl, PHONE);
    await phone.getByText('5 people ahead of you').waitFor();
    await phone.getByLabel('When 3 people are ahead, text:').fill('13912345678');
    await shot(phone, 'phone-5-text-asked');
    await tap(phone, 'Text me');
    await phone.getByText('On: a text to 139****5678 when 3 are ahead').waitFor();
    expect((await staff.post('/api/v1/counters/6/open', {})).status).toBe(200);
    const manager = new Client(hall.url);
    await manager.login('manager');
    const sent = async () =>
      ((await manager.get('/api/v1/sms/outbox')).json as { to: string; text: string }[]).filter(
        (m) => m.to === '139****5678',
      );
    for (let ahead = 5; ahead > 3; ahead--) {
      expect(await sent()).toEqual([]);
      const call = await staff.post('/api/v1/counters/6/call', {});
      expect(call.json.ticket.serviceId).toBe('business');
      await staff.post('/api/v1/counters/6/finish', {});
    }
    expect(await sent()).toEqual([expect.objectContaining({ text: expect.stringContaining(mine.number) })]);
    await phone.getByText('Text sent to 139****5678').waitFor({ timeout: 5_000 });
    await shot(phone, 'phone-6-text-sent');
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
