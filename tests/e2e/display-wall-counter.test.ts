/**
 * The wall display and the counter terminal in Chromium against the real server (demo hall): a call from
 * a terminal reaches the wall and its audio queue; a second terminal of the same counter follows live and
 * explains a conflict; two counters calling at once get different tickets; a server restart in the middle
 * of a burst of calls costs the wall no call. Audio is observed through the page's `__hallqAudio` hook and
 * the clip requests, not by listening. Screenshots are saved (not committed) for a person to look at.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callClips } from '../../display/wall/announce/clips.ts';
import { loadSettings, type Settings } from '../../server/config.ts';
import { type RunningHall, startHall } from '../../server/main.ts';
import { launchBrowser, SCREENSHOTS } from '../helpers/browser.ts';
import { builtPages, Client } from '../helpers/http.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const WALL = { width: 1920, height: 1080 };
const TERMINAL = { width: 1366, height: 768 };

type AudioState = { played: string[]; playing: string[]; queued: string[]; dropped: string[] };

let settings: Settings;
let hall: RunningHall;
const browsers: BrowserContext[] = [];

/** Starts the hall on the same database; `port` lets a restart keep the address the pages use. */
async function start(port = 0): Promise<void> {
  hall = await startHall({ ...settings, port }, { log: () => {}, distDir: builtPages() });
}

beforeAll(async () => {
  settings = { ...loadSettings({}), port: 0, host: '127.0.0.1', dbPath: join(tempDir(), 'hall.sqlite') };
  await start();
  mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  for (const b of browsers) await b.close();
  await hall?.close();
});

async function open(path: string, viewport: { width: number; height: number }): Promise<Page> {
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
  page.screenshot({ path: join(SCREENSHOTS, `display-${name}.png`) });

/** A counter terminal signed in and seated at `counterId` (opening the counter when `open`). */
async function terminal(
  username: string,
  counterId: string,
  options: { open?: boolean } = {},
): Promise<Page> {
  const page = await open('/counter/', TERMINAL);
  await page.getByLabel('工号').fill(username);
  await page.getByLabel('密码').fill('demo-staff');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('button', { name: new RegExp(`^${counterId}号窗口`) }).click();
  await page.locator('.action').first().waitFor();
  if (options.open) {
    await page.keyboard.press('o');
    await page.locator('.action.call').waitFor();
  }
  return page;
}

const currentNumber = (page: Page) => page.locator('.customer .number').textContent();
const audio = (page: Page) => page.evaluate(() => window.__hallqAudio as AudioState);

/** Every number the wall lists, current call first. */
const wallNumbers = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('.current-number, .recent-number')].map((n) => n.textContent ?? ''),
  );

async function issue(serviceId: string): Promise<string> {
  const answer = await new Client(hall.url).post('/api/v1/tickets', { serviceId });
  expect(answer.status).toBe(201);
  return answer.json.number;
}

