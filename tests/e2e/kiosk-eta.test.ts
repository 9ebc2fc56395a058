/**
 * The forecast interval on screen: a hall whose counter has served a few general-business customers in
 * varied times forecasts a new ticket's wait as an interval, shown on the kiosk's done screen and on the
 * phone page ("约 8–15 分钟"). A manual clock makes the service times (the browser keeps its own).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, MINUTE } from '../../server/domain/clock.ts';
import type { RunningHall } from '../../server/main.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { Client, startTestServer } from '../helpers/http.ts';

const PORTRAIT = { width: 1080, height: 1920 };
const PHONE = { width: 390, height: 844 };

let hall: RunningHall;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const clock = new ManualClock(Date.UTC(2026, 10, 25, 2, 0)); // 10:00 in Shanghai

beforeAll(async () => {
  hall = await startTestServer({ pages: true, clock });
  browser = await launchBrowser();
  const staff = new Client(hall.url);
  expect((await staff.login('staff1')).status).toBe(200);
  expect((await staff.post('/api/v1/counters/1/open')).status).toBe(200);
  for (const minutes of [2, 6, 10, 14, 18, 4, 8, 12, 16, 3]) {
    expect((await staff.post('/api/v1/tickets', { serviceId: 'general', channel: 'reception' })).status).toBe(
      201,
    );
    expect((await staff.post('/api/v1/counters/1/call')).status).toBe(200);
    expect((await staff.post('/api/v1/counters/1/start')).status).toBe(200);
    clock.advance(minutes * MINUTE);
    expect((await staff.post('/api/v1/counters/1/finish')).status).toBe(200);
  }
  // three waiting ahead of the kiosk's customer
  for (let i = 0; i < 3; i++)
    expect((await staff.post('/api/v1/tickets', { serviceId: 'general', channel: 'reception' })).status).toBe(
      201,
    );
});

afterAll(async () => {
  await browser?.close();
  await hall?.close();
});

describe('the ETA interval in Chromium', () => {
  it('shows the forecast interval on the kiosk’s done screen and on the phone page', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setViewportSize(PORTRAIT);
    await page.goto(`${hall.url}/kiosk/?kiosk=k1`);
    await page.getByText('您好，欢迎光临').waitFor();
    const tap = (name: string | RegExp) => page.getByRole('button', { name }).first().click();
    await tap(/^业务办理/);
    await page.getByText('请留意叫号').waitFor();
    const eta = await page.locator('.ticket-eta').textContent();
    const [, low, high] = eta!.match(/^预计等待：约 (\d+)–(\d+) 分钟$/) ?? [];
    expect(Number(low)).toBeLessThan(Number(high));
    expect(await page.locator('.ticket-ahead').textContent()).toBe('前面还有 3 人');

    const track = (await page.locator('svg.qr').getAttribute('data-value'))!;
    const phone = await browser.newPage();
    phone.on('pageerror', (e) => errors.push(e.message));
    await phone.setViewportSize(PHONE);
    await phone.goto(track);
    await phone.locator('.track-eta').waitFor();
    // in the phone's language (Chromium's here: English), the same forecast
    expect(await phone.locator('.track-eta').textContent()).toBe(`Estimated wait: about ${low}–${high} min`);
    await page.close();
    await phone.close();
    expect(errors).toEqual([]);
  });
});
