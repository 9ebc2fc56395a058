import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigView } from '../../server/contract/manager.ts';
import { ManualClock } from '../../server/domain/clock.ts';
import type { RunningHall } from '../../server/main.ts';
import { Client, hallWithCallers } from '../helpers/http.ts';
import { readEvents } from '../helpers/sse.ts';

let hall: RunningHall;
let anon: Client;
let staff: Client;
let manager: Client;
const clock = new ManualClock(Date.UTC(2026, 10, 25, 2, 0)); // 10:00 in Shanghai
const today = '2026-11-25';

beforeAll(async () => {
  ({ hall, anon, staff, manager } = await hallWithCallers({ clock }));
});
afterAll(() => hall.close());

const put = (c: Client, path: string, body: unknown) => c.request('PUT', `/api/v1${path}`, { body });
const config = async (): Promise<ConfigView> => (await manager.get('/api/v1/config')).json;
const envelope = (code: string) => ({
  error: expect.objectContaining({ code, message: expect.any(String) }),
});

describe('who may read and change the configuration', () => {
  it.each([
    ['GET', '/config', undefined],
    ['PUT', '/config/services', []],
    ['PUT', '/config/counters', []],
    ['PUT', '/config/devices', []],
    ['PUT', '/config/printer', { connection: 'sim' }],
    ['POST', '/config/staff', {}],
    ['PUT', '/config/staff/staff1', {}],
    ['POST', '/config/staff/staff1/reset-password', undefined],
  ])('%s %s: 401 anonymous, 403 staff', async (method, path, body) => {
    expect((await anon.request(method, `/api/v1${path}`, { body })).status).toBe(401);
    const res = await staff.request(method, `/api/v1${path}`, { body });
    expect(res.status).toBe(403);
    expect(res.json).toEqual(envelope('forbidden'));
  });
});

