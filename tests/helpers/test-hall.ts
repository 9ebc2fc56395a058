import { join } from 'node:path';
import { createAuth } from '../../server/app/auth.ts';
import { createCommandPath } from '../../server/app/command-path.ts';
import { EventBus } from '../../server/app/event-bus.ts';
import { type Actor, createHall, type PrintTicket } from '../../server/app/hall.ts';
import { createStorage } from '../../server/app/storage.ts';
import { DEMO_HALL, type HallConfig } from '../../server/config.ts';
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
  const auth = createAuth(db, clock);
  for (const a of [staff1, staff2, manager]) auth.upsertUser({ ...a, username: a.id, password: 'pw' });
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
