import { mkdirSync, rmdirSync, rmSync, symlinkSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * The box's own IPv4 address on a network (not loopback, not link-local), or null: where a test puts a
 * printer "on the hall's network", since a manager may only point the printer at such an address.
 */
export function lanAddress(): string | null {
  const all = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  return (
    all.find((i) => i.family === 'IPv4' && !i.internal && !i.address.startsWith('169.254.'))?.address ?? null
  );
}

const links: string[] = [];
afterAll(() => {
  for (const link of links.splice(0)) rmSync(link, { force: true });
  // The folders too, when nothing else (a real adapter, another test) is in them.
  for (const dir of ['/dev/serial/by-id', '/dev/serial'])
    try {
      rmdirSync(dir);
    } catch {}
});

/**
 * A stable device name for a pseudo-terminal, as udev names a USB serial adapter
 * (`/dev/serial/by-id/…`), removed when the test file ends: a manager may only name devices under
 * /dev/ through the web. Needs root, as the test suite runs.
 */
export function deviceLink(target: string, name: string): string {
  const dir = '/dev/serial/by-id';
  mkdirSync(dir, { recursive: true });
  const link = join(dir, `hallq-test-${name}-${process.pid}`);
  rmSync(link, { force: true });
  symlinkSync(target, link);
  links.push(link);
  return link;
}
