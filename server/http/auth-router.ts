import { Router } from 'express';
import type { Auth, LoginLimiter } from '../app/auth.ts';
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

export function authRouter(
  auth: Auth,
  limiter: LoginLimiter,
  log: (line: Record<string, unknown>) => void,
): Router {
  const router = Router();

  router.post('/auth/login', (req, res) => {
    const { username, password } = parseInput(loginRequest, req.body, 'body');
    const address = req.socket.remoteAddress ?? 'unknown';
    const wait = limiter.retryAfter(username, address);
    if (wait > 0) {
      const seconds = String(Math.ceil(wait / 1000));
      throw new HttpError(
        429,
        'too-many-attempts',
        `too many failed sign-ins: try again in ${seconds} s`,
        undefined,
        {
          'Retry-After': seconds,
        },
      );
    }
    const result = auth.login(username, password);
    if (!result) {
      limiter.fail(username, address);
      log({ msg: 'sign-in failed', username });
      throw new HttpError(401, 'bad-credentials', 'wrong username or password');
    }
    limiter.succeed(username);
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
