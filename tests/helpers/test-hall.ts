import { join } from 'node:path';
import { createAuth } from '../../server/app/auth.ts';
import { createCommandPath } from '../../server/app/command-path.ts';
import { EventBus } from '../../server/app/event-bus.ts';
import { type Actor, createHall, type PrintTicket } from '../../server/app/hall.ts';
import { createPasswords } from '../../server/app/passwords.ts';
import { createStorage } from '../../server/app/storage.ts';
import { DEMO_HALL, type HallConfig } from '../../server/config.ts';
import type { Role } from '../../server/contract/api.ts';
import type { HallEvent } from '../../server/contract/events.ts';
import type { Db } from '../../server/db/open.ts';
import { openDatabase } from '../../server/db/open.ts';
import { type Clock, ManualClock, MonotonicClock } from '../../server/domain/clock.ts';
import { tempDir } from './temp-dir.ts';

/** 2026-11-25 10:00 in Shanghai. */
export const HALL_MORNING = Date.UTC(2026, 10, 25, 2, 0);

export const staff1: Actor = { id: 'staff1', name: '营业员1', role: 'staff' };
export const staff2: Actor = { id: 'staff2', name: '营业员2', role: 'staff' };
export const manager: Actor = { id: 'manager', name: '王经理', role: 'manager' };

/**
 * scrypt at a test's cost. OWASP's (N = 2^17) takes 128 MiB and about a second of a core per hash on
 * this box, and the suite signs in hundreds of times; the tests of the cost itself use the real one.
 */
export const testPasswords = () => createPasswords({ N: 2 ** 10 });

/** Accounts written into a database file before a hall starts on it, as `npm run hallq -- user add` does. */
export async function addAccounts(
  dbPath: string,
  accounts: { id: string; name: string; role: Role; password: string }[],
  passwords = testPasswords(),
): Promise<void> {
  const db = openDatabase(dbPath);
  try {
    const auth = createAuth(db, new ManualClock(HALL_MORNING), passwords);
    for (const { password, ...a } of accounts)
      auth.upsertUser({ ...a, username: a.id }, await auth.hashPassword(password));
  } finally {
    db.close();
  }
}

/** A hall on a real database file with the real migrations, a manual clock, and a record of events. */
export function testHall(
  options: {
    config?: HallConfig;
    printTicket?: PrintTicket;
    start?: number;
    /** The hall reads `clock` through a MonotonicClock, as main.ts wires it (for clock steps). */
    monotonic?: boolean;
  } = {},
) {
  const path = join(tempDir(), 'hall.sqlite');
  const db = openDatabase(path);
  const wall = new ManualClock(options.start ?? HALL_MORNING);
  const clock: Clock = options.monotonic ? new MonotonicClock(wall) : wall;
  const auth = createAuth(db, clock, testPasswords());
  // Accounts for the staff ids the events name; unit tests never sign in, so none has a password.
  for (const a of [staff1, staff2, manager]) auth.upsertUser({ ...a, username: a.id }, 'none');
  const { bus, commands, storage } = testCommandPath(db, path, clock);
  const events: HallEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const hall = createHall({
    db,
    clock,
    config: options.config ?? DEMO_HALL,
    commands,
    demo: true,
    printTicket: options.printTicket,
    log: () => {},
  });
  return { db, clock: wall, hall, events, auth, bus, commands, storage, path };
}

/** The command path over a database file, as main.ts builds it (no restarts: a test looks instead). */
export function testCommandPath(
  db: Db,
  path: string,
  clock: Clock,
  log: (line: Record<string, unknown>) => void = () => {},
) {
  const bus = new EventBus();
  const storage = createStorage({ db, path, clock, log, minFreeBytes: 0, onRestartNeeded: () => {} });
  const commands = createCommandPath({ db, clock, bus, storage, log });
  return { bus, storage, commands };
}

/** The value of an outcome that must have succeeded. */
export function ok<T>(outcome: { ok: true; value: T } | { ok: false; code: string; message: string }): T {
  if (!outcome.ok) throw new Error(`expected success, got ${outcome.code}: ${outcome.message}`);
  return outcome.value;
}
