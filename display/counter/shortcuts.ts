import type { CommandType } from './commands.ts';

/**
 * The keyboard of a counter: one key per action, so staff can work without the mouse. Pause and resume
 * share P; closing the counter has no key on purpose (an accident there sends customers away).
 */
const KEYS: Record<string, CommandType[]> = {
  F1: ['call'],
  ' ': ['call'],
  r: ['recall'],
  s: ['start'],
  n: ['no-show'],
  t: ['transfer'],
  f: ['finish'],
  p: ['pause', 'resume'],
  o: ['open'],
};

/** The command a key asks for, if that command is possible now. */
export function shortcutFor(key: string, available: ReadonlySet<CommandType>): CommandType | null {
  const candidates = KEYS[key.length === 1 ? key.toLowerCase() : key] ?? [];
  return candidates.find((c) => available.has(c)) ?? null;
}

/** The key to print on a command's button. */
export function keyLabel(command: CommandType): string | null {
  const labels: Partial<Record<CommandType, string>> = {
    call: 'F1 / Space',
    recall: 'R',
    start: 'S',
    'no-show': 'N',
    transfer: 'T',
    finish: 'F',
    pause: 'P',
    resume: 'P',
    open: 'O',
  };
  return labels[command] ?? null;
}
