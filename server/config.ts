/**
 * Hall configuration and environment, parsed by zod at boot. A bad configuration stops the server with
 * a message naming the field; nothing later has to wonder whether a value is there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { ROLES } from './contract/api.ts';
import type { DeviceConfig } from './contract/devices.ts';
import { deviceConfig, hallId, username } from './contract/schemas.ts';
import { parseClockTime } from './domain/hall-time.ts';
import { DEFAULT_ROUTING } from './domain/routing.ts';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time as HH:MM');
const text = z.strictObject({ zh: z.string().min(1), en: z.string().min(1) });

const hours = z.strictObject({ open: hhmm, close: hhmm }).refine((h) => h.open < h.close, {
  message: '`open` must be before `close`',
});

export const serviceConfig = z.strictObject({
  id: hallId,
  prefix: z.string().regex(/^[A-Z]$/, 'one capital letter'),
  name: text,
  /** Groups services on the kiosk's first screen. */
  category: z.string().min(1).default('business'),
  waitTargetMinutes: z.number().int().min(1).max(240).default(15),
  hours: hours.optional(),
  /** The kiosk offers self-service before a ticket for this service. */
  selfService: z.boolean().default(false),
  enabled: z.boolean().default(true),
});

const counterService = z.union([
  hallId,
  z.strictObject({ id: hallId, weight: z.number().int().min(1).max(10) }),
]);

export const counterConfig = z.strictObject({
  id: hallId,
  name: z.string().min(1),
  /** First-listed = the counter's own service (weight 2 unless given); the rest it helps with (weight 1). */
  services: z.array(counterService).min(1),
  /** 爱心窗口: elderly customers before every other tier. */
  elderlyFirst: z.boolean().default(false),
});

export const staffConfig = z.strictObject({
  id: hallId,
  username,
  name: z.string().min(1),
  role: z.enum(ROLES),
});

/**
 * A kiosk's settings (`kiosks[]`), which `GET /kiosks/:id` gives the kiosk in its KioskView. Devices name
 * the kiosk they serve by its `kioskId`.
 */
export const kioskConfig = z.strictObject({
  id: hallId,
  /** Seconds without a touch before the "still there?" warning, then `warningSeconds` more. */
  idleSeconds: z.number().int().min(10).max(600).default(30),
  warningSeconds: z.number().int().min(3).max(120).default(10),
  /** Top-up amounts offered as buttons, in fen. */
  topUpAmountsFen: z
    .array(z.number().int().min(100).max(100_000))
    .min(1)
    .max(8)
    .default([1000, 2000, 5000, 10000]),
});

/** Appointment booking and check-in (early/late window around the slot). */
export const appointmentConfig = z.strictObject({
  earlyMinutes: z.number().int().min(0).max(240).default(30),
  lateMinutes: z.number().int().min(0).max(240).default(15),
  slotMinutes: z.number().int().min(5).max(120).default(15),
  perSlot: z.number().int().min(1).max(100).default(4),
  daysAhead: z.number().int().min(0).max(60).default(14),
});

