/**
 * The demo HQ's halls: two regions of simulated halls (sim-hall.ts), each a real hall engine on its own
 * SQLite file under data/hq-demo/, with a week of history and today up to now, living on in real
 * time, and shipping through the real sender to HQ's real ingest endpoint. So the demo's figures are
 * made the way a real hall's are, and a newcomer's first look has figures.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createHqSender } from '../../server/app/hq-sender.ts';
import { APP_VERSION, DEMO_HALL, type HallConfig } from '../../server/config.ts';
import type { HqCatalogueService } from '../../server/contract/hq.ts';
import { addDays, localTime } from '../../server/domain/hall-time.ts';
import type { HqUser } from '../contract.ts';
import { createAccounts } from './accounts.ts';
import { createCatalogues } from './catalogue.ts';
import { ALL, type HqDb } from './db.ts';
import { openSimulatedHall } from './sim-hall.ts';

export const DEMO_REGIONS = [
  { id: 'guangzhou', name: '广州 Guangzhou' },
  { id: 'shenzhen', name: '深圳 Shenzhen' },
];

/** Halls that differ in load and speed, so the rankings have something to rank. */
export const DEMO_HALLS = [
  { id: 'gz-tianhe', name: '天河营业厅', region: 'guangzhou', seed: 11, shape: { load: 1.1, slowness: 1 } },
  { id: 'gz-yuexiu', name: '越秀营业厅', region: 'guangzhou', seed: 12, shape: { load: 0.75, slowness: 1 } },
  { id: 'gz-haizhu', name: '海珠营业厅', region: 'guangzhou', seed: 13, shape: { load: 0.9, slowness: 1.2 } },
  { id: 'sz-futian', name: '福田营业厅', region: 'shenzhen', seed: 21, shape: { load: 1, slowness: 0.95 } },
  { id: 'sz-nanshan', name: '南山营业厅', region: 'shenzhen', seed: 22, shape: { load: 0.8, slowness: 1 } },
  { id: 'sz-luohu', name: '罗湖营业厅', region: 'shenzhen', seed: 23, shape: { load: 1.05, slowness: 1.15 } },
];

/** Demo sign-ins, made only in demo mode (the landing of /hq/ shows them). */
export const DEMO_ACCOUNTS: (HqUser & { password: string })[] = [
  { username: 'hq', name: '总部 HQ', role: 'hq', region: null, password: 'demo-hq' },
  { username: 'gz', name: '广州区域经理', role: 'region', region: 'guangzhou', password: 'demo-region' },
  { username: 'sz', name: '深圳区域经理', role: 'region', region: 'shenzhen', password: 'demo-region' },
];

/** Days of history a new demo hall lives before today (the real engine takes a second or two a day). */
const HISTORY_DAYS = 7;
const LIVE_EVERY_MS = 5_000;
/** Moments played per hall before the others (and the senders) get a turn. */
const SLICE = 150;

/** A demo hall: HallQ's demo hall (server/config.ts), open 09:00–18:00 as the simulator's days are. */
function hallConfig(name: string): HallConfig {
  return {
    ...DEMO_HALL,
    name: { zh: name, en: name },
    hours: { open: '09:00', close: '18:00' },
    devices: [],
  };
}

/** The regions' first catalogue: the demo hall's services and wait targets. */
const CATALOGUE: HqCatalogueService[] = DEMO_HALL.services.map((s) => ({
  id: s.id,
  prefix: s.prefix,
  name: s.name,
  category: s.category,
  waitTargetMinutes: s.waitTargetMinutes,
  selfService: s.selfService,
}));

/**
 * Sets the demo up in HQ (regions, sign-ins, a first catalogue, the halls with fresh tokens) and starts
 * the simulated halls in a process of their own, as real halls are: HQ stays responsive while they
 * live their history, and their batches arrive over HTTP like anyone's.
 */
