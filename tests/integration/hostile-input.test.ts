/**
 * Bad input is never a 500 (every refusal is API v1's error envelope, docs/api.md): a corpus of hostile requests — bad JSON, wrong content types
 * and encodings, huge, negative and fractional numbers, odd dates, unicode, overlong strings, path and
 * query tricks — sent to every registered route of a demo hall (where every route is reachable) as
 * every kind of caller, and each field of a valid body replaced in turn by hostile values. Any 5xx, any
 * error the hall logs as unhandled, or a crash (vitest fails on an unhandled error) fails the test.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/domain/clock.ts';
import type { RunningHall } from '../../server/main.ts';
import { Client, startTestServer } from '../helpers/http.ts';
import { registeredRoutes } from '../helpers/routes.ts';

const clock = new ManualClock(Date.UTC(2026, 10, 25, 2, 0)); // 10:00 in Shanghai
const DAY = '2026-11-25';

let hall: RunningHall;
const unhandled: Record<string, unknown>[] = [];
let routes: string[];
/** Ids that exist, so that hostile bodies reach past the lookups. */
const real = { ticket: '', pairing: '', token: '1', customer: '' };
type Caller = { name: string; client: Client; headers: Record<string, string> };
let callers: Caller[];
let manager: Caller;
let kiosk: Caller;

beforeAll(async () => {
  hall = await startTestServer({
    clock,
    log: (line) => {
      if (line.msg === 'unhandled error') unhandled.push(line);
    },
  });
  routes = registeredRoutes(hall.server, '/api/v1');
  const sessions = { staff: new Client(hall.url), manager: new Client(hall.url) };
  expect((await sessions.staff.login('staff1')).status).toBe(200);
  expect((await sessions.manager.login('manager')).status).toBe(200);
  const pair = async (kind: 'kiosk' | 'display', deviceId: string) => {
    const asked = await new Client(hall.url).post('/api/v1/pairing/requests');
    await sessions.manager.post(`/api/v1/pairing/requests/${asked.json.id}/approve`, { kind, deviceId });
    return (await new Client(hall.url).get(`/api/v1/pairing/requests/${asked.json.id}`)).json.token as string;
  };
  const tokens = { kiosk: await pair('kiosk', 'k1'), display: await pair('display', 'wall-1') };
  real.pairing = (await new Client(hall.url).post('/api/v1/pairing/requests')).json.id;
  // An identified customer at k1, so the self-service routes are reached.
  const card = await sessions.manager.post('/api/v1/demo/kiosks/k1/id-card', {
    name: '李娜',
    idNumber: '110105198503150026',
  });
  const identified = await new Client(hall.url).post(
    '/api/v1/identify/device',
    { readId: card.json.readId },
    { authorization: `Bearer ${tokens.kiosk}` },
  );
  real.customer = identified.json.customer.token;
  real.ticket = (await sessions.staff.post('/api/v1/tickets', { serviceId: 'general' })).json.id;
  expect((await sessions.staff.post('/api/v1/counters/1/open')).status).toBe(200);
  const anon = new Client(hall.url);
  kiosk = {
    name: 'kiosk',
    client: anon,
    headers: {
      authorization: `Bearer ${tokens.kiosk}`,
      'x-kiosk-id': 'k1',
      'x-customer-token': real.customer,
    },
  };
  manager = { name: 'manager', client: sessions.manager, headers: { 'x-kiosk-id': 'k1' } };
  callers = [
    { name: 'anonymous', client: anon, headers: {} },
    { name: 'bad token', client: anon, headers: { authorization: 'Bearer x', 'x-kiosk-id': '../k1' } },
    kiosk,
    { name: 'display', client: anon, headers: { authorization: `Bearer ${tokens.display}` } },
    { name: 'staff', client: sessions.staff, headers: {} },
    manager,
  ];
}, 60_000);
afterAll(() => hall?.close());

// ---------- the corpus ----------

