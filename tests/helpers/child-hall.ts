import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

/** A HallQ command (`server/main.ts`, `server/cli.ts`) in a process of its own, with what it printed. */
export type ChildRun = {
  process: ChildProcess;
  /** Standard output and error so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal) when the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/**
 * Runs `node --import tsx <script> …args` from the project root with the environment given on top of a
 * clean one (no hall configuration, printer or devices from the caller's environment).
 */
export function runChild(
  script: string,
  args: string[],
  env: Record<string, string>,
  input?: string,
): ChildRun {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['HALLQ_CONFIG', 'HALLQ_PRINTER', 'HALLQ_DEVICES', 'HALLQ_LOG_FILE', 'NODE_OPTIONS'])
    delete base[name];
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { ...base, ...env },
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (input !== undefined) child.stdin!.end(input);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  return { process: child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** `npm run hallq -- …args` on the database, to its end. */
export async function runCli(dbPath: string, args: string[], input?: string) {
  const run = runChild('server/cli.ts', args, { HALLQ_DB: dbPath }, input);
  const { code } = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

export type ChildHall = ChildRun & {
  url: string;
  pid: number;
  kill9(): Promise<void>;
  stop(): Promise<void>;
};

/** A demo hall process on the database (port 0), resolved once it listens. */
export async function startChildHall(dbPath: string, env: Record<string, string> = {}): Promise<ChildHall> {
  const run = runChild('server/main.ts', [], {
    PORT: '0',
    HALLQ_HOST: '127.0.0.1',
    HALLQ_DB: dbPath,
    ...env,
  });
  const deadline = Date.now() + 30_000;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  void run.exited.then((e) => {
    exit = e;
  });
  for (;;) {
    const match = /"msg":"hall listening"[^\n]*"url":"([^"]+)"/.exec(run.stdout());
    if (match) {
      const end = async (signal: NodeJS.Signals) => {
        if (exit) return;
        run.process.kill(signal);
        await run.exited;
      };
      return {
        ...run,
        url: match[1]!,
        pid: run.process.pid!,
        kill9: () => end('SIGKILL'),
        stop: () => end('SIGTERM'),
      };
    }
    if (exit || Date.now() > deadline) {
      run.process.kill('SIGKILL');
      throw new Error(`the hall did not start (${JSON.stringify(exit)}): ${run.stderr()}${run.stdout()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
