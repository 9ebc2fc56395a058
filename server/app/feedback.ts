/**
 * Feedback and complaints (客户争议): stored with a reference the customer can quote, linked to the
 * identified customer (masked number and BSS reference, for the manager's call-back) and, when the
 * customer wants one, to a ticket for the complaints service issued through the hall's command path.
 */
import type { Lang } from '../contract/api.ts';
import type { FeedbackAnswer, FeedbackEntry, FeedbackRequest } from '../contract/kiosk.ts';
import { localTime } from '../domain/hall-time.ts';
import { type Outcome, ok, refusal } from './command-path.ts';
import type { CustomerSession } from './identify.ts';
import { type KioskDeps, newId } from './kiosk-common.ts';

type FeedbackRow = {
  id: string;
  reference: string;
  kind: FeedbackEntry['kind'];
  topics: string;
  lang: Lang;
  kiosk_id: string | null;
  phone_masked: string | null;
  ticket_number: string | null;
  created_at: number;
};

export type Feedback = ReturnType<typeof createFeedback>;

export function createFeedback(deps: KioskDeps) {
  const { db, clock, config, hall } = deps;
  const complaintsServiceId =
    config.complaintsServiceId ?? (config.services.some((s) => s.id === 'complaints') ? 'complaints' : null);
  const st = {
    countToday: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM feedback WHERE day = ?'),
    insert: db.prepare(
      `INSERT INTO feedback(id, reference, day, kind, topics, lang, kiosk_id, customer_ref, phone_masked, created_at)
       VALUES (@id, @reference, @day, @kind, @topics, @lang, @kioskId, @customerRef, @phoneMasked, @now)`,
    ),
    linkTicket: db.prepare('UPDATE feedback SET ticket_id = ? WHERE id = ?'),
    latest: db.prepare<[number], FeedbackRow>(
      `SELECT f.*, t.number AS ticket_number FROM feedback f LEFT JOIN tickets t ON t.id = f.ticket_id
       ORDER BY f.created_at DESC, f.rowid DESC LIMIT ?`,
    ),
  };

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
      const n = st.countToday.get(day)!.n + 1;
      const ref = `FB-${day.slice(5, 7)}${day.slice(8, 10)}-${String(n).padStart(3, '0')}`;
      st.insert.run({
        id,
        reference: ref,
        day,
        kind: request.kind,
        topics: JSON.stringify(request.topics),
        lang: request.lang,
        kioskId: context.kioskId ?? null,
        customerRef: context.customer?.customerRef ?? null,
        phoneMasked: context.customer?.maskedPhone ?? null,
        now,
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
        st.linkTicket.run(issued.value.id, id);
        answer.ticket = issued.value;
      } else deps.log({ msg: 'complaint ticket refused', code: issued.code });
    }
    return ok(answer);
  }

  function list(limit = 200): FeedbackEntry[] {
    return st.latest.all(limit).map((r) => ({
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
