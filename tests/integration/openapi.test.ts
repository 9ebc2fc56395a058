/**
 * The OpenAPI document of API v1 against the running hall: served as generated, valid by Redocly's
 * strict rules, the same routes both ways, the access it claims enforced, its answers' schemas true of
 * real answers, and docs/api.md rendered from it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apiMarkdown } from '../../scripts/api-docs.ts';
import { DEMO_HALL, parseHallConfig } from '../../server/config.ts';
import { ERROR_CODES } from '../../server/contract/error-codes.ts';
import { API_ROUTES, type ApiRoute } from '../../server/http/api-routes.ts';
import { openApiDocument } from '../../server/http/openapi.ts';
import type { RunningHall } from '../../server/main.ts';
import { type Answer, Client, hallWithCallers, startTestServer } from '../helpers/http.ts';
import { registeredRoutes } from '../helpers/routes.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { addAccounts } from '../helpers/test-hall.ts';

const document = openApiDocument();

/** `METHOD /path` of every documented operation, in the routers' notation (`/tickets/:id`). */
const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
  Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
);

describe('the OpenAPI document', () => {
  it('passes the Redocly linter under its strict rules', async () => {
    const config = await createConfig({
      extends: ['recommended-strict'],
      rules: {
        // HallQ is private: there is no licence to state.
        'info-license': 'off',
        // The screens' public reads (GET /hall, /services, /counters, /notices, /health) refuse nobody.
        'operation-4xx-response': 'off',
      },
    });
    const problems = await lintFromString({
      source: JSON.stringify(document),
      absoluteRef: 'openapi.json',
      config,
    });
    expect(problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
  });

  it('is OpenAPI 3.1 with a schema for each answer and the error envelope for each refusal', () => {
    expect(document.openapi).toBe('3.1.0');
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const where = `${method} ${path}`;
        for (const [status, response] of Object.entries(operation.responses)) {
          if (status === 'default' || status.startsWith('4')) {
            expect(response.content?.['application/json']?.schema, where).toEqual({
              $ref: '#/components/schemas/ErrorBody',
            });
          }
        }
        expect(operation['x-hallq-access'], where).toMatch(/^(public|screen|kiosk|customer|person|manager)$/);
      }
    }
    expect(document.components.schemas.ErrorBody).toMatchObject({
      properties: { error: { required: ['code', 'message'] } },
    });
  });

  it("lists the hall's error codes in the envelope, and each route's refusals among them", () => {
    expect(document.components.schemas.ErrorBody).toMatchObject({
      properties: { error: { properties: { code: { $ref: '#/components/schemas/ErrorCode' } } } },
    });
    const listed = document.components.schemas.ErrorCode?.enum as string[] | undefined;
    expect(listed).toEqual([...ERROR_CODES]);
    const named = Object.values(document.paths).flatMap((operations) =>
      Object.values(operations).flatMap((operation) =>
        Object.values(operation.responses)
          .filter((response) => response.description.startsWith('Refused:'))
          .flatMap((response) => [...response.description.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]!)),
      ),
    );
    expect(named.length).toBeGreaterThan(50);
    expect(named.filter((code) => !listed?.includes(code))).toEqual([]);
  });

  it('is rendered in docs/api.md as `npm run docs:api` writes it', () => {
    const file = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'api.md'), 'utf8');
    expect(file === apiMarkdown(document), 'docs/api.md is stale: run `npm run docs:api`').toBe(true);
  });
});

/**
 * A real hall, outside demo mode, with a manager and a member of staff signed in: the routes the app
 * registers, and who each one lets in.
 */
describe('the document and the routes of a real hall', () => {
  let hall: RunningHall;
  let anon: Client;
  let staff: Client;

  beforeAll(async () => {
    const dbPath = join(tempDir(), 'real.sqlite');
    await addAccounts(dbPath, [
      { id: 'li', name: '李营业员', role: 'staff', password: 'li-password-1' },
      { id: 'boss', name: '张经理', role: 'manager', password: 'boss-pass-1' },
    ]);
    const config = parseHallConfig({ ...DEMO_HALL, staff: [], kiosks: [{ id: 'k1' }] }, 'test');
    hall = await startTestServer({ settings: { demo: false, hall: config, devices: [], dbPath } });
    anon = new Client(hall.url);
    staff = new Client(hall.url);
    expect((await staff.login('li', 'li-password-1')).status).toBe(200);
  });
  afterAll(() => hall.close());

  it('serves the document at /api/v1/openapi.json, to anyone', async () => {
    const served = await anon.get('/api/v1/openapi.json');
    expect(served.status).toBe(200);
    expect(served.json).toEqual(JSON.parse(JSON.stringify(document)));
  });

  it('documents every registered route, and every documented route exists', () => {
    expect(documented.sort()).toEqual(registeredRoutes(hall.server, '/api/v1').sort());
  });

  /** The status of a call with an empty body, unknown ids and a valid date range. */
  async function statusOf(client: Client, method: string, path: string): Promise<number> {
    const url = `/api/v1${path.replace(/\{\w+\}/g, 'zz9')}?from=2026-11-25&to=2026-11-25`;
    if (path === '/events') {
      const res = await fetch(hall.url + url);
      await res.body?.cancel();
      return res.status;
    }
    return (await client.request(method, url, method === 'get' ? {} : { body: {} })).status;
  }

  it('signs out only someone signed in', async () => {
    const someone = new Client(hall.url);
    expect((await someone.login('li', 'li-password-1')).status).toBe(200);
    expect(await statusOf(anon, 'post', '/auth/logout')).toBe(401);
    expect(await statusOf(someone, 'post', '/auth/logout')).toBe(204);
  });

  // Signing out is left to the test above: it would end the session the others use.
  it.each(
    Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([method]) => `${method} ${path}` !== 'post /auth/logout')
        .map(([method, op]) => [method, path, op['x-hallq-access']] as const),
    ),
  )('%s %s lets in only its %s callers', async (method, path, access) => {
    const anonymous = await statusOf(anon, method, path);
    const signedInStaff = await statusOf(staff, method, path);
    if (access === 'public') expect(anonymous).not.toBeOneOf([401, 403]);
    else expect(anonymous).toBe(401);
    if (access === 'manager') expect(signedInStaff).toBe(403);
    else if (access === 'customer' || access === 'screen') expect(signedInStaff).toBe(401);
    else expect(signedInStaff).not.toBeOneOf([401, 403]);
  });
});

