/**
 * Staff accounts and sessions. Passwords are scrypt-hashed; a session is a random token whose SHA-256
 * alone is stored, so a copy of the database does not sign anyone in.
 */
import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Role, User } from '../contract/api.ts';
import type { Db } from '../db/open.ts';
import type { Clock } from '../domain/clock.ts';
import { HOUR, MINUTE } from '../domain/clock.ts';

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;
export const SESSION_HOURS = 12;

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return `scrypt$${SCRYPT.N}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [scheme, n, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = scryptSync(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: SCRYPT.r,
    p: SCRYPT.p,
  });
  return timingSafeEqual(expected, actual);
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Failed sign-ins are counted per username and per address over a sliding 15 minutes; past the limit
 * further attempts are refused before the password is even checked.
 */
export class LoginLimiter {
  private failures = new Map<string, number[]>();
  constructor(
    private clock: Clock,
    private limits = { perUser: 10, perAddress: 30, windowMs: 15 * MINUTE },
  ) {}

  /** Milliseconds until another attempt is allowed, or 0 when it is allowed now. */
  retryAfter(username: string, address: string): number {
    const now = this.clock.now();
    const wait = (key: string, limit: number) => {
      const times = this.recent(key, now);
      return times.length >= limit ? times[times.length - limit]! + this.limits.windowMs - now : 0;
    };
    return Math.max(wait(`u:${username}`, this.limits.perUser), wait(`a:${address}`, this.limits.perAddress));
  }

  fail(username: string, address: string): void {
    const now = this.clock.now();
    for (const key of [`u:${username}`, `a:${address}`])
      this.failures.set(key, [...this.recent(key, now), now]);
  }

  succeed(username: string): void {
    this.failures.delete(`u:${username}`);
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => now - t < this.limits.windowMs);
  }
}

export type Auth = ReturnType<typeof createAuth>;

export function createAuth(db: Db, clock: Clock) {
  const st = {
    byUsername: db.prepare<
      [string],
      { id: string; name: string; role: Role; password_hash: string; disabled: number }
    >('SELECT * FROM users WHERE username = ?'),
    insertSession: db.prepare(
      'INSERT INTO sessions(token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
    ),
    session: db.prepare<[string, number], User>(
      `SELECT u.id, u.name, u.role FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0`,
    ),
    deleteSession: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
    purge: db.prepare('DELETE FROM sessions WHERE expires_at <= ?'),
    upsertUser: db.prepare(
      `INSERT INTO users(id, username, name, role, password_hash, created_at) VALUES (@id, @username, @name, @role, @hash, @now)
       ON CONFLICT(id) DO UPDATE SET username = excluded.username, name = excluded.name, role = excluded.role,
         password_hash = excluded.password_hash, disabled = 0`,
    ),
    setPassword: db.prepare('UPDATE users SET password_hash = ? WHERE id = ?'),
    users: db.prepare<[], { id: string; username: string; password_hash: string }>(
      'SELECT id, username, password_hash FROM users',
    ),
    deviceToken: db.prepare<[string], { kind: string; device_id: string }>(
      'SELECT kind, device_id FROM device_tokens WHERE token_hash = ?',
    ),
    insertDeviceToken: db.prepare(
      'INSERT INTO device_tokens(token_hash, kind, device_id, created_at) VALUES (?, ?, ?, ?)',
    ),
  };

  return {
    /** A signed-in user and their new session token, or null for bad credentials. */
    login(username: string, password: string): { user: User; token: string } | null {
      const row = st.byUsername.get(username);
      if (!row || row.disabled || !verifyPassword(password, row.password_hash)) return null;
      const token = randomBytes(32).toString('base64url');
      const now = clock.now();
      st.purge.run(now);
      st.insertSession.run(tokenHash(token), row.id, now, now + SESSION_HOURS * HOUR);
      return { user: { id: row.id, name: row.name, role: row.role }, token };
    },
    sessionUser(token: string): User | null {
      return st.session.get(tokenHash(token), clock.now()) ?? null;
    },
    logout(token: string): void {
      st.deleteSession.run(tokenHash(token));
    },
    upsertUser(user: { id: string; username: string; name: string; role: Role; password: string }): void {
      st.upsertUser.run({ ...user, hash: hashPassword(user.password), now: clock.now() });
    },
    /** A new password (the sessions are the caller's to end). */
    setPassword(id: string, password: string): void {
      st.setPassword.run(hashPassword(password), id);
    },
    /** Accounts that can sign in with some password (a scrypt hash), whatever it is. */
    userIdsWithPassword(): Set<string> {
      return new Set(
        st.users
          .all()
          .filter((u) => u.password_hash.startsWith('scrypt$'))
          .map((u) => u.id),
      );
    },
    /** Usernames whose password is one of the given (demo) passwords: refused outside demo mode. */
    usersWithPassword(passwords: readonly string[]): string[] {
      return st.users
        .all()
        .filter((u) => passwords.some((p) => verifyPassword(p, u.password_hash)))
        .map((u) => u.username);
    },
    device(token: string): { kind: string; deviceId: string } | null {
      const row = st.deviceToken.get(tokenHash(token));
      return row ? { kind: row.kind, deviceId: row.device_id } : null;
    },
    createDeviceToken(kind: 'kiosk' | 'display', deviceId: string): string {
      const token = randomBytes(24).toString('base64url');
      st.insertDeviceToken.run(tokenHash(token), kind, deviceId, clock.now());
      return token;
    },
  };
}
