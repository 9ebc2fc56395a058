/**
 * Backups of the hall's database file, and restores from them.
 *
 * - A backup is one consistent snapshot of the live file (SQLite's online backup API copying every page
 *   in one step, i.e. inside one read transaction: a hall writing meanwhile neither waits nor restarts
 *   it), written beside its destination, integrity-checked, synced, and only then renamed into place.
 * - A restore refuses while any HallQ process holds the database, checks that the file is a HallQ
 *   database of a schema this release can open, keeps the replaced database aside, and swaps the new
 *   file in with one rename: a crash leaves either the old database or the new one, never a mix.
 */
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname } from 'node:path';
import Database from 'better-sqlite3';
import { lockDatabase } from './lock.ts';
import { migrate } from './open.ts';

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

export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
