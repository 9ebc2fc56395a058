import { Router } from 'express';
import type { Auth, LoginLimiter } from '../app/auth.ts';
import { PasswordsBusy } from '../app/passwords.ts';
import { loginRequest } from '../contract/schemas.ts';
import { HttpError, parseInput } from './errors.ts';
import {
  clearSessionCookie,
  readCookie,
  requireRole,
  SESSION_COOKIE,
  sessionUser,
  setSessionCookie,
} from './session.ts';

/**
 * A sign-in under API v1's sign-in rule (`POST /auth/login` in docs/api.md; LoginLimiter): refused
 * (429) or slowed as the limiter says, then `check` (the password, a scrypt at OWASP's cost); a 401 when
 * it fails.
 * The hall's and HQ's sign-ins share it.
 */
export async function signIn<T>(
  limiter: LoginLimiter,
  log: (line: Record<string, unknown>) => void,
  who: { username: string; address: string },
  check: () => Promise<T | null>,
): Promise<T> {
  const { username, address } = who;
  const admission = limiter.admit(username, address);
  if ('refuseMs' in admission) {
    const seconds = String(Math.ceil(admission.refuseMs / 1000));
    throw new HttpError(
      429,
      'too-many-attempts',
      `too many failed sign-ins from here: try again in ${seconds} s`,
      undefined,
      { 'Retry-After': seconds },
    );
  }
  if (admission.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, admission.delayMs));
  const result = await check().catch((error: unknown) => {
    if (error instanceof PasswordsBusy) limiter.withdraw(username, address);
    throw error;
  });
  if (!result) {
    log({ msg: 'sign-in failed', username, address });
    throw new HttpError(401, 'bad-credentials', 'wrong username or password');
  }
  limiter.succeed(username, address);
  return result;
}

export function authRouter(
  auth: Auth,
  limiter: LoginLimiter,
  log: (line: Record<string, unknown>) => void,
): Router {
  const router = Router();

  router.post('/auth/login', async (req, res) => {
    const { username, password } = parseInput(loginRequest, req.body, 'body');
    // req.ip: the client's address, through a trusted reverse proxy (HALLQ_TRUST_PROXY) when there is one.
    const address = req.ip ?? 'unknown';
    const result = await signIn(limiter, log, { username, address }, () => auth.login(username, password));
    setSessionCookie(res, result.token, req.secure);
    res.json({ user: result.user });
  });

  router.post('/auth/logout', requireRole(auth, 'staff', 'manager'), (req, res) => {
    const token = readCookie(req, SESSION_COOKIE);
    if (token) auth.logout(token);
    clearSessionCookie(res);
    res.status(204).end();
  });

  router.get('/auth/me', (req, res) => {
    const user = sessionUser(req, res, auth);
    if (!user) throw new HttpError(401, 'unauthenticated', 'not signed in');
    res.json({ user });
  });

  return router;
}
