/**
 * The kiosk's identification, self-service and appointment flows in Chromium against the real demo
 * server: an ID card read → VIP ticket, a senior's card → elderly mode offered, a top-up paid and one
 * declined at the simulated terminal (phone number + SMS code from the demo outbox), and an appointment
 * checked in with its code, and one booked on the phone page then checked in. Screenshots go to tests/e2e/screenshots (not committed).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserHall, tap, type Viewport } from '../helpers/e2e.ts';
import { Client } from '../helpers/http.ts';

const PORTRAIT = { width: 1080, height: 1920 };
const LANDSCAPE = { width: 1920, height: 1080 };
const PHONE = { width: 390, height: 844 };

/** Demo customers (server/integrations/bss/demo-bss.ts). */
const STAR = { name: '李娜', idNumber: '110105198503150026' };
const SENIOR = { name: '王秀英', idNumber: '110102195404120048' };
const REGULAR_PHONE = '13800000001';
const STAR_PHONE = '13800000002';

const hall = browserHall();
const manager = () => new Client(hall.url);

async function open(path: string, viewport: Viewport): Promise<Page> {
  const page = await hall.open(path, viewport);
  await page.getByText('您好，欢迎光临').waitFor();
  return page;
}

const shot = (page: Page, name: string) => hall.shot(page, `kiosk-${name}`);

async function signedInManager(): Promise<Client> {
  const client = manager();
  expect((await client.login('manager')).status).toBe(200);
  return client;
}

/** As if a card were put on kiosk k1's reader (the demo's stand-in for the 二代证 reader). */
async function readIdCard(card: { name: string; idNumber: string }) {
  const answer = await (await signedInManager()).post('/api/v1/demo/kiosks/k1/id-card', card);
  expect(answer.status).toBe(201);
}

/** Identifies by phone, reading the one-time code from the demo SMS outbox. */
async function identifyByPhone(page: Page, phone: string) {
  for (const digit of phone) await tap(page, digit);
  await tap(page, '获取验证码');
  await page.getByText(/验证码已发送至/).waitFor();
  const outbox = await (await signedInManager()).get('/api/v1/sms/outbox');
  const code = /\b(\d{6})\b/.exec(outbox.json[0].text)?.[1];
  expect(code).toBeDefined();
  for (const digit of code ?? '') await tap(page, digit);
  await tap(page, '确认');
}

describe('kiosk identification in Chromium', () => {
  it('reads a star customer’s ID card put down on the first screen, and issues a VIP ticket with one touch', async () => {
    const page = await open('/kiosk/?kiosk=k1', PORTRAIT);
    await readIdCard(STAR);
    await page.getByText('贵宾客户 · 优先服务').waitFor();
    await shot(page, 'id-card-vip-services');
    await tap(page, /^业务办理/);
    await page.getByText('请留意叫号').waitFor();
    const trackUrl = (await page.locator('svg.qr').getAttribute('data-value')) ?? '';
    const ticket = await manager().get(`/api/v1/tickets/${trackUrl.split('/t/')[1]}`);
    expect(ticket.json.tier).toBe('vip');
  });

  it('offers elderly mode to a senior identified by ID card', async () => {
    const page = await open('/kiosk/?kiosk=k1', LANDSCAPE);
    await readIdCard(SENIOR);
    await page.getByText('为您开启长辈模式？').waitFor();
    await shot(page, 'id-card-elderly-offer');
    await tap(page, '好的');
    await page.getByText('长辈客户 · 优先服务').waitFor();
    expect(await page.locator('.kiosk.elderly').count()).toBe(1);
  });

  it('identifies by phone from the first screen, beside the services', async () => {
    const page = await open('/kiosk/?kiosk=k1', LANDSCAPE);
    await tap(page, '手机号识别');
    await identifyByPhone(page, STAR_PHONE);
    await page.getByText('您好，李*').first().waitFor();
    await page.getByText('贵宾客户 · 优先服务').waitFor();
    await shot(page, 'phone-identified-services');
    await tap(page, /^终端购机/);
    await page.getByText('请留意叫号').waitFor();
  });
});