const LONG = 'x'.repeat(20_000);
const HOSTILE_VALUES: unknown[] = [
  -1,
  0,
  1.5,
  1e308,
  -1e308,
  2 ** 53 + 1,
  '',
  ' ',
  LONG,
  '票号🎫\u202e',
  '\u0000',
  '\ud800',
  'NaN',
  '-Infinity',
  null,
  true,
  [],
  {},
  ['a', 1, null],
  { __proto__: { admin: true } },
  '9999-12-31T23:59:59Z',
  '0000-01-01',
  '2026-02-30',
  '../../etc/passwd',
  '=HYPERLINK("x")',
];

/** Raw bodies: [description, content type, bytes, extra headers]. */
const RAW_BODIES: [string, string | null, Uint8Array<ArrayBuffer> | string, Record<string, string>][] = [
  ['truncated JSON', 'application/json', '{"serviceId":', {}],
  ['JSON null', 'application/json', 'null', {}],
  ['JSON string', 'application/json', '"general"', {}],
  ['JSON number', 'application/json', '1e309', {}],
  ['JSON array', 'application/json', '[1,2,3]', {}],
  ['prototype keys', 'application/json', '{"__proto__":{"admin":true},"constructor":{"prototype":{}}}', {}],
  ['deep nesting', 'application/json', `${'['.repeat(5000)}${']'.repeat(5000)}`, {}],
  ['deep object', 'application/json', `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`, {}],
  ['BOM first', 'application/json', '\ufeff{}', {}],
  ['invalid UTF-8', 'application/json', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), {}],
  ['NUL bytes', 'application/json', '{"a":"\\u0000\u0000"}', {}],
  ['over 64 KB', 'application/json', `{"a":"${'y'.repeat(70_000)}"}`, {}],
  ['text/plain', 'text/plain', '{}', {}],
  ['a form', 'application/x-www-form-urlencoded', 'serviceId=general', {}],
  ['multipart', 'multipart/form-data; boundary=x', '--x\r\n\r\n--x--', {}],
  ['latin-1 JSON', 'application/json; charset=latin1', '{}', {}],
  ['UTF-16 JSON', 'application/json; charset=utf-16', '{}', {}],
  ['odd charset', 'application/json; charset="><script>', '{}', {}],
  ['no content type', null, '{}', {}],
  ['garbage content type', ';;;/', '{}', {}],
  ['invalid gzip', 'application/json', 'not gzip at all', { 'content-encoding': 'gzip' }],
  ['valid gzip', 'application/json', new Uint8Array(gzipSync('{}')), { 'content-encoding': 'gzip' }],
  [
    'gzip bomb',
    'application/json',
    new Uint8Array(gzipSync('1'.repeat(5_000_000))),
    { 'content-encoding': 'gzip' },
  ],
  ['deflate', 'application/json', 'x', { 'content-encoding': 'deflate' }],
  ['brotli', 'application/json', 'x', { 'content-encoding': 'br' }],
  ['unknown encoding', 'application/json', '{}', { 'content-encoding': 'zstd, gzip' }],
  ['wrong length', 'application/json', '{}', { 'idempotency-key': '\u00ff'.repeat(3) }],
];

const PARAM_VALUES = [
  'zz9',
  '%00',
  '..%2F..%2Fetc%2Fpasswd',
  '%E0%A4%A',
  '%',
  encodeURIComponent('票号🎫'),
  'x'.repeat(3000),
  '-1',
  'NaN',
  '1e309',
  '0x10',
  '__proto__',
  'constructor',
];

