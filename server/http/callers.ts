import type { Request, Response } from 'express';
import type { Auth } from '../app/auth.ts';
import { hallId } from '../contract/schemas.ts';
import { HttpError, parseInput } from './errors.ts';
import { sessionUser } from './session.ts';

/** The screen a `Authorization: Bearer` device token names, if any. */
export function pairedDevice(req: Request, auth: Auth): { kind: string; deviceId: string } | null {
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  return bearer ? auth.device(bearer) : null;
}

/** Who may act as a kiosk (make tickets, identify customers), and which kiosk. */
export type KioskCaller = {
  /** The kiosk asking or named; undefined when a person or the demo asks without naming one. */
  kioskId: string | undefined;
  /** A signed-in person (staff or manager): their word may set a ticket's tier. */
  staff: boolean;
};

/**
 * The right to act as a kiosk: a paired kiosk's device token (its id comes from the token, never from a
 * header), a signed-in person (who may name a kiosk with `X-Kiosk-Id`, e.g. to print there), or anyone
 * in the demo. A header is never a credential by itself: outside the demo, anything else is a 401.
 */
export function kioskRight(auth: Auth, demo: boolean) {
  function caller(req: Request, res: Response): KioskCaller {
    const device = pairedDevice(req, auth);
    if (device?.kind === 'kiosk') return { kioskId: device.deviceId, staff: false };
    const staff = sessionUser(req, res, auth) !== null;
    if (!demo && !staff)
      throw new HttpError(401, 'unauthenticated', 'this is for a paired kiosk or signed-in staff');
    const header = req.headers['x-kiosk-id'];
    return {
      kioskId: header === undefined ? undefined : parseInput(hallId, header, 'header'),
      staff,
    };
  }

  /** The kiosk asking, which must be known: a 400 when a person or the demo names none. */
  function kiosk(req: Request, res: Response): string {
    const { kioskId } = caller(req, res);
    if (kioskId !== undefined) return kioskId;
    throw new HttpError(400, 'invalid-request', 'invalid header: header.x-kiosk-id: required', [
      { path: 'header.x-kiosk-id', message: 'required: the kiosk this request comes from' },
    ]);
  }

  return { caller, kiosk };
}
