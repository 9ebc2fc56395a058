import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../tests/helpers/temp-dir.ts';
import { testCommandPath } from '../../tests/helpers/test-hall.ts';
import { DEMO_HALL } from '../config.ts';
import { BackupError, backupDatabase, inspectDatabase, latestSchema } from '../db/backup.ts';
import { openDatabase } from '../db/open.ts';
import { ManualClock } from '../domain/clock.ts';
import { instantOf } from '../domain/hall-time.ts';
import { createNightlyBackups } from './backup.ts';
import { createHall } from './hall.ts';

const ZONE = 'Asia/Shanghai';
const at = (day: string, hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return instantOf(day, h * 60 + m, ZONE);
};

/** A hall database with a few tickets, closed (as a stopped hall leaves it). */
function hallDatabase(clock: ManualClock): string {
  const path = join(tempDir(), 'hall.sqlite');
  const db = openDatabase(path);
  const { commands } = testCommandPath(db, path, clock);
  const hall = createHall({ db, clock, config: DEMO_HALL, commands, demo: true, log: () => {} });
  for (const serviceId of ['general', 'payments', 'general'])
    hall.issueTicket({ serviceId, channel: 'reception', lang: 'zh' });
  db.close();
  return path;
}

describe('a backup file', () => {
  it('is a checked, self-contained copy: same tickets, no -wal or -shm beside it, schema of this release', async () => {
    const source = hallDatabase(new ManualClock(at('2026-11-25', '10:00')));
    const file = join(tempDir(), 'copy.sqlite');
    const made = await backupDatabase(source, file);
    expect(made).toMatchObject({ file, schema: latestSchema(), tickets: 3 });
    expect(readdirSync(join(file, '..'))).toEqual(['copy.sqlite']);
    expect(inspectDatabase(file)).toEqual({ schema: latestSchema(), tickets: 3 });
  });

  it('is refused, naming why, for a file that is not a HallQ database, is damaged, or is newer than this release', () => {
    const dir = tempDir();
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a database at all, just some words '.repeat(200));
    expect(() => inspectDatabase(text)).toThrow(/not a readable SQLite database/);

    const other = join(dir, 'other.sqlite');
    const db = new Database(other);
    db.exec('CREATE TABLE notes (x)');
    db.close();
    expect(() => inspectDatabase(other)).toThrow(/not a HallQ database/);

    const newer = join(dir, 'newer.sqlite');
    const hall = openDatabase(newer);
    hall.pragma(`user_version = ${latestSchema() + 1}`);
    hall.close();
    expect(() => inspectDatabase(newer)).toThrow(/made by a newer HallQ/);

    expect(() => inspectDatabase(join(dir, 'absent.sqlite'))).toThrow(BackupError);
  });
});

describe('the nightly backup', () => {
  function nightly(options: { keep?: number; reserveBytes?: number } = {}) {
    const clock = new ManualClock(at('2026-11-25', '10:00'));
    const dbPath = hallDatabase(clock);
    const dir = join(tempDir(), 'backups');
    const log: Record<string, unknown>[] = [];
    const backups = createNightlyBackups({
      dbPath,
      dir,
      keep: options.keep ?? 3,
      atMinute: 18 * 60 + 30,
      timeZone: ZONE,
      clock,
      backup: (file) => backupDatabase(dbPath, file),
      log: (line) => log.push(line),
      reserveBytes: options.reserveBytes ?? 0,
    });
    const files = () => (existsSync(dir) ? readdirSync(dir).sort() : []);
    const tick = async () => {
      backups.tick();
      await backups.idle();
    };
    return { clock, backups, dir, files, tick, log };
  }

  it('makes the first backup at once, then one each evening at the set minute of the hall day', async () => {
    const { clock, backups, files, tick } = nightly();
    expect(backups.status()).toMatchObject({ last: null, problem: null });
    await tick();
    expect(files()).toEqual(['hallq-2026-11-25-1000.sqlite']);
    expect(backups.status().nextAt).toBe(new Date(at('2026-11-25', '18:30')).toISOString());

    clock.set(at('2026-11-25', '18:29'));
    await tick();
    expect(files()).toHaveLength(1);
    clock.set(at('2026-11-25', '18:30'));
    await tick();
    await tick(); // due once a night, not once a minute
    expect(files()).toEqual(['hallq-2026-11-25-1000.sqlite', 'hallq-2026-11-25-1830.sqlite']);
    const status = backups.status();
    expect(status).toMatchObject({
      last: {
        at: new Date(at('2026-11-25', '18:30')).toISOString(),
        file: expect.stringMatching(/1830\.sqlite$/),
      },
      problem: null,
      nextAt: new Date(at('2026-11-26', '18:30')).toISOString(),
    });
    expect(status.last!.bytes).toBeGreaterThan(0);
  });

  it('makes up a night the box was off at the first chance, and keeps only the newest few', async () => {
    const { clock, files, tick, log } = nightly({ keep: 2 });
    for (const day of ['2026-11-25', '2026-11-26', '2026-11-27']) {
      clock.set(at(day, '18:45'));
      await tick();
    }
    expect(files()).toEqual(['hallq-2026-11-26-1845.sqlite', 'hallq-2026-11-27-1845.sqlite']);
    // Off for the night of the 28th; switched on the 29th at 08:50.
    clock.set(at('2026-11-29', '08:50'));
    await tick();
    expect(files()).toEqual(['hallq-2026-11-27-1845.sqlite', 'hallq-2026-11-29-0850.sqlite']);
    expect(log.at(-1)).toMatchObject({ msg: 'backup made', removed: ['hallq-2026-11-26-1845.sqlite'] });
  });

  it('refuses to fill the disk: says so in the status and the log, and tries again an hour later', async () => {
    const { clock, backups, files, tick, log } = nightly({ reserveBytes: Number.MAX_SAFE_INTEGER });
    await tick();
    expect(files()).toEqual([]);
    const status = backups.status();
    expect(status.problem).toMatch(/not enough free space/);
    expect(status.nextAt).toBe(new Date(at('2026-11-25', '11:00')).toISOString());
    expect(log).toContainEqual(expect.objectContaining({ msg: 'backup failed', level: 'error' }));
    clock.set(at('2026-11-25', '10:59'));
    await tick();
    expect(log.filter((l) => l.msg === 'backup failed')).toHaveLength(1);
    clock.set(at('2026-11-25', '11:00'));
    await tick();
    expect(log.filter((l) => l.msg === 'backup failed')).toHaveLength(2);
  });
});
