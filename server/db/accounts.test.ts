import { describe, expect, it } from 'vitest';
import { createAccountsRepository } from './accounts.ts';
import { openDatabase } from './open.ts';

const account = (id: string, role: 'staff' | 'manager', hash = 'scrypt$x') => ({
  id,
  username: id,
  name: `名${id}`,
  role,
  hash,
  now: 1,
});

describe('the accounts rows', () => {
  it('lists staff, then managers, each by username, and counts the other enabled managers', () => {
    const accounts = createAccountsRepository(openDatabase(':memory:'));
    for (const a of [account('zoe', 'staff'), account('bo', 'manager'), account('al', 'staff')])
      accounts.upsert(a);
    accounts.upsert(account('cy', 'manager'));
    expect(accounts.all().map((a) => a.id)).toEqual(['al', 'zoe', 'bo', 'cy']);
    expect(accounts.otherActiveManagers('bo')).toBe(1);
    accounts.update({ id: 'cy', name: '名cy', role: 'manager', disabled: 1 });
    expect(accounts.otherActiveManagers('bo')).toBe(0);
    expect(accounts.names().get('zoe')).toBe('名zoe');
  });

  it('gives a known id its details and password anew and enables it again', () => {
    const accounts = createAccountsRepository(openDatabase(':memory:'));
    accounts.upsert(account('al', 'staff', 'scrypt$old'));
    accounts.update({ id: 'al', name: '名al', role: 'staff', disabled: 1 });
    accounts.upsert({ ...account('al', 'manager', 'scrypt$new'), name: '阿尔' });
    expect(accounts.byId('al')).toEqual({
      id: 'al',
      username: 'al',
      name: '阿尔',
      role: 'manager',
      disabled: 0,
    });
    expect(accounts.byUsername('al')?.password_hash).toBe('scrypt$new');
    accounts.setPasswordHash('al', 'scrypt$newer');
    expect(accounts.passwordHashes()).toEqual([{ id: 'al', username: 'al', password_hash: 'scrypt$newer' }]);
  });

  it('finds a session’s account until it expires or the account is disabled', () => {
    const accounts = createAccountsRepository(openDatabase(':memory:'));
    accounts.upsert(account('al', 'staff'));
    accounts.upsert(account('bo', 'staff'));
    accounts.addSession('h1', 'al', 0, 100);
    accounts.addSession('h2', 'bo', 0, 200);
    expect(accounts.sessionUser('h1', 99)).toEqual({ id: 'al', name: '名al', role: 'staff' });
    expect(accounts.sessionUser('h1', 100)).toBeUndefined();
    accounts.dropExpiredSessions(100);
    accounts.update({ id: 'al', name: '名al', role: 'staff', disabled: 0 });
    expect(accounts.sessionUser('h1', 0)).toBeUndefined(); // dropped as expired
    accounts.update({ id: 'bo', name: '名bo', role: 'staff', disabled: 1 });
    expect(accounts.sessionUser('h2', 0)).toBeUndefined();
    accounts.update({ id: 'bo', name: '名bo', role: 'staff', disabled: 0 });
    expect(accounts.sessionUser('h2', 0)?.id).toBe('bo');
    accounts.dropSessionsOf('bo');
    expect(accounts.sessionUser('h2', 0)).toBeUndefined();
  });
});
