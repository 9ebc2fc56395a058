/**
 * A real hall (not the demo): accounts made before start (as the CLI does), screens paired through the
 * pairing API, and the 401/403 matrix of the manager's endpoints for anonymous, staff, manager, paired
 * and unpaired devices; sessions expiring on an injected clock; no demo password at boot; the CLI.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DEMO_HALL, type HallConfig, parseHallConfig } from '../../server/config.ts';
import { HOUR, ManualClock, MINUTE } from '../../server/domain/clock.ts';
import type { RunningHall } from '../../server/main.ts';
import { Client, startTestServer } from '../helpers/http.ts';
import { registeredRoutes } from '../helpers/routes.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { addAccounts } from '../helpers/test-hall.ts';

const START = Date.UTC(2026, 10, 25, 2, 0); // 10:00 in Shanghai
const clock = new ManualClock(START);
const HALL: HallConfig = parseHallConfig(
  { ...DEMO_HALL, name: { zh: '测试营业厅', en: 'Test Hall' }, staff: [], kiosks: [{ id: 'k1' }] },
  'test',
);
const PASSWORDS = { boss: 'boss-password-1', li: 'li-password-22' };
const range = 'from=2026-11-25&to=2026-11-25';

let hall: RunningHall;
let dbPath: string;
let anon: Client;
let staff: Client;
let manager: Client;

function makeAccounts(path: string) {
  return addAccounts(path, [
    { id: 'boss', name: '张经理', role: 'manager', password: PASSWORDS.boss },
    { id: 'li', name: '李营业员', role: 'staff', password: PASSWORDS.li },
    // The matrix resets wu's password (which ends wu's sessions), so the staff client signs in as li.
    { id: 'wu', name: '吴营业员', role: 'staff', password: 'wu-password-333' },
  ]);
}

beforeAll(async () => {
  dbPath = join(tempDir(), 'real.sqlite');
  await makeAccounts(dbPath);
  hall = await startTestServer({ clock, settings: { demo: false, hall: HALL, devices: [], dbPath } });
  anon = new Client(hall.url);
  staff = new Client(hall.url);
  manager = new Client(hall.url);
  expect((await staff.login('li', PASSWORDS.li)).status).toBe(200);
  expect((await manager.login('boss', PASSWORDS.boss)).status).toBe(200);
});
afterAll(() => hall.close());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A screen pairs itself: asks, a manager approves its code, it polls and gets its token once. */
async function pair(kind: 'kiosk' | 'display', deviceId: string): Promise<string> {
  const screen = new Client(hall.url);
  const asked = await screen.post('/api/v1/pairing/requests');
  expect(asked.status).toBe(201);
  const pending = await manager.get('/api/v1/pairing/requests');
  const request = pending.json.find((r: { code: string }) => r.code === asked.json.code);
  expect(request.id).toBe(asked.json.id);
  expect(
    (await manager.post(`/api/v1/pairing/requests/${request.id}/approve`, { kind, deviceId })).status,
  ).toBe(200);
  const polled = await screen.get(`/api/v1/pairing/requests/${asked.json.id}`);
  expect(polled.json).toMatchObject({ status: 'paired', kind, deviceId, token: expect.any(String) });
  return polled.json.token;
}

