import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { RunningHall } from '../../server/main.ts';
import { launchBrowser, SCREENSHOTS } from './browser.ts';
import { startTestServer } from './http.ts';

export type Viewport = { width: number; height: number };

/**
 * A demo hall serving the built pages, and one headless Chromium, for a browser test file. Every page
 * fails its test if it throws; pages close after each test, since each holds an event stream and
 * Chromium allows six connections per host.
 */
export function browserHall() {
  let hall: RunningHall | undefined;
  let browser: BrowserContext | undefined;

  beforeAll(async () => {
    hall = await startTestServer({ pages: true });
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchBrowser();
  });
  afterEach(async () => {
    for (const page of browser?.pages() ?? []) await page.close();
  });
  afterAll(async () => {
    await browser?.close();
    await hall?.close();
  });

  return {
    get url(): string {
      return hall!.url;
    },
    /** A new page (its own tab: no state shared with the last one) at a screen size. */
    async open(path: string, viewport: Viewport): Promise<Page> {
      const page = await browser!.newPage();
      await page.setViewportSize(viewport);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('close', () => expect(errors).toEqual([]));
      await page.goto(hall!.url + path);
      return page;
    },
    shot: (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) }),
  };
}

/** Taps the first button with this accessible name. */
export const tap = (page: Page, name: string | RegExp) => page.getByRole('button', { name }).first().click();

/** Takes a walk-in ticket for 业务办理 at a kiosk showing its welcome, without identifying anyone. */
export async function takeWalkInTicket(page: Page) {
  await page.getByText('您好，欢迎光临').waitFor();
  await tap(page, /^业务办理/);
}

/** Signs in on the manager page's form (the demo manager unless told otherwise). */
export async function signInOnPage(page: Page, username = 'manager', password = 'demo-manager') {
  await page.getByLabel('账号').fill(username);
  await page.getByLabel('密码').fill(password);
  await tap(page, /登录/);
}
