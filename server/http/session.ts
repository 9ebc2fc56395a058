import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Auth } from '../app/auth.ts';
import { SESSION_HOURS } from '../app/auth.ts';
import type { Actor } from '../app/hall.ts';
import type { Role, User } from '../contract/api.ts';
import { HttpError } from './errors.ts';

export const SESSION_COOKIE = 'hallq_session';

export function readCookie(req: Request, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

/** `name`: another server on the same host (HQ) keeps a cookie of its own, since cookies ignore ports. */
export function setSessionCookie(res: Response, token: string, secure: boolean, name = SESSION_COOKIE): void {
  const attrs = [
    `${name}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${SESSION_HOURS * 3600}`,
  ];
  if (secure) attrs.push('Secure');
  res.setHeader('Set-Cookie', attrs.join('; '));
}

export function clearSessionCookie(res: Response, name = SESSION_COOKIE): void {
  res.setHeader('Set-Cookie', `${name}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
}

/** The signed-in user, if any; also remembers whether the request is cookie-authenticated. */
export function sessionUser(req: Request, res: Response, auth: Auth): User | null {
  if (res.locals.user !== undefined) return res.locals.user as User | null;
  const token = readCookie(req, SESSION_COOKIE);
  const user = token ? auth.sessionUser(token) : null;
  res.locals.user = user;
  return user;
}

export function requireRole(auth: Auth, ...roles: Role[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const user = sessionUser(req, res, auth);
    if (!user) throw new HttpError(401, 'unauthenticated', 'sign in first');
    if (!roles.includes(user.role))
      throw new HttpError(403, 'forbidden', `this needs the ${roles.join(' or ')} role`);
    next();
  };
}

export function actorOf(res: Response): Actor {
  return res.locals.user as Actor;
}

/**
 * A cookie-authenticated write whose Origin differs from the host it was sent to is a cross-site
 * request forgery: refused. SameSite=Strict already stops most; this covers old and odd browsers.
 */
export function csrfGuard(cookieName = SESSION_COOKIE): RequestHandler {
  return (req, _res, next) => {
    const safe = req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS';
    const origin = req.headers.origin;
    if (!safe && origin && readCookie(req, cookieName)) {
      let originHost: string | null = null;
      try {
        originHost = new URL(origin).host;
      } catch {
        originHost = null;
      }
      if (originHost !== req.headers.host)
        throw new HttpError(403, 'cross-origin-refused', 'this request came from another site');
    }
    next();
  };
}
