/**
 * What a counter terminal can do, as data: the buttons, the shortcuts and the requests all come from here.
 */
import type { CounterDetail, PauseReason } from '../../server/contract/api.ts';

export type Command =
  | { type: 'open' }
  | { type: 'pause'; reason: PauseReason }
  | { type: 'resume' }
  | { type: 'close' }
  | { type: 'call' }
  | { type: 'recall' }
  | { type: 'start' }
  | { type: 'no-show' }
  | { type: 'transfer'; serviceId: string; front: boolean }
  | { type: 'finish'; rating: number | null };

export type CommandType = Command['type'];

/** The request a command makes: `POST /api/v1/counters/:id/<path>` with this body. */
export function commandRequest(command: Command): { path: string; body?: unknown } {
  switch (command.type) {
    case 'pause':
      return { path: 'pause', body: { reason: command.reason } };
    case 'transfer':
      return {
        path: 'transfer',
        body: command.front
          ? { serviceId: command.serviceId, front: true }
          : { serviceId: command.serviceId },
      };
    case 'finish':
      return { path: 'finish', body: command.rating === null ? {} : { rating: command.rating } };
    default:
      return { path: command.type };
  }
}

/**
 * The commands that make sense now. The server has the last word (a keypad may have acted a moment ago);
 * this only keeps buttons that cannot work from being offered.
 */
export function availableCommands(detail: CounterDetail | null): ReadonlySet<CommandType> {
  if (!detail) return new Set();
  const { counter, ticket } = detail;
  if (counter.status === 'closed') return new Set(['open']);
  if (counter.status === 'paused') return new Set(['resume', 'close']);
  if (ticket?.status === 'called') return new Set(['recall', 'start', 'no-show', 'transfer', 'finish']);
  if (ticket?.status === 'serving') return new Set(['transfer', 'finish']);
  return new Set(['call', 'pause', 'close']);
}
