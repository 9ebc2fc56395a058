/**
 * Tickets and counters moved through their lifecycles inside a command: each move is checked against
 * server/domain/lifecycle.ts (a move it does not list is refused, 409), written with its own statement,
 * and kept in the waiting counts. Also the checks every action at a counter starts with.
 */
import type { CounterStatus, PauseReason, Role } from '../contract/api.ts';
import type { CounterRepository, CounterRow } from '../db/counters.ts';
import type { TicketChange, TicketRepository, TicketRow } from '../db/tickets.ts';
import type { Clock } from '../domain/clock.ts';
import { type CounterAction, nextCounterStatus, nextTicketStatus } from '../domain/lifecycle.ts';
import { refuse } from './command-path.ts';
import type { WaitingCounts } from './waiting-counts.ts';

/** Who acts: the person signed in (or seated, for a device acting on their behalf). */
export type Actor = { id: string; name: string; role: Role };

/** A counter's live state that a move may change. */
export type CounterChanges = Partial<{
  status: CounterStatus;
  staffId: string | null;
  ticketId: string | null;
  pauseReason: PauseReason | null;
}>;

/** The line group a ticket waits in (its service, front or not, tier). */
export const lineGroupOf = (row: Pick<TicketRow, 'service_id' | 'front' | 'tier'>) => ({
  serviceId: row.service_id,
  front: row.front === 1,
  tier: row.tier,
});

export type QueueMoves = ReturnType<typeof createQueueMoves>;

export function createQueueMoves(deps: {
  clock: Clock;
  tickets: TicketRepository;
  counters: CounterRepository;
  waitingCounts: WaitingCounts;
}) {
  const { clock, tickets, counters, waitingCounts } = deps;

  /** Moves a ticket by `change.action`, or refuses (409) a move its status does not allow. */
  function moveTicket(row: TicketRow, change: TicketChange): TicketRow {
    const status = nextTicketStatus(row.status, change.action);
    if (!status)
      refuse(409, 'illegal-transition', `ticket ${row.number} is ${row.status}; it cannot ${change.action}`);
    tickets.change(row.id, status, change);
    const next = tickets.get(row.id)!;
    if (row.status === 'waiting') waitingCounts.leave(lineGroupOf(row));
    if (status === 'waiting') waitingCounts.join(lineGroupOf(next));
    return next;
  }

  function writeCounter(row: CounterRow, changes: CounterChanges): CounterRow {
    counters.update({
      id: row.id,
      status: changes.status ?? row.status,
      staffId: changes.staffId === undefined ? row.staff_id : changes.staffId,
      ticketId: changes.ticketId === undefined ? row.ticket_id : changes.ticketId,
      pauseReason: changes.pauseReason === undefined ? row.pause_reason : changes.pauseReason,
      updatedAt: clock.now(),
    });
    return counters.get(row.id)!;
  }

  /** Moves a counter by `action`, or refuses (409, `counter-<status>`) a move its status does not allow. */
  function moveCounter(row: CounterRow, action: CounterAction, changes: CounterChanges = {}): CounterRow {
    const status = nextCounterStatus(row.status, action);
    if (!status) refuse(409, `counter-${row.status}`, counterConflictMessage(row, action));
    return writeCounter(row, { ...changes, status });
  }

  function counterConflictMessage(row: CounterRow, action: CounterAction): string {
    if (row.status === 'serving')
      return `${row.name} is serving ${row.ticket_number}: finish, transfer or mark it no-show first`;
    return `${row.name} is ${row.status}; it cannot ${action}`;
  }

  /** The counter lets go of the ticket, if it still holds it. */
  function releaseCounterTicket(counterId: string, ticketId: string): void {
    const row = counters.get(counterId);
    if (!row || row.ticket_id !== ticketId) return;
    writeCounter(row, {
      status: nextCounterStatus(row.status, 'release-ticket') ?? row.status,
      ticketId: null,
    });
  }

  function findCounter(counterId: string): CounterRow {
    const row = counters.get(counterId);
    if (!row) refuse(404, 'counter-not-found', `no counter ${counterId}`);
    return row;
  }

  /** Actions at a counter belong to the person seated there, or a manager. */
  function seatedCounter(counterId: string, actor: Actor): CounterRow {
    const row = findCounter(counterId);
    if (row.status === 'closed') refuse(409, 'counter-closed', `${row.name} is closed: open it first`);
    if (row.staff_id !== actor.id && actor.role !== 'manager')
      refuse(403, 'not-seated', `${row.name} is staffed by ${row.staff_name ?? 'someone else'}`);
    return row;
  }

  function currentTicket(row: CounterRow): TicketRow {
    if (!row.ticket_id)
      refuse(409, 'no-current-ticket', `${row.name} has no ticket at the moment: call one first`);
    return tickets.get(row.ticket_id)!;
  }

  return { moveTicket, moveCounter, releaseCounterTicket, findCounter, seatedCounter, currentTicket };
}
