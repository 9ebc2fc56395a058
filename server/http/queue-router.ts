import { Router } from 'express';
import type { Auth } from '../app/auth.ts';
import type { Hall } from '../app/hall.ts';
import type { Health } from '../app/health.ts';
import type { CustomerSession, Identify } from '../app/identify.ts';
import type { HallInfo, Tier } from '../contract/api.ts';
import { idempotencyKeyHeader, issueTicketRequest, randomId } from '../contract/schemas.ts';
import { kioskRight } from './callers.ts';
import { HttpError, parseInput, unwrap } from './errors.ts';
import { requireRole } from './session.ts';

/** A ticket id from a path: one that cannot be an id is unknown (404) like any other. */
export function findTicketId(raw: string): string {
  const parsed = randomId.safeParse(raw);
  if (!parsed.success) throw new HttpError(404, 'ticket-not-found', 'no such ticket');
  return parsed.data;
}

export type QueueRouterDeps = {
  hall: Hall;
  auth: Auth;
  demo: boolean;
  /** Resolves `X-Customer-Token` (the kiosk's identification) for the tier of a ticket. */
  kiosk?: { identify: Pick<Identify, 'customer'> };
  health: Health;
};

/** The public side of the queue: the kiosk, the phone page and the screens. */
export function queueRouter({ hall, auth, demo, health, kiosk }: QueueRouterDeps): Router {
  const router = Router();

  /** Waiting tickets forecast to miss their wait target, per service (the manager's live alert). */
  router.get('/queue/breaches', requireRole(auth, 'manager'), (_req, res) => {
    res.json(hall.predictedBreaches());
  });

  router.get('/hall', (_req, res) => {
    const config = hall.config; // the one in force now: the manager edits it live
    const info: HallInfo = {
      name: config.name,
      demo,
      timeZone: config.timeZone,
      services: config.services.map((s) => ({
        id: s.id,
        prefix: s.prefix,
        name: s.name,
        category: s.category,
        selfService: s.selfService,
        waitTargetMinutes: s.waitTargetMinutes,
      })),
      counters: hall.counterViews().map((c) => ({ id: c.id, name: c.name, serviceIds: c.serviceIds })),
    };
    res.json(info);
  });

  router.get('/services', (_req, res) => {
    res.json(
      hall
        .serviceViews()
        .map(({ id, prefix, name, open, waiting, etaMinutes, waitTargetMinutes, longestWaitMinutes }) => ({
          id,
          prefix,
          name,
          open,
          waiting,
          etaMinutes,
          waitTargetMinutes,
          longestWaitMinutes,
        })),
    );
  });

  router.get('/counters', (_req, res) => {
    res.json(hall.counterViews());
  });

  const asKiosk = kioskRight(auth, demo);

  /**
   * A ticket's tier is the identified customer's (the kiosk's `X-Customer-Token`, good at its own kiosk
   * only) or a signed-in person's word; anyone else asking for priority is refused, not quietly
   * downgraded, so an integration learns at once that its claim counts for nothing.
   */
  router.post('/tickets', async (req, res) => {
    const { kioskId, staff } = asKiosk.caller(req, res);
    const body = parseInput(issueTicketRequest, req.body, 'body');
    const key = req.headers['idempotency-key'];
    const idempotencyKey = key === undefined ? undefined : parseInput(idempotencyKeyHeader, key, 'header');
    const claimed = body.customer?.tier ?? (body.channel === 'appointment' ? 'appointment' : undefined);
    if (claimed !== undefined && claimed !== 'regular' && !staff)
      throw new HttpError(
        403,
        'tier-not-allowed',
        `only staff may give a ticket the ${claimed} tier: a kiosk identifies the customer instead (appointments check in with their code)`,
      );
    const token = req.headers['x-customer-token'];
    let identified: CustomerSession | undefined;
    if (typeof token === 'string' && token !== '' && kiosk) {
      const session = kiosk.identify.customer(token, kioskId);
      if (!session.ok) throw new HttpError(session.status, session.code, session.message);
      identified = session.value;
    }
    const tier: Tier = claimed ?? identified?.tier ?? 'regular';
    const customer = identified && {
      ref: identified.customerRef,
      maskedName: identified.maskedName,
      maskedPhone: identified.maskedPhone,
    };
    const ticket = unwrap(await hall.issueTicketSoon(body, { kioskId, idempotencyKey, tier, customer }));
    res.status(201).location(`/api/v1/tickets/${ticket.id}`).json(ticket);
  });

  router.get('/tickets/:id', (req, res) => {
    res.json(unwrap(hall.getTicket(findTicketId(req.params.id))));
  });

  router.post('/tickets/:id/cancel', (req, res) => {
    res.json(unwrap(hall.cancelTicket(findTicketId(req.params.id))));
  });

  // Always 200 (docs/api.md): the body says what is wrong, `ok: false` while writes fail.
  router.get('/health', (_req, res) => {
    res.json(health());
  });

  return router;
}
