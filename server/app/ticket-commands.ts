/**
 * The commands of a ticket's holder and of its paper: issuing (with its group commit and idempotency
 * keys), printing after the answer, cancelling, and the rating pad's answer after the finish.
 */
import { randomBytes } from 'node:crypto';
import type { IssueTicketRequest, RatingInput, TicketView, Tier } from '../contract/api.ts';
import type { DailyNumberRepository } from '../db/daily-numbers.ts';
import type { IdempotencyKeyRepository } from '../db/idempotency-keys.ts';
import type { TicketRepository } from '../db/tickets.ts';
import { type Clock, MINUTE } from '../domain/clock.ts';
import { localTime } from '../domain/hall-time.ts';
import { formatTicketNumber } from '../domain/numbering.ts';
import { hashPhone, maskPhone, sha256 } from '../integrations/privacy.ts';
import { type CommandPath, type Outcome, refuse, type Tx } from './command-path.ts';
import type { ConfigMaps } from './hall-config.ts';
import type { LiveEta } from './hall-eta.ts';
import { type HallViews, publicTicket } from './hall-views.ts';
import { lineGroupOf, type QueueMoves } from './queue-moves.ts';
import type { WaitingCounts } from './waiting-counts.ts';

/** What the printer side effect needs: plain data, laid out by the hardware. */
export type TicketPrintData = {
  kioskId: string | null;
  number: string;
  hallName: { zh: string; en: string };
  serviceName: { zh: string; en: string };
  peopleAhead: number;
  etaMinutes: number;
  issuedAt: number;
  timeZone: string;
  trackUrl: string;
};

export type PrintTicket = (data: TicketPrintData) => Promise<{ ok: true } | { ok: false; problem: string }>;

export type IssueContext = {
  kioskId?: string;
  idempotencyKey?: string;
  tier?: Tier;
  /** The customer the kiosk identified: masked data and the BSS id only. */
  customer?: { ref: string | null; maskedName: string; maskedPhone: string | null };
};

export type TicketCommandsDeps = {
  clock: Clock;
  setup: ConfigMaps;
  /** The hall's runners: the day's sweep first, its memory settled after (hall.ts). */
  run: CommandPath['run'];
  runSoon: CommandPath['runSoon'];
  /** For writes after the answer (print results). */
  later: CommandPath['later'];
  tickets: TicketRepository;
  dailyNumbers: DailyNumberRepository;
  idempotencyKeys: IdempotencyKeyRepository;
  moves: QueueMoves;
  views: HallViews;
  waitingCounts: WaitingCounts;
  liveEta: LiveEta;
  /** The hall's salt for phone hashes. */
  salt: string;
  /** Absent: tickets are not printed. */
  printTicket?: PrintTicket;
};

