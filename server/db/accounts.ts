/**
 * Staff accounts (`users`) and their sessions. A password is stored as its scrypt hash, a session as the
 * SHA-256 of its token: the hashing is the caller's (server/app/auth.ts), these rows never see a secret.
 */
import type { Role, User } from '../contract/api.ts';
import type { Db } from './open.ts';

export type AccountRow = { id: string; username: string; name: string; role: Role; disabled: number };

export type NewAccount = {
  id: string;
  username: string;
  name: string;
  role: Role;
  hash: string;
  now: number;
};

export type AccountsRepository = ReturnType<typeof createAccountsRepository>;

export function createAccountsRepository(db: Db) {
  const st = {
    byId: db.prepare<[string], AccountRow>(
      'SELECT id, username, name, role, disabled FROM users WHERE id = ?',
    ),
    byUsername: db.prepare<[string], AccountRow & { password_hash: string }>(
      'SELECT id, username, name, role, disabled, password_hash FROM users WHERE username = ?',
    ),
    // Staff, then managers (the role's alphabetical order, reversed); by username within each.
    all: db.prepare<[], AccountRow>(
      'SELECT id, username, name, role, disabled FROM users ORDER BY role DESC, username',
    ),
    names: db.prepare<[], { id: string; name: string }>('SELECT id, name FROM users'),
    passwordHashes: db.prepare<[], { id: string; username: string; password_hash: string }>(
      'SELECT id, username, password_hash FROM users',
    ),
    otherActiveManagers: db
      .prepare<[string], number>(
        "SELECT COUNT(*) FROM users WHERE role = 'manager' AND disabled = 0 AND id != ?",
      )
      .pluck(),
    // A known id gets its username, name, role and password anew, and is enabled again.
    upsert: db.prepare<NewAccount>(
      `INSERT INTO users(id, username, name, role, password_hash, created_at) VALUES (@id, @username, @name, @role, @hash, @now)
       ON CONFLICT(id) DO UPDATE SET username = excluded.username, name = excluded.name, role = excluded.role,
         password_hash = excluded.password_hash, disabled = 0`,
    ),
    update: db.prepare<Omit<AccountRow, 'username'>>(
      'UPDATE users SET name = @name, role = @role, disabled = @disabled WHERE id = @id',
    ),
    setPasswordHash: db.prepare<[string, string]>('UPDATE users SET password_hash = ? WHERE id = ?'),
    addSession: db.prepare<[string, string, number, number]>(
      'INSERT INTO sessions(token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
    ),
    sessionUser: db.prepare<[string, number], User>(
      `SELECT u.id, u.name, u.role FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0`,
    ),
    dropSession: db.prepare<[string]>('DELETE FROM sessions WHERE token_hash = ?'),
    dropExpiredSessions: db.prepare<[number]>('DELETE FROM sessions WHERE expires_at <= ?'),
    dropSessionsOf: db.prepare<[string]>('DELETE FROM sessions WHERE user_id = ?'),
  };

  return {
    byId: (id: string): AccountRow | undefined => st.byId.get(id),
    /** With the stored password hash, for a sign-in. */
    byUsername: (username: string) => st.byUsername.get(username),
    all: (): AccountRow[] => st.all.all(),
    /** Every account's name by its id (staff named in statistics). */
    names: (): Map<string, string> => new Map(st.names.all().map((u) => [u.id, u.name])),
    passwordHashes: () => st.passwordHashes.all(),
    /** Enabled managers other than `id`. */
    otherActiveManagers: (id: string): number => st.otherActiveManagers.get(id)!,
    upsert: (account: NewAccount) => void st.upsert.run(account),
    update: (account: Omit<AccountRow, 'username'>) => void st.update.run(account),
    setPasswordHash: (id: string, hash: string) => void st.setPasswordHash.run(hash, id),
    addSession: (tokenHash: string, userId: string, createdAt: number, expiresAt: number) =>
      void st.addSession.run(tokenHash, userId, createdAt, expiresAt),
    /** The enabled account a session that has not expired by `now` belongs to. */
    sessionUser: (tokenHash: string, now: number): User | undefined => st.sessionUser.get(tokenHash, now),
    dropSession: (tokenHash: string) => void st.dropSession.run(tokenHash),
    dropExpiredSessions: (now: number) => void st.dropExpiredSessions.run(now),
    dropSessionsOf: (userId: string) => void st.dropSessionsOf.run(userId),
  };
}