describe('wall display and counter terminal in Chromium', () => {
  it('shows a call from a terminal on the wall and queues its announcement in both languages', async () => {
    const wall = await open('/display/', WALL);
    const clipRequests: string[] = [];
    wall.on('response', (res) => {
      const path = new URL(res.url()).pathname;
      if (path.startsWith('/voice/')) clipRequests.push(`${res.status()} ${path}`);
    });
    await wall.getByText('欢迎光临').waitFor();

    const number = await issue('general');
    const counter = await terminal('staff1', '1', { open: true });
    await counter.keyboard.press('F1');
    await counter.getByText('已叫号，等待客户到达').waitFor();
    expect(await currentNumber(counter)).toBe(number);

    await wall.locator('.current-number', { hasText: number }).waitFor({ timeout: 2_000 });
    expect(await wall.locator('.current').textContent()).toContain('1号窗口');
    const expected = callClips({ number, counterId: '1' }, ['zh', 'en']);
    await wall.waitForFunction(() => (window.__hallqAudio?.played.length ?? 0) > 0, null, {
      timeout: 30_000,
    });
    expect((await audio(wall)).played).toEqual(expected);
    const uniqueClips = [...new Set(expected)];
    expect(clipRequests.sort()).toEqual(uniqueClips.map((clip) => `200 /voice/${clip}.wav`).sort());

    await shot(wall, 'wall-landscape-call');
    await shot(counter, 'counter-called');
    await counter.keyboard.press('s');
    await counter.getByText('办理中').waitFor();
    await counter.keyboard.press('f');
    await counter.getByRole('dialog').waitFor();
    await shot(counter, 'counter-finish-rating');
    await counter.keyboard.press('5');
    await counter.getByText('当前无客户').waitFor();
    await counter.getByText(/上一位/).waitFor();
    expect(await counter.getByText(/上一位/).textContent()).toContain('★★★★★');
  });

  it('keeps a second terminal of the same counter in step, and explains a conflict', async () => {
    await issue('general');
    await issue('general');
    const first = await terminal('staff2', '2', { open: true });
    const second = await terminal('staff2', '2');
    await second.locator('.action.call').waitFor();

    await first.keyboard.press('F1');
    const called = await currentNumber(first);
    await second.locator('.customer .number', { hasText: called ?? '' }).waitFor({ timeout: 2_000 });
    await first.keyboard.press('s');
    await second.getByText('办理中').waitFor({ timeout: 2_000 });

    // A third terminal that lost its live stream still shows the old state; acting on it is refused.
    const stale = await (async () => {
      const browser = await launchBrowser(TERMINAL);
      browsers.push(browser);
      const page = browser.pages()[0] ?? (await browser.newPage());
      await page.route('**/api/v1/events*', (route) => route.abort());
      await page.goto(`${hall.url}/counter/`);
      await page.getByLabel('工号').fill('staff2');
      await page.getByLabel('密码').fill('demo-staff');
      await page.getByRole('button', { name: '登录' }).click();
      await page.getByRole('button', { name: /^2号窗口/ }).click();
      await page.getByText('办理中').waitFor();
      return page;
    })();
    await first.keyboard.press('f');
    await first.keyboard.press('Enter');
    await second.getByText('当前无客户').waitFor({ timeout: 2_000 });
    await stale.keyboard.press('t');
    await stale.getByRole('button', { name: /缴费充值/ }).click();
    await stale.getByRole('alert').waitFor();
    expect(await stale.getByRole('alert').textContent()).toContain('另一终端或呼叫器刚刚处理了此窗口');
    await stale.getByText('当前无客户').waitFor();
    await shot(stale, 'counter-conflict');
  });

  it('gives two counters calling at once different tickets, and announces both without overlap', async () => {
    const wall = await open('/display/?zone=3,5', WALL);
    await wall.locator('.current').waitFor();
    await issue('general');
    await issue('general');
    const three = await terminal('staff3', '3', { open: true });
    const five = await terminal('staff5', '5', { open: true });

    await Promise.all([three.keyboard.press('F1'), five.keyboard.press('F1')]);
    await three.locator('.customer .number').waitFor();
    await five.locator('.customer .number').waitFor();
    const numbers = [await currentNumber(three), await currentNumber(five)];
    expect(numbers[0]).not.toBe(numbers[1]);

    await wall.waitForFunction(
      (expected) => expected.every((n) => document.body.textContent?.includes(n ?? '')),
      numbers,
      { timeout: 2_000 },
    );
    const state = await audio(wall);
    // One announcement plays, the other waits its turn.
    expect(state.playing.filter((c) => c === 'chime')).toHaveLength(1);
    expect([...state.played, ...state.playing, ...state.queued].filter((c) => c === 'chime')).toHaveLength(2);
    await shot(wall, 'wall-zone-3-5');
  });

  it('catches up with every call when the server restarts in the middle of a burst', async () => {
    const wall = await open('/display/?voice=zh', { width: 1080, height: 1920 });
    await wall.locator('.current').waitFor();
    const counters = ['1', '2', '3', '5'];
    const staff = new Map<string, Client>();
    for (const id of counters) {
      const client = new Client(hall.url);
      await client.login(`staff${id}`);
      // Earlier tests may have left the counter open, or with a customer at it.
      const { counter, ticket } = (await client.get(`/api/v1/counters/${id}/current`)).json;
      if (counter.status === 'closed')
        expect((await client.post(`/api/v1/counters/${id}/open`)).status).toBe(200);
      if (ticket) expect((await client.post(`/api/v1/counters/${id}/finish`, {})).status).toBe(200);
      staff.set(id, client);
    }
    for (let i = 0; i < 8; i += 1) await issue('general');
    const audioBefore = await audio(wall);
    const announcedBefore = [...audioBefore.played, ...audioBefore.playing, ...audioBefore.queued].filter(
      (c) => c === 'chime',
    ).length;

    const calls: string[] = [];
    // A keep-alive socket from before the restart fails once when reused; the request never reached
    // the new server, so sending it again is safe.
    const post = async (id: string, action: string, body?: unknown) => {
      try {
        return await staff.get(id)!.post(`/api/v1/counters/${id}/${action}`, body);
      } catch {
        return staff.get(id)!.post(`/api/v1/counters/${id}/${action}`, body);
      }
    };
    const callAt = async (id: string) => {
      const answer = await post(id, 'call');
      expect(answer.status).toBe(200);
      calls.push(answer.json.ticket.number);
    };
    for (const id of counters) await callAt(id);

    const port = Number(new URL(hall.url).port);
    await hall.close();
    await start(port);
    // Sessions live in the database: the same sign-ins carry on after the restart.
    for (const id of counters) {
      expect((await post(id, 'finish', {})).status).toBe(200);
      await callAt(id);
    }

    await wall.waitForFunction(
      (expected) => {
        const shown = [...document.querySelectorAll('.current-number, .recent-number')].map(
          (n) => n.textContent,
        );
        return expected.every((n) => shown.includes(n));
      },
      calls,
      { timeout: 20_000 },
    );
    const shown = await wallNumbers(wall);
    for (const number of calls) expect(shown.filter((n) => n === number)).toHaveLength(1);
    const state = await audio(wall);
    const announced = [...state.played, ...state.playing, ...state.queued].filter(
      (c) => c === 'chime',
    ).length;
    expect(announced + state.dropped.length - announcedBefore).toBe(calls.length);
    await shot(wall, 'wall-portrait-after-restart');
  });
});
