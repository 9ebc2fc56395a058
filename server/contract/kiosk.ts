/**
 * The kiosk's endpoints of API v1 (docs/api.md), beyond the queue's: the kiosk's own
 * configuration, identification, appointment check-in, feedback and self-service, plus the events the
 * server addresses to one kiosk. Browser-safe: types and constants only, like api.ts; the request
 * schemas (strict) are in kiosk-schemas.ts, which only the server loads. Answers are what the server
 * promises, errors use the one envelope.
 *
 * Privacy rule for this file: the event stream is readable by anyone on the hall network, so a kiosk
 * event never carries personal data or a credential — only a one-time `readId` that the addressed kiosk
 * redeems over HTTP (with its `X-Kiosk-Id`).
 */
import type { z } from 'zod';
import type { Lang, PrintState, Text, TicketView } from './api.ts';
import type { DeviceKind, DeviceStatus } from './devices.ts';
import type { ErrorCode } from './error-codes.ts';
import type * as schemas from './kiosk-schemas.ts';

/** Names the kiosk a request comes from, so the server prints at that kiosk's printer. */
export const KIOSK_ID_HEADER = 'X-Kiosk-Id';
/**
 * Proves who the customer is after identification. `POST /tickets` with this header takes the tier from
 * the identified customer (a VIP cannot be claimed by the body alone outside demo mode); the
 * self-service endpoints require it (401 `customer-required` without it, 401 `customer-expired` late).
 */
export const CUSTOMER_TOKEN_HEADER = 'X-Customer-Token';

// ---------- the kiosk itself ----------

export const KIOSK_DEVICE_KINDS = [
  'printer',
  'id-reader',
  'scanner',
  'payment',
] as const satisfies readonly DeviceKind[];
export type KioskDeviceKind = (typeof KIOSK_DEVICE_KINDS)[number];

/** `GET /kiosks/:kioskId` (anyone): what this kiosk can do. 404 `unknown-kiosk`. */
export type KioskView = {
  id: string;
  /** Seconds without a touch before the "still there?" warning; then `warningSeconds` more. */
  idleSeconds: number;
  warningSeconds: number;
  /** The service a complaint ticket goes to, null when the hall has none. */
  complaintsServiceId: string | null;
  /** Top-up amounts offered as buttons, in fen (分). */
  topUpAmountsFen: number[];
  /**
   * Devices attached to this kiosk; their `id` matches `device.status` events, whose `status` replaces
   * the one here. A kind that is absent is not attached: the kiosk offers the other ways.
   */
  devices: KioskDevice[];
};
export type KioskDevice = { id: string; kind: KioskDeviceKind; status: DeviceStatus };

// ---------- events addressed to one kiosk (to be merged into ServerEvents) ----------

/**
 * Events the server sends on `GET /events?kioskId=…` to that kiosk only. Redeem the `readId` within a
 * minute with `POST /identify/device` (an ID card or member code) or `POST /appointments/check-in`.
 */
export type KioskEvents = {
  /** An ID card was read at this kiosk's reader. */
  'kiosk.id-card': { kioskId: string; readId: string };
  /** This kiosk's scanner read a code; the server says what kind it recognised. */
  'kiosk.scan': { kioskId: string; readId: string; kind: ScanKind };
};
export const KIOSK_EVENT_NAMES = [
  'kiosk.id-card',
  'kiosk.scan',
] as const satisfies readonly (keyof KioskEvents)[];
export const SCAN_KINDS = ['member', 'appointment', 'unknown'] as const;
export type ScanKind = (typeof SCAN_KINDS)[number];

// ---------- identification ----------

export const CUSTOMER_TIERS = ['regular', 'vip', 'elderly'] as const;
export type CustomerTier = (typeof CUSTOMER_TIERS)[number];

/**
 * `POST /identify/phone` → 200 IdentifyPhoneAnswer: sends a one-time code by SMS (demo: the outbox on
 * the manager page). 404 `not-a-customer`; 429 `too-many-requests` with Retry-After.
 */
export type IdentifyPhoneRequest = z.infer<typeof schemas.identifyPhoneRequest>;
export type IdentifyPhoneAnswer = {
  challengeId: string;
  expiresInSeconds: number;
  resendAfterSeconds: number;
};

/**
 * `POST /identify/verify` → 200 IdentifyAnswer. 409 `wrong-code` (the challenge stays open),
 * 410 `code-expired` (also after too many wrong codes: ask for a new one), 404 `unknown-challenge`.
 */
