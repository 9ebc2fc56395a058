/**
 * Feedback and complaints (客户争议): stored with a reference the customer can quote, linked to the
 * identified customer (masked number and BSS reference, for the manager's call-back) and, when the
 * customer wants one, to a ticket for the complaints service issued through the hall's command path.
 */
import type { FeedbackAnswer, FeedbackEntry, FeedbackRequest } from '../contract/kiosk.ts';
import { createFeedbackRepository } from '../db/feedback.ts';
import { localTime } from '../domain/hall-time.ts';
import { type Outcome, ok, refusal } from './command-path.ts';
import type { CustomerSession } from './identify.ts';
import { type KioskDeps, newId } from './kiosk-common.ts';

export type Feedback = ReturnType<typeof createFeedback>;

export function createFeedback(deps: KioskDeps) {
  const { db, clock, config, hall } = deps;
  const complaintsServiceId =
    config.complaintsServiceId ?? (config.services.some((s) => s.id === 'complaints') ? 'complaints' : null);
  const rows = createFeedbackRepository(db);

  function file(
    request: FeedbackRequest,
    context: { kioskId?: string; customer: CustomerSession | null },
  ): Outcome<FeedbackAnswer> {
    if (request.ticket && request.kind !== 'complaint')
      return refusal(
        400,
        'invalid-request',
        'invalid body: body.ticket: only a complaint comes with a ticket',
      );
    if (request.ticket && complaintsServiceId === null)
      return refusal(
        409,
        'no-complaints-service',
        'this hall has no complaints service to take a ticket for',
      );
    const now = clock.now();
    const day = localTime(now, config.timeZone).day;
    const id = newId();
    const reference = db.transaction(() => {
      const n = rows.countOnDay(day) + 1;
      const ref = `FB-${day.slice(5, 7)}${day.slice(8, 10)}-${String(n).padStart(3, '0')}`;
      rows.add({
        id,
        reference: ref,
        day,
        kind: request.kind,
        topics: JSON.stringify(request.topics),
        lang: request.lang,
        kiosk_id: context.kioskId ?? null,
        customer_ref: context.customer?.customerRef ?? null,
        phone_masked: context.customer?.maskedPhone ?? null,
        created_at: now,
      });
      return ref;
    })();
    const answer: FeedbackAnswer = { id, reference };
    if (request.ticket && complaintsServiceId) {
      // The complaint is filed whatever happens to the ticket; an answer without `ticket` says none came.
      const issued = hall.issueTicket(
        { serviceId: complaintsServiceId, channel: 'kiosk', lang: request.lang },
        { kioskId: context.kioskId, tier: context.customer?.tier },
      );
      if (issued.ok) {
        rows.linkTicket(id, issued.value.id);
        answer.ticket = issued.value;
      } else deps.log({ msg: 'complaint ticket refused', code: issued.code });
    }
    return ok(answer);
  }

  function list(limit = 200): FeedbackEntry[] {
    return rows.latest(limit).map((r) => ({
      id: r.id,
      reference: r.reference,
      kind: r.kind,
      topics: JSON.parse(r.topics) as FeedbackEntry['topics'],
      lang: r.lang,
      kioskId: r.kiosk_id,
      maskedPhone: r.phone_masked,
      ticketNumber: r.ticket_number,
      at: new Date(r.created_at).toISOString(),
    }));
  }

  return { file, list, complaintsServiceId };
}