export function createTicketCommands(deps: TicketCommandsDeps) {
  const { clock, setup, tickets, views } = deps;

  function issueTicket(request: IssueTicketRequest, context: IssueContext = {}): Outcome<TicketView> {
    return deps.run('issue-ticket', (tx) => issueBody(tx, request, context));
  }

  /**
   * Issues a ticket with the others asked for in the same turn of the event loop: one transaction and
   * one durable commit for all of them (a group commit), each its own savepoint.
   */
  function issueTicketSoon(
    request: IssueTicketRequest,
    context: IssueContext = {},
  ): Promise<Outcome<TicketView>> {
    return deps.runSoon('issue-ticket', (tx) => issueBody(tx, request, context));
  }

  function issueBody(tx: Tx, request: IssueTicketRequest, context: IssueContext): TicketView {
    const requestHash = context.idempotencyKey
      ? sha256(JSON.stringify([request, context.kioskId ?? null]))
      : '';
    if (context.idempotencyKey) {
      const seen = deps.idempotencyKeys.find(context.idempotencyKey);
      if (seen) {
        if (seen.requestHash !== requestHash)
          refuse(409, 'idempotency-key-reused', 'this Idempotency-Key was used for a different request');
        return views.ticketView(tickets.get(seen.ticketId)!);
      }
    }
    const service = setup.services.get(request.serviceId);
    if (!service) refuse(404, 'service-not-found', `no service ${request.serviceId}`);
    const now = clock.now();
    if (!setup.isServiceOpen(service, now)) refuse(409, 'service-closed', `${service.name.en} is closed now`);
    const { config } = setup;
    const local = localTime(now, config.timeZone);
    const sequence = deps.dailyNumbers.next(local.day, service.prefix);
    const channel = request.channel ?? 'kiosk';
    // An appointment checked in at a kiosk prints there too.
    const atKiosk = channel === 'kiosk' || (channel === 'appointment' && context.kioskId !== undefined);
    const willPrint = atKiosk && deps.printTicket !== undefined;
    const id = randomBytes(16).toString('base64url');
    const phone = request.customer?.phone;
    tickets.insert({
      id,
      day: local.day,
      hour: local.hour,
      weekday: local.weekday,
      number: formatTicketNumber(service.prefix, sequence),
      serviceId: service.id,
      tier:
        context.tier ?? (channel === 'appointment' ? 'appointment' : (request.customer?.tier ?? 'regular')),
      channel,
      lang: request.lang ?? 'zh',
      issuedAt: now,
      phoneHash: phone ? hashPhone(deps.salt, phone) : null,
      phoneMasked: phone ? maskPhone(phone) : (context.customer?.maskedPhone ?? null),
      customerRef: context.customer?.ref ?? null,
      customerNameMasked: context.customer?.maskedName ?? null,
      kioskId: context.kioskId ?? null,
      printState: willPrint ? 'pending' : 'none',
    });
    if (context.idempotencyKey) deps.idempotencyKeys.remember(context.idempotencyKey, requestHash, id, now);
    const row = tickets.get(id)!;
    deps.waitingCounts.join(lineGroupOf(row));
    tx.record('ticket.issued', { ticket: publicTicket(row) }, { ticketId: id });
    const view = views.ticketView(row, tx);
    if (willPrint)
      // Laid out once its group has committed, with the forecast made then.
      tx.afterCommit(
        () =>
          void printIssued(id, {
            kioskId: row.kiosk_id,
            number: row.number,
            hallName: config.name,
            serviceName: service.name,
            peopleAhead: view.position - 1,
            etaMinutes: view.etaMinutes,
            issuedAt: now,
            timeZone: config.timeZone,
            trackUrl: (config.publicUrl ?? '') + view.trackUrl,
          }),
      );
    return view;
  }

  /** The print job runs after the 201; its outcome is recorded on the ticket and, on failure, announced. */
  async function printIssued(ticketId: string, data: TicketPrintData): Promise<void> {
    const result = await deps.printTicket!(data).catch((error: unknown) => ({
      ok: false as const,
      problem: error instanceof Error ? error.message : String(error),
    }));
    // The answer is long gone: a write that fails now (a full disk) waits and is retried, never thrown.
    deps.later('print-result', (tx) => {
      tickets.printResult(ticketId, result);
      if (!result.ok) {
        const row = tickets.get(ticketId)!;
        tx.record(
          'ticket.print-failed',
          { ticket: publicTicket(row), kioskId: row.kiosk_id, problem: result.problem },
          { ticketId, reason: result.problem },
        );
      }
    });
  }

  function cancelTicket(id: string): Outcome<TicketView> {
    return deps.run('cancel-ticket', (tx) => {
      const row = tickets.get(id);
      if (!row) refuse(404, 'ticket-not-found', 'no such ticket');
      if (row.status === 'cancelled') return views.ticketView(row); // cancelling twice is harmless
      const next = deps.moves.moveTicket(row, { action: 'cancel', finishedAt: clock.now() });
      if (row.status === 'waiting') deps.liveEta.waited((clock.now() - row.issued_at) / MINUTE, true);
      tx.record(
        'ticket.cancelled',
        { ticket: publicTicket(next), reason: 'holder' },
        { ticketId: id, reason: 'holder' },
      );
      return views.ticketView(next);
    });
  }

  /**
   * A rating pad's answer for the ticket just finished at its counter. Ratings arrive after the finish
   * (the customer presses the pad as they leave), so the latest finished ticket with that number wins.
   */
  function rateFinished(counterId: string, number: string, rating: RatingInput): Outcome<TicketView> {
    return deps.run('rate', (tx) => {
      const row = tickets.latestFinished(counterId, number);
      if (!row) refuse(404, 'ticket-not-found', `no finished ticket ${number} at counter ${counterId}`);
      const { score, dimensions } = ratingColumns(rating);
      tickets.rated(row.id, score, dimensions);
      tx.record(
        'ticket.rated',
        { ticket: publicTicket(row), rating: score },
        { ticketId: row.id, counterId, reason: 'rating-pad' },
      );
      return views.ticketView(tickets.get(row.id)!);
    });
  }

  return { issueTicket, issueTicketSoon, cancelTicket, rateFinished };
}

/** A rating as stored: its score, and its SERVQUAL dimensions as JSON when given. */
export function ratingColumns(rating: RatingInput): { score: number; dimensions: string | null } {
  return {
    score: typeof rating === 'number' ? rating : rating.score,
    dimensions: typeof rating === 'object' && rating.dimensions ? JSON.stringify(rating.dimensions) : null,
  };
}
