// Bundles the hall server into dist/server/main.mjs for production (`npm start`): plain JavaScript
// starts faster and takes about 40 MB less memory than compiling TypeScript at run time with tsx.
// Packages stay external (better-sqlite3 and serialport are native); migrations are copied beside it.
import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
export const SERVER_BUNDLE = join(root, 'dist', 'server', 'main.mjs');

function newestSource() {
  let newest = 0;
  for (const dir of ['server', 'hardware']) {
    for (const entry of readdirSync(join(root, dir), { recursive: true, withFileTypes: true }))
      if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Builds the bundle when it is missing or older than any server or hardware source. */
export async function buildServer() {
  if (existsSync(SERVER_BUNDLE) && statSync(SERVER_BUNDLE).mtimeMs >= newestSource()) return SERVER_BUNDLE;
  // The CLI is bundled beside the server: the hall runs its `backup` each night.
  await build({
    entryPoints: { main: join(root, 'server', 'main.ts'), cli: join(root, 'server', 'cli.ts') },
    outdir: join(root, 'dist', 'server'),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  cpSync(join(root, 'server', 'db', 'migrations'), join(root, 'dist', 'server', 'migrations'), {
    recursive: true,
  });
  return SERVER_BUNDLE;
}

if (process.argv[1] === import.meta.filename) await buildServer();
