import { describe, expect, it } from 'vitest';
import { HALL_MORNING, ok, testHall } from '../../tests/helpers/test-hall.ts';
import { createFeedbackRepository } from './feedback.ts';

const filed = (id: string, day: string, createdAt: number) => ({
  id,
  reference: `FB-${id}`,
  day,
  kind: 'complaint' as const,
  topics: '["wait"]',
  lang: 'zh' as const,
  kiosk_id: 'k1',
  customer_ref: null,
  phone_masked: null,
  created_at: createdAt,
});

describe('the feedback rows', () => {
  it('counts a day, and lists the newest first with the number of the ticket a complaint came with', () => {
    const h = testHall();
    const rows = createFeedbackRepository(h.db);
    rows.add(filed('a', '2026-11-24', HALL_MORNING - 86_400_000));
    rows.add(filed('b', '2026-11-25', HALL_MORNING));
    rows.add(filed('c', '2026-11-25', HALL_MORNING));
    const ticket = ok(h.hall.issueTicket({ serviceId: 'general' }));
    rows.linkTicket('b', ticket.id);
    expect(rows.countOnDay('2026-11-25')).toBe(2);
    expect(rows.countOnDay('2026-11-23')).toBe(0);
    // Filed in the same millisecond: the later filed is the newer.
    expect(rows.latest(10).map((r) => [r.id, r.ticket_id, r.ticket_number])).toEqual([
      ['c', null, null],
      ['b', ticket.id, ticket.number],
      ['a', null, null],
    ]);
    expect(rows.latest(1).map((r) => r.id)).toEqual(['c']);
  });
});
