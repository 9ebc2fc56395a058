/**
 * Builds the upgrade fixtures: one database file per schema version (`tests/fixtures/upgrade/
 * schema-NNN.sqlite`, NNN = each migration up to the newest), as a hall on that release would have left
 * it, for tests/integration/upgrade.test.ts.
 *
 *   node --import tsx scripts/build-upgrade-fixtures.ts [--force]
 *
 * Only the missing files are made (a new migration adds its file); --force makes them all again.
 * Two days of a demo hall are played through the real server and its HTTP API on a manual clock: a
 * closed day (tickets served, rated, transferred, not shown, cancelled, left at closing; a complaint,
 * a paid top-up, an appointment, notices, a configuration change; rolled up) and today at 11:00 (tickets
 * waiting, called, being served, done). Each fixture is then made from the migrations up to its version,
 * and holds those rows in the columns and tables that version has. The files are committed and kept:
 * a fixture stands for the databases that release left in halls.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadSettings } from '../server/config.ts';
import { ManualClock } from '../server/domain/clock.ts';
import { instantOf } from '../server/domain/hall-time.ts';
import { startHall } from '../server/main.ts';

const ROOT = join(import.meta.dirname, '..');
const MIGRATIONS = join(ROOT, 'server', 'db', 'migrations');
export const FIXTURES = join(ROOT, 'tests', 'fixtures', 'upgrade');
/** The closed day and today of the fixtures (a Tuesday and a Wednesday). */
export const FIXTURE_DAYS = { closed: '2026-11-24', today: '2026-11-25' } as const;
const ZONE = 'Asia/Shanghai';
const MINUTE = 60_000;

// biome-ignore lint/suspicious/noExplicitAny: the script reads its own requests' JSON answers untyped
type Answer = { status: number; json: any };

/** A signed-in (or anonymous) caller of the hall's API. */
function caller(base: string) {
  let cookie = '';
  const request = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: {
        ...headers,
        ...(cookie && { cookie }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0]!;
    const text = await res.text();
    const answer: Answer = { status: res.status, json: text ? JSON.parse(text) : null };
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return answer;
  };
  return {
    get: (path: string, headers?: Record<string, string>) => request('GET', path, undefined, headers),
    post: (path: string, body?: unknown, headers?: Record<string, string>) =>
      request('POST', path, body, headers),
    put: (path: string, body: unknown) => request('PUT', path, body),
    login: (username: string) =>
      request('POST', '/auth/login', {
        username,
        password: username === 'manager' ? 'demo-manager' : 'demo-staff',
      }),
  };
}

type Caller = ReturnType<typeof caller>;
const at = (day: string, hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return instantOf(day, h * 60 + m, ZONE);
};

async function hallOn(dbPath: string, clock: ManualClock) {
  const settings = { ...loadSettings({}), port: 0, host: '127.0.0.1', dbPath, backup: null };
  const hall = await startHall(settings, { clock, log: () => {}, distDir: join(dbPath, '..', 'no-pages') });
  const [anon, manager, staff1, staff2] = [
    caller(hall.url),
    caller(hall.url),
    caller(hall.url),
    caller(hall.url),
  ];
  await manager.login('manager');
  await staff1.login('staff1');
  await staff2.login('staff2');
  return { hall, anon, manager, staff1, staff2 };
}

const issue = (anon: Caller, serviceId: string, kiosk = true) =>
  anon.post(
    '/tickets',
    { serviceId, channel: kiosk ? 'kiosk' : 'reception' },
    kiosk ? { 'X-Kiosk-Id': 'k1' } : {},
  );

/** Serves the next ticket at a counter: call, start, finish, `minutes` apart. */
async function serve(staff: Caller, counter: string, clock: ManualClock, minutes: number) {
  const called = await staff.post(`/counters/${counter}/call`);
  if (called.status === 204) return null; // nothing this counter may serve
  clock.advance(MINUTE);
  await staff.post(`/counters/${counter}/start`);
  clock.advance(minutes * MINUTE);
  await staff.post(`/counters/${counter}/finish`, {});
  return called.json.ticket.number as string;
}

