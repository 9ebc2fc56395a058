// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createActor, fromCallback, fromPromise } from 'xstate';
import { ApiError } from '../../server/contract/client.ts';
import type { Command } from './commands.ts';
import { type CommandResult, type Credentials, type Session, terminalMachine } from './terminal.machine.ts';
import { TerminalApp } from './terminal-app.tsx';
import { detail, hallInfo, ticket } from './test-data.ts';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

/** The app with the real machine and a fake server that knows staff1 and counter 1. */
function app() {
  let current = detail();
  const runCommand = vi.fn(
    async ({ input }: { input: { counterId: string; command: Command } }): Promise<CommandResult> => {
      if (input.command.type === 'call') current = detail({ ticket: ticket({ number: 'A007' }) });
      return { detail: current, notice: null };
    },
  );
  const actor = createActor(
    terminalMachine.provide({
      actors: {
        restoreSession: fromPromise<Session>(async () => {
          throw new ApiError(401, 'unauthenticated', 'sign in');
        }),
        signIn: fromPromise<Session, Credentials>(async () => ({
          user: { id: 'staff1', name: '营业员1', role: 'staff' },
          hall: hallInfo,
        })),
        signOut: fromPromise(async () => {}),
        loadCounters: fromPromise(async () => [current.counter]),
        loadDetail: fromPromise(async () => current),
        runCommand: fromPromise(runCommand),
        hallStream: fromCallback(() => () => {}),
      },
    }),
    { input: { counterId: null } },
  );
  actor.start();
  render(<TerminalApp actor={actor} />);
  return { actor, runCommand };
}

describe('counter terminal app', () => {
  it('goes from sign-in to the counter to a called customer, and remembers the language', async () => {
    const { runCommand } = app();
    fireEvent.input(await screen.findByLabelText('工号'), { target: { value: 'staff1' } });
    fireEvent.input(screen.getByLabelText('密码'), { target: { value: 'demo-staff' } });
    fireEvent.click(screen.getByRole('button', { name: '登录' }));
    fireEvent.click(await screen.findByRole('button', { name: /1号窗口/ }));
    await screen.findByText('当前无客户');

    fireEvent.keyDown(window, { key: 'F1' });
    await waitFor(() =>
      expect(screen.getByRole('region', { name: /Current customer/ }).textContent).toContain('A007'),
    );
    expect(runCommand).toHaveBeenCalledOnce();

    fireEvent.click(screen.getByRole('button', { name: 'English' }));
    expect(screen.getByRole('button', { name: /Finish/ })).toBeTruthy();
    expect(localStorage.getItem('hallq.counter.lang')).toBe('en');
  });
});
