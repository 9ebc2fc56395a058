/**
 * A private PostgreSQL cluster from the machine's own binaries (Debian's `postgresql`), for `npm run hq`
 * without `HQ_DATABASE_URL`, for the tests and for the benchmark: initdb once in a folder, then a
 * postgres child process that stops with its owner. Started as root, PostgreSQL runs as the `postgres`
 * user (it refuses to run as root); otherwise as whoever starts it.
 *
 * It listens on 127.0.0.1 (password login) and on a socket in its own folder (trust, for the set-up):
 * HQ connects as `hallq`, a role that owns the `hallq` database and is no superuser, as in production.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import {
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';

export class ClusterError extends Error {
  override name = 'ClusterError';
}

export type PrivateCluster = {
  /** `postgres://hallq:…@127.0.0.1:port/hallq` */
  url: string;
  /** A superuser connection over the socket, for set-up and the benchmark's floor. */
  superuser: pg.ClientConfig;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
};

/** The newest `…/postgresql/N/bin` that has initdb, or `HQ_PG_BIN`. */
export function postgresBinDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HQ_PG_BIN) return env.HQ_PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0)
    throw new ClusterError(
      'PostgreSQL binaries not found under /usr/lib/postgresql: install Debian’s `postgresql` (apt-get install postgresql), or set HQ_DATABASE_URL',
    );
  return join(root, versions[0]!, 'bin');
}

/** Who runs PostgreSQL: the `postgres` user when we are root. */
function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new ClusterError('running as root, but there is no `postgres` user to run PostgreSQL as');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Starts (creating it on first use) the cluster in `dir`: `dir/pgdata`, sockets in `dir/run`, the
 * server log in `dir/postgres.log`. `settings` are extra `-c name=value` server settings.
 */
export async function startPrivateCluster(options: {
  dir: string;
  port?: number;
  settings?: Record<string, string | number>;
  log?: (line: Record<string, unknown>) => void;
}): Promise<PrivateCluster> {
  const bin = postgresBinDir();
  const owner = runAs();
  const dataDir = join(options.dir, 'pgdata');
  const runDir = join(options.dir, 'run');
  if (owner) reachableByOthers(options.dir);
  for (const d of [options.dir, runDir]) {
    mkdirSync(d, { recursive: true, mode: 0o700 });
    if (owner) chownSync(d, owner.uid, owner.gid);
  }
  const asOwner = owner ? { uid: owner.uid, gid: owner.gid } : {};
  const run = (program: string, args: string[]) => {
    const result = spawnSync(join(bin, program), args, { ...asOwner, encoding: 'utf8', cwd: options.dir });
    if (result.status !== 0)
      throw new ClusterError(
        `${program} failed: ${(result.stderr || result.stdout || String(result.error)).trim()}`,
      );
    return result.stdout;
  };

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    options.log?.({ msg: 'creating the private PostgreSQL cluster', dir: dataDir });
    run('initdb', [
      ...['-D', dataDir, '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8'],
      ...['--auth-local=trust', '--auth-host=scram-sha-256'],
    ]);
  }
  // HQ's role owns its database and is no superuser (row-level security applies to it). Its password
  // is made once and kept beside the cluster (readable by its owner only), so the CLI can connect while
  // the server runs.
  const passwordFile = join(options.dir, 'hallq.password');
  if (!existsSync(passwordFile))
    writeFileSync(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  const password = readFileSync(passwordFile, 'utf8').trim();
  const url = (port: number) => `postgres://hallq:${password}@127.0.0.1:${port}/hallq`;

  // Already running (HQ's server, or one left by an HQ that was killed): used as it is, and left running.
  const live = runningPostmaster(dataDir);
  if (live) {
    const superuser: pg.ClientConfig = {
      host: runDir,
      port: live.port,
      user: 'postgres',
      database: 'postgres',
    };
    return { url: url(live.port), superuser, port: live.port, dataDir, stop: async () => {} };
  }

  const port = options.port ?? (await freePort());
  const settings = Object.entries({
    listen_addresses: '127.0.0.1',
    unix_socket_directories: runDir,
    ...options.settings,
  }).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
  const logFd = openSync(join(options.dir, 'postgres.log'), 'a');
  const child: ChildProcess = spawn(join(bin, 'postgres'), ['-D', dataDir, '-p', String(port), ...settings], {
    ...asOwner,
    cwd: options.dir,
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });

  const superuser: pg.ClientConfig = { host: runDir, port, user: 'postgres', database: 'postgres' };
  const deadline = Date.now() + 60_000;
  for (;;) {
    const client = new pg.Client(superuser);
    try {
      await client.connect();
      await client.end();
      break;
    } catch (error) {
      await client.end().catch(() => {});
      if (exited || Date.now() > deadline) {
        child.kill('SIGKILL');
        const tail = readFileSync(join(options.dir, 'postgres.log'), 'utf8').slice(-600);
        throw new ClusterError(`PostgreSQL did not start (${String(error)}): ${tail}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const admin = new pg.Client(superuser);
  await admin.connect();
  try {
    const role = await admin.query("SELECT 1 FROM pg_roles WHERE rolname = 'hallq'");
    await admin.query(
      `${role.rowCount ? 'ALTER' : 'CREATE'} ROLE hallq LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '${password}'`,
    );
    const database = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'hallq'");
    if (!database.rowCount) await admin.query('CREATE DATABASE hallq OWNER hallq');
  } finally {
    await admin.end();
  }

  let stopping: Promise<void> | null = null;
  return {
    url: url(port),
    superuser,
    port,
    dataDir,
    stop: () => {
      stopping ??= (async () => {
        if (exited) return;
        const gone = once(child, 'exit');
        child.kill('SIGINT'); // fast shutdown: sessions are ended, committed data is safe
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await gone;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

/** The `postgres` user must be able to walk down to the cluster's folder. */
function reachableByOthers(dir: string): void {
  for (let d = dirname(resolve(dir)); ; d = dirname(d)) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0)
      throw new ClusterError(
        `PostgreSQL runs as the postgres user and cannot reach ${dir}: ${d} is closed to other users (chmod o+x ${d}, or choose another HQ_DATA_DIR)`,
      );
    if (d === dirname(d)) return;
  }
}

/** The postmaster of a data folder, if one is running: its pid and port (postmaster.pid, lines 1 and 4). */
function runningPostmaster(dataDir: string): { pid: number; port: number } | null {
  const file = join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const [pid, , , port] = readFileSync(file, 'utf8').split('\n');
  try {
    process.kill(Number(pid), 0);
    return { pid: Number(pid), port: Number(port) };
  } catch {
    return null; // stale: PostgreSQL replaces the file when it starts
  }
}

/** Removes a cluster folder (tests); the cluster must be stopped. */
export function removeCluster(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
