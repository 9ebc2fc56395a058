import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM = process.env.HALLQ_CHROMIUM ?? '/usr/bin/chromium';

/** Flags that keep Debian's Chromium quiet and unattended on a closed network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

const profiles: string[] = [];
// Profiles go when the process ends, not on `close()`: Chromium's helpers may still be writing to them.
// (No vitest hook here: the benchmarks use this file too.)
process.on('exit', () => {
  for (const dir of profiles) rmSync(dir, { recursive: true, force: true });
});

/**
 * A headless Chromium with a fresh profile; `home` runs it as a user whose home is there (Chromium
 * reads the certificates it trusts from `$HOME/.pki/nssdb`).
 */
export async function launchBrowser(
  viewport = { width: 1920, height: 1080 },
  options: { home?: string } = {},
): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), 'hallq-chromium-'));
  profiles.push(profile);
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    ...(options.home ? { env: { ...process.env, HOME: options.home } } : {}),
  });
}

/** Screenshots go here for a person to look at; they are not committed. */
export const SCREENSHOTS = join(import.meta.dirname, '..', 'e2e', 'screenshots');
