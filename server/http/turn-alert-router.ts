import { Router } from 'express';
import type { TurnAlerts } from '../app/turn-alerts.ts';
import { turnAlertRequest } from '../contract/schemas.ts';
import { parseInput, unwrap } from './errors.ts';
import { findTicketId } from './queue-router.ts';

/** The phone page's "your turn is near" text: holding the ticket id is the right to ask (api.ts `TurnAlert`). */
export function turnAlertRouter(alerts: TurnAlerts): Router {
  const router = Router();
  router.get('/tickets/:id/turn-alert', (req, res) => {
    res.json(unwrap(alerts.get(findTicketId(req.params.id))));
  });
  router.post('/tickets/:id/turn-alert', (req, res) => {
    const id = findTicketId(req.params.id);
    const { phone } = parseInput(turnAlertRequest, req.body, 'body');
    res.json(unwrap(alerts.request(id, phone)));
  });
  router.delete('/tickets/:id/turn-alert', (req, res) => {
    res.json(unwrap(alerts.cancel(findTicketId(req.params.id))));
  });
  return router;
}
