/**
 * Staff accounts and sessions. Passwords are scrypt-hashed (passwords.ts); a session is a random token
 * whose SHA-256 alone is stored, so a copy of the database does not sign anyone in.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Role, User } from '../contract/api.ts';
import { createAccountsRepository } from '../db/accounts.ts';
import { createDeviceTokensRepository } from '../db/device-tokens.ts';
import type { Db } from '../db/open.ts';
import type { Clock } from '../domain/clock.ts';
import { HOUR, MINUTE } from '../domain/clock.ts';
import { createPasswords, type Passwords } from './passwords.ts';

export const SESSION_HOURS = 12;

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export const SIGN_IN_LIMITS = {
  /** Failed sign-ins for one username from one address, and from one address for any, in the window. */
  perUserAndAddress: 10,
  perAddress: 30,
  windowMs: 15 * MINUTE,
  /** A username failed this often from anywhere is slowed: one attempt per `slowMs` from addresses that failed on it. */
  perUser: 10,
  slowMs: 1000,
  /** Beyond this wait in the slow lane an attempt is told to come back (429) rather than held open. */
  maxDelayMs: 10_000,
};

export type Admission = { refuseMs: number } | { delayMs: number };

/**
 * The sign-in rule of API v1 (`POST /auth/login` in docs/api.md): after 10 failures for one username from one address, or 30 from one
 * address, within 15 minutes, that address is refused (429) until the oldest of them leaves the window.
 * Failures from elsewhere never refuse anyone: a username that fails often from many places is slowed
 * instead (attempts from addresses that have failed on it take turns, one a second), while an address
 * that never failed on it signs in at once — a person is never locked out of their own account.
 *
 * Every admitted attempt counts as a failure until it succeeds, so a burst sent in parallel is counted
 * before any of its (slow) password checks end.
 */
export class LoginLimiter {
  private attempts = new Map<string, number[]>();
  private nextSlot = new Map<string, number>();
  private lastSweep = 0;
  constructor(
    private clock: Clock,
    private limits = SIGN_IN_LIMITS,
  ) {}

  /** Refuse for so long, or go ahead after so long; an admitted attempt is counted as failed. */
  admit(username: string, address: string): Admission {
    const now = this.clock.now();
    this.sweep(now);
    const keys = this.keys(username, address);
    const refuseMs = Math.max(
      this.waitAt(keys.pair, this.limits.perUserAndAddress, now),
      this.waitAt(keys.address, this.limits.perAddress, now),
    );
    if (refuseMs > 0) return { refuseMs };
    let delayMs = 0;
    const hot = this.recent(keys.user, now).length >= this.limits.perUser;
    if (hot && this.recent(keys.pair, now).length > 0) {
      const slot = Math.max(now, this.nextSlot.get(username) ?? 0);
      delayMs = slot - now;
      if (delayMs > this.limits.maxDelayMs) return { refuseMs: delayMs };
      this.nextSlot.set(username, slot + this.limits.slowMs);
    }
    for (const key of Object.values(keys)) this.attempts.set(key, [...this.recent(key, now), now]);
    return { delayMs };
  }

  /** The admitted attempt succeeded: it no longer counts, nor do this address's failures on the name. */
  succeed(username: string, address: string): void {
    this.withdraw(username, address);
    this.attempts.delete(this.keys(username, address).pair);
  }

  /** The admitted attempt was never checked (the hall was too busy): it does not count. */
  withdraw(username: string, address: string): void {
    for (const key of Object.values(this.keys(username, address))) this.attempts.get(key)?.pop();
  }

  private keys(username: string, address: string) {
    return { pair: `p:${address} ${username}`, address: `a:${address}`, user: `u:${username}` };
  }

  private waitAt(key: string, limit: number, now: number): number {
    const times = this.recent(key, now);
    return times.length >= limit ? times[times.length - limit]! + this.limits.windowMs - now : 0;
  }

  private recent(key: string, now: number): number[] {
    return (this.attempts.get(key) ?? []).filter((t) => now - t < this.limits.windowMs);
  }

  /** Forgets names and addresses with nothing left in the window, so the maps stay small. */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.limits.windowMs) return;
    this.lastSweep = now;
    for (const [key, times] of this.attempts)
      if (times.every((t) => now - t >= this.limits.windowMs)) this.attempts.delete(key);
    for (const [name, slot] of this.nextSlot) if (slot < now) this.nextSlot.delete(name);
  }
}

export type Auth = ReturnType<typeof createAuth>;

export function createAuth(db: Db, clock: Clock, passwords: Passwords = createPasswords()) {
  const accounts = createAccountsRepository(db);
  const deviceTokens = createDeviceTokensRepository(db);

  return {
    /**
     * A signed-in user and their new session token, or null for bad credentials. An unknown or
     * disabled username costs the same password check as a wrong password; a hash made at an older
     * cost is made again at today's. Throws PasswordsBusy when too many checks wait already.
     */
    async login(username: string, password: string): Promise<{ user: User; token: string } | null> {
      const row = accounts.byUsername(username);
      const check = await passwords.verify(password, row?.password_hash ?? null);
      if (!row || row.disabled || !check.ok) return null;
      if (check.stale) accounts.setPasswordHash(row.id, await passwords.hash(password));
      const token = randomBytes(32).toString('base64url');
      const now = clock.now();
      accounts.dropExpiredSessions(now);
      accounts.addSession(tokenHash(token), row.id, now, now + SESSION_HOURS * HOUR);
      return { user: { id: row.id, name: row.name, role: row.role }, token };
    },
    sessionUser(token: string): User | null {
      return accounts.sessionUser(tokenHash(token), clock.now()) ?? null;
    },
    logout(token: string): void {
      accounts.dropSession(tokenHash(token));
    },
    /** A password's hash to store: slow on purpose, so made before the transaction that stores it. */
    hashPassword: (password: string): Promise<string> => passwords.hash(password),
    upsertUser(user: { id: string; username: string; name: string; role: Role }, passwordHash: string): void {
      accounts.upsert({ ...user, hash: passwordHash, now: clock.now() });
    },
    /** A new password's hash (the sessions are the caller's to end). */
    setPasswordHash(id: string, passwordHash: string): void {
      accounts.setPasswordHash(id, passwordHash);
    },
    /** Accounts that can sign in with some password (a scrypt hash), whatever it is. */
    userIdsWithPassword(): Set<string> {
      return new Set(
        accounts
          .passwordHashes()
          .filter((u) => u.password_hash.startsWith('scrypt$'))
          .map((u) => u.id),
      );
    },
    /**
     * Of the given accounts, the usernames whose password is one of `candidates` (the demo passwords,
     * refused outside demo mode). Checked two at a time: each check is a full-cost scrypt.
     */
    async usersWithPassword(ids: ReadonlySet<string>, candidates: readonly string[]): Promise<string[]> {
      const found: string[] = [];
      for (const u of accounts.passwordHashes().filter((u) => ids.has(u.id))) {
        const checks = await Promise.all(candidates.map((p) => passwords.verify(p, u.password_hash)));
        if (checks.some((c) => c.ok)) found.push(u.username);
      }
      return found;
    },
    device(token: string): { kind: string; deviceId: string } | null {
      const row = deviceTokens.byHash(tokenHash(token));
      return row ? { kind: row.kind, deviceId: row.device_id } : null;
    },
    createDeviceToken(kind: 'kiosk' | 'display', deviceId: string): string {
      const token = randomBytes(24).toString('base64url');
      deviceTokens.add(tokenHash(token), kind, deviceId, clock.now());
      return token;
    },
  };
}
