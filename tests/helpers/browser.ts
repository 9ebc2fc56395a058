import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { tempDir } from './temp-dir.ts';

export const CHROMIUM = process.env.HALLQ_CHROMIUM ?? '/usr/bin/chromium';

/** Flags that keep Debian's Chromium quiet and unattended on a closed network (STACK.md). */
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

/**
 * A headless Chromium with a fresh profile. The profile is removed when the test file ends, not on
 * `close()`: Chromium may still be writing to it then.
 */
export async function launchBrowser(viewport = { width: 1920, height: 1080 }): Promise<BrowserContext> {
  return chromium.launchPersistentContext(tempDir('hallq-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
  });
}

/** Screenshots go here for a person to look at; they are not committed. */
export const SCREENSHOTS = join(import.meta.dirname, '..', 'e2e', 'screenshots');
