/**
 * HQ's composition root and command line: `npm run hq` starts HQ (port HQ_PORT, default 8090) on
 * PostgreSQL — HQ_DATABASE_URL, or a private cluster under data/hq-pg/ — and, as a demo, regions of
 * simulated halls shipping through the real sender. `npm run hq -- hall add …` and `… user add …` make
 * halls and accounts.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, describeIssues, PROJECT_ROOT } from '../../server/config.ts';
import { hallArgs, userArgs } from '../schemas.ts';
import { createAccounts } from './accounts.ts';
import { createCatalogues } from './catalogue.ts';
import { startPrivateCluster } from './cluster.ts';
import { createDashboards } from './dashboards.ts';
import { ALL, type HqDb, migrate, openHqDb } from './db.ts';
import { DEMO_ACCOUNTS, startDemo } from './demo.ts';
import { createHqApp } from './http.ts';
import { createIngest } from './ingest.ts';

export type Log = (line: Record<string, unknown>) => void;
export const jsonLog: Log = (line) => {
  process.stdout.write(`${JSON.stringify({ t: new Date().toISOString(), ...line })}\n`);
};

const envSchema = z.object({
  HQ_PORT: z.coerce.number().int().min(0).max(65535).default(8090),
  HQ_HOST: z.string().min(1).default('0.0.0.0'),
  HQ_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// URL')
    .optional(),
  HQ_DEMO: z.enum(['0', '1']).optional(),
  HQ_DATA_DIR: z.string().min(1).optional(),
});

export type HqSettings = {
  port: number;
  host: string;
  /** null: the private cluster under `dataDir/hq-pg`. */
  databaseUrl: string | null;
  /** The private cluster and the demo's simulated halls live here. */
  dataDir: string;
  demo: boolean;
};

export function loadHqSettings(env: NodeJS.ProcessEnv, cwd = process.cwd()): HqSettings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error, 'the environment'));
  const e = parsed.data;
  return {
    port: e.HQ_PORT,
    host: e.HQ_HOST,
    databaseUrl: e.HQ_DATABASE_URL ?? null,
    dataDir: resolve(cwd, e.HQ_DATA_DIR ?? join(PROJECT_ROOT, 'data')),
    // A newcomer's `npm run hq` shows a demo; a real HQ (its own database) only when asked.
    demo: e.HQ_DEMO ? e.HQ_DEMO === '1' : e.HQ_DATABASE_URL === undefined,
  };
}

/** HQ's database, migrated: the configured one, or the private cluster (stopped by `stop`). */
export async function openDatabase(
  settings: HqSettings,
  log: Log,
): Promise<{ db: HqDb; stop(): Promise<void> }> {
  const cluster = settings.databaseUrl
    ? null
    : await startPrivateCluster({ dir: join(settings.dataDir, 'hq-pg'), log });
  const db = openHqDb(settings.databaseUrl ?? cluster!.url);
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    await cluster?.stop();
    throw error;
  }
  return {
    db,
    stop: async () => {
      await db.close();
      await cluster?.stop();
    },
  };
}

export type RunningHq = { url: string; server: Server; db: HqDb; close(): Promise<void> };

