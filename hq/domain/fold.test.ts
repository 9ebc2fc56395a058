import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HqEvent } from '../../server/contract/hq.ts';
import { cellKey, DayFold, type DecodedEvent, decodeEvent, type TicketEvent } from './fold.ts';

const at = (minute: number) =>
  `2026-11-25T${String(9 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00.000+08:00`;

/** A ticket's life as the sender ships it: issued at 09:00, called, transferred, called, served, rated. */
function lifeOf(number: string, first: number): HqEvent[] {
  const ticket = (serviceId: string, counterId: string | null) => ({
    number,
    serviceId,
    tier: 'regular',
    counterId,
  });
  const facts = (more: Record<string, unknown> = {}) => ({
    day: '2026-11-25',
    hour: 9,
    issuedAt: at(0),
    waitTargetMinutes: 15,
    ...more,
  });
  const called = { firstCalledAt: at(12) };
  return [
    {
      seq: first,
      at: at(0),
      type: 'ticket.issued',
      data: { ticket: ticket('general', null), facts: facts() },
    },
    {
      seq: first + 1,
      at: at(12),
      type: 'ticket.called',
      data: { ticket: ticket('general', '1'), facts: facts(called) },
    },
    {
      seq: first + 2,
      at: at(14),
      type: 'ticket.transferred',
      data: { ticket: ticket('payments', null), fromServiceId: 'general', facts: facts(called) },
    },
    {
      seq: first + 3,
      at: at(20),
      type: 'ticket.called',
      data: { ticket: ticket('payments', '2'), facts: facts(called) },
    },
    {
      seq: first + 4,
      at: at(21),
      type: 'ticket.serving',
      data: { ticket: ticket('payments', '2'), facts: facts(called) },
    },
    {
      seq: first + 5,
      at: at(27),
      type: 'ticket.finished',
      data: {
        ticket: ticket('payments', '2'),
        rating: null,
        facts: facts({ ...called, servingAt: at(21), finishedAt: at(27) }),
      },
    },
    {
      seq: first + 6,
      at: at(28),
      type: 'ticket.rated',
      data: {
        ticket: ticket('payments', '2'),
        rating: 4,
        facts: facts({ ...called, servingAt: at(21), finishedAt: at(27) }),
      },
    },
  ];
}

const figuresOf = (events: HqEvent[]) => {
  const fold = new DayFold();
  for (const e of events) {
    const d = decodeEvent(1, e);
    if (d.kind === 'ticket') fold.apply(d);
  }
  const f = fold.figures();
  return {
    all: f.all.figures('all'),
    rating: f.all.ratings.figures('all').avg,
    cells: [...f.cells].map(([k, g]) => [k, g.figures(k)]).sort(),
    counters: [...f.counters].map(([k, g]) => [k, g.figures(k)]).sort(),
    open: f.openTickets,
  };
};

describe('folding a hall day’s events', () => {
  it('counts a ticket where it ended, with its first call’s wait, its serving time and its last rating', () => {
    const f = figuresOf(lifeOf('A001', 1));
    expect(f.all).toMatchObject({
      tickets: 1,
      served: 1,
      waitMinutes: { avg: 12, p50: 12, p90: 12 },
      serviceMinutes: { avg: 6, p50: 6, p90: 6 },
      withinTargetPct: 100,
    });
    expect(f.rating).toBe(4);
    expect(f.cells.map(([k]) => k)).toEqual([cellKey('payments', 9)]);
    expect(f.counters.map(([k]) => k)).toEqual(['2']);
    expect(f.open).toBe(0);
  });

  it('gives the same figures whatever order the events came in, and however often', () => {
    const events = [...lifeOf('A001', 1), ...lifeOf('A002', 8), ...lifeOf('B001', 15).slice(0, 3)];
    const expected = figuresOf(events);
    expect(expected.open).toBe(1);
    fc.assert(
      fc.property(
        fc.shuffledSubarray(events, { minLength: events.length }),
        fc.array(fc.nat(events.length - 1)),
        (shuffled, again) => {
          expect(figuresOf([...shuffled, ...again.map((i) => events[i]!)])).toEqual(expected);
        },
      ),
    );
  });

  it('sends what it cannot read to quarantine, with the reason', () => {
    const [issued] = lifeOf('A001', 1);
    const reason = (d: DecodedEvent) => (d.kind === 'quarantine' ? d.reason : d.kind);
    expect(reason(decodeEvent(2, issued!))).toBe('schema version 2 not known');
    expect(reason(decodeEvent(1, { ...issued!, type: 'ticket.teleported' }))).toBe(
      'type ticket.teleported not known',
    );
    expect(reason(decodeEvent(1, { ...issued!, data: { ticket: { number: 'A001' } } }))).toMatch(
      /^invalid data/,
    );
    const noDay = {
      ...issued!,
      data: { ...issued!.data, facts: { hour: 9, issuedAt: at(0), waitTargetMinutes: 15 } },
    };
    expect(reason(decodeEvent(1, noDay))).toBe('invalid data: facts.day');
    expect(decodeEvent(1, { seq: 9, at: at(3), type: 'counter.updated', data: {} })).toEqual({
      kind: 'other',
      seq: 9,
      type: 'counter.updated',
      day: '2026-11-25',
    });
    expect((decodeEvent(1, issued!) as TicketEvent).issuedAt).toBe(Date.UTC(2026, 10, 25, 1, 0));
  });
});
