import { describe, expect, it } from 'vitest';
import { HALL_MORNING, ok, testHall } from '../../tests/helpers/test-hall.ts';
import { MINUTE } from '../domain/clock.ts';
import { createHqLinkRepository } from './hq-link.ts';

describe('the HQ link rows', () => {
  it('moves the cursor, holds a catalogue until it is applied', () => {
    const link = createHqLinkRepository(testHall().db);
    expect(link.link()).toEqual({
      acked_through: 0,
      acked_at: null,
      catalogue_version: null,
      pending_catalogue: null,
      pending_day: null,
    });
    link.ack(12, HALL_MORNING);
    link.holdCatalogue('{"version":3}', '2026-11-25');
    expect(link.link()).toMatchObject({
      acked_through: 12,
      acked_at: HALL_MORNING,
      pending_day: '2026-11-25',
    });
    link.catalogueApplied(3);
    expect(link.link()).toMatchObject({ catalogue_version: 3, pending_catalogue: null, pending_day: null });
  });

  it('pages the event log oldest first, each ticket event with its ticket’s times', () => {
    const { db, hall, clock } = testHall();
    const link = createHqLinkRepository(db);
    expect([link.newestEvent(), link.firstEventAfter(0), link.anyTicketOn('2026-11-25')]).toEqual([
      0,
      undefined,
      false,
    ]);
    const first = ok(hall.issueTicket({ serviceId: 'general', channel: 'reception' }));
    clock.advance(MINUTE);
    ok(hall.issueTicket({ serviceId: 'general', channel: 'reception' }));
    const events = link.eventsAfter(0, 10);
    expect(events.map((e) => [e.type, e.day, e.hour, e.issued_at, e.first_called_at])).toEqual([
      ['ticket.issued', '2026-11-25', 10, HALL_MORNING, null],
      ['ticket.issued', '2026-11-25', 10, HALL_MORNING + MINUTE, null],
    ]);
    expect(JSON.parse(events[0]!.payload).ticket.number).toBe(first.number);
    expect(link.eventsAfter(events[0]!.id, 10).map((e) => e.id)).toEqual([events[1]!.id]);
    expect(link.eventsAfter(0, 1)).toHaveLength(1);
    expect(link.newestEvent()).toBe(events[1]!.id);
    expect(link.firstEventAfter(events[0]!.id)).toBe(HALL_MORNING + MINUTE);
    expect(link.anyTicketOn('2026-11-25')).toBe(true);
  });
});
