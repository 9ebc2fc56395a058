import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { Auth } from '../app/auth.ts';
import type { KioskOutcome } from '../app/kiosk-common.ts';
import type { KioskServices } from '../app/kiosk-services.ts';
import {
  appointmentSlotsQuery,
  bookAppointmentRequest,
  checkInRequest,
  demoIdCardRequest,
  demoPaymentRequest,
  demoScanRequest,
  feedbackRequest,
  identifyDeviceRequest,
  identifyPhoneRequest,
  identifyVerifyRequest,
  invoiceRequest,
  orderRequest,
} from '../contract/kiosk.ts';
import { idempotencyKeyHeader } from '../contract/schemas.ts';
import { HttpError, parseInput } from './errors.ts';
import { requireRole, sessionUser } from './session.ts';

const kioskIdPattern = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, _ or -, at most 32');
const orderId = z.string().regex(/^[A-Za-z0-9_-]{22}$/);

export type KioskRouterDeps = { kiosk: KioskServices; auth: Auth; demo: boolean };

/** A use case's refusal as the one HTTP error; a 429 says when to come back. */
function unwrap<T>(outcome: KioskOutcome<T>): T {
  if (outcome.ok) return outcome.value;
  const headers: Record<string, string> =
    outcome.retryAfterSeconds === undefined
      ? {}
      : { 'Retry-After': String(Math.max(1, outcome.retryAfterSeconds)) };
  throw new HttpError(outcome.status, outcome.code, outcome.message, undefined, headers, outcome.details);
}

/**
 * The kiosk's own endpoints (server/contract/kiosk.ts): its configuration, identification,
 * appointments (booking from the phone page, check-in at the kiosk), feedback, self-service, and in
 * demo mode the stand-ins of the outside systems and devices.
 */
