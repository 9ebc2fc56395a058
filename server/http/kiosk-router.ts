import { type Request, type Response, Router } from 'express';
import type { Auth } from '../app/auth.ts';
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
} from '../contract/kiosk-schemas.ts';
import { hallId, idempotencyKeyHeader, randomId } from '../contract/schemas.ts';
import { kioskRight, pairedDevice } from './callers.ts';
import { HttpError, parseInput, unwrap } from './errors.ts';
import { requireRole } from './session.ts';

export type KioskRouterDeps = { kiosk: KioskServices; auth: Auth; demo: boolean };

/**
 * The kiosk's own endpoints (server/contract/kiosk.ts): its configuration, identification,
 * appointments (booking from the phone page, check-in at the kiosk), feedback, self-service, and in
 * demo mode the stand-ins of the outside systems and devices.
 */
export function kioskRouter({ kiosk, auth, demo }: KioskRouterDeps): Router {
  const router = Router();
  const manager = requireRole(auth, 'manager');

  const asKiosk = kioskRight(auth, demo);

  const tokenOf = (req: Request) => {
    const raw = req.headers['x-customer-token'];
    return typeof raw === 'string' && raw.length > 0 ? raw : undefined;
  };
  /**
   * The identified customer, at the kiosk that identified them: a token is bound to its kiosk, so the
   * caller must have the kiosk's right (401 otherwise) and be that kiosk (`customer-expired` otherwise).
   * No token is a 401 `customer-required` whoever asks.
   */
  const customerOf = (req: Request, res: Response) => {
    const token = tokenOf(req);
    return unwrap(kiosk.identify.customer(token, token ? asKiosk.caller(req, res).kioskId : undefined));
  };
  const address = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';

  // ---------- the kiosk itself ----------

  router.get('/kiosks/:kioskId', (req, res) => {
    const parsed = hallId.safeParse(req.params.kioskId);
    if (!parsed.success) throw new HttpError(404, 'unknown-kiosk', 'no such kiosk');
    const device = pairedDevice(req, auth);
    const paired = device?.kind === 'kiosk' && device.deviceId === parsed.data;
    res.json(unwrap(kiosk.kiosks.kioskView(parsed.data, paired)));
  });

  // ---------- identification ----------

  router.post('/identify/phone', async (req, res) => {
    const kioskId = asKiosk.kiosk(req, res);
    const body = parseInput(identifyPhoneRequest, req.body, 'body');
    res.json(unwrap(await kiosk.identify.requestCode(body.phone, kioskId)));
  });

  router.post('/identify/verify', async (req, res) => {
    const body = parseInput(identifyVerifyRequest, req.body, 'body');
    res.json({ customer: unwrap(await kiosk.identify.verifyCode(body.challengeId, body.code)) });
  });

  router.post('/identify/device', async (req, res) => {
    const kioskId = asKiosk.kiosk(req, res);
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
    const kioskId = asKiosk.kiosk(req, res);
    const body = parseInput(checkInRequest, req.body, 'body');
    const key = req.headers['idempotency-key'];
    const idempotencyKey = key === undefined ? undefined : parseInput(idempotencyKeyHeader, key, 'header');
    const ticket = unwrap(kiosk.appointments.checkIn(kioskId, body, idempotencyKey));
    res.status(201).location(`/api/v1/tickets/${ticket.id}`).json(ticket);
  });

  // ---------- feedback ----------

  // Feedback is the kiosk's (a complaint may come with a ticket): the same right as `POST /tickets`.
  router.post('/feedback', (req, res) => {
    const { kioskId } = asKiosk.caller(req, res);
    const body = parseInput(feedbackRequest, req.body, 'body');
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
    res.json(unwrap(await kiosk.selfService.account(customerOf(req, res))));
  });

  router.get('/self-service/packs', async (req, res) => {
    res.json(unwrap(await kiosk.selfService.packs(customerOf(req, res))));
  });

  router.post('/self-service/orders', async (req, res) => {
    // The customer first: without one, a self-service call is a 401 whoever sends it.
    const customer = customerOf(req, res);
    const kioskId = asKiosk.kiosk(req, res);
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
    const parsed = randomId.safeParse(raw);
    if (!parsed.success) throw new HttpError(404, 'order-not-found', 'no such order');
    return parsed.data;
  };

  router.get('/self-service/orders/:id', (req, res) => {
    const customer = customerOf(req, res);
    res.json(unwrap(kiosk.selfService.getOrder(customer, findOrderId(req.params.id))));
  });

  router.post('/self-service/orders/:id/cancel', async (req, res) => {
    const customer = customerOf(req, res);
    res.json(unwrap(await kiosk.selfService.cancelOrder(customer, findOrderId(req.params.id))));
  });

  router.post('/self-service/invoices', async (req, res) => {
    // The customer first: without one, a self-service call is a 401 whoever sends it.
    const customer = customerOf(req, res);
    const kioskId = asKiosk.kiosk(req, res);
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
    const kioskId = parseInput(hallId, req.params.kioskId, 'params');
    const body = parseInput(demoIdCardRequest, req.body, 'body');
    res.status(201).json(await kiosk.recordDeviceRead(kioskId, { kind: 'id-card', ...body }));
  });

  router.post('/demo/kiosks/:kioskId/scan', manager, async (req, res) => {
    demoOnly();
    const kioskId = parseInput(hallId, req.params.kioskId, 'params');
    const body = parseInput(demoScanRequest, req.body, 'body');
    res.status(201).json(await kiosk.recordDeviceRead(kioskId, { kind: 'scan', code: body.code }));
  });

  return router;
}