export type IdentifyVerifyRequest = z.infer<typeof schemas.identifyVerifyRequest>;

/**
 * `POST /identify/device` with `X-Kiosk-Id` → 200 IdentifyAnswer: redeems an ID card read or a member
 * code scanned at that kiosk. 404 `unknown-read` (wrong kiosk, redeemed or older than a minute),
 * 404 `not-a-customer`.
 */
export type IdentifyDeviceRequest = z.infer<typeof schemas.identifyDeviceRequest>;

/** An identified customer as screens may show them: masked data only. */
export type IdentifiedCustomer = {
  /** Opaque, short-lived (about 10 minutes); the kiosk forgets it when the session ends. */
  token: string;
  /** e.g. `138****5678`; null when identified by an ID card of someone without a line here. */
  maskedPhone: string | null;
  /** e.g. `张*` or `Z*** Wei`. */
  maskedName: string;
  /** `elderly` at 65 or older (from the BSS or the ID card), `vip` for star customers. */
  tier: CustomerTier;
  age: number | null;
};
export type IdentifyAnswer = { customer: IdentifiedCustomer };

// ---------- appointments ----------

/**
 * `POST /appointments/check-in` with `X-Kiosk-Id` (+ optional `Idempotency-Key`) → 201 TicketView with
 * tier `appointment` and channel `appointment`, printed at that kiosk (in `lang`). A typed code or a
 * scanned one (`readId` of a `kiosk.scan` of kind `appointment`). The kiosk's keypad has digits only,
 * so codes given to customers should be digits (6 is plenty). 409 `too-early`, `too-late`, `already-checked-in`;
 * 404 `unknown-appointment`.
 */
export type CheckInRequest = z.infer<typeof schemas.checkInRequest>;
export type CheckInAnswer = TicketView;
export const CHECK_IN_REFUSALS = [
  'too-early',
  'too-late',
  'already-checked-in',
  'unknown-appointment',
] as const satisfies readonly ErrorCode[];
export type CheckInRefusal = (typeof CHECK_IN_REFUSALS)[number];

/**
 * `POST /appointments` (anyone: the phone page) → 201 AppointmentAnswer; the code is also sent by SMS.
 * `slot` is an ISO date-time with its offset, on the hall's slot grid (every 15 minutes by default),
 * within the service's opening hours and the booking horizon. The code is 6 digits (the kiosk's keypad
 * has digits only); a QR of it is the code itself. 404 `service-not-found`; 409 `slot-unavailable`,
 * `slot-full`, `too-many-appointments` (a phone holds at most three upcoming ones); 429
 * `too-many-requests` with Retry-After.
 */
export type BookAppointmentRequest = z.infer<typeof schemas.bookAppointmentRequest>;
export type AppointmentAnswer = {
  id: string;
  code: string;
  serviceId: string;
  slot: string;
  maskedPhone: string;
  /** The check-in window around the slot. */
  checkInFrom: string;
  checkInUntil: string;
};

/**
 * `GET /appointments/slots?serviceId=&day=YYYY-MM-DD` (anyone: the phone page) → AppointmentSlots: the
 * slots of that local day (default today) still open to booking — on the grid, inside the service's
 * hours, after now and within the booking horizon — with the places each has left; full slots are left
 * out. `days` lists the days that can be booked, today first. 404 `service-not-found`.
 */
export type AppointmentSlotsQuery = z.infer<typeof schemas.appointmentSlotsQuery>;
export type AppointmentSlot = {
  /** ISO date-time, as `POST /appointments` takes it. */
  slot: string;
  /** Local wall-clock time, `HH:MM`. */
  time: string;
  remaining: number;
};
export type AppointmentSlots = {
  serviceId: string;
  day: string;
  days: string[];
  slotMinutes: number;
  slots: AppointmentSlot[];
};
export const BOOKING_REFUSALS = [
  'service-not-found',
  'slot-unavailable',
  'slot-full',
  'too-many-appointments',
  'too-many-requests',
] as const satisfies readonly ErrorCode[];
export type BookingRefusal = (typeof BOOKING_REFUSALS)[number];

// ---------- feedback and complaints ----------

export const FEEDBACK_KINDS = ['complaint', 'suggestion', 'praise'] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];
export const FEEDBACK_TOPICS = ['waiting', 'staff', 'billing', 'network', 'product', 'other'] as const;
export type FeedbackTopic = (typeof FEEDBACK_TOPICS)[number];