describe('configuration', () => {
  it('is the demo hall at first start, version 1, with the accounts', async () => {
    const res = await manager.get('/api/v1/config');
    expect(res.status).toBe(200);
    expect(res.json.version).toBe(1);
    expect(res.json.services.map((s: { id: string }) => s.id)).toEqual([
      'general',
      'payments',
      'devices',
      'broadband',
      'business',
      'vip',
      'complaints',
      'retention',
    ]);
    expect(res.json.counters[0]).toEqual({
      id: '1',
      name: '1号窗口',
      services: [
        { id: 'general', weight: 2 },
        { id: 'payments', weight: 1 },
        { id: 'devices', weight: 1 },
      ],
      elderlyFirst: false,
    });
    expect(res.json.staff).toContainEqual({
      id: 'staff1',
      username: 'staff1',
      name: '营业员1',
      role: 'staff',
      disabled: false,
    });
  });

  it('a new wait target applies at once: answers, the live stream, the audit log', async () => {
    const before = await config();
    const stream = readEvents(`${hall.url}/api/v1/events`);
    await stream.next('snapshot');
    const services = before.services.map((s) => (s.id === 'general' ? { ...s, waitTargetMinutes: 7 } : s));
    const res = await put(manager, '/config/services', services);
    expect(res.status).toBe(200);
    expect(res.json.version).toBe(before.version + 1);
    expect(res.json.services[0].waitTargetMinutes).toBe(7);

    const event = await stream.next('hall.configured');
    await stream.close();
    expect(event.data.data.version).toBe(before.version + 1);
    expect(event.data.data.services.find((s: { id: string }) => s.id === 'general').waitTargetMinutes).toBe(
      7,
    );

    const live = await anon.get('/api/v1/services');
    expect(live.json.find((s: { id: string }) => s.id === 'general').waitTargetMinutes).toBe(7);
    const info = await anon.get('/api/v1/hall');
    expect(info.json.services[0].waitTargetMinutes).toBe(7);

    const audit = await manager.get(`/api/v1/audit?from=${today}&to=${today}`);
    const entry = audit.json.entries.find((a: { action: string }) => a.action === 'config.services');
    expect(entry).toMatchObject({ userId: 'manager', target: 'configuration' });
    expect(entry.before.services[0].waitTargetMinutes).toBe(15);
    expect(entry.after.services[0].waitTargetMinutes).toBe(7);
  });

  it('a new service is offered at once and numbered with its prefix', async () => {
    const before = await config();
    const services = [
      ...before.services,
      {
        id: 'sim',
        prefix: 'S',
        name: { zh: 'SIM 卡', en: 'SIM cards' },
        category: 'business',
        waitTargetMinutes: 10,
        selfService: false,
        enabled: true,
      },
    ];
    expect((await put(manager, '/config/services', services)).status).toBe(200);
    const counters = before.counters.map((c) =>
      c.id === '1' ? { ...c, services: [...c.services, { id: 'sim', weight: 1 }] } : c,
    );
    expect((await put(manager, '/config/counters', counters)).status).toBe(200);
    const ticket = await staff.post('/api/v1/tickets', { serviceId: 'sim' });
    expect(ticket.status).toBe(201);
    expect(ticket.json.number).toBe('S001');
    expect((await anon.get('/api/v1/counters')).json[0].serviceIds).toContain('sim');
  });

  it('refuses to remove a service with waiting tickets (409), and a counter that serves it', async () => {
    const before = await config();
    const without = before.services.filter((s) => s.id !== 'sim');
    const res = await put(manager, '/config/services', without);
    expect(res.status).toBe(409);
    expect(res.json).toEqual(envelope('service-in-use'));
    expect((await config()).version).toBe(before.version);

    // A service without tickets that a counter still serves: the counter's reference would break.
    const noBroadband = before.services.filter((s) => s.id !== 'broadband');
    const conflict = await put(manager, '/config/services', noBroadband);
    expect(conflict.status).toBe(409);
    expect(conflict.json).toEqual(envelope('reference-conflict'));
    expect(conflict.json.error.message).toMatch(/counters\.1\.services\.2: unknown service broadband/);
  });

  it('names the offending field of a bad service list (400)', async () => {
    const before = await config();
    const bad = before.services.map((s, i) =>
      i === 1 ? { ...s, prefix: 'a', waitTargetMinutes: 0 } : i === 2 ? { ...s, prefix: 'A' } : s,
    );
    const res = await put(manager, '/config/services', bad);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid-request');
    const paths = res.json.error.fields.map((f: { path: string }) => f.path);
    expect(paths).toContain('body.1.prefix');
    expect(paths).toContain('body.1.waitTargetMinutes');
    const dup = before.services.map((s, i) => (i === 2 ? { ...s, prefix: 'A' } : s));
    const res2 = await put(manager, '/config/services', dup);
    expect(res2.status).toBe(400);
    expect(res2.json.error.fields).toEqual([{ path: 'body.2.prefix', message: 'duplicate prefix A' }]);
    expect((await put(manager, '/config/services', [])).status).toBe(400);
    expect((await put(manager, '/config/counters', [{ id: '1', name: 'x', services: [] }])).status).toBe(400);
  });

  it('refuses to remove a counter someone is seated at (409)', async () => {
    const before = await config();
    expect((await staff.post('/api/v1/counters/2/open')).status).toBe(200);
    const res = await put(
      manager,
      '/config/counters',
      before.counters.filter((c) => c.id !== '2'),
    );
    expect(res.status).toBe(409);
    expect(res.json).toEqual(envelope('counter-in-use'));
    expect((await staff.post('/api/v1/counters/2/close')).status).toBe(200);
    const ok = await put(
      manager,
      '/config/counters',
      before.counters.filter((c) => c.id !== '2'),
    );
    expect(ok.status).toBe(200);
    expect((await anon.get('/api/v1/counters')).json.map((c: { id: string }) => c.id)).not.toContain('2');
    // Gone from the hall: nobody can open it any more.
    const open = await staff.post('/api/v1/counters/2/open');
    expect(open.status).toBe(404);
    expect(open.json.error.code).toBe('counter-not-found');
  });
});

describe('two managers editing', () => {
  it('a save made on an older version is refused (409) instead of undoing the newer change', async () => {
    const res = await manager.get('/api/v1/config');
    expect(res.headers.get('etag')).toBe(`"${res.json.version}"`);
    const v = res.json.version;
    const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });
    const first = res.json.services.map((s: { id: string }) =>
      s.id === 'vip' ? { ...s, waitTargetMinutes: 9 } : s,
    );
    const saved = await manager.request('PUT', '/api/v1/config/services', {
      body: first,
      headers: ifMatch(v),
    });
    expect(saved.status).toBe(200);
    const stale = await manager.request('PUT', '/api/v1/config/services', {
      body: res.json.services,
      headers: ifMatch(v),
    });
    expect(stale.status).toBe(409);
    expect(stale.json.error.code).toBe('version-conflict');
    const counters = await manager.request('PUT', '/api/v1/config/counters', {
      body: res.json.counters,
      headers: ifMatch(v),
    });
    expect(counters.status).toBe(409);
    expect(
      (await manager.get('/api/v1/config')).json.services.find((s: { id: string }) => s.id === 'vip')
        .waitTargetMinutes,
    ).toBe(9);
    const bad = await manager.request('PUT', '/api/v1/config/services', {
      body: first,
      headers: { 'if-match': 'x' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.fields[0].path).toBe('header');
  });
});