/** Starts HQ on its database and listens. Tests call it with port 0, their own database and clock. */
export async function startHq(
  settings: HqSettings,
  options: { now?: () => number; log?: Log; distDir?: string; maxIngestsInFlight?: number } = {},
): Promise<RunningHq> {
  const log = options.log ?? jsonLog;
  const now = options.now ?? Date.now;
  const { db, stop } = await openDatabase(settings, log);
  const ingest = createIngest({ db, now, log });
  const app = createHqApp({
    db,
    ingest,
    dashboards: createDashboards({ db, now }),
    accounts: createAccounts(db, now),
    catalogues: createCatalogues(db, now),
    now,
    distDir: options.distDir ?? join(PROJECT_ROOT, 'dist'),
    log,
    demo: settings.demo,
    ...(settings.demo
      ? {
          demoSignIns: DEMO_ACCOUNTS.map(({ username, password, role, region }) => ({
            username,
            password,
            role,
            region,
          })),
        }
      : {}),
    maxIngestsInFlight: options.maxIngestsInFlight,
  });
  const server = app.listen(settings.port, settings.host);
  try {
    await new Promise<void>((res, rej) => {
      server.once('listening', res);
      server.once('error', rej);
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : settings.port}`;
  const demo = settings.demo
    ? await startDemo({ db, hqUrl: url, dir: join(settings.dataDir, 'hq-demo'), log })
    : null;
  log({
    msg: 'hq listening',
    url,
    demo: settings.demo,
    database: settings.databaseUrl ? 'HQ_DATABASE_URL' : 'private',
  });
  let closing: Promise<void> | null = null;
  return {
    url,
    server,
    db,
    close: () => {
      closing ??= (async () => {
        await demo?.stop();
        await new Promise<void>((res) => {
          server.close(() => res());
          server.closeAllConnections();
        });
        await stop();
      })();
      return closing;
    },
  };
}

// ---------- halls and accounts ----------

/** Registers a hall (its region too, if new) and returns its token: shown once, kept as a hash. */
export async function addHall(db: HqDb, hall: { id: string; name: string; region: string }): Promise<string> {
  const token = randomBytes(24).toString('base64url');
  await db.tx(ALL, async (c) => {
    await c.query('INSERT INTO hq_regions (id, name) VALUES ($1, $1) ON CONFLICT DO NOTHING', [hall.region]);
    const taken = await c.query('SELECT 1 FROM hq_halls WHERE id = $1', [hall.id]);
    if (taken.rowCount) throw new ConfigError(`hall ${hall.id} exists already`);
    await c.query('INSERT INTO hq_halls (id, name, region, token_hash) VALUES ($1, $2, $3, $4)', [
      hall.id,
      hall.name,
      hall.region,
      createHash('sha256').update(token).digest('hex'),
    ]);
  });
  return token;
}

async function readPassword(): Promise<string> {
  const rl = createInterface({ input: process.stdin, terminal: false });
  process.stderr.write('password (at least 10 characters): ');
  for await (const line of rl) {
    rl.close();
    return line.trim();
  }
  return '';
}

const USAGE = `usage: npm run hq                     start HQ (a demo with no HQ_DATABASE_URL)
       npm run hq -- hall add --id ID --name NAME --region REGION
       npm run hq -- user add --username NAME --role hq|region [--region REGION] [--name "Display name"]
                                        (the password is read as one line on standard input)
`;

function parsed<S extends z.ZodType>(schema: S, values: unknown): z.infer<S> {
  const result = schema.safeParse(values);
  if (!result.success)
    throw new ConfigError(result.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
  return result.data;
}

async function command(argv: string[], settings: HqSettings): Promise<number> {
  const [noun, verb] = argv;
  const known = (noun === 'hall' || noun === 'user') && verb === 'add';
  if (!known) {
    process.stderr.write(USAGE);
    return 2;
  }
  const { values } = parseArgs({
    args: argv.slice(2),
    options: {
      id: { type: 'string' },
      name: { type: 'string' },
      region: { type: 'string' },
      username: { type: 'string' },
      role: { type: 'string' },
    },
  });
  const args = noun === 'hall' ? parsed(hallArgs, values) : parsed(userArgs, values);
  const password = noun === 'user' ? await readPassword() : '';
  if (noun === 'user' && password.length < 10)
    throw new ConfigError('the password must have at least 10 characters');
  const { db, stop } = await openDatabase(settings, () => {});
  try {
    if (noun === 'hall') {
      const hall = args as z.infer<typeof hallArgs>;
      const token = await addHall(db, hall);
      process.stdout.write(
        `hall ${hall.id} (${hall.name}) added to region ${hall.region}\nHALLQ_HQ_TOKEN=${token}\n`,
      );
    } else {
      const user = args as z.infer<typeof userArgs>;
      if (user.region) {
        const [region] = await db.read(ALL, 'SELECT 1 FROM hq_regions WHERE id = $1', [user.region]);
        if (!region) throw new ConfigError(`no region ${user.region}: add a hall of it first`);
      }
      await createAccounts(db, Date.now).saveUser(
        {
          username: user.username,
          name: user.name ?? user.username,
          role: user.role,
          region: user.region ?? null,
        },
        password,
      );
      process.stdout.write(
        `user ${user.username} (${user.role}${user.region ? ` of ${user.region}` : ''}) saved\n`,
      );
    }
    return 0;
  } finally {
    await stop();
  }
}

async function main(): Promise<void> {
  let settings: HqSettings;
  try {
    settings = loadHqSettings(process.env);
    const argv = process.argv.slice(2);
    if (argv.length > 0) process.exit(await command(argv, settings));
    // A fresh checkout has no built pages yet: build them once (as `npm start` does for a hall).
    if (!existsSync(join(PROJECT_ROOT, 'dist', 'hq', 'pages', 'index.html'))) {
      process.stdout.write('Building the pages (vite build)…\n');
      spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
    }
    const hq = await startHq(settings);
    const stop = () => void hq.close().then(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  } catch (error) {
    console.error(error instanceof Error && error.name !== 'Error' ? error.message : error);
    process.exit(error instanceof ConfigError ? 2 : 1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