/**
 * `POST /feedback` (optional `X-Customer-Token`, `X-Kiosk-Id`) → 201 FeedbackAnswer. A complaint with a
 * token is linked to that customer for the manager's call-back.
 */
export type FeedbackRequest = z.infer<typeof schemas.feedbackRequest>;
/** `reference` is what the customer quotes later, e.g. `FB-0412-007`; `ticket` when one was asked for. */
export type FeedbackAnswer = { id: string; reference: string; ticket?: TicketView };

/** `GET /feedback` (manager) → 200 FeedbackEntry[], newest first (the latest 200). */
export type FeedbackEntry = {
  id: string;
  reference: string;
  kind: FeedbackKind;
  topics: FeedbackTopic[];
  lang: Lang;
  kioskId: string | null;
  /** For the call-back: the identified customer's masked number, when there was one. */
  maskedPhone: string | null;
  ticketNumber: string | null;
  at: string;
};

// ---------- self-service (all with `X-Customer-Token`) ----------

/** `GET /self-service/account` → 200 AccountSummary. Amounts in fen (分), sizes in MB, voice in minutes. */
export type AccountSummary = {
  maskedPhone: string;
  plan: Text;
  balanceFen: number;
  bill: { period: string; amountFen: number; dueDate: string; paid: boolean } | null;
  usage: {
    dataMb: { used: number; included: number };
    voiceMinutes: { used: number; included: number };
  };
  /** Billing periods (YYYY-MM) an invoice can be printed for, newest first. */
  invoicePeriods: string[];
};

/** `GET /self-service/packs` → 200 AddOnPack[]. */
export type AddOnPack = { id: string; name: Text; description: Text; priceFen: number };

/**
 * `POST /self-service/orders` with `Idempotency-Key` (required: the same key answers the same order, so
 * a retried request never takes money twice) and `X-Kiosk-Id` → 201 Order.
 * `top-up` and `bill` are paid at this kiosk's payment terminal (status `awaiting-payment` until the
 * terminal answers); `pack` is charged to the account after the customer's explicit confirmation, which
 * this request is. 409 `bill-already-paid`, `insufficient-balance`, `payment-unavailable`.
 */
export type OrderRequest = z.infer<typeof schemas.orderRequest>;

export const ORDER_STATUSES = ['awaiting-payment', 'paid', 'declined', 'timeout', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/**
 * `GET /self-service/orders/:id` → 200 Order (the kiosk polls it while `awaiting-payment`);
 * `POST /self-service/orders/:id/cancel` → 200 Order (cancels at the terminal; 409 `already-paid`).
 * Once `paid`, the receipt prints at the kiosk: `receipt` follows the print job like a ticket's `print`.
 */
export type Order = {
  id: string;
  kind: OrderRequest['kind'];
  amountFen: number;
  status: OrderStatus;
  /** The terminal's reason for `declined`, in both languages. */
  problem: Text | null;
  reference: string | null;
  receipt: PrintState;
};

/**
 * `POST /self-service/invoices` with `X-Kiosk-Id` → 200 `{ print }`: prints the invoice for a period at
 * that kiosk. 404 `unknown-period`.
 */
export type InvoiceRequest = z.infer<typeof schemas.invoiceRequest>;
export type InvoiceAnswer = { print: PrintState; printProblem: string | null };

// ---------- the demo's stand-ins for outside systems and devices (demo mode only) ----------

/** `GET /sms/outbox` (manager; demo mode only, else 404) → 200 SmsOutboxMessage[], newest first. */
export type SmsOutboxMessage = { id: number; at: string; to: string; text: string };

/**
 * `POST /demo/payment` (manager; demo mode only) → 200 `{ outcome }`: how the simulated payment terminal
 * answers the next payment. Without steering, an amount ending in 99 fen is declined, one ending in
 * 98 fen times out, anything else is paid; `hold` waits for a cancel (or times out after a minute).
 */
export const DEMO_PAYMENT_OUTCOMES = ['paid', 'declined', 'timeout', 'hold'] as const;
export type DemoPaymentRequest = z.infer<typeof schemas.demoPaymentRequest>;

/**
 * `POST /demo/kiosks/:kioskId/id-card` and `…/scan` (manager; demo mode only) → 201 DemoReadAnswer: as
 * if the kiosk's ID reader or scanner had read this; the kiosk hears `kiosk.id-card` / `kiosk.scan`.
 */
export type DemoReadAnswer = { readId: string; kind: 'id-card' | ScanKind };
