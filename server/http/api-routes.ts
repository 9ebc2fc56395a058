/**
 * Every route of API v1 as the OpenAPI document describes it (openapi.ts): who may call it, what it
 * takes, what it answers and the refusals of its own. Written beside the routers and checked against
 * them both ways by tests/integration/openapi.test.ts, which also calls each route as the callers it
 * names are not, to see them refused.
 */
import { z } from 'zod';
import {
  countersRequest,
  createStaffRequest,
  devicesRequest,
  printerRequest,
  servicesRequest,
  updateStaffRequest,
} from '../app/configuration.ts';
import * as answers from '../contract/answers.ts';
import type { ErrorCode } from '../contract/error-codes.ts';
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
import { noticesRequest, periodQuery } from '../contract/manager-schemas.ts';
import {
  dateRangeQuery,
  finishRequest,
  issueTicketRequest,
  loginRequest,
  pauseRequest,
  routingWhyQuery,
  transferRequest,
  turnAlertRequest,
} from '../contract/schemas.ts';
import { simulatedAction } from './devices-router.ts';
import { approveRequest } from './pairing-router.ts';

/**
 * Who may call a route. `kiosk`: a paired kiosk's token, or a signed-in person (anyone in demo mode);
 * `screen`: a paired kiosk's or display's token; `customer`: an identified customer's `X-Customer-Token`
 * (from a kiosk); `person`: staff or a manager signed in; `manager`: a manager signed in.
 */
export const ACCESS_KINDS = ['public', 'screen', 'kiosk', 'customer', 'person', 'manager'] as const;
export type Access = (typeof ACCESS_KINDS)[number];

export type RequestHeader =
  | 'Idempotency-Key'
  | 'X-Kiosk-Id'
  | 'X-Customer-Token'
  | 'If-Match'
  | 'Last-Event-ID';

export type ApiRoute = {
  method: 'get' | 'post' | 'put' | 'delete';
  /** As the router has it: `/tickets/:id`. */
  path: string;
  /** The part of the API, for grouping. */
  tag: Tag;
  summary: string;
  description?: string;
  access: Access;
  /** Served only in demo mode (a 404 otherwise). */
  demoOnly?: true;
  query?: z.ZodObject;
  body?: z.ZodType;
  headers?: RequestHeader[];
  /** The answer on success: JSON of `schema` (a list of them with `list`), or `media` (204: no body). */
  answer: {
    status: 200 | 201 | 204;
    schema: z.ZodType | null;
    list?: true;
    media?: 'text/csv' | 'text/event-stream' | 'application/json';
    description: string;
  };
  /** Other answers that are not refusals, e.g. 204 when nothing can be called. */
  also?: { status: 204 | 503; schema?: z.ZodType; description: string }[];
  /** The route's own refusals by status: their error codes. */
  refusals?: { [status in 400 | 401 | 403 | 404 | 409 | 410 | 429 | 503]?: ErrorCode[] };
};

export const TAGS = {
  queue: 'Tickets, services and counters as everyone sees them, and the live event stream',
  counter: 'The counter terminal: staff act on their counter',
  kiosk: 'The kiosk: identification, appointments, feedback and self-service',
  manager: 'Statistics, notices, the audit log and queue intelligence',
  config: 'The configuration a manager edits live',
  devices: 'Pairing of screens, and the devices page',
  auth: 'Sign-in',
  demo: 'Demo mode only: stand-ins for the outside systems and devices',
  meta: 'This document',
} as const;
export type Tag = keyof typeof TAGS;

/** A counter whose state forbids the action refuses with `counter-<its status>`. */
const counterAction = (
  path: string,
  summary: string,
  answer: ApiRoute['answer'],
  conflicts: ErrorCode[],
  body?: z.ZodType,
): ApiRoute => ({
  method: 'post',
  path: `/counters/:id/${path}`,
  tag: 'counter',
  summary,
  description: 'By the person seated at the counter, or a manager.',
  access: 'person',
  ...(body && { body }),
  answer,
  refusals: { 403: ['not-seated'], 404: ['counter-not-found'], 409: conflicts },
});
const ticketConflicts: ErrorCode[] = ['counter-closed', 'no-current-ticket', 'illegal-transition'];

