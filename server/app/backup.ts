/**
 * The nightly backup of the hall's database (the file work is server/db/backup.ts). It runs in a process
 * of its own (the CLI's `backup`), so that copying and checking a year of tickets (~2 s and ~4 s for
 * 700 MB) never stalls the hall.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statfsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { BackupError, type BackupResult, type BackupStatus, messageOf } from '../db/backup.ts';
import { type Clock, HOUR } from '../domain/clock.ts';
import { addDays, instantOf, localTime } from '../domain/hall-time.ts';

export type { BackupStatus };

// ---------- the nightly backup ----------

export type NightlyOptions = {
  dbPath: string;
  /** Where the nightly files go (`hallq-YYYY-MM-DD.sqlite`, the hall's day). */
  dir: string;
  /** How many nightly files are kept; older ones are deleted after a good backup. */
  keep: number;
  /** Minute of the hall's day the backup is due. */
  atMinute: number;
  timeZone: string;
  clock: Clock;
  /** Makes one backup (main.ts runs it in its own process). */
  backup: (file: string) => Promise<BackupResult>;
  log: (line: Record<string, unknown>) => void;
  /** Free space left for the hall after a backup, beyond its own size. */
  reserveBytes?: number;
};

const NIGHTLY = /^hallq-(\d{4}-\d\d-\d\d)-(\d\d)(\d\d)\.sqlite$/;
const RETRY_AFTER = HOUR;

/**
 * The nightly backup. It is due when no backup was made since the last time the hall's day reached
 * `atMinute`: each night, and at the first chance after a night the box was off. `tick()` starts it when
 * due (main.ts calls it every minute); never two at a time; a failure is tried again an hour later.
 * Files are named by the hall's local time they were taken at, `hallq-YYYY-MM-DD-HHMM.sqlite`; the
 * newest `keep` are kept.
 */
export function createNightlyBackups(options: NightlyOptions) {
  const { dir, keep, clock, timeZone } = options;
  const reserve = options.reserveBytes ?? 256 * 1024 * 1024;
  let running: Promise<void> | null = null;
  let problem: string | null = null;
  let retryAt = 0;

  /** The nightly files, newest first, with the instant each was taken. */
  function nightlyFiles(): { at: number; file: string }[] {
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .flatMap((name) => {
        const m = NIGHTLY.exec(name);
        if (!m) return [];
        return [{ at: instantOf(m[1]!, Number(m[2]) * 60 + Number(m[3]), timeZone), file: join(dir, name) }];
      })
      .sort((a, b) => b.at - a.at);
  }

  /** The last time the hall's day passed the backup minute (today's, or yesterday's before it). */
  function lastSlot(now: number): number {
    const today = localTime(now, timeZone).day;
    const slot = instantOf(today, options.atMinute, timeZone);
    return slot <= now ? slot : instantOf(addDays(today, -1), options.atMinute, timeZone);
  }

  function nextAt(): number {
    const now = clock.now();
    const newest = nightlyFiles()[0];
    const slot = lastSlot(now);
    const due =
      !newest || newest.at < slot
        ? now
        : instantOf(addDays(localTime(slot, timeZone).day, 1), options.atMinute, timeZone);
    return Math.max(due, retryAt);
  }

  async function run(): Promise<void> {
    const local = localTime(clock.now(), timeZone);
    const hhmm = `${String(local.hour).padStart(2, '0')}${String(local.minute).padStart(2, '0')}`;
    const file = join(dir, `hallq-${local.day}-${hhmm}.sqlite`);
    try {
      mkdirSync(dir, { recursive: true });
      // What a backup killed half-way (the service stopped meanwhile) left behind.
      for (const name of readdirSync(dir))
        if (/^hallq-.*\.sqlite\.partial-/.test(name)) rmSync(join(dir, name), { force: true });
      const needed = databaseBytes(options.dbPath) + reserve;
      const { bavail, bsize } = statfsSync(dir);
      if (bavail * bsize < needed)
        throw new BackupError(
          `not enough free space in ${dir} for a backup: ${mb(bavail * bsize)} free, ${mb(needed)} needed (the copy and a reserve for the hall)`,
        );
      const result = await options.backup(file);
      problem = null;
      retryAt = 0;
      const removed = nightlyFiles()
        .slice(keep)
        .map((old) => {
          rmSync(old.file, { force: true });
          return basename(old.file);
        });
      options.log({ msg: 'backup made', file, bytes: result.bytes, tickets: result.tickets, removed });
    } catch (error) {
      problem = messageOf(error);
      retryAt = clock.now() + RETRY_AFTER;
      options.log({ msg: 'backup failed', level: 'error', file, problem });
    }
  }

  return {
    /** Starts the backup when it is due (and none is running). */
    tick(): void {
      if (running || clock.now() < nextAt()) return;
      running = run().finally(() => {
        running = null;
      });
    },
    status(): BackupStatus {
      const newest = nightlyFiles()[0];
      return {
        last: newest
          ? { at: new Date(newest.at).toISOString(), file: newest.file, bytes: statSync(newest.file).size }
          : null,
        problem,
        nextAt: new Date(nextAt()).toISOString(),
      };
    },
    /** Resolves when no backup is running (tests; an orderly stop waits for it). */
    async idle(): Promise<void> {
      while (running) await running;
    },
  };
}

export type NightlyBackups = ReturnType<typeof createNightlyBackups>;

/** The database with its write-ahead log: what a copy will need room for. */
function databaseBytes(dbPath: string): number {
  const size = (p: string) => (existsSync(p) ? statSync(p).size : 0);
  return size(dbPath) + size(`${dbPath}-wal`);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/**
 * One backup by a command in its own process (the CLI's `backup --json`): its last line of output is
 * the BackupResult; a non-zero exit is a BackupError with what it printed.
 */
export function backupInChild(command: readonly string[], env: NodeJS.ProcessEnv) {
  return (file: string): Promise<BackupResult> =>
    new Promise((resolve, reject) => {
      const child = spawn(command[0]!, [...command.slice(1), 'backup', '--json', file], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
      });
      child.stderr.on('data', (c: Buffer) => {
        err += c.toString();
      });
      child.once('error', (error) => reject(new BackupError(`the backup could not start: ${error.message}`)));
      child.once('exit', (code, signal) => {
        if (code === 0) {
          try {
            resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as BackupResult);
          } catch {
            reject(new BackupError(`the backup answered without a result: ${out.slice(-300)}`));
          }
        } else reject(new BackupError((err.trim() || `the backup ended with ${code ?? signal}`).slice(-500)));
      });
    });
}
