/**
 * HQ accounts and sessions, with the hall's rules: scrypt passwords (server/app/auth.ts), a random
 * session token whose SHA-256 alone is stored, sessions of 12 hours, the same sign-in limiter.
 */
import { createHash, randomBytes } from 'node:crypto';
import { SESSION_HOURS } from '../../server/app/auth.ts';
import { createPasswords, type Passwords } from '../../server/app/passwords.ts';
import type { HqRole, HqUser } from '../contract.ts';
import type { HqDb } from './db.ts';

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

type UserRow = { username: string; name: string; role: HqRole; region: string | null; password_hash: string };

const userOf = (r: UserRow): HqUser => ({
  username: r.username,
  name: r.name,
  role: r.role,
  region: r.region,
});

export type Accounts = ReturnType<typeof createAccounts>;

/** `passwords`: the hall's scrypt (OWASP's cost; an unknown name costs the same as a wrong password). */
export function createAccounts(db: HqDb, now: () => number, passwords: Passwords = createPasswords()) {
  return {
    async login(username: string, password: string): Promise<{ user: HqUser; token: string } | null> {
      const [row] = await db.query<UserRow>('SELECT * FROM hq_users WHERE username = $1', [username]);
      const { ok, stale } = await passwords.verify(password, row?.password_hash ?? null);
      if (!row || !ok) return null;
      if (stale)
        await db.query('UPDATE hq_users SET password_hash = $1 WHERE username = $2', [
          await passwords.hash(password),
          row.username,
        ]);
      const token = randomBytes(32).toString('base64url');
      await db.query('DELETE FROM hq_sessions WHERE expires_at <= to_timestamp($1 / 1000.0)', [now()]);
      await db.query(
        'INSERT INTO hq_sessions (token_hash, username, expires_at) VALUES ($1, $2, to_timestamp($3 / 1000.0))',
        [tokenHash(token), row.username, now() + SESSION_HOURS * 3_600_000],
      );
      return { user: userOf(row), token };
    },

    async sessionUser(token: string): Promise<HqUser | null> {
      const [row] = await db.query<UserRow>(
        `SELECT u.* FROM hq_sessions s JOIN hq_users u ON u.username = s.username
          WHERE s.token_hash = $1 AND s.expires_at > to_timestamp($2 / 1000.0)`,
        [tokenHash(token), now()],
      );
      return row ? userOf(row) : null;
    },

    async logout(token: string): Promise<void> {
      await db.query('DELETE FROM hq_sessions WHERE token_hash = $1', [tokenHash(token)]);
    },

    /** Creates or replaces an account (the CLI); its sessions end. */
    async saveUser(user: HqUser, password: string): Promise<void> {
      await db.query(
        `INSERT INTO hq_users (username, name, role, region, password_hash) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (username) DO UPDATE SET name = excluded.name, role = excluded.role, region = excluded.region,
           password_hash = excluded.password_hash`,
        [user.username, user.name, user.role, user.region, await passwords.hash(password)],
      );
      await db.query('DELETE FROM hq_sessions WHERE username = $1', [user.username]);
    },
  };
}
