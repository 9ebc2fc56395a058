/**
 * The sign-in rule of API v1 (`POST /auth/login` in docs/api.md), tried over HTTP from several machines of the hall network (the hall
 * listens on 127.0.0.1; requests come from other loopback addresses, 127.x.y.z): 10 failures for one
 * username from one address, or 30 from one address, get that address a 429 with Retry-After; failures
 * from elsewhere never lock a person out of their own account; an unknown username costs what a wrong
 * password costs; older hashes are made again at today's cost; a flood of sign-ins is bounded.
 */
import { scrypt } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPasswords, type Derive } from '../../server/app/passwords.ts';
import { DEMO_HALL, type HallConfig, parseHallConfig } from '../../server/config.ts';
import { ManualClock, MINUTE } from '../../server/domain/clock.ts';
import type { RunningHall } from '../../server/main.ts';
import { type Answer, nodeRequest, startTestServer } from '../helpers/http.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { addAccounts, testPasswords } from '../helpers/test-hall.ts';

const clock = new ManualClock(Date.UTC(2026, 10, 25, 2, 0));
const HALL: HallConfig = parseHallConfig({ ...DEMO_HALL, staff: [] }, 'test');
const BOSS = { id: 'boss', name: '张经理', role: 'manager' as const, password: 'boss-password-1' };
const LI = { id: 'li', name: '李营业员', role: 'staff' as const, password: 'li-password-22' };

async function realHall(options: { passwords?: ReturnType<typeof createPasswords> } = {}) {
  const dbPath = join(tempDir(), 'real.sqlite');
  await addAccounts(dbPath, [BOSS, LI], options.passwords); // hashed at the hall's own cost
  const hall = await startTestServer({
    clock,
    passwords: options.passwords,
    settings: { demo: false, hall: HALL, devices: [], dbPath },
  });
  return { hall, dbPath };
}

/** A sign-in from a given machine of the hall network. */
const signIn = (hall: RunningHall, from: string, username: string, password: string) =>
  nodeRequest(`${hall.url}/api/v1/auth/login`, {
    method: 'POST',
    body: { username, password },
    localAddress: from,
  });

function expectTooMany(res: Answer) {
  expect(res.status).toBe(429);
  expect(res.json.error.code).toBe('too-many-attempts');
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(15 * 60);
}

describe('failed sign-ins', () => {
  let hall: RunningHall;
  beforeAll(async () => {
    ({ hall } = await realHall());
  });
  afterAll(() => hall.close());

  it('10 failures for a username from one address refuse that address only; the person signs in elsewhere', async () => {
    for (let i = 0; i < 10; i++) expect((await signIn(hall, '127.0.0.2', 'boss', 'guess')).status).toBe(401);
    expectTooMany(await signIn(hall, '127.0.0.2', 'boss', BOSS.password));
    // The manager, at their own desk, is not locked out by a stranger's guesses.
    expect((await signIn(hall, '127.0.0.3', 'boss', BOSS.password)).status).toBe(200);
    // The guessing address may still sign in as someone else (its own 10 were all for boss).
    expect((await signIn(hall, '127.0.0.2', 'li', LI.password)).status).toBe(200);
    clock.advance(15 * MINUTE);
    expect((await signIn(hall, '127.0.0.2', 'boss', BOSS.password)).status).toBe(200);
  });

  it('30 failures from one address, whatever the usernames, refuse every sign-in from there', async () => {
    for (let i = 0; i < 30; i++)
      expect((await signIn(hall, '127.0.0.4', `nobody${i}`, 'guess')).status).toBe(401);
    expectTooMany(await signIn(hall, '127.0.0.4', 'li', LI.password));
    expect((await signIn(hall, '127.0.0.5', 'li', LI.password)).status).toBe(200);
    clock.advance(15 * MINUTE);
  });

  it('failures from many addresses slow the username down, never refuse the right password from a clean address', async () => {
    // Twelve machines guess li's password once each: li is now a name under attack.
    for (let i = 1; i <= 12; i++)
      expect((await signIn(hall, `127.0.1.${i}`, 'li', 'guess')).status).toBe(401);
    // Two of them guess again at once: they take turns, a second apart.
    const started = performance.now();
    const slowed = [1, 2].map((i) =>
      signIn(hall, `127.0.1.${i}`, 'li', 'guess-again').then((res) => ({
        status: res.status,
        ms: performance.now() - started,
      })),
    );
    // Meanwhile li, at a machine that never failed, signs in at once, before the second guess is looked at.
    const own = await signIn(hall, '127.0.2.1', 'li', LI.password);
    const ownMs = performance.now() - started;
    expect(own.status).toBe(200);
    const guesses = await Promise.all(slowed);
    expect(guesses.map((g) => g.status)).toEqual([401, 401]);
    const latest = Math.max(...guesses.map((g) => g.ms));
    expect(latest).toBeGreaterThanOrEqual(1000 - 50); // a turn of a second before the second guess
    expect(ownMs).toBeLessThan(latest);
    // Even an address that failed on li is only slowed, never refused, with the right password.
    const slowButIn = await signIn(hall, '127.0.1.4', 'li', LI.password);
    expect(slowButIn.status).toBe(200);
    clock.advance(15 * MINUTE);
  });
});

