// `npm start`: builds the pages and the server bundle when they are missing or older than their sources,
// then starts the hall (the demo hall unless HALLQ_CONFIG names a configuration; a new demo hall gets
// eight weeks of history first).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildServer } from './build-server.mjs';

const root = join(import.meta.dirname, '..');
const built = join(root, 'dist', 'kiosk', 'index.html');

function newestPageSource() {
  let newest = statSync(join(root, 'vite.config.ts')).mtimeMs;
  for (const dir of ['kiosk', 'display', 'server/contract']) {
    for (const entry of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

if (!existsSync(built) || statSync(built).mtimeMs < newestPageSource()) {
  process.stdout.write('Building the pages (vite build)…\n');
  // vite empties dist/, so the server bundle is built after it.
  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const bundle = await buildServer();

// A new demo hall starts with eight weeks of history (up to yesterday), so the manager's pages have
// figures to show from the first sign-in. HALLQ_DEMO_HISTORY_DAYS=0 starts it empty.
const demoDb = join(root, 'data', 'demo.sqlite');
const historyDays = Number(process.env.HALLQ_DEMO_HISTORY_DAYS ?? 56);
if (!process.env.HALLQ_CONFIG && !process.env.HALLQ_DB && !existsSync(demoDb) && historyDays > 0) {
  process.stdout.write(`Writing ${historyDays} days of demo history into data/demo.sqlite…\n`);
  const history = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/demo-history.ts', '--days', String(historyDays), '--db', demoDb],
    { cwd: root, stdio: 'inherit' },
  );
  if (history.status !== 0)
    process.stdout.write('Writing the demo history failed: the hall starts without it.\n');
}

// The hall runs as a child; a stop signal to this script (systemd, Ctrl-C) reaches it, and its exit is
// ours — except 75, which asks for a restart (its storage recovered: server/main.ts EXIT_RESTART).
let server;
function run() {
  server = spawn(process.execPath, ['--enable-source-maps', bundle], { cwd: root, stdio: 'inherit' });
  server.on('exit', (code, signal) => {
    if (code === 75) {
      process.stdout.write('The hall asked for a restart; starting it again.\n');
      run();
    } else process.exit(code ?? (signal ? 1 : 0));
  });
}
run();
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
