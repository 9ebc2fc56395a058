import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FilePrinter } from './file-printer.ts';

describe('FilePrinter', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hallq-lp-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes the job to the device file and says it cannot see paper or cover', async () => {
    const device = join(dir, 'lp0');
    await writeFile(device, '');
    const printer = new FilePrinter(device, 1000);
    const status = await printer.print({ label: 'A001', bytes: Uint8Array.of(0x41, 0x0a) });
    expect(status).toMatchObject({ online: true, sensors: false });
    expect(await readFile(device)).toEqual(Buffer.from('A\n'));
  });

  it('rejects as disconnected rather than creating a file where the unplugged device was', async () => {
    const printer = new FilePrinter(join(dir, 'gone'), 1000);
    await expect(printer.print({ label: 'A001', bytes: Uint8Array.of(0x0a) })).rejects.toMatchObject({
      disconnected: true,
    });
    expect(await printer.status()).toMatchObject({ online: false });
    await expect(readFile(join(dir, 'gone'))).rejects.toThrow(/ENOENT/);
  });
});
