import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { Auth } from '../app/auth.ts';
import type { Hall } from '../app/hall.ts';
import type { Identify } from '../app/identify.ts';
import type { HallInfo, HealthAnswer, Tier } from '../contract/api.ts';
import { idempotencyKeyHeader, issueTicketRequest } from '../contract/schemas.ts';
import { HttpError, parseInput, unwrap } from './errors.ts';
import { requireRole, sessionUser } from './session.ts';

const ticketId = z.string().regex(/^[A-Za-z0-9_-]{22}$/);
const kioskIdHeader = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, _ or -');

export type QueueRouterDeps = {
  hall: Hall;
  auth: Auth;
  demo: boolean;
  /** Resolves `X-Customer-Token` (the kiosk's identification) for the tier of a ticket. */
  kiosk?: { identify: Pick<Identify, 'customer'> };
  health: () => Pick<HealthAnswer, 'devices' | 'hq'>;
  dbOk: () => boolean;
};

/** The public side of the queue: the kiosk, the phone page and the screens. */
export function queueRouter({ hall, auth, demo, health, dbOk, kiosk }: QueueRouterDeps): Router {
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

  /** Which kiosk asks: from its device token outside demo mode, from a header in the demo. */
  function kioskOf(req: Request, res: Response): string | undefined {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const device = bearer ? auth.device(bearer) : null;
    if (device?.kind === 'kiosk') return device.deviceId;
    if (!demo && !sessionUser(req, res, auth)) {
      throw new HttpError(401, 'unauthenticated', 'tickets are issued by a paired kiosk or signed-in staff');
    }
    const header = req.headers['x-kiosk-id'];
    return header === undefined ? undefined : parseInput(kioskIdHeader, header, 'header');
  }

  router.post('/tickets', async (req, res) => {
    const kioskId = kioskOf(req, res);
    const body = parseInput(issueTicketRequest, req.body, 'body');
    const key = req.headers['idempotency-key'];
    const idempotencyKey = key === undefined ? undefined : parseInput(idempotencyKeyHeader, key, 'header');
    // An identified customer's tier comes from the identification; outside the demo a kiosk alone
    // cannot claim VIP in the body.
    const token = req.headers['x-customer-token'];
    let tier: Tier | undefined;
    let customer: { ref: string | null; maskedName: string; maskedPhone: string | null } | undefined;
    if (typeof token === 'string' && token !== '' && kiosk) {
      const identified = kiosk.identify.customer(token, kioskId);
      if (!identified.ok) throw new HttpError(identified.status, identified.code, identified.message);
      tier = identified.value.tier;
      const { customerRef: ref, maskedName, maskedPhone } = identified.value;
      customer = { ref, maskedName, maskedPhone };
    } else if (!demo && body.customer?.tier === 'vip' && !sessionUser(req, res, auth)) tier = 'regular';
    const ticket = unwrap(await hall.issueTicketSoon(body, { kioskId, idempotencyKey, tier, customer }));
    res.status(201).location(`/api/v1/tickets/${ticket.id}`).json(ticket);
  });

  const findTicketId = (raw: string) => {
    const parsed = ticketId.safeParse(raw);
    if (!parsed.success) throw new HttpError(404, 'ticket-not-found', 'no such ticket');
    return parsed.data;
  };

  router.get('/tickets/:id', (req, res) => {
    res.json(unwrap(hall.getTicket(findTicketId(req.params.id))));
  });

  router.post('/tickets/:id/cancel', (req, res) => {
    res.json(unwrap(hall.cancelTicket(findTicketId(req.params.id))));
  });

  router.get('/health', (_req, res) => {
    const db = dbOk() ? 'ok' : 'error';
    const { devices, hq } = health();
    const answer: HealthAnswer = { ok: db === 'ok', db, devices, ...(hq === undefined ? {} : { hq }) };
    res.status(answer.ok ? 200 : 503).json(answer);
  });

  return router;
}