describe('staff accounts', () => {
  it('are created with a one-time password that signs in, and audited without it', async () => {
    const res = await manager.post('/api/v1/config/staff', {
      username: 'li',
      name: '李营业员',
      role: 'staff',
    });
    expect(res.status).toBe(201);
    expect(res.json.user).toEqual({
      id: 'li',
      username: 'li',
      name: '李营业员',
      role: 'staff',
      disabled: false,
    });
    expect(res.json.password).toMatch(/^[a-z2-9]{16}$/);
    const li = new Client(hall.url);
    expect((await li.login('li', res.json.password)).status).toBe(200);
    expect((await li.get('/api/v1/auth/me')).status).toBe(200);

    expect(
      (await manager.post('/api/v1/config/staff', { username: 'li', name: 'x', role: 'staff' })).status,
    ).toBe(409);
    const bad = await manager.post('/api/v1/config/staff', { username: 'Li Si', name: '', role: 'boss' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.fields.map((f: { path: string }) => f.path).sort()).toEqual([
      'body.name',
      'body.role',
      'body.username',
    ]);

    // Renamed, then made a manager: the old session ends with the role change.
    const renamed = await put(manager, '/config/staff/li', { name: '李四', role: 'manager' });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toMatchObject({ name: '李四', role: 'manager' });
    expect((await li.get('/api/v1/auth/me')).status).toBe(401);

    // A reset gives a new password; the old one no longer signs in.
    const reset = await manager.post('/api/v1/config/staff/li/reset-password');
    expect(reset.status).toBe(200);
    expect(reset.json.password).not.toBe(res.json.password);
    expect((await new Client(hall.url).login('li', res.json.password)).status).toBe(401);
    expect((await new Client(hall.url).login('li', reset.json.password)).status).toBe(200);

    const audit = (await manager.get(`/api/v1/audit?from=${today}&to=${today}`)).json.entries;
    const actions = audit.map((a: { action: string }) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['staff.create', 'staff.update', 'staff.reset-password']));
    expect(JSON.stringify(audit)).not.toContain(reset.json.password);
    expect(JSON.stringify(audit)).not.toContain(res.json.password);
  });

  it('a disabled account cannot sign in; someone seated cannot be disabled; the last manager stays', async () => {
    const seated = new Client(hall.url);
    expect((await seated.login('staff3')).status).toBe(200);
    expect((await seated.post('/api/v1/counters/3/open')).status).toBe(200);
    const refused = await put(manager, '/config/staff/staff3', { disabled: true });
    expect(refused.status).toBe(409);
    expect(refused.json).toEqual(envelope('staff-seated'));
    expect((await seated.post('/api/v1/counters/3/close')).status).toBe(200);
    expect((await put(manager, '/config/staff/staff3', { disabled: true })).status).toBe(200);
    expect((await seated.get('/api/v1/auth/me')).status).toBe(401);
    expect((await new Client(hall.url).login('staff3')).status).toBe(401);

    // li is a manager too (above): disable li, then the demo manager may not demote itself.
    expect((await put(manager, '/config/staff/li', { disabled: true })).status).toBe(200);
    const last = await put(manager, '/config/staff/manager', { role: 'staff' });
    expect(last.status).toBe(409);
    expect(last.json).toEqual(envelope('last-manager'));
    expect((await put(manager, '/config/staff/nobody', { name: 'x' })).status).toBe(404);
    expect((await put(manager, '/config/staff/staff4', {})).status).toBe(400);
  });
});

describe('devices as the manager sees them', () => {
  it('show each device’s connection and the counter or kiosk it serves (managers only)', async () => {
    expect((await anon.get('/api/v1/devices')).status).toBe(401);
    expect((await staff.get('/api/v1/devices')).status).toBe(403);
    const res = await manager.get('/api/v1/devices');
    expect(res.status).toBe(200);
    const byId = new Map(res.json.devices.map((d: { id: string }) => [d.id, d]));
    expect(byId.get('printer')).toMatchObject({ kind: 'printer', connection: 'sim' });
    expect(byId.get('printer')).not.toHaveProperty('counterId');
    expect(byId.get('keypad-1')).toMatchObject({
      kind: 'keypad',
      connection: 'sim',
      counterId: '1',
    });
    expect(byId.get('k1-scanner')).toMatchObject({ kind: 'scanner', kioskId: 'k1' });
  });
});
