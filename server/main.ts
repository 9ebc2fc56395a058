/**
 * The composition root: the only place that chooses implementations (real or simulated devices, the
 * database file, the clock) and the only place that listens.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { networkInterfaces } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createHardware, type PrintOutcome, parsePrinterUri, printerUriProblem } from '../hardware/index.ts';
import { createAuditLog } from './app/audit.ts';
import { createAuth, LoginLimiter } from './app/auth.ts';
import { backupInChild, createNightlyBackups } from './app/backup.ts';
import { createCommandPath } from './app/command-path.ts';
import { bootConfiguration, createConfiguration, liveConfig } from './app/configuration.ts';
import { connectDevices, deviceConsole, serialPaymentTerminal } from './app/devices.ts';
import { EventBus } from './app/event-bus.ts';
import { createHall } from './app/hall.ts';
import { createHealth } from './app/health.ts';
import { createHqSender } from './app/hq-sender.ts';
import { createKioskServices } from './app/kiosk-services.ts';
import { createNotices } from './app/notices.ts';
import { createOperatorLog, type Log, rotatingFileLog, stdoutLog } from './app/operator-log.ts';
import { createPairing } from './app/pairing.ts';
import { paperTicket } from './app/paper-ticket.ts';
import type { Passwords } from './app/passwords.ts';
import { createStats } from './app/stats.ts';
import { createStorage, type StorageFaultCode } from './app/storage.ts';
import { createTurnAlerts } from './app/turn-alerts.ts';
import {
  APP_VERSION,
  ConfigError,
  DEMO_HALL,
  DEMO_PASSWORDS,
  loadSettings,
  PROJECT_ROOT,
  type Settings,
} from './config.ts';
import { DatabaseInUse, lockDatabase } from './db/lock.ts';
import { type Db, lastEventAt, openDatabase } from './db/open.ts';
import { type Clock, MonotonicClock, systemClock } from './domain/clock.ts';
import { createApp } from './http/app.ts';
import { createDemoBss, seedDemoBss } from './integrations/bss/demo-bss.ts';
import { SimulatedPaymentTerminal } from './integrations/payment/simulated-terminal.ts';
import { hallSalt } from './integrations/privacy.ts';
import { createSmsOutbox } from './integrations/sms/sms.ts';

export type RunningHall = {
  url: string;
  server: Server;
  close(): Promise<void>;
};

/** Starts a hall: opens the database, wires the parts, listens. Tests call it with port 0. */
export async function startHall(
  settings: Settings,
  options: {
    /** The wall clock (the hall's time never runs back from it: MonotonicClock). */
    clock?: Clock;
    log?: Log;
    distDir?: string;
    passwords?: Passwords;
    /**
     * The storage is safe again but this process must not go on (an fsync failed, the database file
     * was deleted and written back): the program exits for its supervisor to restart it. Absent (tests),
     * the hall stays up refusing writes.
     */
    onRestartNeeded?: (reason: StorageFaultCode) => void;
  } = {},
): Promise<RunningHall> {
  // The log is bounded by design (server/app/operator-log.ts): the journal through standard output, or a
  // rotating file (HALLQ_LOG_FILE).
  const operatorLog = options.log
    ? null
    : createOperatorLog(settings.logFile ? rotatingFileLog(settings.logFile) : stdoutLog());
  const log = options.log ?? operatorLog!;
  const { lock, db } = openLocked(settings);
  const clock = new MonotonicClock(options.clock ?? systemClock, lastEventAt(db));
  const storage = createStorage({
    ...{ db, path: settings.dbPath, clock, log, minFreeBytes: settings.minFreeBytes },
    onRestartNeeded: (reason) => {
      log({ msg: 'restart needed', level: 'error', reason });
      options.onRestartNeeded?.(reason);
    },
  });
  const bus = new EventBus();
  const commands = createCommandPath({ db, clock, bus, storage, log });
  const auth = createAuth(db, clock, options.passwords);
  const audit = createAuditLog(db, settings.hall.timeZone);
  // The configuration in force is the stored one (the manager edits it, devices included), seeded from
  // the file or the demo, with the installer's devices.
  const seed = { ...settings.hall, devices: settings.devices, printer: settings.printer };
  let initial: ReturnType<typeof bootConfiguration>;
  try {
    await ensureUsers(settings, auth);
    initial = bootConfiguration(db, seed, clock, audit);
  } catch (error) {
    // The hall refuses to start (a demo password, a bad stored configuration): the file is free again.
    db.close();
    lock.release();
    throw error;
  }
  let configuration: ReturnType<typeof createConfiguration> | null = null;
  const currentConfig = () => configuration?.current() ?? initial.config;
  const stats = createStats(db, currentConfig, clock);
  // One printer (the configured one, seeded from HALLQ_PRINTER) serves every kiosk; serial devices name
  // their counter or kiosk.
  const hardware = createHardware({
    printer: initial.config.printer ?? settings.printer,
    paper: { columns: settings.paperColumns },
    devices: initial.config.devices,
    logger: { warn: (msg, fields) => log({ msg, level: 'warn', ...fields }) },
    clock,
    timeZone: settings.hall.timeZone,
    idHashSalt: hallSalt(db),
  });
  const printOutcome = (outcome: PrintOutcome) =>
    outcome.ok ? ({ ok: true } as const) : ({ ok: false, problem: outcome.problem } as const);
  const hall = createHall({
    ...{ db, clock, config: initial.config, commands, demo: settings.demo, log },
    printTicket: async (ticket) => printOutcome(await hardware.printTicket(paperTicket(ticket, hall))),
  });
  // Kiosk services: the demo BSS and the SMS outbox are the embedded defaults. A kiosk's payment terminal
  // is its configured serial terminal; without one, the simulated terminal in the demo, else none
  // (self-service payments are refused, never simulated in a real hall).
  if (settings.demo) seedDemoBss(db, clock, settings.hall.timeZone);
  const simulatedPayment = new SimulatedPaymentTerminal({ delayMs: 2_500 });
  const sms = createSmsOutbox(db, clock);
  const bss = createDemoBss(db, clock);
  const kiosk = createKioskServices({
    ...{ db, clock, commands, log, hall, sms, config: liveConfig(currentConfig), demo: settings.demo },
    bss,
    paymentTerminal: (kioskId) => {
      const terminal = hardware.devicesOf('payment').find((d) => d.config.kioskId === kioskId);
      if (terminal) return serialPaymentTerminal(terminal.driver);
      return settings.demo ? simulatedPayment : null;
    },
    printReceipt: async (_kioskId, receipt) => printOutcome(await hardware.printReceipt(receipt)),
    ...(settings.demo ? { simulatedPayment, smsOutbox: sms } : {}),
  });
  // Every device's health goes to the event log and the screens, whatever the device list becomes.
  const stopDeviceStatus = hardware.onStatus((s) =>
    hall.recordDeviceStatus({ ...s, detail: s.detail || null }),
  );
  const wiring = { hardware, hall, kiosk, bus, log };
  let disconnectDevices = connectDevices(wiring);
  configuration = createConfiguration({
    ...{ db, clock, audit, auth, hall, commands, initial, log },
    printerUri: { problem: printerUriProblem, parse: parsePrinterUri },
    applyPrinter: (uri) => hardware.setPrinter(uri),
    webConnections: {
      demo: settings.demo,
      interfaces: () => Object.values(networkInterfaces()).flatMap((list) => list ?? []),
    },
    // The listeners are re-made around the change: each reads which counter or kiosk a device serves.
    // Disconnecting again before connecting keeps exactly one wiring when two saves overlap.
    applyDevices: async (devices) => {
      disconnectDevices();
      try {
        await hardware.reconfigure(devices);
      } finally {
        disconnectDevices();
        disconnectDevices = connectDevices(wiring);
      }
    },
  });
  const notices = createNotices({ db, clock, commands, audit });
  // The nightly backup runs the CLI's `backup` in a process of its own: the sources' CLI under tsx, or
  // the bundle's beside this one.
  const cli = import.meta.url.endsWith('.ts')
    ? [process.execPath, '--import', 'tsx', fileURLToPath(new URL('./cli.ts', import.meta.url))]
    : [process.execPath, fileURLToPath(new URL('./cli.mjs', import.meta.url))];
  const backups =
    settings.backup &&
    createNightlyBackups({
      ...{ dbPath: settings.dbPath, keep: settings.backup.keep, atMinute: settings.backup.atMinute },
      dir: settings.backup.dir ?? join(dirname(settings.dbPath), 'backups'),
      ...{ timeZone: settings.hall.timeZone, clock, log },
      backup: backupInChild(cli, { ...process.env, HALLQ_DB: settings.dbPath }),
    });
  const backupTimer = setInterval(() => backups?.tick(), 60_000);
  backupTimer.unref();
  // The link to HQ, when the hall has one: its own timer and connection, off the command path.
  const hqSender = settings.hq
    ? createHqSender({
        ...{ dbPath: settings.dbPath, url: settings.hq.url, token: settings.hq.token, clock, log },
        appVersion: APP_VERSION,
        timeZone: () => currentConfig().timeZone,
        waitTarget: (id) => currentConfig().services.find((s) => s.id === id)?.waitTargetMinutes ?? 15,
        // At the next opening day: yesterday's open tickets are swept and the closed days rolled up
        // first, so they keep the wait targets they had.
        applyCatalogue: async (catalogue) => {
          hall.sweepDay();
          stats.rollUp({ from: '0000-01-01', to: '9999-12-31' });
          const outcome = configuration!.applyCatalogue(catalogue.services);
          return outcome.ok ? null : outcome.message;
        },
      })
    : null;
  const health = createHealth({
    storage,
    probe: commands.probe,
    clock,
    clockBehindMs: () => clock.behindMs,
    devices: () => hardware.health(),
    backup: () => backups?.status() ?? null,
    hq: () => hqSender?.health() ?? null,
  });
  const { app, events } = createApp({
    hall,
    kiosk,
    auth,
    limiter: new LoginLimiter(clock),
    stats,
    bus,
    demo: settings.demo,
    trustProxy: settings.trustProxy,
    distDir: options.distDir ?? join(PROJECT_ROOT, 'dist'),
    voiceDir: settings.voiceDir,
    accountOf: async (customerRef) => {
      const account = await bss.account(customerRef);
      if (!account) return null;
      const due = account.bill && !account.bill.paid ? account.bill.amountFen : null;
      return { plan: account.plan, balanceFen: account.balanceFen, billDueFen: due };
    },
    devices: deviceConsole(hardware),
    manager: { notices, audit },
    configuration,
    pairing: createPairing({ db, clock, auth, audit }),
    turnAlerts: createTurnAlerts({ db, clock, hall, bus, commands, sms, log }),
    health,
    streams: settings.streams,
    log,
  });

  let closing: Promise<void> | null = null;
  // An idle hall still closes its day: tickets left at closing end as unserved.
  const dayTimer = setInterval(() => hall.sweepDay(), 15_000);
  dayTimer.unref();
  const stopWatching = storage.watch(() => commands.probe());
  // Closed days without rollups (an upgraded or imported database) are rolled up in the background, a
  // few days per turn of the event loop, so statistics are fast from then on.
  const catchUp = () => {
    if (!closing && stats.rollUp({ from: '0000-01-01', to: '9999-12-31' }, 20) > 0) setImmediate(catchUp);
  };
  setImmediate(catchUp);
  hqSender?.start();

  // HTTPS when the installer gave a certificate; otherwise plain HTTP (behind a proxy that may do TLS).
  const server = settings.tls ? createHttpsServer(settings.tls, app) : createServer(app);
  server.listen(settings.port, settings.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  const url = `${settings.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  log({ msg: 'hall listening', url, demo: settings.demo, db: settings.dbPath });

  return {
    url,
    server,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(dayTimer);
        stopWatching();
        clearInterval(backupTimer);
        const stopSender = hqSender?.stop() ?? Promise.resolve();
        disconnectDevices();
        stopDeviceStatus();
        events.closeAll();
        server.close(() => {
          void Promise.all([hardware.close(), stopSender]).finally(() => {
            db.close();
            lock.release();
            operatorLog?.close();
            resolve();
          });
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/**
/**
 * One process per database file: the lock is taken before the file is opened (and migrated) and freed
 * on close, or here when the hall refuses to start.
 */
function openLocked(settings: Settings) {
  const lock = lockDatabase(settings.dbPath, 'hall server');
  let db: Db | null = null;
  try {
    db = openDatabase(settings.dbPath);
    return { lock, db };
  } catch (error) {
    db?.close();
    lock.release();
    throw error;
  }
}

/**
 * Demo sign-ins exist only in demo mode; outside it no account may keep a demo password. Only the demo's
 * accounts ever get one (the CLI refuses them, the manager's page makes random ones), so only they are
 * checked: a full-cost scrypt per password and account would slow every boot of a large hall.
 */
async function ensureUsers(settings: Settings, auth: ReturnType<typeof createAuth>): Promise<void> {
  const demoPassword = (role: string) => (role === 'manager' ? DEMO_PASSWORDS.manager : DEMO_PASSWORDS.staff);
  if (settings.demo) {
    // Only accounts without a usable password are (re)made: checking the passwords of the others would
    // cost a scrypt each at every boot. (A generated history brings accounts with no password.)
    const existing = auth.userIdsWithPassword();
    const missing = settings.hall.staff.filter((person) => !existing.has(person.id));
    const hashes = await Promise.all(missing.map((p) => auth.hashPassword(demoPassword(p.role))));
    for (const [i, person] of missing.entries()) auth.upsertUser(person, hashes[i]!);
    return;
  }
  const demoAccounts = new Set(DEMO_HALL.staff.map((p) => p.id));
  const weak = await auth.usersWithPassword(demoAccounts, Object.values(DEMO_PASSWORDS));
  if (weak.length > 0)
    throw new ConfigError(
      `accounts ${weak.join(', ')} still have a demo password: set a new one with \`npm run hallq -- user\``,
    );
}

/** The exit code that asks the supervisor (systemd, `npm start`) for a restart: EX_TEMPFAIL. */
export const EXIT_RESTART = 75;
const RESTART_DELAY_MS = 2_000;
let restartNow: () => void = () => process.exit(EXIT_RESTART);

async function main(): Promise<void> {
  let settings: Settings;
  try {
    settings = loadSettings(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  let hall: RunningHall;
  try {
    hall = await startHall(settings, { onRestartNeeded: () => restartNow() });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    // Exit 3, not 2: a supervisor retries it (the other process may be on its way out).
    if (error instanceof DatabaseInUse) {
      console.error(error.message);
      process.exit(3);
    }
    throw error;
  }
  const stop = (code: number) => {
    void hall.close().then(() => process.exit(code));
  };
  // A moment for the answers already on their way (the 503s) and for /health to be read.
  restartNow = () => setTimeout(() => stop(EXIT_RESTART), RESTART_DELAY_MS).unref();
  process.on('SIGTERM', () => stop(0));
  process.on('SIGINT', () => stop(0));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