describe('pairing of screens', () => {
  it('a screen gets a short code, polls until a manager pairs it, then receives its token once', async () => {
    const screen = new Client(hall.url);
    const asked = await screen.post('/api/v1/pairing/requests');
    expect(asked.status).toBe(201);
    expect(asked.json.code).toMatch(/^[2-9A-HJKMNP-Z]{6}$/);
    expect(asked.json.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const waiting = await screen.get(`/api/v1/pairing/requests/${asked.json.id}`);
    expect(waiting.json).toEqual({ status: 'pending', code: asked.json.code, expiresAt: expect.any(String) });

    // Only a manager sees and approves codes.
    expect((await anon.get('/api/v1/pairing/requests')).status).toBe(401);
    expect((await staff.get('/api/v1/pairing/requests')).status).toBe(403);
    const approve = `/api/v1/pairing/requests/${asked.json.id}/approve`;
    expect((await anon.post(approve, { kind: 'kiosk', deviceId: 'k1' })).status).toBe(401);
    expect((await staff.post(approve, { kind: 'kiosk', deviceId: 'k1' })).status).toBe(403);
    const bad = await manager.post(approve, { kind: 'printer', deviceId: 'k 1' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.fields.map((f: { path: string }) => f.path).sort()).toEqual([
      'body.deviceId',
      'body.kind',
    ]);
    const ok = await manager.post(approve, { kind: 'kiosk', deviceId: 'k1' });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ kind: 'kiosk', deviceId: 'k1', id: expect.any(Number) });
    expect((await manager.post(approve, { kind: 'kiosk', deviceId: 'k1' })).status).toBe(409);

    const paired = await screen.get(`/api/v1/pairing/requests/${asked.json.id}`);
    expect(paired.json).toMatchObject({ status: 'paired', kind: 'kiosk', deviceId: 'k1' });
    const token = paired.json.token;
    expect((await screen.get(`/api/v1/pairing/requests/${asked.json.id}`)).status).toBe(404); // once
    expect((await anon.get('/api/v1/devices/me', bearer(token))).json).toEqual({
      kind: 'kiosk',
      deviceId: 'k1',
    });
    expect((await anon.get('/api/v1/devices/me')).status).toBe(401);
  });

  it('a request expires after ten minutes', async () => {
    const asked = await anon.post('/api/v1/pairing/requests');
    clock.advance(10 * MINUTE);
    expect((await anon.get(`/api/v1/pairing/requests/${asked.json.id}`)).status).toBe(404);
    expect((await manager.get('/api/v1/pairing/requests')).json).toEqual([]);
  });

  it('kiosk endpoints need a paired kiosk token (or a signed-in person) outside the demo', async () => {
    const kiosk = await pair('kiosk', 'k1');
    const display = await pair('display', 'wall-1');
    const ticket = (headers?: Record<string, string>) =>
      anon.post('/api/v1/tickets', { serviceId: 'general' }, headers);
    expect((await ticket()).status).toBe(401);
    expect((await ticket(bearer('not-a-token'))).status).toBe(401);
    expect((await ticket(bearer(display))).status).toBe(401); // a display issues no tickets
    const issued = await ticket(bearer(kiosk));
    expect(issued.status).toBe(201);
    expect((await staff.post('/api/v1/tickets', { serviceId: 'general' })).status).toBe(201);

    const phone = (headers?: Record<string, string>) =>
      anon.post('/api/v1/identify/phone', { phone: '13800138000' }, headers);
    expect((await phone()).status).toBe(401);
    expect((await phone(bearer('not-a-token'))).status).toBe(401);
    expect((await phone(bearer(kiosk))).status).not.toBe(401);
    expect((await anon.get('/api/v1/kiosks/k1', bearer(kiosk))).status).toBe(200);

    // The wall's stream and lists stay public on the hall network (access `public` in docs/api.md).
    expect((await anon.get('/api/v1/services')).status).toBe(200);
    expect((await anon.get('/api/v1/notices')).status).toBe(200);
  });

  it('a revoked token no longer works; pairing and revoking are audited', async () => {
    const kiosk = await pair('kiosk', 'k2');
    const tokens = await manager.get('/api/v1/devices/tokens');
    expect(tokens.status).toBe(200);
    const row = tokens.json.find((t: { deviceId: string }) => t.deviceId === 'k2');
    expect(row).toMatchObject({ kind: 'kiosk', createdAt: expect.any(String) });
    expect(JSON.stringify(tokens.json)).not.toContain(kiosk);
    expect((await anon.request('DELETE', `/api/v1/devices/tokens/${row.id}`)).status).toBe(401);
    expect((await staff.request('DELETE', `/api/v1/devices/tokens/${row.id}`)).status).toBe(403);
    expect((await manager.request('DELETE', `/api/v1/devices/tokens/${row.id}`)).status).toBe(204);
    expect((await manager.request('DELETE', `/api/v1/devices/tokens/${row.id}`)).status).toBe(404);
    expect((await anon.get('/api/v1/devices/me', bearer(kiosk))).status).toBe(401);
    expect((await anon.post('/api/v1/tickets', { serviceId: 'general' }, bearer(kiosk))).status).toBe(401);

    const audit = (await manager.get(`/api/v1/audit?${range}`)).json.entries;
    expect(audit.find((a: { action: string }) => a.action === 'device.revoke')).toMatchObject({
      userId: 'boss',
      target: 'kiosk k2',
      before: { kind: 'kiosk', deviceId: 'k2' },
    });
    expect(audit.filter((a: { action: string }) => a.action === 'device.pair').length).toBeGreaterThanOrEqual(
      3,
    );
  });
});

/**
 * Who may call what, outside demo mode: `public` anyone; `customer` only with an identified customer's
 * token (none here: 401 for all); `screen` a paired kiosk or display; `kiosk` a paired kiosk or a person;
 * `person` staff or manager; `manager` managers only (demo-only ones then answer 404).
 */
