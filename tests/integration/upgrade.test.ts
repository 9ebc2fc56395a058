/**
 * The upgrade path: a database file left by each earlier schema version (tests/fixtures/upgrade, built by
 * scripts/build-upgrade-fixtures.ts from the migrations up to that version) is opened by today's server.
 * Nothing it held is lost — every row of the tables that are records (tickets, events, people, money,
 * configuration, audit) is there with the values it had — and the hall works on it: the day's numbering
 * goes on, a counter finishes, calls and finishes, the closed day's statistics count its tickets.
 */
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { latestSchema } from '../../server/db/backup.ts';
import { ManualClock } from '../../server/domain/clock.ts';
import { instantOf } from '../../server/domain/hall-time.ts';
import type { RunningHall } from '../../server/main.ts';
import { hallWithCallers } from '../helpers/http.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'upgrade');
const CLOSED_DAY = '2026-11-24';
const TODAY = '2026-11-25';
/**
 * Tables that are records, with the rows that must come through as they were: every row but the demo
 * appointments the demo hall makes afresh at each start. (Caches and the mirrors of the configuration
 * may be rebuilt.)
 */
const RECORDS: Record<string, string> = {
  tickets: '1',
  events: '1',
  users: '1',
  counters: '1',
  daily_numbers: '1',
  settings: '1',
  idempotency_keys: '1',
  device_tokens: '1',
  feedback: '1',
  orders: '1',
  transactions: '1',
  appointments: "source != 'demo'",
  sms_outbox: '1',
  notices: '1',
  audit_log: '1',
  hall_configuration: '1',
};

const fixtures = readdirSync(FIXTURES)
  .filter((f) => /^schema-\d{3}\.sqlite$/.test(f))
  .sort();

/** Each record table's rows, as JSON of the columns the fixture has, and a few figures of the fixture. */
function readFixture(path: string) {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const tables = new Set(
      db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table'")
        .all()
        .map((t) => t.name),
    );
    const rows = new Map<string, { columns: string[]; rows: string[] }>();
    for (const [table, where] of Object.entries(RECORDS).filter(([t]) => tables.has(t))) {
      const columns = db
        .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`)
        .all()
        .map((c) => c.name)
        // A password hash is re-made at the current cost when the hall starts or someone signs in.
        .filter((c) => c !== 'password_hash');
      const list = columns.map((c) => `"${c}"`).join(', ');
      rows.set(table, {
        columns,
        rows: db
          .prepare(`SELECT ${list} FROM "${table}" WHERE ${where}`)
          .raw()
          .all()
          .map((r) => JSON.stringify(r)),
      });
    }
    const count = (sql: string) => db.prepare<[], { n: number }>(sql).get()!.n;
    return {
      version: db.pragma('user_version', { simple: true }) as number,
      rows,
      closedDay: {
        tickets: count(`SELECT COUNT(*) AS n FROM tickets WHERE day = '${CLOSED_DAY}'`),
        served: count(`SELECT COUNT(*) AS n FROM tickets WHERE day = '${CLOSED_DAY}' AND status = 'done'`),
        noShows: count(
          `SELECT COUNT(*) AS n FROM tickets WHERE day = '${CLOSED_DAY}' AND status = 'no-show'`,
        ),
      },
      lastGeneral: count(`SELECT last AS n FROM daily_numbers WHERE day = '${TODAY}' AND prefix = 'A'`),
    };
  } finally {
    db.close();
  }
}

/** The rows of `fixture` missing (or changed) in the upgraded database, per table. */
function lostRows(dbPath: string, fixture: ReturnType<typeof readFixture>): Record<string, string[]> {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const lost: Record<string, string[]> = {};
    for (const [table, before] of fixture.rows) {
      const list = before.columns.map((c) => `"${c}"`).join(', ');
      const after = new Set(
        db
          .prepare(`SELECT ${list} FROM "${table}"`)
          .raw()
          .all()
          .map((r) => JSON.stringify(r)),
      );
      const missing = before.rows.filter((r) => !after.has(r));
      if (missing.length > 0) lost[table] = missing;
    }
    return lost;
  } finally {
    db.close();
  }
}

const running: RunningHall[] = [];
afterAll(async () => {
  await Promise.all(running.map((h) => h.close()));
});

describe('upgrading a database made by an earlier release', () => {
  it('has a fixture for every schema up to this release (a new migration: run the script)', () => {
    expect(fixtures.map((f) => Number(f.slice(7, 10)))).toEqual(
      Array.from({ length: latestSchema() }, (_, i) => i + 1),
    );
  });

  it.each(fixtures)('%s opens with every record kept, and the hall works on it', async (name) => {
    const dbPath = join(tempDir(), 'hall.sqlite');
    copyFileSync(join(FIXTURES, name), dbPath);
    const fixture = readFixture(dbPath);
    expect(fixture.rows.get('tickets')!.rows.length).toBeGreaterThan(15);
    expect(fixture.rows.get('events')!.rows.length).toBeGreaterThan(100);

    const clock = new ManualClock(instantOf(TODAY, 11 * 60 + 5, 'Asia/Shanghai'));
    const { hall, anon, staff, manager } = await hallWithCallers({ clock, settings: { dbPath } });
    running.push(hall);
    const upgraded = new Database(dbPath, { readonly: true });
    expect(upgraded.pragma('user_version', { simple: true })).toBe(latestSchema());
    upgraded.close();
    expect(lostRows(dbPath, fixture)).toEqual({});

    // The day goes on: the next general ticket continues today's numbering.
    const issued = await anon.post('/api/v1/tickets', { serviceId: 'general', channel: 'reception' });
    expect(issued.status).toBe(201);
    expect(issued.json.number).toBe(`A${String(fixture.lastGeneral + 1).padStart(3, '0')}`);
    // staff1 was serving at counter 1 when the old release stopped: finish, call the next, finish.
    const finished = await staff.post('/api/v1/counters/1/finish', {});
    expect(finished.status).toBe(200);
    const called = await staff.post('/api/v1/counters/1/call');
    expect(called.status).toBe(200);
    expect(called.json.ticket).not.toBeNull();
    expect((await staff.post('/api/v1/counters/1/start')).status).toBe(200);
    expect((await staff.post('/api/v1/counters/1/finish', {})).status).toBe(200);

    const stats = await manager.get(`/api/v1/stats/summary?from=${CLOSED_DAY}&to=${CLOSED_DAY}`);
    expect(stats.status).toBe(200);
    expect(stats.json).toMatchObject(fixture.closedDay);
    const today = await manager.get(`/api/v1/stats/summary?from=${TODAY}&to=${TODAY}`);
    expect(today.json.served).toBeGreaterThanOrEqual(2);
    await hall.close();
  });
});
