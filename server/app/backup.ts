/**
 * Backups of the hall's database, and restores from them.
 *
 * - A backup is one consistent snapshot of the live file (SQLite's online backup API copying every page
 *   in one step, i.e. inside one read transaction: a hall writing meanwhile neither waits nor restarts
 *   it), written beside its destination, integrity-checked, synced, and only then renamed into place.
 * - A restore refuses while any HallQ process holds the database, checks that the file is a HallQ
 *   database of a schema this release can open, keeps the replaced database aside, and swaps the new
 *   file in with one rename: a crash leaves either the old database or the new one, never a mix.
 * - The nightly backup runs in a process of its own (the CLI's `backup`), so that copying and checking
 *   a year of tickets (~2 s and ~4 s for 700 MB) never stalls the hall.
 */
import { spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statfsSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { lockDatabase } from '../db/lock.ts';
import { migrate } from '../db/open.ts';
import { type Clock, HOUR } from '../domain/clock.ts';
import { addDays, instantOf, localTime } from '../domain/hall-time.ts';

export type BackupResult = {
  file: string;
  bytes: number;
  /** The schema version (migration number) of the copy. */
  schema: number;
  tickets: number;
  /** ISO time the snapshot was taken. */
  at: string;
};

/** What `/health` says about backups. */
export type BackupStatus = {
  /** The newest good nightly backup; null before the first. */
  last: { at: string; file: string; bytes: number } | null;
  /** Why the last attempt failed (no space, a failed check…); null when it succeeded. */
  problem: string | null;
  /** When the next nightly backup is due (ISO). */
  nextAt: string;
};

export class BackupError extends Error {
  override name = 'BackupError';
}

/** Tables every HallQ database has had since its first schema. */
const HALLQ_TABLES = ['tickets', 'events', 'services', 'counters', 'users', 'daily_numbers', 'settings'];

let newestSchema: number | null = null;
/** The newest schema this release knows: the migrations applied to an empty database. */
export function latestSchema(): number {
  if (newestSchema === null) {
    const scratch = new Database(':memory:');
    newestSchema = migrate(scratch);
    scratch.close();
  }
  return newestSchema;
}

/**
 * Checks a database file the way a restore must: SQLite can read every page and index (integrity_check),
 * it is a HallQ database, and its schema is one this release can open (and migrate). Returns the schema
 * version and the ticket count; throws BackupError saying what is wrong.
 */
export function inspectDatabase(file: string): { schema: number; tickets: number } {
  if (!existsSync(file)) throw new BackupError(`${file} does not exist`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new BackupError(`${file} cannot be opened: ${messageOf(error)}`);
  }
  try {
    let integrity: string;
    try {
      integrity = String(db.pragma('integrity_check(20)', { simple: true }));
    } catch (error) {
      throw new BackupError(`${file} is not a readable SQLite database: ${messageOf(error)}`);
    }
    if (integrity !== 'ok') throw new BackupError(`${file} fails SQLite's integrity check: ${integrity}`);
    const tables = new Set(
      db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table'")
        .all()
        .map((t) => t.name),
    );
    const schema = db.pragma('user_version', { simple: true }) as number;
    const missing = HALLQ_TABLES.filter((t) => !tables.has(t));
    if (schema < 1 || missing.length > 0)
      throw new BackupError(`${file} is not a HallQ database (no ${missing.join(', ') || 'schema version'})`);
    if (schema > latestSchema())
      throw new BackupError(
        `${file} has schema ${schema}, made by a newer HallQ; this release opens schemas up to ${latestSchema()}`,
      );
    const tickets = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM tickets').get()!.n;
    return { schema, tickets };
  } finally {
    db.close();
  }
}

/**
 * Copies the database at `dbPath` (live or not) into `file`, replacing it only once the copy is checked.
 * Throws BackupError with the reason when it cannot.
 */
export async function backupDatabase(dbPath: string, file: string): Promise<BackupResult> {
  if (!existsSync(dbPath)) throw new BackupError(`there is no database at ${dbPath}`);
  if (!existsSync(dirname(file))) throw new BackupError(`the folder ${dirname(file)} does not exist`);
  const partial = `${file}.partial-${process.pid}`;
  removeDatabase(partial);
  const source = new Database(dbPath, { readonly: true, fileMustExist: true });
  const at = new Date().toISOString();
  try {
    // Every page in one step: one read transaction, so the copy is one moment of the hall.
    await source.backup(partial, { progress: () => 0x7fffffff });
  } catch (error) {
    removeDatabase(partial);
    throw new BackupError(`the copy of ${dbPath} failed: ${messageOf(error)}`);
  } finally {
    source.close();
  }
  try {
    // A copy of a WAL database is a WAL database: made a plain one, it is one self-contained file that
    // is read without -wal and -shm files appearing beside it.
    const copy = new Database(partial, { fileMustExist: true });
    copy.pragma('journal_mode = DELETE');
    copy.close();
    const { schema, tickets } = inspectDatabase(partial);
    syncFile(partial);
    renameSync(partial, file);
    syncFile(dirname(file));
    return { file, bytes: statSync(file).size, schema, tickets, at };
  } catch (error) {
    removeDatabase(partial);
    throw error instanceof BackupError ? error : new BackupError(messageOf(error));
  }
}

/**
 * Replaces the database at `dbPath` with the backup `file`. Refuses (DatabaseInUse) while a hall or
 * another restore holds it; holds the lock itself meanwhile, so no hall starts half-way. Returns where
 * the replaced database was kept (null when there was none).
 */
export async function restoreDatabase(
  file: string,
  dbPath: string,
  now = new Date(),
): Promise<{ restored: BackupResult; keptAside: string | null }> {
  const lock = lockDatabase(dbPath, 'restore');
  const incoming = `${dbPath}.restoring-${process.pid}`;
  try {
    // Checked before anything is touched, and the copy checked again before it goes in.
    inspectDatabase(file);
    mkdirSync(dirname(dbPath), { recursive: true });
    const restored = await backupDatabase(file, incoming);
    let keptAside: string | null = null;
    if (existsSync(dbPath)) {
      settle(dbPath);
      keptAside = `${dbPath}.replaced-${now.toISOString().replace(/[:.]/g, '-')}`;
      linkSync(dbPath, keptAside);
      // The restored file takes the replaced one's owner and mode: the service's user must write it.
      const { uid, gid, mode } = statSync(dbPath);
      if (process.getuid?.() === 0) chownSync(incoming, uid, gid);
      chmodSync(incoming, mode & 0o7777);
      renameSync(incoming, dbPath);
      rmSync(`${dbPath}-shm`, { force: true });
    } else renameSync(incoming, dbPath);
    syncFile(dirname(dbPath));
    return { restored: { ...restored, file: dbPath }, keptAside };
  } finally {
    removeDatabase(incoming);
    lock.release();
  }
}

/**
 * Folds the write-ahead log of a stopped hall into its file (checkpoint, then close), so the file alone
 * is the whole database and can be swapped. A WAL left beside a swapped file would be replayed onto the
 * new one.
 */
function settle(dbPath: string): void {
  try {
    const db = new Database(dbPath, { fileMustExist: true });
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  } catch (error) {
    throw new BackupError(
      `the database to be replaced, ${dbPath}, cannot be read (${messageOf(error)}): move ${basename(dbPath)} and its -wal and -shm files away, then restore again`,
    );
  }
  const wal = `${dbPath}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0)
    throw new BackupError(`${wal} could not be folded into the database; is something still using it?`);
  rmSync(wal, { force: true });
}

/** A database file and the files SQLite may keep beside it. */
function removeDatabase(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

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
