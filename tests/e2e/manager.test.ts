/**
 * The manager pages in Chromium against the real server (demo hall): the manager signs in, sees today's
 * figures, opens the history, downloads the CSV (parsed back: BOM, header, one row per ticket), edits a
 * notice, and the wall display shows it without a reload. Screenshots are saved (not committed).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHall } from '../../server/main.ts';
import { launchBrowser, SCREENSHOTS } from '../helpers/browser.ts';
import { BOM, parseCsv } from '../helpers/csv.ts';
import { signInOnPage } from '../helpers/e2e.ts';
import { Client, startTestServer } from '../helpers/http.ts';

let hall: RunningHall;
const browsers: BrowserContext[] = [];

beforeAll(async () => {
  hall = await startTestServer({ pages: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  for (const b of browsers) await b.close();
  await hall?.close();
});

async function open(path: string, viewport = { width: 1366, height: 900 }): Promise<Page> {
  const browser = await launchBrowser(viewport);
  browsers.push(browser);
  const page = browser.pages()[0] ?? (await browser.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('close', () => expect(errors).toEqual([]));
  await page.goto(hall.url + path);
  return page;
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SCREENSHOTS, `manager-${name}.png`), fullPage: true });

describe('manager pages in Chromium', () => {
  it('signs in, shows today, the history and its CSV, and edits a notice the wall shows', async () => {
    // A little of today: three tickets, two served (one rated on SERVQUAL dimensions), one waiting.
    const anon = new Client(hall.url);
    const staff = new Client(hall.url);
    expect((await staff.login('staff1')).status).toBe(200);
    for (const serviceId of ['general', 'general', 'payments'])
      expect((await anon.post('/api/v1/tickets', { serviceId })).status).toBe(201);
    expect((await staff.post('/api/v1/counters/1/open')).status).toBe(200);
    for (const rating of [5, { score: 4, dimensions: { empathy: 5, reliability: 4 } }]) {
      expect((await staff.post('/api/v1/counters/1/call')).status).toBe(200);
      expect((await staff.post('/api/v1/counters/1/finish', { rating })).status).toBe(200);
    }

    const wall = await open('/display/', { width: 1920, height: 1080 });
    const page = await open('/manager/');
    await signInOnPage(page);

    // Today: the tickets and the served ones.
    const kpi = (label: string) => page.locator('.kpi', { hasText: label }).locator('strong');
    await expect.poll(() => kpi('Tickets').textContent()).toBe('3');
    expect(await kpi('Served').textContent()).toBe('2');
    await page.getByText('Every service is expected within its wait target').waitFor();
    await page.locator('.device-health li', { hasText: 'printer' }).waitFor();
    await shot(page, 'live');

    // History: today by default, with charts and ratings.
    await page.getByRole('link', { name: /历史统计/ }).click();
    await page.locator('figure.chart svg').first().waitFor();
    await page.locator('table.ratings').first().waitFor();
    expect(await page.locator('table.ratings').first().textContent()).toContain('4.5 (2)');
    expect(await page.locator('rect.bar').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: /本月/ }).click();
    await shot(page, 'history');

    // The CSV: UTF-8 with a BOM, the contract's header, one row per ticket.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /导出 CSV/ }).click(),
    ]);
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual(BOM);
    const rows = parseCsv(bytes.toString('utf8'));
    const header = rows[0]!;
    for (const column of [
      'number',
      'serviceId',
      'status',
      'issuedAt',
      'calledAt',
      'finishedAt',
      'counterId',
      'waitMinutes',
      'serviceMinutes',
    ])
      expect(header).toContain(column);
    expect(rows).toHaveLength(4);
    const status = header.indexOf('status');
    expect(
      rows
        .slice(1)
        .map((r) => r[status])
        .sort(),
    ).toEqual(['done', 'done', 'waiting']);
    for (const r of rows) expect(r).toHaveLength(header.length);

    // Notices: add one and save; the wall shows it without a reload.
    await page.getByRole('link', { name: /公告/ }).click();
    await page.getByRole('button', { name: /添加公告/ }).click();
    await page.locator('textarea[name="zh-0"]').fill('今日宽带办理送路由器');
    await page.locator('textarea[name="en-0"]').fill('Broadband today comes with a router');
    await page.getByRole('button', { name: /保存/ }).click();
    await page.getByText(/已保存/).waitFor();
    await shot(page, 'notices');
    await wall.getByText('今日宽带办理送路由器').waitFor({ timeout: 5_000 });
    await wall.screenshot({ path: join(SCREENSHOTS, 'manager-wall-notice.png') });

    // Devices: the simulated printer's last tickets as text.
    await page.getByRole('link', { name: /设备/ }).click();
    await page.locator('table.devices').waitFor();
    await shot(page, 'devices');
  });

  it('changes a wait target in the configuration tab and sees it in force on the live hall', async () => {
    const page = await open('/manager/');
    await signInOnPage(page);
    const payments = page.locator('tr', { hasText: '缴费充值' }).locator('td.target');
    await expect.poll(() => payments.textContent()).toContain('15 分钟');

    await page.getByRole('link', { name: /配置/ }).click();
    await page.getByLabel('wait target payments').fill('4');
    await page.getByRole('button', { name: /保存业务/ }).click();
    await page.getByText(/已保存并生效/).waitFor();
    await shot(page, 'config');
    // A bad value is refused with the field named, and nothing changes.
    await page.getByLabel('prefix general').fill('B');
    await page.getByRole('button', { name: /保存业务/ }).click();
    await page.getByText(/duplicate prefix B/).waitFor();

    // The live tab shows the new target at once (the server announced it), without a reload.
    await page.getByRole('link', { name: /实时大厅/ }).click();
    await expect.poll(() => payments.textContent()).toContain('4 分钟');
    const services = await new Client(hall.url).get('/api/v1/services');
    expect(services.json.find((s: { id: string }) => s.id === 'payments').waitTargetMinutes).toBe(4);
    expect(services.json.find((s: { id: string }) => s.id === 'general').waitTargetMinutes).toBe(15);

    // The audit view lists the change (and the counter actions of the first test), and exports a CSV.
    await page.getByRole('link', { name: /审计/ }).click();
    await page.locator('table.audit-log tr.change', { hasText: 'config.services' }).waitFor();
    await page.locator('table.audit-log tr.action', { hasText: 'ticket.finished' }).first().waitFor();
    await shot(page, 'audit');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /导出 CSV/ }).click(),
    ]);
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual(BOM);
    const rows = parseCsv(bytes.toString('utf8'));
    expect(rows[0]).toEqual(['at', 'kind', 'userId', 'userName', 'action', 'target', 'before', 'after']);
    const change = rows.find((r) => r[4] === 'config.services')!;
    expect(change[2]).toBe('manager');
    expect(
      JSON.parse(change[7]!).services.find((x: { id: string }) => x.id === 'payments').waitTargetMinutes,
    ).toBe(4);
  });

  it('adds a device in the configuration tab and sees it come up on the devices tab', async () => {
    const page = await open('/manager/#config');
    await signInOnPage(page);
    await page.getByRole('link', { name: /配置/ }).click();
    const devices = page.locator('form[aria-label="devices"]');
    await devices.getByRole('button', { name: /添加设备/ }).click();
    const id = devices.locator('input[aria-label^="device id"]');
    await id.fill('led-2');
    await page.getByLabel('kind led-2').selectOption('led');
    await page.getByLabel('connection led-2').fill('sim');
    await page.getByLabel('serves led-2').selectOption('2');
    await devices.getByRole('button', { name: /保存设备/ }).click();
    await page.getByText(/已保存并生效/).waitFor();

    await page.getByRole('link', { name: /设备/ }).click();
    const row = page.locator('table.devices tr', { hasText: 'led-2' });
    await expect.poll(() => row.textContent()).toContain('正常');
    expect(await row.textContent()).toContain('2 号窗口');
    await shot(page, 'devices-added');
    const health = await new Client(hall.url).get('/api/v1/health');
    expect(health.json.devices).toContainEqual(expect.objectContaining({ id: 'led-2', status: 'ok' }));
  });

  it('brings back the sign-in form, saying why, when the session has ended', async () => {
    const page = await open('/manager/');
    await signInOnPage(page);
    // The session ends (as when it expires on the server); the next request of any tab finds out.
    await page.locator('.kpis').waitFor();
    await page.context().clearCookies();
    await page.evaluate(() => {
      location.hash = '#history';
    });
    await page.getByText(/登录已过期，请重新登录/).waitFor();
    await signInOnPage(page);
    await page.locator('nav.tabs').waitFor();
  });
});
