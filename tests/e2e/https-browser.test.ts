/**
 * The kiosk's and the wall display's Chromium over HTTPS, trusting the hall's own certificate the way
 * README.md tells the installer: the hall's authority added to the NSS database of the browser's user
 * with certutil. The kiosk then issues a ticket and the wall shows the hall; a Chromium without the
 * authority refuses the certificate.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHall } from '../../server/main.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { takeWalkInTicket } from '../helpers/e2e.ts';
import { startTestServer } from '../helpers/http.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { hallCertificates } from '../helpers/tls.ts';

const certs = hallCertificates();
let hall: RunningHall;
let trusting: BrowserContext;
let untrusting: BrowserContext;

/** The kiosk user's home with the hall's authority trusted, as README.md's commands leave it. */
function homeTrustingTheHall(): string {
  const home = tempDir('hallq-kiosk-home-');
  const db = join(home, '.pki', 'nssdb');
  mkdirSync(db, { recursive: true });
  const certutil = (...args: string[]) => {
    const run = spawnSync('certutil', ['-d', `sql:${db}`, ...args], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`certutil ${args.join(' ')}: ${run.stderr}`);
  };
  certutil('-N', '--empty-password');
  certutil('-A', '-t', 'C,,', '-n', 'HallQ hall', '-i', certs.files.ca);
  return home;
}

beforeAll(async () => {
  hall = await startTestServer({ pages: true, settings: { tls: { cert: certs.cert, key: certs.key } } });
  trusting = await launchBrowser({ width: 1080, height: 1920 }, { home: homeTrustingTheHall() });
  untrusting = await launchBrowser({ width: 1080, height: 1920 }, { home: tempDir('hallq-empty-home-') });
});
afterAll(async () => {
  await trusting?.close();
  await untrusting?.close();
  await hall?.close();
});

describe('Chromium over HTTPS', () => {
  it('the kiosk, trusting the hall’s authority, issues a ticket over TLS', async () => {
    const page = await trusting.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const res = await page.goto(`${hall.url}/kiosk/?kiosk=k1`);
    expect(res?.ok()).toBe(true);
    await takeWalkInTicket(page);
    await page.getByText('请留意叫号').waitFor();
    expect(await page.locator('.ticket-number').textContent()).toMatch(/^A\d{3}$/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the wall display, trusting it too, shows the hall', async () => {
    const wall = await trusting.newPage();
    expect((await wall.goto(`${hall.url}/display/`))?.ok()).toBe(true);
    await wall.getByText('欢迎光临').waitFor();
    await wall.close();
  });

  it('a Chromium without the hall’s authority refuses the certificate', async () => {
    const page = await untrusting.newPage();
    await expect(page.goto(`${hall.url}/kiosk/?kiosk=k1`)).rejects.toThrow(/ERR_CERT_AUTHORITY_INVALID/);
    await page.close();
  });
});
