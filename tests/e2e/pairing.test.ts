/**
 * Pairing in Chromium against a real hall (not the demo): an unpaired kiosk and wall display show only a
 * pairing code; the manager pairs each on the manager page (设备 / Devices); the kiosk then starts as the
 * kiosk it was paired as, the wall shows the hall; a revoked kiosk shows a code again.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_HALL, parseHallConfig } from '../../server/config.ts';
import type { RunningHall } from '../../server/main.ts';
import { launchBrowser, SCREENSHOTS } from '../helpers/browser.ts';
import { signInOnPage } from '../helpers/e2e.ts';
import { startTestServer } from '../helpers/http.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { addAccounts } from '../helpers/test-hall.ts';

let hall: RunningHall;
const browsers: BrowserContext[] = [];
const PASSWORD = 'boss-password-1';

beforeAll(async () => {
  const dbPath = join(tempDir(), 'real.sqlite');
  await addAccounts(dbPath, [{ id: 'boss', name: '张经理', role: 'manager', password: PASSWORD }]);
  const config = parseHallConfig({ ...DEMO_HALL, staff: [], kiosks: [{ id: 'k1' }] }, 'test');
  hall = await startTestServer({ pages: true, settings: { demo: false, hall: config, devices: [], dbPath } });
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
  await page.goto(hall.url + path);
  return page;
}

const codeOf = async (page: Page) => {
  const code = page.getByLabel('pairing code');
  await code.waitFor();
  return (await code.textContent())!.trim();
};

async function pairOnManagerPage(manager: Page, code: string, kind: 'kiosk' | 'display', deviceId: string) {
  await manager.getByLabel(`kind ${code}`).selectOption(kind);
  await manager.getByLabel(`device id ${code}`).fill(deviceId);
  await manager
    .getByRole('form', { name: `pair ${code}` })
    .getByRole('button')
    .click();
  await manager.getByText(`Paired ${kind} ${deviceId}`).waitFor();
}

describe('pairing screens outside demo mode', () => {
  it('an unpaired kiosk and wall show only a code until the manager pairs them', async () => {
    const kiosk = await open('/kiosk/', { width: 1080, height: 1920 });
    const wall = await open('/display/', { width: 1920, height: 1080 });
    const kioskCode = await codeOf(kiosk);
    const wallCode = await codeOf(wall);
    expect(kioskCode).toMatch(/^[2-9A-HJKMNP-Z]{6}$/);
    expect(wallCode).not.toBe(kioskCode);
    expect(await kiosk.getByText('您好，欢迎光临').count()).toBe(0);
    await kiosk.screenshot({ path: join(SCREENSHOTS, 'pairing-kiosk-code.png') });

    const manager = await open('/manager/#devices');
    await signInOnPage(manager, 'boss', PASSWORD);
    await manager.getByText(kioskCode).waitFor();
    await manager.screenshot({ path: join(SCREENSHOTS, 'pairing-manager.png'), fullPage: true });
    await pairOnManagerPage(manager, kioskCode, 'kiosk', 'k1');
    await pairOnManagerPage(manager, wallCode, 'display', 'wall-1');

    // The kiosk reloads as kiosk k1 with its token; the wall as itself.
    await kiosk.getByText('您好，欢迎光临').waitFor({ timeout: 10_000 });
    expect(new URL(kiosk.url()).searchParams.get('kiosk')).toBe('k1');
    expect(await kiosk.evaluate(() => localStorage.getItem('hallq-kiosk-token'))).toMatch(
      /^[A-Za-z0-9_-]{32}$/,
    );
    await wall.getByLabel('pairing code').waitFor({ state: 'detached', timeout: 10_000 });
    expect(await wall.evaluate(() => localStorage.getItem('hallq-display-token'))).toBeTruthy();

    // Both listed; revoking the kiosk sends it back to a code at its next start.
    await manager.locator('table.tokens tr', { hasText: 'wall-1' }).waitFor();
    manager.once('dialog', (d) => void d.accept());
    await manager.locator('table.tokens tr', { hasText: 'k1' }).getByRole('button').click();
    await manager.getByText('Revoked kiosk k1').waitFor();
    await kiosk.reload();
    await codeOf(kiosk);
    expect(await kiosk.evaluate(() => localStorage.getItem('hallq-kiosk-token'))).toBeNull();
  });
});
