/**
 * What a checkout built for production serves: the pages and their own assets, the voice clips — and
 * nothing else of dist/, where `npm start` also puts the server bundle, its source map and the
 * migrations. Every file of a real build (pages by vite, server by esbuild) is asked for by its path,
 * and again with path tricks.
 */
import { cpSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../scripts/build-server.mjs';
import type { RunningHall } from '../../server/main.ts';
import { builtPages, nodeRequest, startTestServer } from '../helpers/http.ts';
import { tempDir } from '../helpers/temp-dir.ts';

let hall: RunningHall;
let files: string[];

beforeAll(async () => {
  // A copy of the pages with the server bundle built beside them, as `npm start` leaves dist/.
  const dist = join(tempDir(), 'dist');
  cpSync(builtPages(), dist, { recursive: true });
  await buildServer(join(dist, 'server'));
  files = readdirSync(dist, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dist, join(e.parentPath, e.name)));
  hall = await startTestServer({ distDir: dist });
}, 120_000);
afterAll(() => hall?.close());

const get = (path: string) => nodeRequest(hall.url, { rawPath: path });

describe('served files', () => {
  it('the build holds the server bundle, its source map and the migrations (what must not be served)', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'server/main.mjs',
        'server/main.mjs.map',
        'server/migrations/001_queue_core.sql',
        'server/migrations/README.md',
      ]),
    );
  });

  it('serves the pages’ assets and nothing else of dist/', async () => {
    const served: string[] = [];
    for (const file of files) if ((await get(`/${file}`)).status === 200) served.push(file);
    expect(served.sort()).toEqual(files.filter((f) => f.startsWith('assets/')).sort());
    expect(served.length).toBeGreaterThan(10);
  });

  it('serves the pages at their public paths', async () => {
    for (const path of ['/', '/kiosk/', '/display/', '/counter/', '/manager/', '/book/', '/t/abc']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    }
  });

  it('refuses path tricks toward the bundle, the map and the migrations', async () => {
    for (const path of [
      '/server/main.mjs',
      '/server/main.mjs.map',
      '/server/migrations/',
      '/server/migrations/001_queue_core.sql',
      '/assets/../server/main.mjs',
      '/assets/%2e%2e/server/main.mjs',
      '/assets/..%2fserver%2fmain.mjs',
      '/assets/%2e%2e%2fserver%2fmain.mjs.map',
      '//server/main.mjs',
      '/kiosk/../server/main.mjs',
      '/kiosk/index.html',
      '/voice/../../../dist/server/main.mjs',
      '/voice/README.md',
      '/voice/%2e%2e/README.md',
      '/.env',
      '/package.json',
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.text, path).not.toContain('import ');
      expect(res.text, path).not.toContain(path.slice(1)); // no echo of what was asked
    }
  });

  it('serves the wall’s voice clips', async () => {
    const res = await get('/voice/chime.wav');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^audio\//);
  });
});
