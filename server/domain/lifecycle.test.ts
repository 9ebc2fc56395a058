import { describe, expect, it } from 'vitest';
import { COUNTER_STATUSES, TICKET_STATUSES } from '../contract/api.ts';
import { type CounterAction, nextCounterStatus, nextTicketStatus, type TicketAction } from './lifecycle.ts';

const legalTicketMoves: Record<TicketAction, [string, string][]> = {
  call: [['waiting', 'called']],
  recall: [['called', 'called']],
  start: [['called', 'serving']],
  finish: [
    ['called', 'done'],
    ['serving', 'done'],
  ],
  'no-show': [['called', 'no-show']],
  transfer: [
    ['called', 'waiting'],
    ['serving', 'waiting'],
  ],
  cancel: [['waiting', 'cancelled']],
  'close-day': [
    ['waiting', 'cancelled'],
    ['called', 'cancelled'],
    ['serving', 'cancelled'],
  ],
};

describe('ticket lifecycle', () => {
  for (const [action, moves] of Object.entries(legalTicketMoves) as [TicketAction, [string, string][]][]) {
    for (const from of TICKET_STATUSES) {
      const legal = moves.find(([f]) => f === from);
      it(`${action} from ${from} ${legal ? `moves to ${legal[1]}` : 'is refused'}`, () => {
        expect(nextTicketStatus(from, action)).toBe(legal ? legal[1] : null);
      });
    }
  }

  it('never leaves an ended ticket, whatever the action', () => {
    for (const ended of ['done', 'no-show', 'cancelled'] as const)
      for (const action of Object.keys(legalTicketMoves) as TicketAction[])
        expect(nextTicketStatus(ended, action)).toBeNull();
  });
});

const legalCounterMoves: Record<CounterAction, [string, string][]> = {
  open: [['closed', 'open']],
  pause: [['open', 'paused']],
  resume: [['paused', 'open']],
  close: [
    ['open', 'closed'],
    ['paused', 'closed'],
  ],
  'take-ticket': [['open', 'serving']],
  'release-ticket': [['serving', 'open']],
};

describe('counter lifecycle', () => {
  for (const [action, moves] of Object.entries(legalCounterMoves) as [CounterAction, [string, string][]][]) {
    for (const from of COUNTER_STATUSES) {
      const legal = moves.find(([f]) => f === from);
      it(`${action} from ${from} ${legal ? `moves to ${legal[1]}` : 'is refused'}`, () => {
        expect(nextCounterStatus(from, action)).toBe(legal ? legal[1] : null);
      });
    }
  }
});
