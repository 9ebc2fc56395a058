import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations');

/**
 * Opens the hall database: WAL for readers beside the single writer, `synchronous=FULL` because a
 * ticket the kiosk printed must survive a power cut, foreign keys on, then every pending migration.
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

/**
 * A second connection to a hall's database that is already open, for a reader with its own pace (the
 * HQ sender): no migrations; a write on it (a cursor that can be rebuilt) is not fsync'd at each commit,
 * and it waits at most a second for the command path.
 */
export function openSideConnection(path: string): Db {
  const db = new Database(path, { fileMustExist: true });
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 1000');
  return db;
}

export function migrate(db: Db): number {
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const file of files) {
    const version = Number(file.slice(0, 3));
    if (version <= current) continue;
    const sql = readFileSync(join(MIGRATIONS_DIR, file), 'utf8');
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
}

/** The time of the hall's latest event (events are appended in time order), or 0 for a new hall. */
export function lastEventAt(db: Db): number {
  return db.prepare<[], { at: number }>('SELECT at FROM events ORDER BY id DESC LIMIT 1').get()?.at ?? 0;
}
