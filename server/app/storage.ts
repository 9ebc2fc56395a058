/**
 * The hall's storage and what can go wrong with it, for a box nobody watches:
 * - A full disk, an I/O error or a read-only file: writes are refused (503) and the hall resumes by
 *   itself at the first write that succeeds (the watch probes every few seconds).
 * - An fsync that failed: the kernel may have dropped the data it could not write, so nothing written
 *   since can be trusted to be on disk. Writes stop and the process asks its supervisor for a restart;
 *   SQLite recovers from its WAL at the next open.
 * - The database file or its WAL deleted or replaced under the running hall: SQLite would go on writing
 *   to a file nobody can open again. Writes stop; the hall's data is rescued from the open connection
 *   (a deleted file is written back where it was, a deleted WAL checkpointed into the database) and the
 *   process asks for a restart. A file replaced by another is left alone: the data goes beside it and
 *   the hall stays stopped until a person decides.
 */
import { renameSync, type Stats, statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Db } from '../db/open.ts';
import type { Clock } from '../domain/clock.ts';
import { type Refusal, refusal } from './command-path.ts';

export type StorageFaultCode =
  | 'disk-full'
  | 'io-error'
  | 'read-only'
  | 'fsync-failed'
  | 'database-deleted'
  | 'wal-deleted'
  | 'database-replaced'
  | 'corrupt';

export type StorageFault = { code: StorageFaultCode; since: number; detail: string };

/** Faults a write may recover from on its own: the next write is tried, and its success clears them. */
const TRANSIENT: ReadonlySet<StorageFaultCode> = new Set(['disk-full', 'io-error', 'read-only']);

/** The storage fault an error thrown by better-sqlite3 means, or null when it is not one. */
export function storageFaultOf(error: unknown): StorageFaultCode | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? faultOf(code) : null;
}

/** SQLite's extended result codes (better-sqlite3 puts them in `error.code`) and what they mean here. */
function faultOf(code: string): StorageFaultCode | null {
  if (code === 'SQLITE_FULL') return 'disk-full';
  if (code === 'SQLITE_IOERR_FSYNC' || code === 'SQLITE_IOERR_DIR_FSYNC') return 'fsync-failed';
  if (code === 'SQLITE_READONLY_DBMOVED') return 'database-deleted';
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN') return 'io-error';
  if (code.startsWith('SQLITE_READONLY')) return 'read-only';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'corrupt';
  return null;
}

/** Thrown before a commit when the files are no longer the ones the hall opened. */
class FilesMoved extends Error {
  constructor(readonly fault: StorageFaultCode) {
    super(fault);
  }
}

type Identity = { dev: number; ino: number };
const identity = (s: Stats): Identity => ({ dev: s.dev, ino: s.ino });
const same = (a: Identity | null, b: Identity | null) =>
  a !== null && b !== null && a.dev === b.dev && a.ino === b.ino;

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

export type StorageDeps = {
  db: Db;
  /** The database file (`:memory:` for a test hall without files: no identity, disk or WAL to watch). */
  path: string;
  clock: Clock;
  log: (line: Record<string, unknown>) => void;
  /** Below this much free space on the database's filesystem, /health warns before writes fail. */
  minFreeBytes: number;
  /** The data is safe on disk again but this process must not go on: its supervisor restarts it. */
  onRestartNeeded: (reason: StorageFaultCode) => void;
};

export type StorageHealth = {
  writable: boolean;
  fault: StorageFault | null;
  lastWriteAt: number | null;
  disk: { freeBytes: number; minFreeBytes: number } | null;
  wal: { bytes: number; lastCheckpointAt: number | null } | null;
};

export type Storage = ReturnType<typeof createStorage>;