describe('kiosk self-service in Chromium', () => {
  it('tops up at the payment terminal: paid, then declined', async () => {
    const page = await open('/kiosk/?kiosk=k1', PORTRAIT);
    await tap(page, /^自助办理/);
    await tap(page, '手机号 + 验证码');
    await identifyByPhone(page, REGULAR_PHONE);
    await page.getByText('账户余额').waitFor();
    await shot(page, 'self-service-menu');

    await tap(page, '充值');
    await shot(page, 'self-service-amounts');
    await tap(page, '¥50.00');
    await page.getByText('支付成功').waitFor({ timeout: 15_000 });
    await page.getByText('已充值 ¥50.00').waitFor();
    await page.getByText(/^当前余额 ¥/).waitFor();
    await shot(page, 'self-service-paid');
    await tap(page, '返回自助菜单');
    await page.getByText('账户余额').waitFor();

    expect(
      (await (await signedInManager()).post('/api/v1/demo/payment', { outcome: 'declined' })).status,
    ).toBe(200);
    await tap(page, '充值');
    await tap(page, '¥50.00');
    await page.getByText('支付未成功').waitFor({ timeout: 15_000 });
    await shot(page, 'self-service-declined');
  });
});

describe('kiosk appointment check-in in Chromium', () => {
  it('checks in a booked appointment with its code', async () => {
    // The next slot on the 15-minute grid is inside the check-in window (30 minutes before).
    const slot = new Date(Math.ceil((Date.now() + 60_000) / 900_000) * 900_000).toISOString();
    const booked = await manager().post('/api/v1/appointments', {
      serviceId: 'general',
      slot,
      phone: '13800000004',
    });
    expect(booked.status).toBe(201);
    const page = await open('/kiosk/?kiosk=k1', LANDSCAPE);
    await tap(page, /^预约签到/);
    for (const digit of booked.json.code as string) await tap(page, digit);
    await shot(page, 'appointment-code');
    await tap(page, '签到');
    await page.getByText('请留意叫号').waitFor();
    await shot(page, 'appointment-done');
  });
});

describe('phone booking in Chromium', () => {
  it('books the next free slot on a phone, then checks the code in at the kiosk', async () => {
    // Headless Chromium says en-US, so the page starts in English.
    const phone = await hall.open('/book/', PHONE);
    await phone.getByText('1. Choose a service').waitFor();
    await shot(phone, 'book-1-service');
    await tap(phone, 'General business');
    await phone.getByText('2. Choose a day and time').waitFor();
    await phone.locator('.book-slots, .book-card > p:not(.problem)').first().waitFor();
    // Just before midnight today has no slot left: tomorrow's first is as close.
    if ((await phone.locator('.book-slots').count()) === 0) {
      await tap(phone, 'Tomorrow');
      await phone.locator('.book-slots').waitFor();
    }
    await shot(phone, 'book-2-slots');
    // Every touch target on the phone is at least 48 px high.
    for (const height of await phone
      .locator('button')
      .evaluateAll((buttons) => buttons.map((b) => b.getBoundingClientRect().height)))
      expect(height).toBeGreaterThanOrEqual(48);
    // The first free slot is within 15 minutes: inside the check-in window (30 minutes before).
    await phone.locator('.book-slots button').first().click();
    await phone.getByLabel(/Mobile number/).fill('12345');
    await tap(phone, 'Book it');
    await phone.getByText('11-digit mobile number starting with 1').waitFor();
    await phone.getByLabel(/Mobile number/).fill('138 0000 0006');
    await shot(phone, 'book-3-phone');
    await tap(phone, 'Book it');
    await phone.getByText('You are booked').waitFor();
    await shot(phone, 'book-4-code');
    const code = (await phone.locator('.book-code').textContent()) ?? '';
    expect(code).toMatch(/^\d{6}$/);
    expect(await phone.getByText('138****0006').count()).toBe(1);
    const outbox = await (await signedInManager()).get('/api/v1/sms/outbox');
    expect(JSON.stringify(outbox.json)).toContain(code);

    const page = await open('/kiosk/?kiosk=k1', LANDSCAPE);
    await tap(page, /^预约签到/);
    for (const digit of code) await tap(page, digit);
    await tap(page, '签到');
    await page.getByText('请留意叫号').waitFor();
    await shot(page, 'book-5-checked-in');
  });
});