const ACCESS = {
  'POST /auth/login': 'public',
  'POST /auth/logout': 'public',
  'GET /auth/me': 'person',
  'GET /events': 'public',
  'GET /openapi.json': 'public',
  'GET /hall': 'public',
  'GET /services': 'public',
  'GET /counters': 'public',
  'GET /health': 'public',
  'GET /notices': 'public',
  'GET /tickets/:id': 'public',
  'POST /tickets/:id/cancel': 'public',
  'GET /tickets/:id/turn-alert': 'public',
  'POST /tickets/:id/turn-alert': 'public',
  'DELETE /tickets/:id/turn-alert': 'public',
  'GET /kiosks/:kioskId': 'public',
  'POST /identify/verify': 'public',
  'GET /appointments/slots': 'public',
  'POST /appointments': 'public',
  'POST /pairing/requests': 'public',
  'GET /pairing/requests/:id': 'public',
  'GET /devices/me': 'screen',
  'POST /tickets': 'kiosk',
  'POST /feedback': 'kiosk',
  'POST /identify/phone': 'kiosk',
  'POST /identify/device': 'kiosk',
  'POST /appointments/check-in': 'kiosk',
  'GET /self-service/account': 'customer',
  'GET /self-service/packs': 'customer',
  'POST /self-service/orders': 'customer',
  'GET /self-service/orders/:id': 'customer',
  'POST /self-service/orders/:id/cancel': 'customer',
  'POST /self-service/invoices': 'customer',
  'GET /counters/:id/current': 'person',
  'POST /counters/:id/open': 'person',
  'POST /counters/:id/pause': 'person',
  'POST /counters/:id/resume': 'person',
  'POST /counters/:id/close': 'person',
  'POST /counters/:id/call': 'person',
  'POST /counters/:id/recall': 'person',
  'POST /counters/:id/start': 'person',
  'POST /counters/:id/no-show': 'person',
  'POST /counters/:id/finish': 'person',
  'POST /counters/:id/transfer': 'person',
  'GET /queue/breaches': 'manager',
  'PUT /notices': 'manager',
  'GET /audit': 'manager',
  'GET /audit.csv': 'manager',
  'GET /stats/summary': 'manager',
  'GET /stats/series': 'manager',
  'GET /stats/breakdown': 'manager',
  'GET /stats/staffing': 'manager',
  'GET /routing/why': 'manager',
  'GET /stats/tickets.csv': 'manager',
  'GET /config': 'manager',
  'PUT /config/services': 'manager',
  'PUT /config/counters': 'manager',
  'PUT /config/devices': 'manager',
  'PUT /config/printer': 'manager',
  'POST /config/staff': 'manager',
  'PUT /config/staff/:id': 'manager',
  'POST /config/staff/:id/reset-password': 'manager',
  'GET /feedback': 'manager',
  'GET /pairing/requests': 'manager',
  'POST /pairing/requests/:id/approve': 'manager',
  'GET /devices/tokens': 'manager',
  'DELETE /devices/tokens/:id': 'manager',
  'GET /devices': 'manager',
  'GET /sms/outbox': 'manager',
  'POST /demo/payment': 'manager',
  'POST /demo/kiosks/:kioskId/id-card': 'manager',
  'POST /demo/kiosks/:kioskId/scan': 'manager',
  'POST /demo/devices/:id': 'manager',
} as const;
type Access = (typeof ACCESS)[keyof typeof ACCESS];
type Caller = 'anonymous' | 'bad token' | 'kiosk' | 'display' | 'staff' | 'manager';
const CALLERS: Caller[] = ['anonymous', 'bad token', 'kiosk', 'display', 'staff', 'manager'];
/** Who is let in; everyone else gets 401, except staff at a manager's door: 403. */
const ALLOWED: Record<Access, Caller[]> = {
  public: CALLERS,
  customer: [],
  screen: ['kiosk', 'display'],
  kiosk: ['kiosk', 'staff', 'manager'],
  person: ['staff', 'manager'],
  manager: ['manager'],
};

