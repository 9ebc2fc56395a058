/**
 * Nothing personal leaves a hall. A real hall does everything that makes an event of every type — with
 * customers identified by phone, by ID card and by member code, a phone typed in, a broken printer, a
 * rating pad, notices, a configuration change, a day's closing — and its log also gets, for every type,
 * a payload stuffed with personal data (a field some later version might add). The real sender ships it
 * through a recording proxy to a real HQ. Neither the bytes on the wire nor anything in HQ's database
 * may hold a phone number, an 18-digit ID number, a customer's name (whole or masked), a ticket or read
 * id, a salt or a hash of any of them. Then a demo hall lives a day and HQ's database is scanned again.
 */
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_HALLS, runDemoHalls } from '../../hq/server/demo.ts';
import { HALL_EVENT_NAMES } from '../../server/contract/events.ts';
import { ManualClock, MINUTE } from '../../server/domain/clock.ts';
import { hashIdNumber, hashPhone, hmac } from '../../server/integrations/privacy.ts';
import type { RunningHall } from '../../server/main.ts';
import { startTestHq, type TestHq } from '../helpers/hq.ts';
import { Client, startTestServer } from '../helpers/http.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const clock = new ManualClock(Date.UTC(2026, 10, 25, 2, 0));
let test: TestHq;
let proxy: Server;
let hall: RunningHall & { dbPath: string };
const wire: string[] = [];

/** Customers of the demo BSS: phone, name, ID number. */
const PEOPLE = [
  ['13800000001', '张伟', '110101199001010011'],
  ['13800000002', '李娜', '110105198503150026'],
  ['13800000003', '王秀英', '110102195404120048'],
  ['13800000004', '赵磊', '110106199807080035'],
] as const;
const CARD = { name: '欧阳娜娜', idNumber: '110101199202020020' };
const TYPED_PHONE = '13912345678';

