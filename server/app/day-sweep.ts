/**
 * The day's sweep: tickets left open from an earlier day, or after today's closing time, end as
 * unserved. It runs in a transaction of its own, before the first command of the day or at the timer,
 * whichever comes first, and counts as done only once it has committed (a refused or failed command
 * after midnight leaves it to the next one). A hall open around the clock ends its day at midnight.
 */
import type { TicketRepository, TicketRow } from '../db/tickets.ts';
import type { Clock } from '../domain/clock.ts';
import { localTime, parseClockTime } from '../domain/hall-time.ts';
import { OPEN_TICKET_STATUSES } from '../domain/lifecycle.ts';
import type { CommandPath, Outcome } from './command-path.ts';
import type { ConfigMaps } from './hall-config.ts';
import type { LiveEta } from './hall-eta.ts';
import { publicTicket } from './hall-views.ts';
import type { QueueMoves } from './queue-moves.ts';

export type DaySweepDeps = {
  clock: Clock;
  setup: ConfigMaps;
  commands: CommandPath;
  tickets: TicketRepository;
  moves: QueueMoves;
  liveEta: LiveEta;
  /** What the end of a command means for what the hall keeps in memory (hall.ts). */
  settled: (command: string, ok: boolean) => void;
  log: (line: Record<string, unknown>) => void;
};

export function createDaySweep(deps: DaySweepDeps) {
  const { clock, setup, tickets, moves } = deps;
  /** The local day whose sweep has committed, and whether its closing sweep has too. */
  let swept = { day: '', closing: false };

  /** Sweeps the day when due; cheap when it is not (every command asks first). */
  function sweepIfDue(): void {
    const now = clock.now();
    const local = localTime(now, setup.config.timeZone);
    const pastClosing = local.minuteOfDay >= parseClockTime(setup.config.hours.close);
    if (swept.day === local.day && (!pastClosing || swept.closing)) return;
    const ended = [...tickets.openBefore(local.day), ...(pastClosing ? tickets.openOn(local.day) : [])];
    if (ended.length > 0) {
      let outcome: Outcome<void>;
      try {
        outcome = closeTickets(ended, now);
      } catch (error) {
        // The command after it still runs: tickets of an earlier day are never called anyway.
        deps.log({ msg: 'day sweep failed', level: 'error', error: String(error) });
        return;
      }
      deps.settled('close-day', outcome.ok);
      if (!outcome.ok) return;
    }
    if (swept.day !== local.day) deps.liveEta.dayTurned();
    swept = { day: local.day, closing: pastClosing };
  }

  /** Ends the given tickets as unserved at closing, in a transaction of their own. */
  function closeTickets(ended: readonly TicketRow[], now: number): Outcome<void> {
    return deps.commands.run('close-day', (tx) => {
      for (const t of ended) {
        const row = tickets.get(t.id)!;
        if (!OPEN_TICKET_STATUSES.includes(row.status)) continue;
        moves.moveTicket(row, { action: 'close-day', finishedAt: now });
        if (row.counter_id) moves.releaseCounterTicket(row.counter_id, row.id);
        tx.record(
          'ticket.cancelled',
          { ticket: publicTicket(row), reason: 'closing' },
          { ticketId: row.id, reason: 'closing' },
        );
      }
    });
  }

  return { sweepIfDue };
}