export const hallConfigSchema = z
  .strictObject({
    name: text,
    timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Asia/Shanghai'),
    hours: hours.default({ open: '09:00', close: '18:00' }),
    services: z.array(serviceConfig).min(1),
    counters: z.array(counterConfig).min(1),
    staff: z.array(staffConfig).default([]),
    devices: z.array(deviceConfig).default([]),
    /** The ticket printer: `sim`, `tcp://host:port`, `serial:/dev/…?baud=…` or a device file. HALLQ_PRINTER wins. */
    printer: z.string().trim().min(1).max(300).optional(),
    routing: z
      .strictObject({
        maxPassOvers: z.number().int().min(1).max(50),
        maxWaitFactor: z.number().min(1).max(10),
      })
      .default(DEFAULT_ROUTING),
    /** Public base URL printed in ticket QR codes, e.g. http://192.168.1.20:8080 (the hall Wi-Fi address). */
    publicUrl: z.url().optional(),
    kiosks: z.array(kioskConfig).default([]),
    /** The service complaint tickets go to; by default the service with id `complaints`, if any. */
    complaintsServiceId: hallId.optional(),
    appointments: appointmentConfig.prefault({}),
  })
  .superRefine((hall, ctx) => {
    const serviceIds = new Set<string>();
    hall.services.forEach((s, i) => {
      if (serviceIds.has(s.id))
        ctx.addIssue({
          code: 'custom',
          path: ['services', i, 'id'],
          message: `duplicate service id ${s.id}`,
        });
      serviceIds.add(s.id);
    });
    const prefixes = new Set<string>();
    hall.services.forEach((s, i) => {
      if (prefixes.has(s.prefix))
        ctx.addIssue({
          code: 'custom',
          path: ['services', i, 'prefix'],
          message: `duplicate prefix ${s.prefix}`,
        });
      prefixes.add(s.prefix);
    });
    const counterIds = new Set<string>();
    hall.counters.forEach((c, i) => {
      if (counterIds.has(c.id))
        ctx.addIssue({
          code: 'custom',
          path: ['counters', i, 'id'],
          message: `duplicate counter id ${c.id}`,
        });
      counterIds.add(c.id);
      c.services.forEach((s, j) => {
        const id = typeof s === 'string' ? s : s.id;
        if (!serviceIds.has(id))
          ctx.addIssue({
            code: 'custom',
            path: ['counters', i, 'services', j],
            message: `unknown service ${id}`,
          });
      });
    });
    const deviceIds = new Set<string>(['printer']);
    hall.devices.forEach((d, i) => {
      if (deviceIds.has(d.id))
        ctx.addIssue({
          code: 'custom',
          path: ['devices', i, 'id'],
          message: `device id ${d.id} is used twice (or is "printer")`,
        });
      deviceIds.add(d.id);
      if (d.counterId && !counterIds.has(d.counterId))
        ctx.addIssue({
          code: 'custom',
          path: ['devices', i, 'counterId'],
          message: `unknown counter ${d.counterId}`,
        });
    });
    if (hall.complaintsServiceId && !serviceIds.has(hall.complaintsServiceId))
      ctx.addIssue({
        code: 'custom',
        path: ['complaintsServiceId'],
        message: `unknown service ${hall.complaintsServiceId}`,
      });
    const kioskIds = new Set<string>();
    hall.kiosks.forEach((k, i) => {
      if (kioskIds.has(k.id))
        ctx.addIssue({ code: 'custom', path: ['kiosks', i, 'id'], message: `duplicate kiosk id ${k.id}` });
      kioskIds.add(k.id);
    });
    const usernames = new Set<string>();
    hall.staff.forEach((s, i) => {
      if (usernames.has(s.username))
        ctx.addIssue({
          code: 'custom',
          path: ['staff', i, 'username'],
          message: `duplicate username ${s.username}`,
        });
      usernames.add(s.username);
    });
  });

/**
 * The hall's configuration: the file's (or the demo's), then as the manager edits it (stored by version).
 * `GET /config` shows its editable part as a ConfigView.
 */
export type HallConfig = z.infer<typeof hallConfigSchema>;
export type ServiceConfig = HallConfig['services'][number];
export type CounterConfig = HallConfig['counters'][number];

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The counter's services with their routing weights. */
export function counterServiceWeights(counter: CounterConfig): { serviceId: string; weight: number }[] {
  return counter.services.map((s, i) =>
    typeof s === 'string' ? { serviceId: s, weight: i === 0 ? 2 : 1 } : { serviceId: s.id, weight: s.weight },
  );
}