beforeAll(async () => {
  test = await startTestHq({ now: () => clock.now() });
  const token = await test.addHall({ id: 'privacy', name: 'privacy', region: 'guangzhou' });
  // Records every body on its way to HQ, and passes HQ's answer back.
  proxy = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    wire.push(`${req.url} ${body}`);
    const answer = await fetch(`${test.hq.url}${req.url}`, {
      method: req.method,
      headers: {
        authorization: req.headers.authorization ?? '',
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body || undefined,
    });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const address = proxy.address() as { port: number };
  hall = await startTestServer({
    clock,
    settings: { hq: { url: `http://127.0.0.1:${address.port}`, token } },
  });
}, 60_000);

afterAll(async () => {
  await hall?.close();
  await new Promise((r) => proxy?.close(r));
  await test?.stop();
});

/** What would give a person away, as patterns and as the exact secrets this hall holds. */
function personalData(dbPath: string): { patterns: [string, RegExp][]; secrets: string[] } {
  const db = new Database(dbPath, { readonly: true });
  const column = (sql: string) =>
    (db.prepare(sql).raw().all() as unknown[][]).flat().filter((v): v is string => typeof v === 'string');
  const salt = column("SELECT value FROM settings WHERE key = 'salt'")[0]!;
  const secrets = [
    salt,
    ...column('SELECT id FROM tickets'),
    ...column('SELECT phone_hash FROM tickets WHERE phone_hash IS NOT NULL'),
    ...column('SELECT phone_masked FROM tickets WHERE phone_masked IS NOT NULL'),
    ...column('SELECT customer_name_masked FROM tickets WHERE customer_name_masked IS NOT NULL'),
    ...column('SELECT customer_ref FROM tickets WHERE customer_ref IS NOT NULL'),
    ...column('SELECT id FROM device_reads'),
    ...column('SELECT id_number_hash FROM device_reads WHERE id_number_hash IS NOT NULL'),
    ...column('SELECT name_masked FROM device_reads WHERE name_masked IS NOT NULL'),
    ...column('SELECT token_hash FROM customer_tokens'),
    ...PEOPLE.flatMap(([phone, name, id]) => [
      name,
      hashPhone(salt, phone),
      hashIdNumber(salt, id),
      hmac(salt, phone),
      `${phone.slice(0, 3)}****${phone.slice(-4)}`,
    ]),
    CARD.name,
    hashIdNumber(salt, CARD.idNumber),
    hashPhone(salt, TYPED_PHONE),
  ];
  db.close();
  return {
    patterns: [
      ['a mobile number', /(?<!\d)1[3-9]\d{9}(?!\d)/],
      ['an 18-digit ID number', /(?<!\d)\d{17}[\dXx](?!\d)/],
      ['a hex hash', /[0-9a-f]{32,}/i],
      ['a masked name', /[\u4e00-\u9fff]\*+/],
    ],
    secrets: [...new Set(secrets)].filter((s) => s.length >= 2),
  };
}

function leaks(text: string, found: ReturnType<typeof personalData>): string[] {
  return [
    ...found.patterns.filter(([, p]) => p.test(text)).map(([what, p]) => `${what}: ${p.exec(text)![0]}`),
    ...found.secrets.filter((s) => text.includes(s)).map((s) => `secret: ${s}`),
  ];
}

/**
 * Everything in HQ's database as text, but HQ's own credentials (hashes of hall tokens and passwords)
 * and the rollups' binary counts (no text can hide in them: hq/domain/totals.ts).
 */
async function hqDatabaseText(): Promise<string> {
  const tables = await test.hq.db.read<{ name: string }>(
    { all: true },
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'",
  );
  let text = '';
  for (const { name } of tables)
    text += JSON.stringify(
      await test.hq.db.read(
        { all: true },
        `SELECT to_jsonb(t) - 'token_hash' - 'password_hash' - 'totals' AS row FROM "${name}" t`,
      ),
    );
  return text;
}

const ok = async (answer: Promise<{ status: number; text: string; json: unknown }>, status = 200) => {
  const a = await answer;
  expect(a.status, a.text).toBe(status);
  // biome-ignore lint/suspicious/noExplicitAny: answers are read as untyped JSON
  return a.json as any;
};

describe('what leaves a hall for HQ', () => {
  it('finds personal data where there is some (the scan can fail)', () => {
    const found = { patterns: personalData(hall.dbPath).patterns, secrets: ['secret-x'] };
    expect(leaks('{"phone":"13800000001"}', found)).toHaveLength(1);
    expect(leaks('{"id":"110101199001010011"}', found)).toHaveLength(1);
    expect(leaks('{"name":"张*"}', found)).toHaveLength(1);
    expect(leaks(`{"h":"${'ab'.repeat(32)}"}`, found)).toHaveLength(1);
    expect(leaks('{"ticket":{"number":"A001","serviceId":"general"},"rating":5}', found)).toEqual([]);
  });

  it('ships every event type, and nothing personal, even when payloads carry it', async () => {
    const anon = new Client(hall.url);
    const manager = new Client(hall.url);
    const staff = new Client(hall.url);
    expect((await manager.login('manager')).status).toBe(200);
    expect((await staff.login('staff1')).status).toBe(200);
    const atK1 = (extra: Record<string, string> = {}) => ({ 'X-Kiosk-Id': 'k1', ...extra });
    await ok(staff.post('/api/v1/counters/1/open'));

    // Identified by phone and code, then a ticket for them at the kiosk.
    for (const [phone] of PEOPLE.slice(0, 3)) {
      clock.advance(MINUTE + 1000);
      const challenge = await ok(anon.post('/api/v1/identify/phone', { phone }, atK1()));
      const outbox = (await ok(manager.get('/api/v1/sms/outbox'))) as { to: string; text: string }[];
      const code = /(\d{6})/.exec(
        outbox.find((m) => m.to === `${phone.slice(0, 3)}****${phone.slice(-4)}`)!.text,
      )![1];
      const verified = await ok(
        anon.post('/api/v1/identify/verify', { challengeId: challenge.challengeId, code }),
      );
      await ok(
        anon.post(
          '/api/v1/tickets',
          { serviceId: 'general' },
          atK1({ 'X-Customer-Token': verified.customer.token }),
        ),
        201,
      );
    }
    // A phone typed in; an ID card and a member code read at the kiosk.
    await ok(anon.post('/api/v1/tickets', { serviceId: 'payments', customer: { phone: TYPED_PHONE } }), 201);
    const card = await ok(manager.post('/api/v1/demo/kiosks/k1/id-card', CARD), 201);
    const byCard = await ok(anon.post('/api/v1/identify/device', { readId: card.readId }, atK1()));
    await ok(
      anon.post(
        '/api/v1/tickets',
        { serviceId: 'devices' },
        atK1({ 'X-Customer-Token': byCard.customer.token }),
      ),
      201,
    );
    await ok(manager.post('/api/v1/demo/kiosks/k1/scan', { code: 'HALLQ-M-1002' }), 201);
    // The printer runs out of paper: a kiosk ticket fails to print, the device reports it.
    await ok(
      manager.post('/api/v1/demo/devices/printer', {
        action: 'printer',
        paperOut: true,
        paperNearEnd: false,
        coverOpen: false,
      }),
    );
    await ok(anon.post('/api/v1/tickets', { serviceId: 'general' }, atK1()), 201);
    // The counter: call, recall, serve, finish, the rating pad; a no-show; a transfer; a cancellation.
    await ok(staff.post('/api/v1/counters/1/call'));
    await ok(staff.post('/api/v1/counters/1/recall'));
    await ok(staff.post('/api/v1/counters/1/start'));
    clock.advance(3 * MINUTE);
    await ok(staff.post('/api/v1/counters/1/finish', {}));
    await ok(manager.post('/api/v1/demo/devices/rating-pad-1', { action: 'rate', score: 4 }));
    await ok(staff.post('/api/v1/counters/1/call'));
    await ok(staff.post('/api/v1/counters/1/no-show'));
    await ok(staff.post('/api/v1/counters/1/call'));
    await ok(staff.post('/api/v1/counters/1/transfer', { serviceId: 'payments' }));
    const waiting = await ok(
      anon.post('/api/v1/tickets', { serviceId: 'broadband', customer: { phone: PEOPLE[3][0] } }),
      201,
    );
    await ok(anon.post(`/api/v1/tickets/${waiting.id}/cancel`));
    // The manager's notices and configuration.
    await ok(
      manager.request('PUT', '/api/v1/notices', {
        body: [{ text: { zh: '今日宽带优惠', en: 'Broadband offer today' } }],
      }),
    );
    const config = await ok(manager.get('/api/v1/config'));
    await ok(
      manager.request('PUT', '/api/v1/config/services', {
        body: config.services.map((s: { waitTargetMinutes: number }) => ({
          ...s,
          waitTargetMinutes: s.waitTargetMinutes + 1,
        })),
        headers: { 'If-Match': String(config.version) },
      }),
    );
    // Midnight passes: what was left open ends as unserved at closing.
    clock.set(Date.UTC(2026, 10, 25, 16, 5));
    await ok(anon.post('/api/v1/tickets', { serviceId: 'general' }), 201);

    // For every type, a stored payload that carries personal data beside its own fields.
    const db = new Database(hall.dbPath);
    const ticketId = (db.prepare('SELECT id FROM tickets LIMIT 1').get() as { id: string }).id;
    const [phone, name, idNumber] = PEOPLE[0];
    const stuffed = {
      ticket: {
        number: 'A001',
        serviceId: 'general',
        tier: 'vip',
        counterId: '1',
        phone,
        name,
        idNumber,
        id: ticketId,
      },
      counter: { id: '1', name: '1号窗口', status: 'open', staffName: '营业员1', customerPhone: phone },
      call: { counterId: '1', counterName: '1号窗口', customer: name },
      customer: { phone, name, idNumber, maskedName: '张*', phoneMasked: '138****0001' },
      phone,
      idNumber,
      name,
      readId: ticketId,
      kioskId: 'k1',
      detail: `reader saw ${idNumber}`,
      services: [
        {
          id: 'general',
          prefix: 'A',
          name: { zh: '业务办理', en: 'General' },
          waitTargetMinutes: 15,
          owner: idNumber,
        },
      ],
    };
    const insert = db.prepare('INSERT INTO events(at, type, ticket_id, payload) VALUES (?, ?, ?, ?)');
    for (const type of HALL_EVENT_NAMES)
      insert.run(clock.now(), type, type.startsWith('ticket.') ? ticketId : null, JSON.stringify(stuffed));
    const newest = (db.prepare('SELECT max(id) AS id FROM events').get() as { id: number }).id;
    const realTypes = new Set(
      (
        db
          .prepare('SELECT DISTINCT type FROM events WHERE id < ?')
          .all(newest - HALL_EVENT_NAMES.length + 1) as {
          type: string;
        }[]
      ).map((r) => r.type),
    );
    db.close();

    // Every type happened for real, not only in the stuffed rows.
    expect([...HALL_EVENT_NAMES].filter((t) => !realTypes.has(t))).toEqual([]);
    for (let i = 0; ; i++) {
      const health = await ok(anon.get('/api/v1/health'));
      if (health.hq.lastAckedSeq === newest) break;
      expect(i, JSON.stringify(health.hq)).toBeLessThan(200);
      await new Promise((r) => setTimeout(r, 100));
    }
    const shipped = wire.filter((w) => w.startsWith('/hq/v1/ingest')).join('\n');
    const types = new Set([...shipped.matchAll(/"type":"([a-z.-]+)"/g)].map((m) => m[1]));
    expect([...HALL_EVENT_NAMES].filter((t) => !types.has(t))).toEqual([]);

    const found = personalData(hall.dbPath);
    expect(found.secrets.length).toBeGreaterThan(30);
    expect(leaks(shipped, found)).toEqual([]);
    expect(leaks(await hqDatabaseText(), found)).toEqual([]);
  }, 60_000);

  it('leaves nothing personal in HQ’s database after a demo hall lived a day and shipped it', async () => {
    const dir = tempDir();
    const [demoHall] = DEMO_HALLS;
    const token = await test.addHall({ id: demoHall!.id, name: demoHall!.name, region: demoHall!.region });
    const demo = await runDemoHalls({
      hqUrl: test.hq.url,
      dir,
      halls: [{ ...demoHall!, token }],
      log: () => {},
      historyDays: 1,
      now: () => clock.now(),
    });
    const dbPath = join(dir, `${demoHall!.id}.sqlite`);
    const db = new Database(dbPath, { readonly: true });
    const { phones } = db.prepare('SELECT count(phone_hash) AS phones FROM tickets').get() as {
      phones: number;
    };
    const newest = (db.prepare('SELECT max(id) AS id FROM events').get() as { id: number }).id;
    db.close();
    expect(phones).toBeGreaterThan(0);
    for (let i = 0; ; i++) {
      const [row] = await test.hq.db.read<{ acked_through: number }>(
        { all: true },
        'SELECT acked_through FROM hq_halls WHERE id = $1',
        [demoHall!.id],
      );
      if (row!.acked_through === newest) break;
      expect(i).toBeLessThan(300);
      await new Promise((r) => setTimeout(r, 100));
    }
    await demo.stop();
    expect(leaks(await hqDatabaseText(), personalData(dbPath))).toEqual([]);
  }, 120_000);
});
