/**
 * One HallQ process per database file. The lock is SQLite's own: a small database `<file>.lock` beside
 * the hall's file, on which the holder keeps a write transaction open (a RESERVED lock, an fcntl lock the
 * kernel drops when the process ends, `kill -9` and power loss included). Another process that asks for
 * the lock gets SQLITE_BUSY at once and can still read who holds it: the holder's pid, host and since
 * when are committed in that file before the lock is taken for good.
 *
 * Hazard: the lock protects the file from other HallQ processes only. A process that opens the hall's
 * file without asking for the lock (the CLI's `backup`, which only reads; sqlite3 by hand) is not stopped.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import Database from 'better-sqlite3';

export type LockHolder = {
  /** What holds the file: `hall server` or `restore`. */
  role: string;
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  since: string;
};

export type DatabaseLock = {
  readonly path: string;
  readonly holder: LockHolder;
  /** Frees the lock (idempotent). Ending the process frees it too. */
  release(): void;
};

/** Another process holds the database; the message names the file and that process. */
export class DatabaseInUse extends Error {
  override name = 'DatabaseInUse';
  constructor(
    readonly dbPath: string,
    readonly holder: LockHolder | null,
  ) {
    super(
      holder
        ? `${dbPath} is in use by another HallQ process: the ${holder.role} with pid ${holder.pid} on ${holder.host}, since ${holder.since}. Stop it first (one HallQ process per database file).`
        : `${dbPath} is in use by another HallQ process (it is starting; who it is is not written yet). Stop it first (one HallQ process per database file).`,
    );
  }
}

const isBusy = (error: unknown) =>
  error instanceof Database.SqliteError && (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_LOCKED');

/** The lock file of a database file. */
export const lockPathOf = (dbPath: string) => `${dbPath}.lock`;

/**
 * Takes the lock of `dbPath` for this process, or throws DatabaseInUse naming the holder. An in-memory
 * database has nothing to share and gets a lock that holds nothing.
 */
export function lockDatabase(dbPath: string, role: string): DatabaseLock {
  const holder: LockHolder = { role, pid: process.pid, host: hostname(), since: new Date().toISOString() };
  if (dbPath === ':memory:') return { path: dbPath, holder, release: () => {} };
  const path = lockPathOf(dbPath);
  const db = new Database(path, { timeout: 0 });
  try {
    try {
      db.exec('CREATE TABLE IF NOT EXISTS holder (token TEXT NOT NULL, details TEXT NOT NULL)');
    } catch (error) {
      if (isBusy(error)) throw new DatabaseInUse(dbPath, readHolder(db));
      throw error;
    }
    const token = randomBytes(16).toString('hex');
    // The holder's details must be committed to be readable by the refused, and the lock is taken after
    // that commit: someone may slip in between. Then whoever holds the lock re-checks that the details
    // are its own, and the loser of the race reads the winner's.
    for (let attempt = 0; attempt < 5; attempt++) {
      if (!begin(db)) throw new DatabaseInUse(dbPath, readHolder(db));
      db.prepare('DELETE FROM holder').run();
      db.prepare('INSERT INTO holder (token, details) VALUES (?, ?)').run(token, JSON.stringify(holder));
      db.exec('COMMIT');
      if (!begin(db)) continue;
      const written = db.prepare<[], { token: string }>('SELECT token FROM holder').get();
      if (written?.token === token) {
        let held = true;
        return {
          path,
          holder,
          release() {
            if (!held) return;
            held = false;
            db.exec('ROLLBACK');
            db.close();
          },
        };
      }
      db.exec('ROLLBACK');
    }
    throw new DatabaseInUse(dbPath, readHolder(db));
  } catch (error) {
    if (db.open) db.close();
    throw error;
  }
}

/** BEGIN IMMEDIATE without waiting: true when this connection now holds the write lock. */
function begin(db: Database.Database): boolean {
  try {
    db.exec('BEGIN IMMEDIATE');
    return true;
  } catch (error) {
    if (isBusy(error)) return false;
    throw error;
  }
}

/** The holder's committed details; waits briefly, as the holder may be in the middle of its commit. */
function readHolder(db: Database.Database): LockHolder | null {
  db.pragma('busy_timeout = 1000');
  try {
    const row = db.prepare<[], { details: string }>('SELECT details FROM holder').get();
    return row ? (JSON.parse(row.details) as LockHolder) : null;
  } catch (error) {
    if (isBusy(error) || (error instanceof Database.SqliteError && /no such table/.test(error.message)))
      return null;
    throw error;
  } finally {
    db.pragma('busy_timeout = 0');
  }
}
