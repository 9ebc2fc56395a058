/** The terminal's side effects against the real server, given to the machine in main.tsx. */
import { fromCallback, fromPromise } from 'xstate';
import type { CallAnswer, CounterDetail, CounterView, HallInfo, User } from '../../server/contract/api.ts';
import { api, openHallStream } from '../../server/contract/client.ts';
import { type Command, commandRequest } from './commands.ts';
import type { CommandResult, Credentials, Session, TerminalEvent } from './terminal.machine.ts';

const counterPath = (counterId: string) => `/counters/${encodeURIComponent(counterId)}`;

const loadSession = async (user: User): Promise<Session> => ({ user, hall: await api<HallInfo>('/hall') });

export async function runCommand(counterId: string, command: Command): Promise<CommandResult> {
  const { path, body } = commandRequest(command);
  const answer = await api<CallAnswer | { ticket: unknown } | undefined>(
    `${counterPath(counterId)}/${path}`,
    {
      method: 'POST',
      body,
    },
  );
  // The answer of a command is one ticket; the screen needs the whole counter, queues included.
  const detail = await api<CounterDetail>(`${counterPath(counterId)}/current`);
  return { detail, notice: command.type === 'call' && answer === undefined ? 'nobody-waiting' : null };
}

export const terminalActors = {
  restoreSession: fromPromise(async () => loadSession((await api<{ user: User }>('/auth/me')).user)),
  signIn: fromPromise(async ({ input }: { input: Credentials }) =>
    loadSession((await api<{ user: User }>('/auth/login', { body: input })).user),
  ),
  signOut: fromPromise(async () => {
    await api<void>('/auth/logout', { method: 'POST' });
  }),
  loadCounters: fromPromise(() => api<CounterView[]>('/counters')),
  loadDetail: fromPromise(({ input }: { input: { counterId: string } }) =>
    api<CounterDetail>(`${counterPath(input.counterId)}/current`),
  ),
  runCommand: fromPromise(({ input }: { input: { counterId: string; command: Command } }) =>
    runCommand(input.counterId, input.command),
  ),
  hallStream: fromCallback<TerminalEvent>(({ sendBack }) =>
    openHallStream({
      // Every snapshot, the first included: anything may have changed between the counter's first fetch
      // and the stream opening, and after a drop the counter's own state is the quickest catch-up.
      onSnapshot: () => sendBack({ type: 'HALL_SNAPSHOT' }),
      onEvent: (event) => sendBack({ type: 'HALL', event }),
      onConnection: (state) => sendBack({ type: 'CONNECTION', state }),
    }),
  ),
};

const COUNTER_KEY = 'hallq.counter.id';

export const counterStorage = {
  read: (): string | null => {
    try {
      return localStorage.getItem(COUNTER_KEY);
    } catch {
      return null; // storage disabled: the terminal asks for the counter after each reload
    }
  },
  write: (counterId: string | null) => {
    try {
      if (counterId === null) localStorage.removeItem(COUNTER_KEY);
      else localStorage.setItem(COUNTER_KEY, counterId);
    } catch {
      // as above
    }
  },
};