/** The demo hall (README.md): open around the clock so it can be tried at any hour. */
export const DEMO_HALL: HallConfig = hallConfigSchema.parse({
  name: { zh: 'HallQ 示范营业厅', en: 'HallQ Demo Hall' },
  timeZone: 'Asia/Shanghai',
  hours: { open: '00:00', close: '24:00' },
  services: [
    { id: 'general', prefix: 'A', name: { zh: '业务办理', en: 'General business' }, category: 'business' },
    {
      id: 'payments',
      prefix: 'B',
      name: { zh: '缴费充值', en: 'Payments & top-up' },
      category: 'payments',
      selfService: true,
    },
    { id: 'devices', prefix: 'C', name: { zh: '终端购机', en: 'Phones & devices' }, category: 'business' },
    {
      id: 'broadband',
      prefix: 'D',
      name: { zh: '宽带固话', en: 'Broadband & landline' },
      category: 'business',
    },
    { id: 'business', prefix: 'E', name: { zh: '政企业务', en: 'Business customers' }, category: 'business' },
    { id: 'vip', prefix: 'V', name: { zh: '贵宾服务', en: 'VIP' }, category: 'vip' },
    {
      id: 'complaints',
      prefix: 'F',
      name: { zh: '投诉与争议', en: 'Complaints & disputes' },
      category: 'help',
    },
    {
      id: 'retention',
      prefix: 'R',
      name: { zh: '销户与携号转网', en: 'Cancellation & porting' },
      category: 'help',
    },
  ],
  counters: [
    { id: '1', name: '1号窗口', services: ['general', 'payments', 'devices'] },
    { id: '2', name: '2号窗口', services: ['general', 'payments', 'broadband'] },
    { id: '3', name: '3号窗口', services: ['devices', 'broadband', 'business', 'general'] },
    { id: '4', name: '4号窗口 贵宾', services: ['vip', 'general'] },
    { id: '5', name: '5号窗口 爱心窗口', services: ['general', 'payments'], elderlyFirst: true },
    { id: '6', name: '6号窗口 值班经理', services: ['complaints', 'retention', 'business'] },
  ],
  kiosks: [{ id: 'k1' }, { id: 'k2' }],
  staff: [
    { id: 'manager', username: 'manager', name: '王经理', role: 'manager' },
    ...[1, 2, 3, 4, 5, 6].map((n) => ({
      id: `staff${n}`,
      username: `staff${n}`,
      name: `营业员${n}`,
      role: 'staff',
    })),
  ],
});

/**
 * The demo's devices: simulators (path `sim`) on in-memory cables, speaking the devices' real bytes. Not
 * part of DEMO_HALL, so a hall file copied from it starts without them.
 */
export const DEMO_DEVICES: DeviceConfig[] = [
  { id: 'keypad-1', kind: 'keypad', path: 'sim', counterId: '1' },
  { id: 'led-1', kind: 'led', path: 'sim', counterId: '1' },
  { id: 'rating-pad-1', kind: 'rating-pad', path: 'sim', counterId: '1' },
  { id: 'k1-id-reader', kind: 'id-reader', path: 'sim', kioskId: 'k1' },
  { id: 'k1-scanner', kind: 'scanner', path: 'sim', kioskId: 'k1' },
];

export const DEMO_PASSWORDS = { manager: 'demo-manager', staff: 'demo-staff' } as const;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HALLQ_CONFIG: z.string().min(1).optional(),
  HALLQ_DB: z.string().min(1).optional(),
  HALLQ_PRINTER: z.string().min(1).optional(),
  HALLQ_DEVICES: z.string().min(1).optional(),
  HALLQ_HOST: z.string().min(1).default('0.0.0.0'),
  HALLQ_VOICE_DIR: z.string().min(1).optional(),
  HALLQ_PAPER: z.enum(['58', '80']).default('80'),
  HALLQ_MIN_FREE_MB: z.coerce.number().int().min(0).default(200),
  HALLQ_STREAMS_MAX: z.coerce.number().int().min(1).default(500),
  HALLQ_STREAMS_PER_ADDRESS: z.coerce.number().int().min(1).default(50),
  HALLQ_TLS_CERT: z.string().min(1).optional(),
  HALLQ_TLS_KEY: z.string().min(1).optional(),
  HALLQ_TRUST_PROXY: z
    .string()
    .min(1)
    .transform((v) => v.split(',').map((p) => p.trim()))
    .refine((list) => list.every(isProxyAddress), {
      message:
        'a comma-separated list of proxy addresses or subnets (192.168.1.10, 10.0.0.0/8, ::1) or loopback, linklocal, uniquelocal',
    })
    .optional(),
  HALLQ_BACKUP_DIR: z.string().min(1).optional(),
  HALLQ_BACKUP_AT: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM')
    .optional(),
  HALLQ_BACKUP_KEEP: z.coerce.number().int().min(0).max(366).default(14),
  HALLQ_LOG_FILE: z.string().min(1).optional(),
  HALLQ_HQ_URL: z.url().optional(),
  HALLQ_HQ_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{16,200}$/, 'the token `npm run hq -- hall add` printed')
    .optional(),
});