const QUERIES = [
  'from=0000-01-01&to=9999-12-31',
  'from=1999-12-31&to=2000-01-01',
  'from=2026-02-30&to=2026-03-01',
  'from=2026-11-25&to=2026-11-24',
  'from=-2026-11-25&to=+2026-11-25',
  'from=20261125&to=20261125',
  'from[]=2026-11-25&to[]=2026-11-25',
  'from=2026-11-25&from=2026-11-26&to=2026-11-25',
  'from[a]=b&to[__proto__]=c',
  `from=${DAY}&to=${DAY}&by=__proto__`,
  `from=${DAY}&to=${DAY}&by=${LONG.slice(0, 3000)}`,
  'day=9999-12-31&number=A001',
  'day=0000-01-01&number=A9999999&before=Z0',
  `day=${DAY}&number=${'A'.repeat(500)}`,
  'serviceId=general&day=9999-12-31',
  'serviceId=general&day=0000-01-01',
  'serviceId=../x&day=2026-11-25',
  'kioskId=../../x&lastEventId=-1',
  'lastEventId=1e309',
  'lastEventId=99999999999999999999',
  '%ZZ=1&from=%',
  'limit=-1&offset=NaN',
];

const API_PATH_TRICKS = [
  '/api/v1/../v1/health',
  '/api/v1/%2e%2e/v1/health',
  '/api/v1//tickets',
  '/api/v1/tickets/',
  '/api/v1/tickets/%2F..%2F..%2Fhealth',
  '/api/v2/tickets',
  '/api/v1/%ZZ',
  `/api/v1/${'a/'.repeat(2000)}`,
  '/api/v1/events?lastEventId=0&lastEventId=1',
];

/** A valid body for each route that takes one: the hostile values replace each of its fields in turn. */
const SAMPLES: Record<string, unknown> = {
  'POST /auth/login': { username: 'manager', password: 'not-the-password' },
  'POST /tickets': {
    serviceId: 'general',
    channel: 'kiosk',
    customer: { phone: '13800000001', tier: 'regular' },
    lang: 'zh',
  },
  'POST /tickets/:id/turn-alert': { phone: '13800000001' },
  'POST /feedback': { kind: 'complaint', topics: ['billing'], lang: 'zh', ticket: true },
  'POST /identify/phone': { phone: '13800000001' },
  'POST /identify/verify': { challengeId: 'AAAAAAAAAAAAAAAAAAAAAA', code: '123456' },
  'POST /identify/device': { readId: 'AAAAAAAAAAAAAAAAAAAAAA' },
  'POST /appointments': {
    serviceId: 'general',
    slot: '2026-11-25T06:00:00+08:00',
    phone: '13800000009',
    lang: 'zh',
  },
  'POST /appointments/check-in': { code: '100001', lang: 'zh' },
  'POST /self-service/orders': { kind: 'top-up', amountFen: 5000 },
  'POST /self-service/invoices': { period: '2026-10' },
  'POST /counters/:id/pause': { reason: 'break' },
  'POST /counters/:id/finish': { rating: { score: 5, dimensions: { reliability: 5, empathy: 4 } } },
  'POST /counters/:id/transfer': { serviceId: 'vip', front: true },
  'PUT /notices': [
    { id: 'n1', text: { zh: '通知', en: 'Notice' }, imageUrl: 'data:image/png;base64,iVBORw0KGgo=' },
  ],
  'PUT /config/services': [
    {
      id: 'general',
      prefix: 'A',
      name: { zh: '业务办理', en: 'General' },
      category: 'business',
      waitTargetMinutes: 15,
      hours: { open: '00:00', close: '24:00' },
      selfService: false,
      enabled: true,
    },
  ],
  'PUT /config/counters': [
    { id: '1', name: '1号窗口', services: ['general', { id: 'payments', weight: 2 }], elderlyFirst: false },
  ],
  'PUT /config/devices': [{ id: 'led-9', kind: 'led', path: '/dev/ttyUSB9', baudRate: 9600, counterId: '1' }],
  'PUT /config/printer': { connection: 'sim' },
  'POST /config/staff': { username: 'fuzz', name: '测试', role: 'staff' },
  'PUT /config/staff/:id': { name: '测试', role: 'staff', disabled: false },
  'POST /pairing/requests/:id/approve': { kind: 'kiosk', deviceId: 'k9' },
  'POST /demo/payment': { outcome: 'paid', delayMs: 0 },
  'POST /demo/kiosks/:kioskId/id-card': { name: '张伟', idNumber: '110101199001010011' },
  'POST /demo/kiosks/:kioskId/scan': { code: 'HALLQ-M-1001' },
  'POST /demo/devices/:id': {
    action: 'card',
    card: { name: '张伟', idNumber: '110101199001010011', birthDate: '1990-01-01', sexCode: '1' },
  },
};

