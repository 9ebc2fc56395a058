import type { CounterStatus, TicketStatus } from '../contract/api.ts';

/**
 * The ticket lifecycle: waiting → called → serving → done | no-show | cancelled, and transfer back to
 * waiting in another service. Anything not listed here is refused (HTTP 409).
 */
export type TicketAction =
  | 'call'
  | 'recall'
  | 'start'
  | 'finish'
  | 'no-show'
  | 'transfer'
  | 'cancel'
  | 'close-day';

const ticketMoves: Record<TicketAction, Partial<Record<TicketStatus, TicketStatus>>> = {
  call: { waiting: 'called' },
  recall: { called: 'called' },
  start: { called: 'serving' },
  // Finishing straight from `called` is allowed: serving counts from the call.
  finish: { called: 'done', serving: 'done' },
  'no-show': { called: 'no-show' },
  transfer: { called: 'waiting', serving: 'waiting' },
  cancel: { waiting: 'cancelled' },
  'close-day': { waiting: 'cancelled', called: 'cancelled', serving: 'cancelled' },
};

export function nextTicketStatus(from: TicketStatus, action: TicketAction): TicketStatus | null {
  return ticketMoves[action][from] ?? null;
}

export const OPEN_TICKET_STATUSES: readonly TicketStatus[] = ['waiting', 'called', 'serving'];

/**
 * The counter lifecycle: closed ⇄ open ⇄ paused, open → serving while a ticket is at the counter.
 * A counter holding a ticket can be neither paused nor closed: the customer in front of it comes first.
 */
export type CounterAction = 'open' | 'pause' | 'resume' | 'close' | 'take-ticket' | 'release-ticket';

const counterMoves: Record<CounterAction, Partial<Record<CounterStatus, CounterStatus>>> = {
  open: { closed: 'open' },
  pause: { open: 'paused' },
  resume: { paused: 'open' },
  close: { open: 'closed', paused: 'closed' },
  'take-ticket': { open: 'serving' },
  'release-ticket': { serving: 'open' },
};

export function nextCounterStatus(from: CounterStatus, action: CounterAction): CounterStatus | null {
  return counterMoves[action][from] ?? null;
}