/** An address or subnet a reverse proxy may send from, or one of Express's names for a set of them. */
function isProxyAddress(entry: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

export type Settings = {
  port: number;
  host: string;
  demo: boolean;
  hall: HallConfig;
  dbPath: string;
  printer: string;
  /** Ticket paper: 80 mm has 48 columns, 58 mm 32. */
  paperColumns: 32 | 48;
  devices: DeviceConfig[];
  /** The wall display's voice clips (served at /voice/); a hall may point this at its own recordings. */
  voiceDir: string;
  /** Below this much free space where the database lives, /health says the hall is in trouble. */
  minFreeBytes: number;
  /** Open event streams allowed: in all, and from one address (the wall, kiosks, counters, phones). */
  streams: { max: number; perAddress: number };
  /** HTTPS: the certificate (with its chain) and key, PEM, from HALLQ_TLS_CERT and HALLQ_TLS_KEY. */
  tls: { cert: string; key: string } | null;
  /** Reverse proxies whose X-Forwarded-For and -Proto are believed (HALLQ_TRUST_PROXY); none by default. */
  trustProxy: string[];
  /**
   * Nightly backups: the folder (null: `backups/` beside the database), how many are kept, and the
   * minute of the hall's day they are taken. Null: none (HALLQ_BACKUP_KEEP=0).
   */
  backup: { dir: string | null; keep: number; atMinute: number } | null;
  /** A size-bounded log file written beside standard output; null: standard output only. */
  logFile: string | null;
  /** HQ this hall ships its event log to (HALLQ_HQ_URL, HALLQ_HQ_TOKEN); null: none. */
  hq: { url: string; token: string } | null;
};

/**
 * The checkout the server runs from: the folder with package.json above this module, found by walking
 * up, so the same answer holds for the sources (server/) and the production bundle (dist/server/).
 */
export const PROJECT_ROOT = ((): string => {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
})();

/** HallQ's version (package.json), sent to HQ with every batch. */
export const APP_VERSION = (
  JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Names each failing field: `services.2.prefix: one capital letter`. */
export function describeIssues(error: z.ZodError, source: string): string {
  return [
    `${source} is not valid:`,
    ...error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`),
  ].join('\n');
}

function readJson(path: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigError(`${what} ${path} cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function parseHallConfig(raw: unknown, source: string): HallConfig {
  const parsed = hallConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error, source));
  return parsed.data;
}

/** Reads the environment (and the files it names) into validated settings, or throws ConfigError. */
export function loadSettings(env: NodeJS.ProcessEnv, cwd = process.cwd()): Settings {
  const parsedEnv = envSchema.safeParse(env);
  if (!parsedEnv.success) throw new ConfigError(describeIssues(parsedEnv.error, 'the environment'));
  const e = parsedEnv.data;
  const demo = e.HALLQ_CONFIG === undefined;
  const hall = demo
    ? DEMO_HALL
    : parseHallConfig(readJson(resolve(cwd, e.HALLQ_CONFIG!), 'HALLQ_CONFIG'), e.HALLQ_CONFIG!);
  let devices = demo ? DEMO_DEVICES : hall.devices;
  if (e.HALLQ_DEVICES) {
    const parsed = z.array(deviceConfig).safeParse(readJson(resolve(cwd, e.HALLQ_DEVICES), 'HALLQ_DEVICES'));
    if (!parsed.success) throw new ConfigError(describeIssues(parsed.error, e.HALLQ_DEVICES));
    devices = [...devices, ...parsed.data];
  }
  // The devices join the hall's configuration (the manager edits them there): checked as a whole.
  const withDevices = hallConfigSchema.safeParse({ ...hall, devices });
  if (!withDevices.success)
    throw new ConfigError(describeIssues(withDevices.error, e.HALLQ_DEVICES ?? 'the devices'));
  if (!demo && !e.HALLQ_DB)
    throw new ConfigError('HALLQ_DB must name the database file when HALLQ_CONFIG is given');
  if ((e.HALLQ_TLS_CERT === undefined) !== (e.HALLQ_TLS_KEY === undefined))
    throw new ConfigError('HTTPS needs both HALLQ_TLS_CERT and HALLQ_TLS_KEY');
  const readPem = (path: string, what: string) => {
    try {
      return readFileSync(resolve(cwd, path), 'utf8');
    } catch (error) {
      throw new ConfigError(
        `${what} ${path} cannot be read: ${error instanceof Error ? error.message : error}`,
      );
    }
  };
  const tls =
    e.HALLQ_TLS_CERT && e.HALLQ_TLS_KEY
      ? { cert: readPem(e.HALLQ_TLS_CERT, 'HALLQ_TLS_CERT'), key: readPem(e.HALLQ_TLS_KEY, 'HALLQ_TLS_KEY') }
      : null;
  if ((e.HALLQ_HQ_URL === undefined) !== (e.HALLQ_HQ_TOKEN === undefined))
    throw new ConfigError('HALLQ_HQ_URL and HALLQ_HQ_TOKEN go together: give both to join HQ, or neither');
  return {
    port: e.PORT,
    host: e.HALLQ_HOST,
    demo,
    hall,
    dbPath: resolve(cwd, e.HALLQ_DB ?? 'data/demo.sqlite'),
    printer: e.HALLQ_PRINTER ?? hall.printer ?? 'sim',
    paperColumns: e.HALLQ_PAPER === '58' ? 32 : 48,
    devices,
    voiceDir: resolve(cwd, e.HALLQ_VOICE_DIR ?? join(PROJECT_ROOT, 'display', 'wall', 'voice')),
    minFreeBytes: e.HALLQ_MIN_FREE_MB * 1024 * 1024,
    streams: { max: e.HALLQ_STREAMS_MAX, perAddress: e.HALLQ_STREAMS_PER_ADDRESS },
    tls,
    trustProxy: e.HALLQ_TRUST_PROXY ?? [],
    backup:
      e.HALLQ_BACKUP_KEEP === 0
        ? null
        : {
            dir: e.HALLQ_BACKUP_DIR ? resolve(cwd, e.HALLQ_BACKUP_DIR) : null,
            keep: e.HALLQ_BACKUP_KEEP,
            atMinute: e.HALLQ_BACKUP_AT ? parseClockTime(e.HALLQ_BACKUP_AT) : afterClosing(hall.hours.close),
          },
    logFile: e.HALLQ_LOG_FILE ? resolve(cwd, e.HALLQ_LOG_FILE) : null,
    hq: e.HALLQ_HQ_URL && e.HALLQ_HQ_TOKEN ? { url: e.HALLQ_HQ_URL, token: e.HALLQ_HQ_TOKEN } : null,
  };
}

/**
 * The nightly backup's default minute: half an hour after closing, when the day's tickets are final and
 * the hall is quiet; 03:00 for a hall open around the clock (or closing after 23:30).
 */
function afterClosing(close: string): number {
  const minute = parseClockTime(close) + 30;
  return minute < 24 * 60 ? minute : 3 * 60;
}