/** Each variant of a body with one field (the first element of a list) replaced by a hostile value. */
function mutations(sample: unknown): unknown[] {
  const out: unknown[] = [];
  const walk = (value: unknown, replace: (v: unknown) => unknown) => {
    for (const hostile of HOSTILE_VALUES) out.push(replace(hostile));
    if (Array.isArray(value) && value.length > 0) walk(value[0], (v) => replace([v, ...value.slice(1)]));
    else if (value && typeof value === 'object')
      for (const key of Object.keys(value))
        walk((value as Record<string, unknown>)[key], (v) => replace({ ...(value as object), [key]: v }));
  };
  walk(sample, (v) => v);
  return out;
}

/** Real ids for a route's parameters, so a body is judged on its own merits. */
function realPath(pattern: string): string {
  return pattern
    .replace(':kioskId', 'k1')
    .replace(/^\/tickets\/:id/, `/tickets/${real.ticket}`)
    .replace(/^\/counters\/:id/, '/counters/1')
    .replace(/^\/config\/staff\/:id/, '/config/staff/staff6')
    .replace(/^\/pairing\/requests\/:id/, `/pairing/requests/${real.pairing}`)
    .replace(/^\/devices\/tokens\/:id/, '/devices/tokens/999')
    .replace(/^\/demo\/devices\/:id/, '/demo/devices/k1-id-reader')
    .replace(/:id/, 'zz9');
}

// ---------- sending ----------

type Attempt = {
  caller: Caller;
  method: string;
  path: string;
  body?: BodyInit;
  headers?: Record<string, string>;
};
const failures: string[] = [];

async function send(a: Attempt): Promise<void> {
  const controller = new AbortController();
  const headers: Record<string, string> = {
    'idempotency-key': `fuzz-${Math.random()}`,
    ...a.caller.headers,
    ...a.headers,
  };
  const cookie = a.caller.client.cookieHeader;
  if (cookie) headers.cookie = cookie;
  let status: number;
  let text = '';
  try {
    const res = await fetch(hall.url + a.path, {
      method: a.method,
      headers,
      body: a.body,
      signal: controller.signal,
      redirect: 'manual',
    });
    status = res.status;
    // The event stream never ends: its status is enough.
    if (res.headers.get('content-type')?.startsWith('text/event-stream')) controller.abort();
    else text = await res.text();
  } catch (error) {
    if (controller.signal.aborted) return;
    failures.push(`${a.caller.name} ${a.method} ${a.path.slice(0, 120)}: ${String(error)}`);
    return;
  }
  if (status >= 500)
    failures.push(`${a.caller.name} ${a.method} ${a.path.slice(0, 120)} → ${status} ${text.slice(0, 200)}`);
}

/** Sends the attempts, a few at a time; none may be answered with a 5xx or logged as unhandled. */
async function expectAllAnswered(attempts: Attempt[], atLeast: number, parallel = 12): Promise<void> {
  expect(attempts.length).toBeGreaterThan(atLeast);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < attempts.length) await send(attempts[next++]!);
    }),
  );
  expect(failures).toEqual([]);
  expect(unhandled).toEqual([]);
}

const json = (v: unknown) => ({ body: JSON.stringify(v), headers: { 'content-type': 'application/json' } });
/** Sign-in and sign-out last: guessing passwords gets this address refused, signing out ends sessions. */
const ordered = () => [...routes].sort((a, b) => Number(a.includes('/auth/')) - Number(b.includes('/auth/')));

