import { Router } from 'express';
import { z } from 'zod';
import type { Auth } from '../app/auth.ts';
import type { Pairing } from '../app/pairing.ts';
import { hallId, randomId } from '../contract/schemas.ts';
import { HttpError, parseInput, unwrap } from './errors.ts';
import { actorOf, requireRole } from './session.ts';

export const approveRequest = z.strictObject({
  kind: z.enum(['kiosk', 'display']),
  deviceId: hallId,
});
const tokenId = z.coerce.number().int().positive();

/**
 * Pairing of screens (app/pairing.ts): a screen asks and polls; a manager lists, approves, and revokes
 * tokens. A screen checks its own token with `GET /devices/me`.
 */
export function pairingRouter(deps: { pairing: Pairing; auth: Auth }): Router {
  const router = Router();
  const manager = requireRole(deps.auth, 'manager');
  const { pairing } = deps;

  router.post('/pairing/requests', (_req, res) => {
    const ticket = pairing.request();
    if (!ticket)
      throw new HttpError(
        429,
        'too-many-pairing-requests',
        'too many screens are waiting to be paired',
        undefined,
        {
          'Retry-After': '60',
        },
      );
    res.status(201).json(ticket);
  });

  router.get('/pairing/requests', manager, (_req, res) => {
    res.json(pairing.pending());
  });

  router.get('/pairing/requests/:id', (req, res) => {
    const status = pairing.status(parseInput(randomId, req.params.id, 'params'));
    res.setHeader('Cache-Control', 'no-store');
    if (status.status === 'gone')
      throw new HttpError(404, 'pairing-request-not-found', 'no such pairing request');
    res.json(status);
  });

  router.post('/pairing/requests/:id/approve', manager, (req, res) => {
    const id = parseInput(randomId, req.params.id, 'params');
    const device = parseInput(approveRequest, req.body, 'body');
    res.json(unwrap(pairing.approve(id, device, actorOf(res))));
  });

  router.get('/devices/tokens', manager, (_req, res) => {
    res.json(pairing.tokens());
  });

  router.delete('/devices/tokens/:id', manager, (req, res) => {
    unwrap(pairing.revoke(parseInput(tokenId, req.params.id, 'params'), actorOf(res)));
    res.status(204).end();
  });

  /** The screen's own token: who it is paired as, or 401. */
  router.get('/devices/me', (req, res) => {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const device = bearer ? deps.auth.device(bearer) : null;
    if (!device) throw new HttpError(401, 'unpaired', 'this screen is not paired: ask for a pairing code');
    res.json(device);
  });

  return router;
}