export async function startDemo(options: {
  db: HqDb;
  hqUrl: string;
  dir: string;
  log: (line: Record<string, unknown>) => void;
}): Promise<{ stop(): Promise<void> }> {
  const { db } = options;
  mkdirSync(options.dir, { recursive: true });
  const accounts = createAccounts(db, Date.now);
  const catalogues = createCatalogues(db, Date.now);
  for (const r of DEMO_REGIONS)
    await db.read(ALL, 'INSERT INTO hq_regions (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [
      r.id,
      r.name,
    ]);
  const existing = new Set(
    (await db.query<{ username: string }>('SELECT username FROM hq_users')).map((u) => u.username),
  );
  for (const { password, ...user } of DEMO_ACCOUNTS)
    if (!existing.has(user.username)) await accounts.saveUser(user, password);
  for (const r of DEMO_REGIONS)
    if ((await catalogues.versions(ALL, r.id)).length === 0)
      await catalogues.publish(ALL, r.id, CATALOGUE, 'demo');
  // Each start gives the demo halls fresh tokens: nothing secret is kept beside them.
  const halls: DemoHallRun[] = [];
  for (const h of DEMO_HALLS) {
    const token = randomBytes(24).toString('base64url');
    await db.read(
      ALL,
      `INSERT INTO hq_halls (id, name, region, token_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash`,
      [h.id, h.name, h.region, createHash('sha256').update(token).digest('hex')],
    );
    halls.push({ ...h, token });
  }
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    stdio: ['pipe', 'inherit', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  child.stdin!.end(JSON.stringify({ hqUrl: options.hqUrl, dir: options.dir, halls }));
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  return {
    stop: async () => {
      if (exited) return;
      const gone = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

type DemoHallRun = (typeof DEMO_HALLS)[number] & { token: string };

/**
 * The simulated halls themselves (the child process): each plays its history day by day, all halls
 * abreast so every hall has figures early, ships through the real sender as it goes, then lives on in
 * real time.
 */
export async function runDemoHalls(options: {
  hqUrl: string;
  dir: string;
  halls: DemoHallRun[];
  log: (line: Record<string, unknown>) => void;
  /** Days a new hall lives before today (default a week), and the halls' clock (default the system's). */
  historyDays?: number;
  now?: () => number;
}): Promise<{ stop(): Promise<void> }> {
  const now = options.now ?? Date.now;
  const halls = options.halls.map((h) => {
    const config = hallConfig(h.name);
    const sim = openSimulatedHall({
      dbPath: join(options.dir, `${h.id}.sqlite`),
      config,
      seed: h.seed,
      shape: h.shape,
    });
    const sender = createHqSender({
      dbPath: sim.dbPath,
      url: options.hqUrl,
      token: h.token,
      clock: { now },
      appVersion: APP_VERSION,
      timeZone: () => config.timeZone,
      waitTarget: (id) =>
        sim.configuration.current().services.find((s) => s.id === id)?.waitTargetMinutes ?? 15,
      applyCatalogue: async (catalogue) => {
        sim.hall.sweepDay();
        const outcome = sim.configuration.applyCatalogue(catalogue.services);
        return outcome.ok ? null : outcome.message;
      },
      log: () => {},
    });
    sender.start();
    const today = localTime(now(), config.timeZone).day;
    const from = sim.lastDay() ?? addDays(today, -(options.historyDays ?? HISTORY_DAYS));
    return { sim, sender, from, caughtUp: false };
  });
  let stopped = false;
  const started = Date.now();
  // History up to now, a slice of every hall at a time (all halls have figures early), pausing between
  // slices so the senders ship as the halls go.
  while (!stopped && halls.some((h) => !h.caughtUp)) {
    for (const h of halls) if (!h.caughtUp) h.caughtUp = h.sim.playUntil(h.from, now(), SLICE) < SLICE;
    await new Promise((r) => setTimeout(r, 20));
  }
  options.log({ msg: 'demo halls caught up with now', halls: halls.length, ms: Date.now() - started });
  // Then they live on: what the simulator planned for now happens now.
  const live = setInterval(() => {
    for (const h of halls) {
      try {
        h.sim.playUntil(h.from, now());
      } catch (error) {
        options.log({ msg: 'demo hall failed', level: 'warn', error: String(error) });
      }
    }
  }, LIVE_EVERY_MS);
  return {
    stop: async () => {
      stopped = true;
      clearInterval(live);
      await Promise.all(halls.map((h) => h.sender.stop()));
      for (const h of halls) h.sim.close();
    },
  };
}

async function childMain(): Promise<void> {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const { hqUrl, dir, halls } = JSON.parse(input) as { hqUrl: string; dir: string; halls: DemoHallRun[] };
  const log = (line: Record<string, unknown>) =>
    process.stdout.write(`${JSON.stringify({ t: new Date().toISOString(), ...line })}\n`);
  const demo = await runDemoHalls({ hqUrl, dir, halls, log });
  const stop = () => void demo.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void childMain();
