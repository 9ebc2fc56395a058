import { Router } from 'express';
import { z } from 'zod';
import type { Auth } from '../app/auth.ts';
import type { DeviceConsole } from '../app/devices.ts';
import { HttpError, parseInput } from './errors.ts';
import { requireRole } from './session.ts';

export const simulatedAction = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('press'),
    key: z.enum(['NEXT', 'RECALL', 'NOSHOW', 'FINISH', 'PAUSE', 'RESUME']),
  }),
  z.strictObject({ action: z.literal('transfer'), servicePrefix: z.string().regex(/^[A-Z]$/) }),
  z.strictObject({ action: z.literal('rate'), score: z.number().int().min(1).max(5) }),
  z.strictObject({
    action: z.literal('card'),
    card: z
      .strictObject({
        name: z.string().min(1).max(15),
        idNumber: z.string().regex(/^\d{17}[\dX]$/, '18 characters: 17 digits and a digit or X'),
        birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        sexCode: z.enum(['1', '2']),
      })
      .nullable(),
  }),
  z.strictObject({ action: z.literal('scan'), code: z.string().min(1).max(200) }),
  z.strictObject({
    action: z.literal('printer'),
    paperOut: z.boolean(),
    paperNearEnd: z.boolean(),
    coverOpen: z.boolean(),
  }),
]);

/** The manager's devices page: status of every device; in the demo, a hand on each simulated one. */
export function devicesRouter(devices: DeviceConsole, auth: Auth, demo: boolean): Router {
  const router = Router();
  const manager = requireRole(auth, 'manager');

  router.get('/devices', manager, (_req, res) => {
    res.json({ devices: devices.status(), recentPrints: devices.recentPrints() });
  });

  router.post('/demo/devices/:id', manager, async (req, res) => {
    if (!demo) throw new HttpError(404, 'not-found', 'this exists only in demo mode');
    const action = parseInput(simulatedAction, req.body, 'body');
    if (!(await devices.simulate(String(req.params.id), action)))
      throw new HttpError(
        409,
        'not-simulated',
        `device ${req.params.id} is not a simulated device that can ${action.action}`,
      );
    res.json({ ok: true });
  });

  return router;
}