describe('what a sign-in costs', () => {
  it('an unknown username takes as long as a wrong password (both run the full password check)', async () => {
    // A cost at which the password check dominates the request (about 50 ms here, HTTP about 1 ms).
    const { hall } = await realHall({ passwords: createPasswords({ N: 2 ** 14 }) });
    try {
      const unknown: number[] = [];
      const wrong: number[] = [];
      for (let i = 0; i < 7; i++) {
        for (const [username, times] of [
          [`nobody-${i}`, unknown],
          ['boss', wrong],
        ] as const) {
          const started = performance.now();
          expect((await signIn(hall, '127.0.3.1', username, 'guess')).status).toBe(401);
          times.push(performance.now() - started);
        }
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const ratio = median(unknown) / median(wrong);
      expect(ratio).toBeGreaterThan(0.5);
      expect(ratio).toBeLessThan(2);
    } finally {
      await hall.close();
    }
  });

  it('a hash made at an older cost is made again at today’s at the next successful sign-in', async () => {
    const dbPath = join(tempDir(), 'old.sqlite');
    const older = createPasswords({ N: 2 ** 4 });
    await addAccounts(dbPath, [{ ...BOSS, id: 'old' }], older);
    const hall = await startTestServer({ clock, settings: { demo: false, hall: HALL, devices: [], dbPath } });
    const storedHash = () => {
      const db = new Database(dbPath, { readonly: true });
      try {
        return (
          db.prepare("SELECT password_hash FROM users WHERE id = 'old'").get() as { password_hash: string }
        ).password_hash;
      } finally {
        db.close();
      }
    };
    try {
      expect(storedHash()).toMatch(/^scrypt\$16\$/);
      expect((await signIn(hall, '127.0.3.2', 'old', 'wrong')).status).toBe(401);
      expect(storedHash()).toMatch(/^scrypt\$16\$/); // a failure changes nothing
      expect((await signIn(hall, '127.0.3.2', 'old', BOSS.password)).status).toBe(200);
      expect(storedHash()).toMatch(new RegExp(`^scrypt\\$${testPasswords().N}\\$`));
      expect((await signIn(hall, '127.0.3.2', 'old', BOSS.password)).status).toBe(200);
    } finally {
      await hall.close();
    }
  });

  it('a flood of sign-ins runs two password checks at a time; the rest wait or are told to retry, and the hall answers', async () => {
    let running = 0;
    let peak = 0;
    // The real scrypt, watched: how many run at once.
    const derive: Derive = async (password, salt, N) => {
      running++;
      peak = Math.max(peak, running);
      try {
        return await new Promise<Buffer>((resolve, reject) =>
          scrypt(password, salt, 32, { N, r: 8, p: 1 }, (e, key) => (e ? reject(e) : resolve(key))),
        );
      } finally {
        running--;
      }
    };
    const { hall } = await realHall({ passwords: createPasswords({ N: 2 ** 14, derive }) });
    try {
      const flood = Array.from({ length: 60 }, (_, i) =>
        signIn(hall, `127.0.4.${i + 1}`, i % 2 ? 'boss' : `nobody${i}`, 'guess'),
      );
      const health = await nodeRequest(`${hall.url}/api/v1/health`);
      const answers = await Promise.all(flood);
      expect(health.status).toBe(200);
      expect(peak).toBe(2);
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(34);
      const busy = answers.filter((a) => a.status === 503);
      expect(busy.length).toBe(60 - statuses.filter((s) => s === 401).length);
      for (const b of busy) {
        expect(b.json.error.code).toBe('busy');
        expect(Number(b.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      // A turned-away attempt never counted against anyone: the manager signs in from one of them.
      const from = answers.findIndex((a) => a.status === 503);
      if (from >= 0)
        expect((await signIn(hall, `127.0.4.${from + 1}`, 'boss', BOSS.password)).status).toBe(200);
    } finally {
      await hall.close();
    }
  });
});
