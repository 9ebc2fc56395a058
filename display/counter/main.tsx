import { render } from 'preact';
import { createActor } from 'xstate';
import { counterStorage, terminalActors } from './server.ts';
import { terminalMachine } from './terminal.machine.ts';
import { TerminalApp } from './terminal-app.tsx';
import './counter.css';

const actor = createActor(
  terminalMachine.provide({
    actors: terminalActors,
    actions: { rememberCounter: (_, { counterId }) => counterStorage.write(counterId) },
  }),
  { input: { counterId: counterStorage.read() } },
);
actor.start();

render(<TerminalApp actor={actor} />, document.getElementById('app')!);