describe('who may call every endpoint (401 / 403 matrix, outside demo mode)', () => {
  let tokens: Record<'kiosk' | 'display', string>;
  beforeAll(async () => {
    tokens = { kiosk: await pair('kiosk', 'k3'), display: await pair('display', 'wall-3') };
  });

  it('covers every registered route', () => {
    expect(registeredRoutes(hall.server, '/api/v1').sort()).toEqual(Object.keys(ACCESS).sort());
  });

  /** The status a caller gets: the body is empty and ids unknown, so an allowed call is a 4xx of its own. */
  async function statusOf(route: string, caller: Caller): Promise<number> {
    const [method, pattern] = route.split(' ') as [string, string];
    const path = `/api/v1${pattern.replace(/:[A-Za-z]+/g, 'zz9')}?${range}`;
    const client = caller === 'staff' ? staff : caller === 'manager' ? manager : anon;
    const headers =
      caller === 'kiosk' || caller === 'display'
        ? bearer(tokens[caller])
        : caller === 'bad token'
          ? bearer('not-a-token')
          : undefined;
    if (route === 'GET /events') {
      // A stream: the status is all that is read.
      const res = await fetch(hall.url + path, { headers });
      await res.body?.cancel();
      return res.status;
    }
    const body = method === 'GET' || method === 'DELETE' ? undefined : {};
    return (await client.request(method, path, { body, headers })).status;
  }

  it.each(Object.entries(ACCESS).filter(([route]) => route !== 'POST /auth/logout'))(
    '%s: %s',
    async (route, access) => {
      const got = Object.fromEntries(
        await Promise.all(CALLERS.map(async (c) => [c, await statusOf(route, c)] as const)),
      );
      const expected = Object.fromEntries(
        CALLERS.map((c) => {
          if (ALLOWED[access].includes(c)) return [c, 'let in'];
          return [c, access === 'manager' && c === 'staff' ? 403 : 401];
        }),
      );
      const seen = Object.fromEntries(
        CALLERS.map((c) => [c, got[c] === 401 || got[c] === 403 ? got[c] : 'let in']),
      );
      expect(seen).toEqual(expected);
    },
  );

  it('refuses a cross-site configuration write (CSRF) even from a manager', async () => {
    const res = await manager.request('PUT', '/api/v1/config/services', {
      body: [],
      headers: { origin: 'http://evil.example' },
    });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('cross-origin-refused');
  });
});

describe('sessions and sign-in', () => {
  it('a session ends 12 hours after sign-in (injected clock)', async () => {
    const c = new Client(hall.url);
    expect((await c.login('boss', PASSWORDS.boss)).status).toBe(200);
    clock.advance(12 * HOUR - MINUTE);
    expect((await c.get('/api/v1/config')).status).toBe(200);
    clock.advance(MINUTE);
    expect((await c.get('/api/v1/config')).status).toBe(401);
    expect((await c.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('answers 429 with Retry-After after 10 failures for one username from one address, even with the right password', async () => {
    const c = new Client(hall.url);
    for (let i = 0; i < 10; i++) expect((await c.login('li', 'wrong-password')).status).toBe(401);
    const blocked = await c.login('li', PASSWORDS.li);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    clock.advance(15 * MINUTE);
    expect((await c.login('li', PASSWORDS.li)).status).toBe(200);
  });
});

describe('no default passwords outside the demo', () => {
  it('refuses to start when an account still has a demo password', async () => {
    const path = join(tempDir(), 'weak.sqlite');
    await addAccounts(path, [{ id: 'manager', name: 'M', role: 'manager', password: 'demo-manager' }]);
    await expect(
      startTestServer({ clock, settings: { demo: false, hall: HALL, devices: [], dbPath: path } }),
    ).rejects.toThrow(ConfigError);
  });

  it('the CLI creates the first manager of a real hall, who can then sign in', async () => {
    const dir = tempDir();
    const configPath = join(dir, 'hall.json');
    const db = join(dir, 'cli.sqlite');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(configPath, JSON.stringify({ ...HALL, staff: [] }));
    const env = { ...process.env, HALLQ_CONFIG: configPath, HALLQ_DB: db };
    const root = join(import.meta.dirname, '..', '..');
    const run = (args: string[], input: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
        cwd: root,
        env,
        input,
        encoding: 'utf8',
      });
    const weak = run(
      ['user', 'add', '--username', 'wang', '--name', '王经理', '--role', 'manager'],
      'demo-manager\n',
    );
    expect(weak.status).toBe(2);
    expect(weak.stderr).toContain('must not be a demo password');
    const made = run(
      ['user', 'add', '--username', 'wang', '--name', '王经理', '--role', 'manager'],
      'a-strong-password\n',
    );
    expect(made.stderr.replace(/^password.*?: /, '')).toBe('');
    expect(made.status).toBe(0);
    expect(made.stdout).toContain('user wang (manager) saved');

    const real = await startTestServer({ settings: { demo: false, hall: HALL, devices: [], dbPath: db } });
    try {
      const c = new Client(real.url);
      expect((await c.login('wang', 'a-strong-password')).status).toBe(200);
      expect((await c.get('/api/v1/config')).json.staff).toEqual([
        { id: 'wang', username: 'wang', name: '王经理', role: 'manager', disabled: false },
      ]);
      expect((await new Client(real.url).login('manager', 'demo-manager')).status).toBe(401);
    } finally {
      await real.close();
    }
  }, 30_000);
});