describe('hostile input, to every route, as every caller', () => {
  beforeEach(() => {
    failures.length = 0;
    unhandled.length = 0;
  });

  it('covers every registered route that takes a body with a valid sample to mutate', () => {
    const withBody = routes.filter(
      (r) =>
        /^(POST|PUT)/.test(r) &&
        !/\/(open|resume|close|call|recall|start|no-show|cancel|logout|reset-password)$/.test(r) &&
        r !== 'POST /pairing/requests',
    );
    expect(withBody.filter((r) => !(r in SAMPLES))).toEqual([]);
  });

  it('answers 400, naming the fields, to the range and the body that once gave a 500', async () => {
    for (const path of ['/api/v1/audit', '/api/v1/audit.csv']) {
      const res = await manager.client.get(`${path}?from=0000-01-01&to=9999-12-31`);
      expect(res.status).toBe(400);
      expect(res.json.error.fields.map((f: { path: string }) => f.path).sort()).toEqual([
        'query.from',
        'query.to',
      ]);
    }
    const span = await manager.client.get('/api/v1/stats/summary?from=2000-01-01&to=2099-12-31');
    expect(span.status).toBe(400);
    expect(span.json.error.fields).toEqual([
      { path: 'query.from', message: expect.stringMatching(/3660 days/) },
    ]);
    const gzip = await fetch(`${hall.url}/api/v1/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'x-kiosk-id': 'k1' },
      body: 'not gzip at all',
    });
    expect(gzip.status).toBe(400);
    expect((await gzip.json()).error.code).toBe('invalid-request');
  });

  it('never answers 5xx to hostile paths and queries', async () => {
    const attempts: Attempt[] = [];
    for (const caller of callers) {
      for (const path of API_PATH_TRICKS) attempts.push({ caller, method: 'GET', path });
      for (const route of ordered()) {
        const [method, pattern] = route.split(' ') as [string, string];
        const body = method === 'GET' || method === 'DELETE' ? {} : json(SAMPLES[route] ?? {});
        for (const value of pattern.includes(':') ? PARAM_VALUES : [])
          attempts.push({ caller, method, path: `/api/v1${pattern.replace(/:[A-Za-z]+/g, value)}`, ...body });
        // The queries where queries are read; a write gets a few, for its parser's sake.
        for (const query of method === 'GET' ? QUERIES : QUERIES.slice(0, 3))
          attempts.push({ caller, method, path: `/api/v1${realPath(pattern)}?${query}`, ...body });
      }
    }
    await expectAllAnswered(attempts, 4000);
  }, 240_000);

  it('never answers 5xx to hostile bodies', async () => {
    const attempts: Attempt[] = [];
    for (const route of ordered()) {
      const [method, pattern] = route.split(' ') as [string, string];
      if (method === 'GET') continue;
      const path = `/api/v1${realPath(pattern)}`;
      for (const caller of callers)
        for (const [, type, bytes, extra] of RAW_BODIES)
          attempts.push({
            caller,
            method,
            path,
            body: bytes,
            headers: { ...(type ? { 'content-type': type } : {}), ...extra },
          });
    }
    await expectAllAnswered(attempts, 2000);
  }, 240_000);

  it('never answers 5xx when any field of a valid body is hostile', async () => {
    const attempts: Attempt[] = [];
    for (const route of ordered()) {
      const sample = SAMPLES[route];
      if (sample === undefined) continue;
      const [method, pattern] = route.split(' ') as [string, string];
      // As the caller the route is for: a kiosk (with its customer) for the kiosk's, else the manager.
      const caller = /^\/(tickets|feedback|identify|appointments|self-service)/.test(pattern)
        ? kiosk
        : manager;
      for (const variant of mutations(sample))
        attempts.push({ caller, method, path: `/api/v1${realPath(pattern)}`, ...json(variant) });
    }
    await expectAllAnswered(attempts, 2000);
  }, 240_000);

  it('is still up and answering afterwards', async () => {
    expect((await fetch(`${hall.url}/api/v1/health`)).status).toBe(200);
  });
});
