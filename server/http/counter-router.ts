import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { Auth } from '../app/auth.ts';
import type { Hall } from '../app/hall.ts';
import type { CounterCustomer } from '../contract/api.ts';
import { finishRequest, pauseRequest, transferRequest } from '../contract/schemas.ts';
import { parseInput, unwrap } from './errors.ts';
import { actorOf, requireRole } from './session.ts';

/** The account summary of an identified customer, for the counter (from the BSS); null when unknown. */
export type AccountOf = (customerRef: string) => Promise<NonNullable<CounterCustomer['account']> | null>;

/** The counter terminal's actions: staff and managers; the hall checks who is seated where. */
export function counterRouter(hall: Hall, auth: Auth, accountOf?: AccountOf): Router {
  const router = Router();
  const staff = requireRole(auth, 'staff', 'manager');
  const id = (req: Request) => String(req.params.id);
  const noBody = (req: Request) => parseInput(z.strictObject({}), req.body, 'body');

  router.get('/counters/:id/current', staff, async (req, res) => {
    const { detail, customerRef } = unwrap(hall.counterDetail(id(req), actorOf(res)));
    if (detail.customer && customerRef && accountOf) {
      // The BSS being away costs the summary, never the counter's view.
      detail.customer.account = await accountOf(customerRef).catch(() => null);
    }
    res.json(detail);
  });
  router.post('/counters/:id/open', staff, (req, res) => {
    noBody(req);
    res.json(unwrap(hall.openCounter(id(req), actorOf(res))));
  });
  router.post('/counters/:id/pause', staff, (req, res) => {
    const { reason } = parseInput(pauseRequest, req.body, 'body');
    res.json(unwrap(hall.pauseCounter(id(req), actorOf(res), reason)));
  });
  router.post('/counters/:id/resume', staff, (req, res) => {
    noBody(req);
    res.json(unwrap(hall.resumeCounter(id(req), actorOf(res))));
  });
  router.post('/counters/:id/close', staff, (req, res) => {
    noBody(req);
    res.json(unwrap(hall.closeCounter(id(req), actorOf(res))));
  });
  router.post('/counters/:id/call', staff, (req, res: Response) => {
    noBody(req);
    const called = unwrap(hall.callNext(id(req), actorOf(res)));
    if (!called) {
      res.status(204).end();
      return;
    }
    res.json({ ticket: called.ticket, reason: called.explanation.en, explanation: called.explanation });
  });
  router.post('/counters/:id/recall', staff, (req, res) => {
    noBody(req);
    res.json({ ticket: unwrap(hall.recall(id(req), actorOf(res))) });
  });
  router.post('/counters/:id/start', staff, (req, res) => {
    noBody(req);
    res.json({ ticket: unwrap(hall.start(id(req), actorOf(res))) });
  });
  router.post('/counters/:id/no-show', staff, (req, res) => {
    noBody(req);
    res.json({ ticket: unwrap(hall.noShow(id(req), actorOf(res))) });
  });
  router.post('/counters/:id/finish', staff, (req, res) => {
    const { rating } = parseInput(finishRequest, req.body, 'body');
    res.json({ ticket: unwrap(hall.finish(id(req), actorOf(res), rating)) });
  });
  router.post('/counters/:id/transfer', staff, (req, res) => {
    const { serviceId, front } = parseInput(transferRequest, req.body, 'body');
    res.json({ ticket: unwrap(hall.transfer(id(req), actorOf(res), serviceId, front)) });
  });

  return router;
}
