import { describe, expect, it } from 'vitest';
import { createPasswords, type Derive, PasswordsBusy } from './passwords.ts';

/** A key derivation that answers when told to, and counts how many run at once. */
function heldDerive() {
  const pending: (() => void)[] = [];
  let running = 0;
  let peak = 0;
  const derive: Derive = (password, salt) =>
    new Promise((resolve) => {
      running++;
      peak = Math.max(peak, running);
      pending.push(() => {
        running--;
        resolve(Buffer.from(`${password}:${salt.toString('hex')}`.padEnd(32).slice(0, 32)));
      });
    });
  const flush = async () => {
    while (pending.length > 0) {
      pending.shift()!();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { derive, flush, peak: () => peak };
}

describe('password hashes', () => {
  it('are scrypt at OWASP’s cost by default (N = 2^17, r = 8, p = 1) and verify', async () => {
    const passwords = createPasswords();
    const stored = await passwords.hash('correct horse');
    expect(stored).toMatch(/^scrypt\$131072\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(await passwords.verify('correct horse', stored)).toEqual({ ok: true, stale: false });
    expect(await passwords.verify('wrong horse', stored)).toEqual({ ok: false, stale: false });
  }, 30_000);

  it('verifies a hash made at an older, cheaper cost and calls it stale', async () => {
    const older = await createPasswords({ N: 2 ** 4 }).hash('pw-1234567');
    const today = createPasswords({ N: 2 ** 10 });
    expect(await today.verify('pw-1234567', older)).toEqual({ ok: true, stale: true });
    expect((await today.verify('nope', older)).ok).toBe(false);
  });

  it('does the same work for a missing or damaged hash as for a real one, and refuses it', async () => {
    const counted: number[] = [];
    const passwords = createPasswords({
      N: 2 ** 10,
      derive: async (_password, _salt, N) => {
        counted.push(N);
        return Buffer.alloc(32);
      },
    });
    for (const stored of [null, '', 'none', 'scrypt$3$AA$AA', 'scrypt$1073741824$AA$AA', 'bcrypt$x'])
      expect(await passwords.verify('x', stored)).toEqual({ ok: false, stale: false });
    // One derivation at today's cost each: never skipped, never at an absurd stored cost.
    expect(counted).toEqual([1024, 1024, 1024, 1024, 1024, 1024]);
  });

  it('runs at most two derivations at once, lets 32 wait, and refuses more as busy', async () => {
    const held = heldDerive();
    const passwords = createPasswords({ N: 2 ** 10, derive: held.derive });
    const attempts = Array.from({ length: 40 }, (_, i) =>
      passwords.verify(`guess-${i}`, null).then(
        () => 'checked',
        (error: unknown) => (error instanceof PasswordsBusy ? `busy ${error.retryAfterSeconds}` : 'error'),
      ),
    );
    await held.flush();
    const outcomes = await Promise.all(attempts);
    expect(held.peak()).toBe(2);
    expect(outcomes.filter((o) => o === 'checked')).toHaveLength(34);
    expect(outcomes.filter((o) => o === 'busy 2')).toHaveLength(6);
    // Once the queue drained, a new check runs at once.
    const later = passwords.verify('again', null);
    await held.flush();
    expect(await later).toEqual({ ok: false, stale: false });
  });
});