/** Which documented route a request is, by its path. */
function routeOf(method: string, path: string): ApiRoute {
  const bare = path.split('?')[0]!;
  const route = API_ROUTES.find(
    (r) =>
      r.method === method.toLowerCase() &&
      new RegExp(`^${r.path.replace(/[.]/g, '\\.').replace(/:\w+/g, '[^/]+')}$`).test(bare),
  );
  if (!route) throw new Error(`undocumented route ${method} ${bare}`);
  return route;
}

/**
 * The demo hall, walked through as its screens and people use it. Every answer must have its documented
 * status and match its documented schema exactly: parsing keeps only documented fields, so an answer
 * with a field the document lacks differs from its parse.
 */
describe('real answers against their documented schemas', () => {
  let demo: Awaited<ReturnType<typeof hallWithCallers>>;
  const checked = new Set<ApiRoute>();
  const k1 = { 'X-Kiosk-Id': 'k1' };

  beforeAll(async () => {
    demo = await hallWithCallers();
  });
  afterAll(() => demo.hall.close());

  async function call(
    client: Client,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Answer> {
    const route = routeOf(method, path);
    const answer = await client.request(method, `/api/v1${path}`, {
      ...(body !== undefined && { body }),
      ...(headers && { headers }),
    });
    expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(route.answer.status);
    const { schema, list } = route.answer;
    if (schema) {
      const parsed = (list ? z.array(schema) : schema).safeParse(answer.json);
      expect(parsed.error?.issues ?? [], `${method} ${path}`).toEqual([]);
      expect(parsed.data, `${method} ${path} has fields the document lacks`).toEqual(answer.json);
    }
    checked.add(route);
    return answer;
  }

  it('holds for the screens, the kiosk, the counter and the manager', async () => {
    const { anon, staff, manager } = demo;
    const today = new Date().toLocaleDateString('sv', { timeZone: 'Asia/Shanghai' });
    const range = `from=${today}&to=${today}`;
    for (const path of ['/hall', '/services', '/counters', '/notices', '/health', '/kiosks/k1'])
      await call(anon, 'GET', path);
    await call(manager, 'GET', '/auth/me');
    await call(manager, 'POST', '/auth/login', { username: 'manager', password: 'demo-manager' });

    // Tickets through their life at counter 1.
    const first = (await call(anon, 'POST', '/tickets', { serviceId: 'general' }, k1)).json;
    await call(anon, 'GET', `/tickets/${first.id}`);
    await call(staff, 'POST', '/counters/1/open');
    await call(staff, 'POST', '/counters/1/call');
    await call(staff, 'GET', '/counters/1/current');
    await call(staff, 'POST', '/counters/1/recall');
    await call(staff, 'POST', '/counters/1/start');
    await call(staff, 'POST', '/counters/1/finish', { rating: { score: 5, dimensions: { empathy: 4 } } });
    await call(staff, 'POST', '/tickets', { serviceId: 'payments', customer: { tier: 'elderly' } }, k1);
    await call(staff, 'POST', '/counters/1/call');
    await call(staff, 'POST', '/counters/1/no-show');
    await call(anon, 'POST', '/tickets', { serviceId: 'general' }, k1);
    await call(staff, 'POST', '/counters/1/call');
    await call(staff, 'POST', '/counters/1/transfer', { serviceId: 'payments', front: true });
    await call(staff, 'POST', '/counters/1/pause', { reason: 'lunch' });
    await call(staff, 'POST', '/counters/1/resume');
    const waiting = (await call(anon, 'POST', '/tickets', { serviceId: 'devices' }, k1)).json;
    // A text when the turn is near: four ahead of the last of five, so it may be asked for.
    let last = waiting;
    for (let i = 0; i < 4; i++)
      last = (await call(anon, 'POST', '/tickets', { serviceId: 'devices' }, k1)).json;
    await call(anon, 'POST', `/tickets/${last.id}/turn-alert`, { phone: '13800000009' });
    await call(anon, 'GET', `/tickets/${last.id}/turn-alert`);
    await call(anon, 'DELETE', `/tickets/${last.id}/turn-alert`);
    await call(anon, 'POST', `/tickets/${waiting.id}/cancel`);
    await call(staff, 'POST', '/counters/1/close');

    // The kiosk: identification, self-service, appointments, feedback.
    const challenge = (await call(anon, 'POST', '/identify/phone', { phone: '13800000001' }, k1)).json;
    const outbox = (await call(manager, 'GET', '/sms/outbox')).json as { to: string; text: string }[];
    const code = /(\d{6})/.exec(outbox.find((m) => m.to === '138****0001')?.text ?? '')?.[1];
    const { customer } = (
      await call(anon, 'POST', '/identify/verify', { challengeId: challenge.challengeId, code })
    ).json;
    const identified = { ...k1, 'X-Customer-Token': customer.token };
    const account = (await call(anon, 'GET', '/self-service/account', undefined, identified)).json;
    await call(anon, 'GET', '/self-service/packs', undefined, identified);
    await call(anon, 'POST', '/self-service/invoices', { period: account.invoicePeriods[0] }, identified);
    await call(manager, 'POST', '/demo/payment', { outcome: 'hold' });
    const topUp = { kind: 'top-up', amountFen: 1000 };
    const once = { ...identified, 'Idempotency-Key': 'openapi-top-up-1' };
    const order = (await call(anon, 'POST', '/self-service/orders', topUp, once)).json;
    await call(anon, 'GET', `/self-service/orders/${order.id}`, undefined, identified);
    await call(anon, 'POST', `/self-service/orders/${order.id}/cancel`, undefined, identified);
    await call(anon, 'POST', '/feedback', { kind: 'praise', topics: ['staff'], lang: 'zh' }, identified);
    // Tomorrow's slots: today's may all be past, whatever the hour the test runs at.
    const tomorrow = new Date(Date.now() + 86_400_000).toLocaleDateString('sv', {
      timeZone: 'Asia/Shanghai',
    });
    const slots = (await call(anon, 'GET', `/appointments/slots?serviceId=general&day=${tomorrow}`)).json;
    const slot = slots.slots[0].slot;
    await call(anon, 'POST', '/appointments', { serviceId: 'general', slot, phone: '13800000002' });
    const read = (await call(manager, 'POST', '/demo/kiosks/k1/scan', { code: 'HALLQ-M-1002' })).json;
    await call(anon, 'POST', '/identify/device', { readId: read.readId }, k1);
    await call(anon, 'POST', '/appointments/check-in', { code: '100001' }, k1);
    await call(manager, 'POST', '/demo/kiosks/k1/id-card', {
      name: '王秀英',
      idNumber: '110102195404120048',
    });
    await call(manager, 'POST', '/demo/devices/keypad-1', { action: 'press', key: 'NEXT' });

    // The manager.
    for (const path of ['/stats/summary', '/stats/series', '/stats/breakdown', '/stats/staffing', '/audit'])
      await call(manager, 'GET', `${path}?${range}`);
    await call(manager, 'GET', `/routing/why?day=${today}&number=${first.number}`);
    for (const path of ['/queue/breaches', '/feedback', '/devices', '/pairing/requests', '/devices/tokens'])
      await call(manager, 'GET', path);
    await call(manager, 'PUT', '/notices', [{ text: { zh: '欢迎', en: 'Welcome' } }]);
    let config = (await call(manager, 'GET', '/config')).json;
    for (const part of ['services', 'counters', 'devices'] as const)
      config = (
        await call(manager, 'PUT', `/config/${part}`, config[part], { 'If-Match': `"${config.version}"` })
      ).json;
    await call(manager, 'PUT', '/config/printer', { connection: config.printer ?? 'sim' });
    const added = (
      await call(manager, 'POST', '/config/staff', { username: 'zhao', name: '赵', role: 'staff' })
    ).json;
    await call(manager, 'PUT', `/config/staff/${added.user.id}`, { name: '赵敏' });
    await call(manager, 'POST', `/config/staff/${added.user.id}/reset-password`);
    const pairing = (await call(anon, 'POST', '/pairing/requests')).json;
    await call(anon, 'GET', `/pairing/requests/${pairing.id}`);
    const token = (
      await call(manager, 'POST', `/pairing/requests/${pairing.id}/approve`, {
        kind: 'display',
        deviceId: 'w9',
      })
    ).json;
    const paired = (await call(anon, 'GET', `/pairing/requests/${pairing.id}`)).json;
    await call(anon, 'GET', '/devices/me', undefined, { authorization: `Bearer ${paired.token}` });
    await call(manager, 'DELETE', `/devices/tokens/${token.id}`);

    const unchecked = API_ROUTES.filter((r) => !checked.has(r) && r.answer.schema);
    expect(unchecked.map((r) => `${r.method.toUpperCase()} ${r.path}`)).toEqual([]);
  });
});