const ticketAnswer = {
  status: 200,
  schema: answers.ticketAnswer,
  description: 'the ticket after the action',
} as const;
const counterAnswer = { status: 200, schema: answers.counterView, description: 'the counter' } as const;
const configAnswer = {
  status: 200,
  schema: answers.configView,
  description: 'the configuration now in force, with its new version',
} as const;
const configRefusals: ApiRoute['refusals'] = { 409: ['version-conflict', 'reference-conflict'] };
const csv = (what: string): ApiRoute['answer'] => ({
  status: 200,
  schema: null,
  media: 'text/csv',
  description: `${what}: UTF-8 with a BOM, comma-separated, RFC 4180 quoting, an English header row`,
});

export const API_ROUTES: ApiRoute[] = [
  // ---------- sign-in ----------
  {
    method: 'post',
    path: '/auth/login',
    tag: 'auth',
    summary: 'Sign in',
    description:
      'Sets an HttpOnly, SameSite=Strict session cookie. After 10 failures for one username from one address, or 30 from one address, within 15 minutes: 429 with Retry-After.',
    access: 'public',
    body: loginRequest,
    answer: { status: 200, schema: answers.userAnswer, description: 'the signed-in user' },
    refusals: { 401: ['bad-credentials'], 429: ['too-many-attempts'] },
  },
  {
    method: 'post',
    path: '/auth/logout',
    tag: 'auth',
    summary: 'Sign out',
    access: 'person',
    answer: { status: 204, schema: null, description: 'signed out; the cookie is cleared' },
  },
  {
    method: 'get',
    path: '/auth/me',
    tag: 'auth',
    summary: 'Who is signed in',
    access: 'person',
    answer: { status: 200, schema: answers.userAnswer, description: 'the signed-in user' },
  },

  // ---------- the queue, for everyone ----------
  {
    method: 'get',
    path: '/events',
    tag: 'queue',
    summary: 'The live event stream (Server-Sent Events)',
    description:
      'First a `snapshot` event (the hall, its services and counters, the recent calls and the `lastEventId` to resume from), then the hall events as they happen, each with an increasing `id:`: ticket.issued, ticket.called, ticket.recalled, ticket.serving, ticket.finished, ticket.rated, ticket.no-show, ticket.transferred, ticket.cancelled, ticket.print-failed, counter.updated, device.status, notices.updated, hall.configured; with `kioskId`, also the kiosk.id-card and kiosk.scan events addressed to that kiosk. Keep-alive pings are comment lines (`: ping`). `Last-Event-ID` resumes without loss; a resume past the opening day or more than 10,000 events back gets the snapshot alone. Payloads carry ticket numbers, never ticket ids.',
    access: 'public',
    query: z.object({
      kioskId: z.string().optional().describe('a kiosk: its kiosk.id-card and kiosk.scan events too'),
      lastEventId: z.string().optional().describe('resume after this event id (as the header)'),
    }),
    headers: ['Last-Event-ID'],
    answer: {
      status: 200,
      schema: null,
      media: 'text/event-stream',
      description: 'the stream: a snapshot, then events',
    },
    also: [
      {
        status: 503,
        description: 'too many open streams (total or from this address): retry after Retry-After',
      },
    ],
  },
  {
    method: 'get',
    path: '/hall',
    tag: 'queue',
    summary: "The hall's description for screens",
    access: 'public',
    answer: { status: 200, schema: answers.hallInfo, description: 'the hall, its services and counters' },
  },
  {
    method: 'get',
    path: '/services',
    tag: 'queue',
    summary: 'Services with their queues',
    access: 'public',
    answer: { status: 200, schema: answers.serviceSummary, list: true, description: 'every service' },
  },
  {
    method: 'get',
    path: '/counters',
    tag: 'queue',
    summary: 'Counters and what they are doing',
    access: 'public',
    answer: { status: 200, schema: answers.counterView, list: true, description: 'every counter' },
  },
  {
    method: 'get',
    path: '/notices',
    tag: 'queue',
    summary: "The wall display's notices",
    access: 'public',
    answer: { status: 200, schema: answers.notice, list: true, description: 'the notices, in order' },
  },
  {
    method: 'get',
    path: '/health',
    tag: 'queue',
    summary: 'Health of the database and of every device',
    access: 'public',
    answer: {
      status: 200,
      schema: answers.healthAnswer,
      description: 'the hall’s health, always 200: `ok: false` while writes fail',
    },
  },
  {
    method: 'post',
    path: '/tickets',
    tag: 'queue',
    summary: 'Take a ticket',
    description:
      'A tier above regular comes only from an identified customer (`X-Customer-Token`) or staff. The same `Idempotency-Key` answers the same ticket. Printed at the kiosk that asks (its token, or `X-Kiosk-Id` from staff and in demo mode).',
    access: 'kiosk',
    headers: ['Idempotency-Key', 'X-Kiosk-Id', 'X-Customer-Token'],
    body: issueTicketRequest,
    answer: {
      status: 201,
      schema: answers.ticketView,
      description: 'the ticket, waiting (Location: its URL)',
    },
    refusals: {
      401: ['customer-expired'],
      403: ['tier-not-allowed'],
      404: ['service-not-found'],
      409: ['service-closed', 'idempotency-key-reused'],
    },
  },
  {
    method: 'get',
    path: '/tickets/:id',
    tag: 'queue',
    summary: 'A ticket, for whoever holds its id',
    access: 'public',
    answer: { status: 200, schema: answers.ticketView, description: 'the ticket' },
    refusals: { 404: ['ticket-not-found'] },
  },
  {
    method: 'post',
    path: '/tickets/:id/cancel',
    tag: 'queue',
    summary: 'Cancel a ticket, for whoever holds its id',
    access: 'public',
    answer: { status: 200, schema: answers.ticketView, description: 'the cancelled ticket' },
    refusals: { 404: ['ticket-not-found'], 409: ['illegal-transition'] },
  },
  {
    method: 'get',
    path: '/tickets/:id/turn-alert',
    tag: 'queue',
    summary: 'The "your turn is near" text asked for this ticket, if any',
    access: 'public',
    answer: { status: 200, schema: answers.turnAlert, description: 'the request and where it stands' },
    refusals: { 404: ['ticket-not-found'] },
  },
  {
    method: 'post',
    path: '/tickets/:id/turn-alert',
    tag: 'queue',
    summary: 'Ask for a text when 3 people are ahead (the number is held in memory only, masked at rest)',
    access: 'public',
    body: turnAlertRequest,
    answer: { status: 200, schema: answers.turnAlert, description: 'the request, armed' },
    refusals: {
      404: ['ticket-not-found'],
      409: ['ticket-not-waiting', 'turn-already-near'],
      429: ['too-many-requests'],
    },
  },
  {
    method: 'delete',
    path: '/tickets/:id/turn-alert',
    tag: 'queue',
    summary: 'Take the request for a text back',
    access: 'public',
    answer: { status: 200, schema: answers.turnAlert, description: 'the request, gone' },
    refusals: { 404: ['ticket-not-found'] },
  },
  {
    method: 'get',
    path: '/kiosks/:kioskId',
    tag: 'kiosk',
    summary: 'What a kiosk can do, and its devices',
    access: 'public',
    answer: { status: 200, schema: answers.kioskView, description: 'the kiosk' },
    refusals: { 404: ['unknown-kiosk'] },
  },

  // ---------- the counter terminal ----------
  {
    method: 'get',
    path: '/counters/:id/current',
    tag: 'counter',
    summary: 'The counter with its ticket and the identified customer (masked)',
    access: 'person',
    answer: { status: 200, schema: answers.counterDetail, description: 'the counter now' },
    refusals: { 404: ['counter-not-found'] },
  },
  {
    ...counterAction('open', 'Open the counter, seating the signed-in person', counterAnswer, [
      'already-seated',
      'counter-open',
      'counter-paused',
      'counter-serving',
    ]),
    description: 'Seats the signed-in person at the counter (one counter per person at a time).',
    refusals: {
      404: ['counter-not-found'],
      409: ['already-seated', 'counter-open', 'counter-paused', 'counter-serving'],
    },
  },
  counterAction(
    'pause',
    'Pause the counter',
    counterAnswer,
    ['counter-closed', 'counter-paused', 'counter-serving'],
    pauseRequest,
  ),
  counterAction('resume', 'Resume the counter', counterAnswer, [
    'counter-closed',
    'counter-open',
    'counter-serving',
  ]),
  counterAction('close', 'Close the counter', counterAnswer, ['counter-closed', 'counter-serving']),
  {
    ...counterAction(
      'call',
      'Call the next ticket',
      { status: 200, schema: answers.callAnswer, description: 'the ticket called, and why routing chose it' },
      ['counter-closed', 'counter-paused', 'counter-serving'],
    ),
    also: [{ status: 204, description: 'nothing can be served here now' }],
  },
  counterAction('recall', 'Announce the called ticket again', ticketAnswer, ticketConflicts),
  counterAction('start', 'The called customer arrived: serving starts', ticketAnswer, ticketConflicts),
  counterAction('no-show', 'The called customer did not come', ticketAnswer, ticketConflicts),
  counterAction(
    'finish',
    'Finish the ticket at the counter, with its rating if given',
    ticketAnswer,
    ticketConflicts,
    finishRequest,
  ),
  {
    ...counterAction(
      'transfer',
      "Send the counter's ticket to another service, keeping its number",
      ticketAnswer,
      [...ticketConflicts, 'same-service'],
      transferRequest,
    ),
    refusals: {
      403: ['not-seated'],
      404: ['counter-not-found', 'service-not-found'],
      409: [...ticketConflicts, 'same-service'],
    },
  },

  // ---------- the kiosk ----------
  {
    method: 'post',
    path: '/identify/phone',
    tag: 'kiosk',
    summary: 'Send a one-time code to a customer’s phone',
    access: 'kiosk',
    headers: ['X-Kiosk-Id'],
    body: identifyPhoneRequest,
    answer: { status: 200, schema: answers.identifyPhoneAnswer, description: 'the challenge to verify' },
    refusals: { 404: ['not-a-customer'], 429: ['too-many-requests'], 503: ['sms-unavailable'] },
  },
  {
    method: 'post',
    path: '/identify/verify',
    tag: 'kiosk',
    summary: 'Verify the one-time code',
    access: 'public',
    body: identifyVerifyRequest,
    answer: { status: 200, schema: answers.identifyAnswer, description: 'the identified customer, masked' },
    refusals: { 404: ['unknown-challenge'], 409: ['wrong-code'], 410: ['code-expired'] },
  },
  {
    method: 'post',
    path: '/identify/device',
    tag: 'kiosk',
    summary: "Redeem an ID card read or member code scanned at this kiosk's devices",
    access: 'kiosk',
    headers: ['X-Kiosk-Id'],
    body: identifyDeviceRequest,
    answer: { status: 200, schema: answers.identifyAnswer, description: 'the identified customer, masked' },
    refusals: { 404: ['unknown-read', 'not-a-customer'] },
  },
  {
    method: 'get',
    path: '/appointments/slots',
    tag: 'kiosk',
    summary: 'Slots of a day still open to booking',
    access: 'public',
    query: appointmentSlotsQuery,
    answer: {
      status: 200,
      schema: answers.appointmentSlots,
      description: 'the open slots and bookable days',
    },
    refusals: { 404: ['service-not-found'] },
  },
  {
    method: 'post',
    path: '/appointments',
    tag: 'kiosk',
    summary: 'Book an appointment (the code is also sent by SMS)',
    access: 'public',
    body: bookAppointmentRequest,
    answer: { status: 201, schema: answers.appointmentAnswer, description: 'the appointment and its code' },
    refusals: {
      404: ['service-not-found'],
      409: ['slot-unavailable', 'slot-full', 'too-many-appointments'],
      429: ['too-many-requests'],
    },
  },
  {
    method: 'post',
    path: '/appointments/check-in',
    tag: 'kiosk',
    summary: 'Check in an appointment: a priority ticket, printed at this kiosk',
    access: 'kiosk',
    headers: ['X-Kiosk-Id', 'Idempotency-Key'],
    body: checkInRequest,
    answer: { status: 201, schema: answers.ticketView, description: 'the appointment ticket' },
    refusals: {
      404: ['unknown-appointment', 'unknown-read'],
      409: ['too-early', 'too-late', 'already-checked-in', 'idempotency-key-reused'],
    },
  },
  {
    method: 'post',
    path: '/feedback',
    tag: 'kiosk',
    summary: 'File feedback or a complaint (with a complaints ticket if asked)',
    access: 'kiosk',
    headers: ['X-Kiosk-Id', 'X-Customer-Token'],
    body: feedbackRequest,
    answer: { status: 201, schema: answers.feedbackAnswer, description: 'the reference to quote' },
    refusals: { 404: ['unknown-kiosk'], 409: ['no-complaints-service'] },
  },
  {
    method: 'get',
    path: '/self-service/account',
    tag: 'kiosk',
    summary: "The identified customer's balance, bill and usage",
    access: 'customer',
    headers: ['X-Kiosk-Id'],
    answer: { status: 200, schema: answers.accountSummary, description: 'the account' },
    refusals: { 404: ['not-a-customer'] },
  },
  {
    method: 'get',
    path: '/self-service/packs',
    tag: 'kiosk',
    summary: 'Add-on packs the customer can buy',
    access: 'customer',
    headers: ['X-Kiosk-Id'],
    answer: { status: 200, schema: answers.addOnPack, list: true, description: 'the packs' },
  },
  {
    method: 'post',
    path: '/self-service/orders',
    tag: 'kiosk',
    summary: "Top up, pay the bill (at this kiosk's payment terminal) or buy a pack",
    description:
      'The `Idempotency-Key` is required: the same key answers the same order, so money is never taken twice.',
    access: 'customer',
    headers: ['Idempotency-Key', 'X-Kiosk-Id'],
    body: orderRequest,
    answer: { status: 201, schema: answers.order, description: 'the order; poll it while awaiting payment' },
    refusals: {
      404: ['unknown-pack'],
      409: ['bill-already-paid', 'insufficient-balance', 'payment-unavailable', 'idempotency-key-reused'],
    },
  },
  {
    method: 'get',
    path: '/self-service/orders/:id',
    tag: 'kiosk',
    summary: 'An order and its payment',
    access: 'customer',
    answer: { status: 200, schema: answers.order, description: 'the order' },
    refusals: { 404: ['order-not-found'] },
  },
  {
    method: 'post',
    path: '/self-service/orders/:id/cancel',
    tag: 'kiosk',
    summary: 'Cancel an order at the payment terminal',
    access: 'customer',
    answer: { status: 200, schema: answers.order, description: 'the order' },
    refusals: { 404: ['order-not-found'], 409: ['already-paid'] },
  },
  {
    method: 'post',
    path: '/self-service/invoices',
    tag: 'kiosk',
    summary: 'Print the invoice of a billing period at this kiosk',
    access: 'customer',
    headers: ['X-Kiosk-Id'],
    body: invoiceRequest,
    answer: { status: 200, schema: answers.invoiceAnswer, description: 'how the print went' },
    refusals: { 404: ['unknown-period'] },
  },

  // ---------- the manager ----------
  {
    method: 'get',
    path: '/queue/breaches',
    tag: 'manager',
    summary: 'Waiting tickets forecast to miss their wait target, per service',
    access: 'manager',
    answer: { status: 200, schema: answers.predictedBreach, list: true, description: 'per service' },
  },
  {
    method: 'put',
    path: '/notices',
    tag: 'manager',
    summary: "Replace the wall display's notices",
    description: 'The whole list, up to 2.5 MB (images as data: URLs); every other body is limited to 64 KB.',
    access: 'manager',
    body: noticesRequest,
    answer: { status: 200, schema: answers.notice, list: true, description: 'the notices now' },
  },
  {
    method: 'get',
    path: '/audit',
    tag: 'manager',
    summary: 'The audit log of a date range, newest first',
    access: 'manager',
    query: dateRangeQuery,
    answer: {
      status: 200,
      schema: answers.auditPage,
      description: 'at most 1,000 entries, `truncated` if the range held more',
    },
  },
  {
    method: 'get',
    path: '/audit.csv',
    tag: 'manager',
    summary: 'The whole audit log of a date range, as CSV',
    access: 'manager',
    query: dateRangeQuery,
    answer: csv('every entry of the range'),
  },
  {
    method: 'get',
    path: '/stats/summary',
    tag: 'manager',
    summary: 'Figures of a date range',
    access: 'manager',
    query: dateRangeQuery,
    answer: {
      status: 200,
      schema: answers.statsSummary,
      description: 'the figures, by service, counter and hour',
    },
  },
  {
    method: 'get',
    path: '/stats/series',
    tag: 'manager',
    summary: 'Figures per day, week or month',
    access: 'manager',
    query: dateRangeQuery.extend(periodQuery.shape),
    answer: { status: 200, schema: answers.statsSeries, description: 'one point per period' },
  },
  {
    method: 'get',
    path: '/stats/breakdown',
    tag: 'manager',
    summary: 'Figures by staff and weekday, arrivals by hour, ratings',
    access: 'manager',
    query: dateRangeQuery,
    answer: { status: 200, schema: answers.statsBreakdown, description: 'the breakdown' },
  },
  {
    method: 'get',
    path: '/stats/staffing',
    tag: 'manager',
    summary: 'Counters needed per weekday and opening hour (Erlang C)',
    access: 'manager',
    query: dateRangeQuery,
    answer: { status: 200, schema: answers.staffingAdvice, description: 'the advice' },
  },
  {
    method: 'get',
    path: '/stats/tickets.csv',
    tag: 'manager',
    summary: 'Every ticket of a date range, as CSV',
    access: 'manager',
    query: dateRangeQuery,
    answer: csv('one row per ticket'),
  },
  {
    method: 'get',
    path: '/routing/why',
    tag: 'manager',
    summary: 'Why a ticket was called when it was (and after another)',
    access: 'manager',
    query: routingWhyQuery,
    answer: {
      status: 200,
      schema: answers.routingWhyAnswer,
      description: 'the ticket’s calls and their rules',
    },
    refusals: { 404: ['ticket-not-found'] },
  },
  {
    method: 'get',
    path: '/feedback',
    tag: 'manager',
    summary: 'The latest 200 feedback entries, newest first',
    access: 'manager',
    answer: { status: 200, schema: answers.feedbackEntry, list: true, description: 'the feedback' },
  },

  // ---------- configuration ----------
  {
    method: 'get',
    path: '/config',
    tag: 'config',
    summary: 'The configuration in force and the accounts',
    description: 'The `ETag` is the version, for `If-Match` on a change.',
    access: 'manager',
    answer: { status: 200, schema: answers.configView, description: 'the configuration' },
  },
  {
    method: 'put',
    path: '/config/services',
    tag: 'config',
    summary: 'Replace the services',
    access: 'manager',
    headers: ['If-Match'],
    body: servicesRequest,
    answer: configAnswer,
    refusals: { 409: ['version-conflict', 'service-in-use', 'reference-conflict'] },
  },
  {
    method: 'put',
    path: '/config/counters',
    tag: 'config',
    summary: 'Replace the counters',
    access: 'manager',
    headers: ['If-Match'],
    body: countersRequest,
    answer: configAnswer,
    refusals: { 409: ['version-conflict', 'counter-in-use', 'reference-conflict'] },
  },
  {
    method: 'put',
    path: '/config/devices',
    tag: 'config',
    summary: 'Replace the serial devices; they are re-wired at once',
    access: 'manager',
    headers: ['If-Match'],
    body: devicesRequest,
    answer: configAnswer,
    refusals: configRefusals,
  },
  {
    method: 'put',
    path: '/config/printer',
    tag: 'config',
    summary: "Change the ticket printer's connection; it is connected at once",
    access: 'manager',
    headers: ['If-Match'],
    body: printerRequest,
    answer: configAnswer,
    refusals: configRefusals,
  },
  {
    method: 'post',
    path: '/config/staff',
    tag: 'config',
    summary: 'Add a person; the password is shown once',
    access: 'manager',
    body: createStaffRequest,
    answer: { status: 201, schema: answers.staffPassword, description: 'the person and their password' },
    refusals: { 409: ['username-taken'] },
  },
  {
    method: 'put',
    path: '/config/staff/:id',
    tag: 'config',
    summary: 'Rename, change the role of, or disable a person',
    access: 'manager',
    body: updateStaffRequest,
    answer: { status: 200, schema: answers.staffMember, description: 'the person' },
    refusals: { 404: ['user-not-found'], 409: ['last-manager', 'staff-seated'] },
  },
  {
    method: 'post',
    path: '/config/staff/:id/reset-password',
    tag: 'config',
    summary: "Reset a person's password (their sessions end); shown once",
    access: 'manager',
    answer: { status: 200, schema: answers.staffPassword, description: 'the person and their new password' },
    refusals: { 404: ['user-not-found'] },
  },

  // ---------- pairing and devices ----------
  {
    method: 'post',
    path: '/pairing/requests',
    tag: 'devices',
    summary: 'A screen asks to be paired: show the code, then poll',
    access: 'public',
    answer: { status: 201, schema: answers.pairingTicket, description: 'the code to show' },
    refusals: { 429: ['too-many-pairing-requests'] },
  },
  {
    method: 'get',
    path: '/pairing/requests',
    tag: 'devices',
    summary: 'Pairing codes waiting for a manager',
    access: 'manager',
    answer: { status: 200, schema: answers.pairingRequestView, list: true, description: 'the requests' },
  },
  {
    method: 'get',
    path: '/pairing/requests/:id',
    tag: 'devices',
    summary: 'Whether the screen was paired; the token comes once',
    access: 'public',
    answer: { status: 200, schema: answers.pairingStatus, description: 'pending, or paired with the token' },
    refusals: { 404: ['pairing-request-not-found'] },
  },
  {
    method: 'post',
    path: '/pairing/requests/:id/approve',
    tag: 'devices',
    summary: 'Pair the screen showing this code as a kiosk or display',
    access: 'manager',
    body: approveRequest,
    answer: { status: 200, schema: answers.deviceTokenView, description: 'the token made (not its secret)' },
    refusals: { 404: ['pairing-request-not-found'], 409: ['already-paired'] },
  },
  {
    method: 'get',
    path: '/devices/tokens',
    tag: 'devices',
    summary: 'Tokens of paired screens',
    access: 'manager',
    answer: { status: 200, schema: answers.deviceTokenView, list: true, description: 'the tokens' },
  },
  {
    method: 'delete',
    path: '/devices/tokens/:id',
    tag: 'devices',
    summary: "Revoke a screen's token",
    access: 'manager',
    answer: { status: 204, schema: null, description: 'revoked' },
    refusals: { 404: ['device-token-not-found'] },
  },
  {
    method: 'get',
    path: '/devices/me',
    tag: 'devices',
    summary: 'Who this screen is paired as',
    access: 'screen',
    answer: { status: 200, schema: answers.pairedDevice, description: 'the screen' },
    refusals: { 401: ['unpaired'] },
  },
  {
    method: 'get',
    path: '/devices',
    tag: 'devices',
    summary: "Every device's health (and in the demo, the last tickets printed)",
    access: 'manager',
    answer: { status: 200, schema: answers.devicesAnswer, description: 'the devices' },
  },

  // ---------- demo mode ----------
  {
    method: 'get',
    path: '/sms/outbox',
    tag: 'demo',
    summary: 'Text messages the demo hall would have sent',
    access: 'manager',
    demoOnly: true,
    answer: { status: 200, schema: answers.smsOutboxMessage, list: true, description: 'newest first' },
  },
  {
    method: 'post',
    path: '/demo/payment',
    tag: 'demo',
    summary: 'How the simulated payment terminal answers the next payment',
    access: 'manager',
    demoOnly: true,
    body: demoPaymentRequest,
    answer: { status: 200, schema: answers.demoPaymentAnswer, description: 'the outcome set' },
    refusals: { 409: ['payment-not-simulated'] },
  },
  {
    method: 'post',
    path: '/demo/kiosks/:kioskId/id-card',
    tag: 'demo',
    summary: "As if the kiosk's ID card reader had read this card",
    access: 'manager',
    demoOnly: true,
    body: demoIdCardRequest,
    answer: {
      status: 201,
      schema: answers.demoReadAnswer,
      description: 'the read, as the kiosk hears of it',
    },
  },
  {
    method: 'post',
    path: '/demo/kiosks/:kioskId/scan',
    tag: 'demo',
    summary: "As if the kiosk's scanner had read this code",
    access: 'manager',
    demoOnly: true,
    body: demoScanRequest,
    answer: {
      status: 201,
      schema: answers.demoReadAnswer,
      description: 'the read, as the kiosk hears of it',
    },
  },
  {
    method: 'post',
    path: '/demo/devices/:id',
    tag: 'demo',
    summary: 'Act as a customer or staff at a simulated device',
    access: 'manager',
    demoOnly: true,
    body: simulatedAction,
    answer: { status: 200, schema: answers.demoDeviceAnswer, description: 'done' },
    refusals: { 409: ['not-simulated'] },
  },

  // ---------- this document ----------
  {
    method: 'get',
    path: '/openapi.json',
    tag: 'meta',
    summary: 'This document: API v1 as OpenAPI 3.1',
    access: 'public',
    answer: { status: 200, schema: null, media: 'application/json', description: 'the OpenAPI document' },
  },
];
