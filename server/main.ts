/**
 * The composition root: the only place that chooses implementations (real or simulated devices, the
 * database file, the clock) and the only place that listens.
 */
import type { Server } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createHardware, type PrintOutcome, printerUriProblem } from '../hardware/index.ts';
import { createAuditLog } from './app/audit.ts';
import { createAuth, LoginLimiter } from './app/auth.ts';
import { bootConfiguration, createConfiguration, liveConfig } from './app/configuration.ts';
import { connectDevices, deviceConsole, serialPaymentTerminal } from './app/devices.ts';
import { EventBus } from './app/event-bus.ts';
import { createHall } from './app/hall.ts';
import { createHqSender } from './app/hq-sender.ts';
import { createKioskServices } from './app/kiosk-services.ts';
import { createNotices } from './app/notices.ts';
import { createPairing } from './app/pairing.ts';
import { createStats } from './app/stats.ts';
import {
  APP_VERSION,
  ConfigError,
  DEMO_PASSWORDS,
  loadSettings,
  PROJECT_ROOT,
  type Settings,
} from './config.ts';
import { openDatabase } from './db/open.ts';
import { type Clock, systemClock } from './domain/clock.ts';
import { createApp } from './http/app.ts';
import { createDemoBss, seedDemoBss } from './integrations/bss/demo-bss.ts';
import { SimulatedPaymentTerminal } from './integrations/payment/simulated-terminal.ts';
import { hallSalt } from './integrations/privacy.ts';
import { createSmsOutbox } from './integrations/sms/sms.ts';

export type Log = (line: Record<string, unknown>) => void;

export const jsonLog: Log = (line) => {
  process.stdout.write(`${JSON.stringify({ t: new Date().toISOString(), ...line })}\n`);
};

export type RunningHall = {
  url: string;
  server: Server;
  close(): Promise<void>;
};

/** Starts a hall: opens the database, wires the parts, listens. Tests call it with port 0. */
export async function startHall(
  settings: Settings,
  options: { clock?: Clock; log?: Log; distDir?: string } = {},
): Promise<RunningHall> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? jsonLog;
  const db = openDatabase(settings.dbPath);
  const auth = createAuth(db, clock);
  ensureUsers(settings, auth);
  const bus = new EventBus();
  const audit = createAuditLog(db, settings.hall.timeZone);
  // The configuration in force is the stored one (the manager edits it, devices included), seeded from
  // the file or the demo, with the installer's devices.
  const seed = { ...settings.hall, devices: settings.devices, printer: settings.printer };
  const initial = bootConfiguration(db, seed, clock, audit);
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
    ...{ db, clock, config: initial.config, bus, demo: settings.demo, log },
    printTicket: async (ticket) => printOutcome(await hardware.printTicket(ticket)),
  });
  // Kiosk services: the demo BSS and the SMS outbox are the embedded defaults. A kiosk's payment terminal
  // is its configured serial terminal; without one, the simulated terminal in the demo, else none
  // (self-service payments are refused, never simulated in a real hall).
  if (settings.demo) seedDemoBss(db, clock, settings.hall.timeZone);
  const simulatedPayment = new SimulatedPaymentTerminal({ delayMs: 2_500 });
  const sms = createSmsOutbox(db, clock);
  const bss = createDemoBss(db, clock);
  const kiosk = createKioskServices({
    ...{ db, clock, bus, log, hall, sms, config: liveConfig(currentConfig), demo: settings.demo },
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
    ...{ db, clock, audit, auth, hall, bus, initial, log },
    printerProblem: printerUriProblem,
    applyPrinter: (uri) => hardware.setPrinter(uri),
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
  const notices = createNotices({ db, clock, bus, audit, log });
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
          hall.tick();
          stats.rollUp({ from: '0000-01-01', to: '9999-12-31' });
          const outcome = configuration!.applyCatalogue(catalogue.services);
          return outcome.ok ? null : outcome.message;
        },
      })
    : null;
  const { app, events } = createApp({
    hall,
    kiosk,
    auth,
    limiter: new LoginLimiter(clock),
    stats,
    bus,
    demo: settings.demo,
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
    health: () => ({ devices: hardware.health(), hq: hqSender?.health() ?? null }),
    dbOk: () => {
      try {
        db.prepare('SELECT 1').get();
        return true;
      } catch {
        return false;
      }
    },
    log,
  });

  let closing: Promise<void> | null = null;
  // An idle hall still closes its day: tickets left at closing end as unserved.
  const dayTimer = setInterval(() => hall.tick(), 60_000);
  dayTimer.unref();
  // Closed days without rollups (an upgraded or imported database) are rolled up in the background, a
  // few days per turn of the event loop, so statistics are fast from then on.
  const catchUp = () => {
    if (!closing && stats.rollUp({ from: '0000-01-01', to: '9999-12-31' }, 20) > 0) setImmediate(catchUp);
  };
  setImmediate(catchUp);
  hqSender?.start();

  const server = app.listen(settings.port, settings.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  const url = `http://127.0.0.1:${port}`;
  log({ msg: 'hall listening', url, demo: settings.demo, db: settings.dbPath });

  return {
    url,
    server,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(dayTimer);
        const stopSender = hqSender?.stop() ?? Promise.resolve();
        disconnectDevices();
        stopDeviceStatus();
        events.closeAll();
        server.close(() => {
          void Promise.all([hardware.close(), stopSender]).finally(() => {
            db.close();
            resolve();
          });
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** Demo sign-ins exist only in demo mode; outside it no account may keep a demo password. */
function ensureUsers(settings: Settings, auth: ReturnType<typeof createAuth>): void {
  if (settings.demo) {
    // Only accounts without a usable password are (re)made: checking the passwords of the others would
    // cost a scrypt each at every boot. (A generated history brings accounts with no password.)
    const existing = auth.userIdsWithPassword();
    for (const person of settings.hall.staff) {
      if (existing.has(person.id)) continue;
      auth.upsertUser({
        ...person,
        password: person.role === 'manager' ? DEMO_PASSWORDS.manager : DEMO_PASSWORDS.staff,
      });
    }
    return;
  }
  const weak = auth.usersWithPassword(Object.values(DEMO_PASSWORDS));
  if (weak.length > 0)
    throw new ConfigError(
      `accounts ${weak.join(', ')} still have a demo password: set a new one with \`npm run hallq -- user\``,
    );
}

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
    hall = await startHall(settings);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const stop = () => {
    void hall.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