export function kioskRouter({ kiosk, auth, demo }: KioskRouterDeps): Router {
  const router = Router();
  const manager = requireRole(auth, 'manager');

  /** A paired kiosk's id from its device token, if it presents one. */
  function pairedKiosk(req: Request): string | null {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const device = bearer ? auth.device(bearer) : null;
    return device?.kind === 'kiosk' ? device.deviceId : null;
  }

  /**
   * Which kiosk asks: its device token outside demo mode (or a signed-in person naming it with
   * `X-Kiosk-Id`), the header alone in the demo.
   */
  function kioskOf(req: Request, res: Response, required: true): string;
  function kioskOf(req: Request, res: Response, required: false): string | undefined;
  function kioskOf(req: Request, res: Response, required: boolean): string | undefined {
    const paired = pairedKiosk(req);
    if (paired) return paired;
    if (!demo && !sessionUser(req, res, auth))
      throw new HttpError(401, 'unauthenticated', 'this is for a paired kiosk or signed-in staff');
    const header = req.headers['x-kiosk-id'];
    if (header === undefined) {
      if (!required) return undefined;
      throw new HttpError(400, 'invalid-request', 'invalid header: header.x-kiosk-id: required', [
        { path: 'header.x-kiosk-id', message: 'required: the kiosk this request comes from' },
      ]);
    }
    return parseInput(kioskIdPattern, header, 'header');
  }

  const tokenOf = (req: Request) => {
    const raw = req.headers['x-customer-token'];
    return typeof raw === 'string' && raw.length > 0 ? raw : undefined;
  };
  const headerKiosk = (req: Request) => {
    const raw = req.headers['x-kiosk-id'];
    const parsed = kioskIdPattern.safeParse(raw);
    return pairedKiosk(req) ?? (parsed.success ? parsed.data : undefined);
  };
  /** The identified customer; 401 `customer-required` / `customer-expired` otherwise. */
  const customerOf = (req: Request) => unwrap(kiosk.identify.customer(tokenOf(req), headerKiosk(req)));
  const address = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';

  // ---------- the kiosk itself ----------

  router.get('/kiosks/:kioskId', (req, res) => {
    const parsed = kioskIdPattern.safeParse(req.params.kioskId);
    if (!parsed.success) throw new HttpError(404, 'unknown-kiosk', 'no such kiosk');
    res.json(unwrap(kiosk.kiosks.kioskConfig(parsed.data, pairedKiosk(req) === parsed.data)));
  });

  // ---------- identification ----------

  router.post('/identify/phone', async (req, res) => {
    const kioskId = kioskOf(req, res, false);
    const body = parseInput(identifyPhoneRequest, req.body, 'body');
    res.json(unwrap(await kiosk.identify.requestCode(body.phone, { kioskId, address: address(req) })));
  });

  router.post('/identify/verify', async (req, res) => {
    const body = parseInput(identifyVerifyRequest, req.body, 'body');
    res.json({ customer: unwrap(await kiosk.identify.verifyCode(body.challengeId, body.code)) });
  });

  router.post('/identify/device', async (req, res) => {
    const kioskId = kioskOf(req, res, true);
    const body = parseInput(identifyDeviceRequest, req.body, 'body');
    res.json({ customer: unwrap(await kiosk.identify.redeemDeviceRead(kioskId, body.readId)) });
  });

  // ---------- appointments ----------

  router.get('/appointments/slots', (req, res) => {
    const query = parseInput(appointmentSlotsQuery, req.query, 'query');
    res.json(unwrap(kiosk.appointments.slots(query)));
  });

  router.post('/appointments', async (req, res) => {
    const body = parseInput(bookAppointmentRequest, req.body, 'body');
    const answer = unwrap(await kiosk.appointments.book(body, `address:${address(req)}`));
    res.status(201).json(answer);
  });

  router.post('/appointments/check-in', (req, res) => {
    const kioskId = kioskOf(req, res, true);
    const body = parseInput(checkInRequest, req.body, 'body');
    const key = req.headers['idempotency-key'];
    const idempotencyKey = key === undefined ? undefined : parseInput(idempotencyKeyHeader, key, 'header');
    const ticket = unwrap(kiosk.appointments.checkIn(kioskId, body, idempotencyKey));
    res.status(201).location(`/api/v1/tickets/${ticket.id}`).json(ticket);
  });

  // ---------- feedback ----------

  router.post('/feedback', (req, res) => {
    const body = parseInput(feedbackRequest, req.body, 'body');
    const kioskId = headerKiosk(req);
    if (req.headers['x-kiosk-id'] !== undefined && !kioskId)
      parseInput(kioskIdPattern, req.headers['x-kiosk-id'], 'header');
    // A complaint is never lost for an expired identification: it is filed, just not linked.
    const token = tokenOf(req);
    const session = token ? kiosk.identify.customer(token, kioskId) : null;
    const customer = session?.ok ? session.value : null;
    res.status(201).json(unwrap(kiosk.feedback.file(body, { kioskId, customer })));
  });

  router.get('/feedback', manager, (_req, res) => {
    res.json(kiosk.feedback.list());
  });

  // ---------- self-service ----------

  router.get('/self-service/account', async (req, res) => {
    res.json(unwrap(await kiosk.selfService.account(customerOf(req))));
  });

  router.get('/self-service/packs', async (req, res) => {
    res.json(unwrap(await kiosk.selfService.packs(customerOf(req))));
  });

  router.post('/self-service/orders', async (req, res) => {
    // The customer first: without one, a self-service call is a 401 whoever sends it.
    const customer = customerOf(req);
    const kioskId = kioskOf(req, res, true);
    const body = parseInput(orderRequest, req.body, 'body');
    const key = req.headers['idempotency-key'];
    if (key === undefined)
      throw new HttpError(400, 'invalid-request', 'invalid header: header.idempotency-key: required', [
        { path: 'header.idempotency-key', message: 'required: the same key answers the same order' },
      ]);
    const idempotencyKey = parseInput(idempotencyKeyHeader, key, 'header');
    const order = unwrap(await kiosk.selfService.createOrder(customer, kioskId, body, idempotencyKey));
    res.status(201).location(`/api/v1/self-service/orders/${order.id}`).json(order);
  });

  const findOrderId = (raw: string) => {
    const parsed = orderId.safeParse(raw);
    if (!parsed.success) throw new HttpError(404, 'order-not-found', 'no such order');
    return parsed.data;
  };

  router.get('/self-service/orders/:id', (req, res) => {
    const customer = customerOf(req);
    res.json(unwrap(kiosk.selfService.getOrder(customer, findOrderId(req.params.id))));
  });

  router.post('/self-service/orders/:id/cancel', async (req, res) => {
    const customer = customerOf(req);
    res.json(unwrap(await kiosk.selfService.cancelOrder(customer, findOrderId(req.params.id))));
  });

  router.post('/self-service/invoices', async (req, res) => {
    // The customer first: without one, a self-service call is a 401 whoever sends it.
    const customer = customerOf(req);
    const kioskId = kioskOf(req, res, true);
    const body = parseInput(invoiceRequest, req.body, 'body');
    res.json(unwrap(await kiosk.selfService.printInvoice(customer, kioskId, body.period)));
  });

  // ---------- demo mode: the outside systems' and devices' stand-ins ----------

  const demoOnly = () => {
    if (!kiosk.demo) throw new HttpError(404, 'not-found', 'this exists only in demo mode');
    return kiosk.demo;
  };

  router.get('/sms/outbox', manager, (_req, res) => {
    const outbox = demoOnly().outbox();
    if (outbox === null) throw new HttpError(404, 'not-found', 'this hall sends real text messages');
    res.json(outbox);
  });

  router.post('/demo/payment', manager, (req, res) => {
    const controls = demoOnly();
    const body = parseInput(demoPaymentRequest, req.body, 'body');
    if (!controls.steerPayment(body.outcome, body.delayMs))
      throw new HttpError(409, 'payment-not-simulated', 'the payment terminal here is not the simulated one');
    res.json({ outcome: body.outcome });
  });

  router.post('/demo/kiosks/:kioskId/id-card', manager, async (req, res) => {
    demoOnly();
    const kioskId = parseInput(kioskIdPattern, req.params.kioskId, 'params');
    const body = parseInput(demoIdCardRequest, req.body, 'body');
    res.status(201).json(await kiosk.recordDeviceRead(kioskId, { kind: 'id-card', ...body }));
  });

  router.post('/demo/kiosks/:kioskId/scan', manager, async (req, res) => {
    demoOnly();
    const kioskId = parseInput(kioskIdPattern, req.params.kioskId, 'params');
    const body = parseInput(demoScanRequest, req.body, 'body');
    res.status(201).json(await kiosk.recordDeviceRead(kioskId, { kind: 'scan', code: body.code }));
  });

  return router;
}