export function createStorage(deps: StorageDeps) {
  const { db, path, clock, log } = deps;
  const files = path !== ':memory:';
  const walPath = `${path}-wal`;
  const opened = {
    db: files ? identity(statSync(path)) : null,
    wal: files ? statOrNull(walPath) && identity(statOrNull(walPath)!) : null,
  };
  let fault: StorageFault | null = null;
  let lastWriteAt: number | null = null;
  let lastCheckpointAt: number | null = null;
  const recovered = new Set<() => void>();

  /** Records a fault; logged once when it begins, not at every write that meets it. */
  function setFault(code: StorageFaultCode, detail: string, command?: string): void {
    if (fault?.code === code) return;
    fault = { code, since: clock.now(), detail };
    log({ msg: 'storage fault', level: 'error', fault: code, detail, command });
  }

  /** What is wrong with the files now, if anything (cheap: two stat calls). */
  function filesMoved(): StorageFaultCode | null {
    if (!files) return null;
    const now = statOrNull(path);
    if (!now) return 'database-deleted';
    if (!same(identity(now), opened.db)) return 'database-replaced';
    const wal = statOrNull(walPath);
    if (opened.wal === null) {
      if (wal) opened.wal = identity(wal); // SQLite made it at the first write
      return null;
    }
    if (!wal) return 'wal-deleted';
    return same(identity(wal), opened.wal) ? null : 'database-replaced';
  }

  let rescuing = false;

  /** The files moved: stop writing, save what the open connection still holds, ask for a restart. */
  function moved(code: StorageFaultCode): void {
    setFault(code, code === 'database-replaced' ? 'another file is in the database’s place' : 'deleted');
    if (rescuing) return;
    rescuing = true;
    rescue(code).catch((error: unknown) => {
      log({ msg: 'storage rescue failed', level: 'error', fault: code, error: String(error) });
    });
  }

  async function rescue(code: StorageFaultCode): Promise<void> {
    if (code === 'wal-deleted') {
      // The WAL's frames go into the database file, which is still the hall's.
      const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as {
        busy: number;
        log: number;
        checkpointed: number;
      }[];
      if (result?.busy !== 0) throw new Error('the checkpoint was blocked');
      log({ msg: 'storage rescued', level: 'warn', fault: code, into: path });
      deps.onRestartNeeded(code);
    } else if (code === 'database-deleted') {
      await db.backup(path);
      log({ msg: 'storage rescued', level: 'warn', fault: code, into: path });
      deps.onRestartNeeded(code);
    } else {
      // Someone put another file there (a restore done by hand?): never overwrite it.
      const stamp = new Date(clock.now()).toISOString().replace(/[:.]/g, '-');
      const aside = `${path}.rescued-${stamp}`;
      // Written under another name first, so that a file named "rescued" is always a whole copy.
      await db.backup(`${path}.rescuing-${stamp}`);
      renameSync(`${path}.rescuing-${stamp}`, aside);
      fault = { code, since: fault?.since ?? clock.now(), detail: `HallQ's data was saved to ${aside}` };
      log({ msg: 'storage rescued', level: 'error', fault: code, into: aside });
    }
  }

  /** Looks at the files now (the watch calls it every few seconds). */
  function check(): void {
    if (fault && !TRANSIENT.has(fault.code)) return;
    const code = filesMoved();
    if (code) moved(code);
  }

  /** Moves the WAL into the database file when no reader holds it, so the WAL stays small. */
  function checkpoint(): void {
    if (!files || (fault && !TRANSIENT.has(fault.code))) return;
    try {
      const [result] = db.pragma('wal_checkpoint(PASSIVE)') as {
        busy: number;
        log: number;
        checkpointed: number;
      }[];
      if (result && result.busy === 0 && result.log === result.checkpointed) lastCheckpointAt = clock.now();
    } catch (error) {
      log({ msg: 'checkpoint failed', level: 'warn', error: String(error) });
    }
  }

  return {
    /** A refusal when writes must not even be tried now; null when they may be. */
    blocked(): Refusal | null {
      if (!fault || TRANSIENT.has(fault.code)) return null;
      return unavailable(fault.code);
    },

    /** Called inside every outermost transaction just before it commits: never acknowledge into a lost file. */
    beforeCommit(): void {
      const code = filesMoved();
      if (code) throw new FilesMoved(code);
    },

    isStorageError: (error: unknown): boolean =>
      error instanceof FilesMoved || storageFaultOf(error) !== null,

    /** Turns a failed write into the 503 the caller gets, recording the fault; null for any other error. */
    failed(error: unknown, command: string): Refusal | null {
      if (error instanceof FilesMoved) {
        moved(error.fault);
        return unavailable(error.fault);
      }
      const code = storageFaultOf(error);
      if (!code) return null;
      if (code === 'database-deleted') moved(code);
      else setFault(code, String(error), command);
      if (code === 'fsync-failed') deps.onRestartNeeded(code);
      return unavailable(code);
    },

    /** A write committed: a transient fault is over, and the writes that waited for it are retried. */
    succeeded(): void {
      lastWriteAt = clock.now();
      if (!fault || !TRANSIENT.has(fault.code)) return;
      log({
        msg: 'storage recovered',
        level: 'warn',
        fault: fault.code,
        seconds: Math.round((clock.now() - fault.since) / 1000),
      });
      fault = null;
      for (const listener of recovered) listener();
    },

    onRecovered(listener: () => void): () => void {
      recovered.add(listener);
      return () => recovered.delete(listener);
    },

    check,
    checkpoint,

    /**
     * Watches the storage until stopped: the files every 2 s, a real write (`probe`) every 10 s — every
     * 2 s while a fault lasts, so the hall resumes soon after space returns — and a checkpoint every 5 min.
     */
    watch(probe: () => void): () => void {
      let ticks = 0;
      const timer = setInterval(() => {
        ticks += 1;
        check();
        if (fault ? TRANSIENT.has(fault.code) : ticks % 5 === 0) probe();
        if (ticks % 150 === 0) checkpoint();
      }, 2_000);
      timer.unref();
      return () => clearInterval(timer);
    },

    health(): StorageHealth {
      const disk = files ? freeSpace() : null;
      const wal = files ? { bytes: statOrNull(walPath)?.size ?? 0, lastCheckpointAt } : null;
      return { writable: fault === null, fault, lastWriteAt, disk, wal };
    },
  };

  function freeSpace(): StorageHealth['disk'] {
    try {
      const s = statfsSync(dirname(path));
      return { freeBytes: s.bavail * s.bsize, minFreeBytes: deps.minFreeBytes };
    } catch {
      return null;
    }
  }
}

export function unavailable(code: StorageFaultCode): Refusal {
  return refusal(503, 'storage-unavailable', `the hall cannot write just now (${code}): try again shortly`, {
    retryAfterSeconds: 5,
  });
}
