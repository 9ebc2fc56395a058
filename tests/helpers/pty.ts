import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemSerialBinding } from '../../hardware/serial/binding.ts';
import type { DeviceConnection } from '../../hardware/serial/line-device.ts';
import type { LinkHealth } from '../../hardware/serial/link.ts';
import { type Cable, MockCable } from '../../hardware/serial/mock-cable.ts';

/**
 * A pair of linked pseudo-terminals from socat: the host opens `hostPath`, a simulator `devicePath`, and
 * they talk through the real serialport binding as over a cable. Killing socat is a clean unplug; starting
 * it again with the same link names is a replug.
 */
export class PtyPair implements Cable {
  readonly binding = systemSerialBinding;
  private socat: ChildProcess | null = null;

  private constructor(
    private readonly dir: string,
    readonly hostPath: string,
    readonly devicePath: string,
  ) {}

  static async start(name: string): Promise<PtyPair> {
    const dir = await mkdtemp(join(tmpdir(), `hallq-pty-${name}-`));
    const pair = new PtyPair(dir, join(dir, 'host'), join(dir, 'device'));
    await pair.replug();
    return pair;
  }

  /** Kills socat and waits until it has gone (and removed its links). */
  async unplug(): Promise<void> {
    const socat = this.socat;
    if (!socat) return;
    this.socat = null;
    if (socat.exitCode === null && socat.signalCode === null) {
      await new Promise<void>((resolve) => {
        socat.once('exit', () => resolve());
        socat.kill('SIGTERM');
      });
    }
  }

  /** Starts socat on the same link paths and waits until it is ready to carry data. */
  async replug(): Promise<void> {
    if (this.socat) return;
    const socat = spawn(
      'socat',
      ['-d', '-d', `pty,raw,echo=0,link=${this.hostPath}`, `pty,raw,echo=0,link=${this.devicePath}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    this.socat = socat;
    await new Promise<void>((resolve, reject) => {
      let stderr = '';
      const stop = () => {
        clearTimeout(timer);
        socat.off('exit', exited);
        socat.stderr?.off('data', read);
        socat.stderr?.resume(); // keep draining so socat never blocks on a full pipe
      };
      const fail = (error: Error) => {
        stop();
        reject(error);
      };
      const exited = (code: number | null) => fail(new Error(`socat exited with ${code}: ${stderr}`));
      const read = (chunk: Buffer) => {
        stderr += chunk.toString();
        if (!stderr.includes('starting data transfer loop')) return;
        stop();
        resolve();
      };
      const timer = setTimeout(() => fail(new Error(`socat not ready after 10 s: ${stderr}`)), 10_000);
      socat.once('error', (error) =>
        fail(new Error(`cannot run socat (is the Debian package installed?): ${error.message}`)),
      );
      socat.on('exit', exited);
      socat.stderr?.on('data', read);
    });
  }

  async close(): Promise<void> {
    await this.unplug();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** The two cables every device contract suite runs over: in memory on binding-mock, and real ptys. */
export const CABLES: { name: string; connect: (device: string) => Promise<Cable> }[] = [
  { name: 'binding-mock cable', connect: async (device) => new MockCable(device) },
  { name: 'socat pty pair', connect: (device) => PtyPair.start(device) },
];

/** Quick retries so failure paths finish in a test's time; backoff short enough to resume within 2 s. */
const TEST_PROTOCOL = { retryDelayMs: 200, maxRetries: 3 };
const TEST_BACKOFF = { initialMs: 50, maxMs: 400 };

/** A logger that keeps what it was told, for assertions. (No vitest here: the bench imports this file.) */
export class RecordingLogger {
  readonly calls: [message: string, fields: Record<string, unknown> | undefined][] = [];
  warn(message: string, fields?: Record<string, unknown>): void {
    this.calls.push([message, fields]);
  }
  messages(): string[] {
    return this.calls.map(([message]) => message);
  }
}

/** Connections for HallQ's end and the simulator's end of `cable`, each with a logger tests can read. */
export function cableEnds(cable: Cable, device: string) {
  const hostLogger = new RecordingLogger();
  const deviceLogger = new RecordingLogger();
  const common = { binding: cable.binding, protocol: TEST_PROTOCOL, backoff: TEST_BACKOFF };
  const host: DeviceConnection = {
    ...common,
    name: `${device} (host)`,
    location: { path: cable.hostPath },
    logger: hostLogger,
  };
  const simulator: DeviceConnection = {
    ...common,
    name: `${device} (simulator)`,
    location: { path: cable.devicePath },
    logger: deviceLogger,
  };
  return { host, simulator, hostLogger, deviceLogger };
}

/** A connection to a real device named by an environment variable, for the contract suites. */
export function realDeviceEnd(path: string, device: string, baudRate?: number): DeviceConnection {
  return {
    name: device,
    binding: systemSerialBinding,
    location: { path },
    logger: new RecordingLogger(),
    backoff: TEST_BACKOFF,
    ...(baudRate && { baudRate }),
  };
}

/** Resolves once every device's link is open; rejects after 5 s. */
export async function allOpen(...devices: { health(): LinkHealth }[]): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!devices.every((device) => device.health().state === 'open')) {
    if (Date.now() > deadline) {
      throw new Error(`not open after 5 s: ${devices.map((d) => JSON.stringify(d.health())).join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
