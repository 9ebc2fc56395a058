/**
 * Password hashing: scrypt at the cost of OWASP's Password Storage Cheat Sheet (N = 2^17, r = 8, p = 1:
 * 128 MiB and about a second of one core per hash on a small box), run off the event loop and never more
 * than a few at once, so a flood of sign-ins cannot exhaust the memory or the cores of the hall's box.
 *
 * Stored as `scrypt$N$salt$key` (base64): r and p are fixed, N is kept so an older, cheaper hash still
 * verifies and is known to be stale (the caller re-hashes it at the next successful sign-in).
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** OWASP Password Storage Cheat Sheet: scrypt with N = 2^17, r = 8 (1024-byte blocks), p = 1. */
export const OWASP_SCRYPT_N = 2 ** 17;
const R = 8;
const P = 1;
const KEY_BYTES = 32;
/** Stored hashes outside this range are refused rather than computed (a damaged row costs nothing). */
const N_RANGE = { min: 2 ** 1, max: 2 ** 20 };

/** Too many hashes are waiting: the caller answers 503 and asks to retry. */
export class PasswordsBusy extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('too many sign-ins at once');
  }
}

export type Derive = (password: string, salt: Buffer, N: number) => Promise<Buffer>;

const scryptDerive: Derive = (password, salt, N) =>
  new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_BYTES, { N, r: R, p: P, maxmem: 256 * N * R }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );

export type PasswordsOptions = {
  /** scrypt's cost; the default is OWASP's. Only tests lower it, and say why. */
  N?: number;
  /** Hashes computed at once (each takes 128 × N × r bytes) and hashes allowed to wait for a turn. */
  running?: number;
  waiting?: number;
  /** The key derivation; a test may wrap it to watch how many run at once. */
  derive?: Derive;
};

export type Passwords = ReturnType<typeof createPasswords>;

export function createPasswords(options: PasswordsOptions = {}) {
  const N = options.N ?? OWASP_SCRYPT_N;
  const limits = { running: options.running ?? 2, waiting: options.waiting ?? 32 };
  const derive = options.derive ?? scryptDerive;
  let running = 0;
  const queue: (() => void)[] = [];

  /** Runs a derivation when a slot is free; refuses at once when too many already wait. */
  async function gated(password: string, salt: Buffer, cost: number): Promise<Buffer> {
    if (running >= limits.running) {
      if (queue.length >= limits.waiting) throw new PasswordsBusy(2);
      await new Promise<void>((resolve) => queue.push(resolve));
    } else running++;
    try {
      return await derive(password, salt, cost);
    } finally {
      // The slot passes straight to the next in line, or is freed.
      const next = queue.shift();
      if (next) next();
      else running--;
    }
  }

  return {
    N,
    async hash(password: string): Promise<string> {
      const salt = randomBytes(16);
      const key = await gated(password, salt, N);
      return `scrypt$${N}$${salt.toString('base64')}$${key.toString('base64')}`;
    },

    /**
     * Whether the password matches the stored hash, and whether that hash is cheaper than today's
     * cost. Without a stored hash (an unknown user) the same work is done against a made-up one, so
     * the answer takes as long as for a wrong password.
     */
    async verify(password: string, stored: string | null): Promise<{ ok: boolean; stale: boolean }> {
      const [scheme, n, salt, key] = (stored ?? '').split('$');
      const cost = Number(n);
      const usable =
        scheme === 'scrypt' &&
        Number.isInteger(Math.log2(cost)) &&
        cost >= N_RANGE.min &&
        cost <= N_RANGE.max &&
        salt !== undefined &&
        key !== undefined;
      if (!usable) {
        await gated(password, randomBytes(16), N);
        return { ok: false, stale: false };
      }
      const expected = Buffer.from(key, 'base64');
      const actual = await gated(password, Buffer.from(salt, 'base64'), cost);
      const ok = expected.length === actual.length && timingSafeEqual(expected, actual);
      return { ok, stale: cost !== N };
    },
  };
}