/** Plays the two days into a database at the newest schema. */
async function playDays(dbPath: string): Promise<void> {
  const clock = new ManualClock(at(FIXTURE_DAYS.closed, '09:05'));
  let h = await hallOn(dbPath, clock);
  await h.staff1.post('/counters/1/open');
  await h.staff2.post('/counters/2/open');
  for (const [i, service] of [
    'general',
    'payments',
    'payments',
    'devices',
    'general',
    'broadband',
    'payments',
    'general',
    'vip',
    'payments',
    'general',
    'devices',
  ].entries()) {
    await issue(h.anon, service, i % 3 !== 2);
    clock.advance(2 * MINUTE);
  }
  await serve(h.staff1, '1', clock, 4); // the rating pad at counter 1 is asked at finish
  const rated = await h.manager.post('/demo/devices/rating-pad-1', { action: 'rate', score: 5 });
  if (rated.status !== 200) throw new Error('rating');
  await serve(h.staff2, '2', clock, 3);
  // A no-show, a transfer to the front of another queue, a holder's cancel.
  await h.staff1.post('/counters/1/call');
  clock.advance(3 * MINUTE);
  await h.staff1.post('/counters/1/no-show');
  await h.staff2.post('/counters/2/call');
  await h.staff2.post('/counters/2/transfer', { serviceId: 'broadband', front: true });
  const leaving = await issue(h.anon, 'general');
  await h.anon.post(`/tickets/${leaving.json.id}/cancel`);
  for (let i = 0; i < 4; i++) {
    await serve(h.staff1, '1', clock, 5);
    await serve(h.staff2, '2', clock, 2);
  }
  // The kiosk's services: an identified customer's complaint and top-up, an appointment, the manager's
  // notices and a configuration change.
  clock.advance(2 * MINUTE);
  const challenge = await h.anon.post('/identify/phone', { phone: '13800000001' }, { 'X-Kiosk-Id': 'k1' });
  const outbox = await h.manager.get('/sms/outbox');
  const code = /(\d{6})/.exec(outbox.json.at(-1).text)![1]!;
  const verified = await h.anon.post('/identify/verify', { challengeId: challenge.json.challengeId, code });
  const customer = { 'X-Kiosk-Id': 'k1', 'X-Customer-Token': verified.json.customer.token };
  await h.anon.post(
    '/feedback',
    { kind: 'complaint', topics: ['billing'], lang: 'zh', ticket: true },
    customer,
  );
  await h.manager.post('/demo/payment', { outcome: 'paid', delayMs: 0 });
  const order = await h.anon.post(
    '/self-service/orders',
    { kind: 'top-up', amountFen: 5000 },
    { ...customer, 'Idempotency-Key': 'fixture-top-up' },
  );
  for (let i = 0; i < 200; i++) {
    const now = await h.anon.get(`/self-service/orders/${order.json.id}`, customer);
    if (now.json.status !== 'awaiting-payment' && now.json.receipt !== 'pending') break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await h.anon.post('/appointments', {
    serviceId: 'broadband',
    slot: new Date(at(FIXTURE_DAYS.today, '10:30')).toISOString(),
    phone: '13800000003',
  });
  await h.manager.put('/notices', [{ text: { zh: '宽带优惠', en: 'Broadband offer' } }]);
  const config = await h.manager.get('/config');
  await h.manager.put(
    '/config/services',
    config.json.services.map((s: { id: string }) => (s.id === 'vip' ? { ...s, waitTargetMinutes: 10 } : s)),
  );
  // Two tickets are still waiting at closing; the counters close.
  clock.set(at(FIXTURE_DAYS.closed, '17:50'));
  await h.staff1.post('/counters/1/close');
  await h.staff2.post('/counters/2/close');
  await h.hall.close();

  // Today: a restart rolls the closed day up; tickets waiting, called, being served and done.
  clock.set(at(FIXTURE_DAYS.today, '09:30'));
  h = await hallOn(dbPath, clock);
  await h.staff1.post('/counters/1/open');
  await h.staff2.post('/counters/2/open');
  for (const service of ['general', 'payments', 'general', 'devices', 'payments', 'general', 'payments']) {
    await issue(h.anon, service);
    clock.advance(3 * MINUTE);
  }
  await serve(h.staff1, '1', clock, 3);
  await serve(h.staff2, '2', clock, 2);
  await h.staff1.post('/counters/1/call');
  await h.staff1.post('/counters/1/start');
  await h.staff2.post('/counters/2/call');
  clock.set(at(FIXTURE_DAYS.today, '11:00'));
  await new Promise((resolve) => setTimeout(resolve, 200)); // the rollup catch-up runs in the background
  await h.hall.close();
}

/** The migrations, in order: [version, SQL]. */
function migrations(): [number, string][] {
  return readdirSync(MIGRATIONS)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => [Number(f.slice(0, 3)), readFileSync(join(MIGRATIONS, f), 'utf8')]);
}

/** Rows a table of an older schema cannot hold (its CHECKs were narrower then). */
const OLDER_ROWS: Record<string, (version: number) => string> = {
  day_rollups: (version) => (version < 4 ? "dimension != 'staff'" : '1'),
};

/** A database at `version`, made by the migrations up to it, holding the played rows it has room for. */
function fixtureAt(version: number, played: string, file: string): void {
  rmSync(file, { force: true });
  const db = new Database(file);
  for (const [v, sql] of migrations()) {
    if (v > version) break;
    db.exec(sql);
  }
  db.pragma(`user_version = ${version}`);
  db.pragma('foreign_keys = OFF'); // tables are filled in name order, not in the order of their references
  db.exec(`ATTACH DATABASE '${played.replaceAll("'", "''")}' AS played`);
  const tables = db
    .prepare<[], { name: string }>(
      "SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all()
    .map((t) => t.name);
  db.transaction(() => {
    for (const table of tables) {
      const columns = (name: string, schema: string) =>
        db
          .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${name}', '${schema}')`)
          .all()
          .map((c) => c.name);
      const playedColumns = new Set(columns(table, 'played'));
      const shared = columns(table, 'main').filter((c) => playedColumns.has(c));
      const list = shared.map((c) => `"${c}"`).join(', ');
      const where = OLDER_ROWS[table]?.(version) ?? '1';
      db.exec(
        `INSERT OR REPLACE INTO main."${table}" (${list}) SELECT ${list} FROM played."${table}" WHERE ${where}`,
      );
    }
  })();
  db.exec('DETACH DATABASE played');
  db.exec('VACUUM');
  db.close();
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'hallq-fixtures-'));
  try {
    const played = join(work, 'played.sqlite');
    await playDays(played);
    const checkpoint = new Database(played);
    checkpoint.pragma('wal_checkpoint(TRUNCATE)');
    checkpoint.pragma('journal_mode = DELETE');
    checkpoint.close();
    mkdirSync(FIXTURES, { recursive: true });
    for (const [version] of migrations()) {
      const file = join(FIXTURES, `schema-${String(version).padStart(3, '0')}.sqlite`);
      if (existsSync(file) && !process.argv.includes('--force')) continue;
      fixtureAt(version, played, file);
      const db = new Database(file, { readonly: true });
      const count = (t: string) => db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${t}`).get()!.n;
      process.stdout.write(`${file}: ${count('tickets')} tickets, ${count('events')} events\n`);
      db.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.filename === process.argv[1]) await main();
