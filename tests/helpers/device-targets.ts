import { afterEach, beforeEach, vi } from 'vitest';
import { type Framer, lineFramer } from '../../hardware/serial/framer.ts';
import type { DeviceConnection } from '../../hardware/serial/line-device.ts';
import { type LinkHealth, SerialLink } from '../../hardware/serial/link.ts';
import { allOpen, CABLES, cableEnds, RecordingLogger, realDeviceEnd } from './pty.ts';

/**
 * One device contract, two targets (PROTOCOLS.md is the contract): each suite runs against the simulator
 * on both cables, and against a real device when an environment variable names its port. What it
 * asserts is seen from HallQ's end of the line only, so it holds for either target.
 */
export type DeviceTarget<S> = {
  name: string;
  /** Why this target cannot run here (no port named): its tests are skipped with this note. */
  unavailable?: string;
  /** The far end: a simulator on a fresh cable (`device`), or the real device (`device: null`). */
  connect(): Promise<{ host: DeviceConnection; device: S | null; close(): Promise<void> }>;
};

type Simulator = { health(): LinkHealth; close(): Promise<void> };

export function deviceTargets<S extends Simulator>(options: {
  kind: string;
  /** e.g. `HALLQ_TEST_KEYPAD`: the port of a real device, e.g. /dev/ttyUSB0. */
  env: string;
  simulator: (connection: DeviceConnection) => S;
  baudRate?: number;
}): DeviceTarget<S>[] {
  const simulated = CABLES.map(({ name, connect }) => ({
    name: `the simulator over a ${name}`,
    async connect() {
      const cable = await connect(options.kind);
      const ends = cableEnds(cable, options.kind);
      const device = options.simulator(ends.simulator);
      await allOpen(device);
      return {
        host: ends.host,
        device,
        async close() {
          await device.close();
          await cable.close();
        },
      };
    },
  }));
  const path = process.env[options.env];
  const real: DeviceTarget<S> = {
    name: path ? `the real device at ${path}` : `a real device (${options.env} unset)`,
    ...(!path && {
      unavailable: `set ${options.env} to the port of a real ${options.kind}, e.g. /dev/ttyUSB0`,
    }),
    connect: async () => ({
      host: realDeviceEnd(path!, `${options.kind} (real)`, options.baudRate),
      device: null,
      close: async () => {},
    }),
  };
  return [...simulated, real];
}

type Ends<S> = Awaited<ReturnType<DeviceTarget<S>['connect']>>;
type HostEnd = { health(): LinkHealth; close(): Promise<void> };

/**
 * For the tests of one target: connects before each test (or skips it when the target is unavailable)
 * and closes, after it, whatever the test opened on HallQ's end, then the far end.
 */
export function useTarget<S>(target: DeviceTarget<S>) {
  let ends: Ends<S> | null = null;
  const opened: HostEnd[] = [];
  beforeEach(async ({ skip }) => {
    if (target.unavailable) skip(target.unavailable);
    ends = await target.connect();
  });
  afterEach(async () => {
    for (const end of opened.splice(0)) await end.close();
    await ends?.close();
    ends = null;
  });
  return {
    /** The simulator at the far end, or null for a real device. */
    get device(): S | null {
      return ends!.device;
    },
    /** Opens a driver or a probe on HallQ's end and resolves once its line is open. */
    async open<T extends HostEnd>(make: (host: DeviceConnection) => T): Promise<T> {
      const end = make(ends!.host);
      opened.push(end);
      await allOpen(end);
      return end;
    },
  };
}

/**
 * What a person does at a device (presses a key, taps a rating, scans, pays, places a card): the
 * simulator does it on a cable; at a real device someone standing there is told what to do when
 * HALLQ_TEST_PERSON=1, and the test is skipped otherwise.
 */
export async function byHand<S>(
  device: S | null,
  act: (device: S) => Promise<void> | void,
  instruction: string,
  skip: (note: string) => never,
): Promise<void> {
  if (device) return act(device);
  if (!process.env.HALLQ_TEST_PERSON)
    skip(`needs someone at the device (HALLQ_TEST_PERSON=1): ${instruction}`);
  process.stderr.write(`\n>>> ${instruction}\n`);
}

/** HallQ's end of a serial line, written and read by hand: the bytes exactly as given, the replies as received. */
class Probe<F> {
  protected readonly received: F[] = [];
  private readonly link: SerialLink<F>;

  constructor(connection: DeviceConnection, framer: Framer<F>, baudRate: number) {
    this.link = new SerialLink({
      ...connection,
      baudRate: connection.baudRate ?? baudRate,
      logger: new RecordingLogger(),
      framer,
    }).start();
    this.link.onFrame((frame) => this.received.push(frame));
  }

  health(): LinkHealth {
    return this.link.health();
  }

  protected send(bytes: Uint8Array): Promise<void> {
    return this.link.write(bytes);
  }

  close(): Promise<void> {
    return this.link.close();
  }
}

/**
 * Speaks the line protocol by hand. Replies are checked against their `*HH` with an XOR of its own,
 * sharing nothing with line-protocol.ts, and returned without it.
 */
export class LineProbe extends Probe<string> {
  constructor(connection: DeviceConnection) {
    super(connection, lineFramer(256), 9600);
  }

  /** Sends `line` (CR LF added) and resolves with the answer that carries its SEQ. */
  async ask(line: string, timeoutMs = 1500): Promise<string> {
    const seq = line.split(' ')[0];
    const from = this.received.length;
    await this.send(Buffer.from(`${line}\r\n`, 'utf8'));
    const answer = await vi.waitFor(
      () => {
        const reply = this.received
          .slice(from)
          .find((l) => /^\d+ (ACK|NAK)\b/.test(l) && l.startsWith(`${seq} `));
        if (!reply) throw new Error(`no answer to ${line}`);
        return reply;
      },
      { timeout: timeoutMs, interval: 20 },
    );
    const summed = /^(.*)\*([0-9A-Fa-f]{2})$/.exec(answer);
    if (!summed) return answer;
    const [, body, sum] = summed;
    const xor = [...Buffer.from(body!, 'utf8')].reduce((a, b) => a ^ b, 0);
    if (xor !== Number.parseInt(sum!, 16)) throw new Error(`answer with a wrong checksum: ${answer}`);
    return body!;
  }
}

/**
 * Speaks the ID card reader's SAM frames by hand, and reads replies with a parser of its own (preamble,
 * big-endian length, XOR), sharing nothing with id-reader/codec.ts.
 */
export class FrameProbe extends Probe<Uint8Array> {
  constructor(connection: DeviceConnection) {
    const raw: Framer<Uint8Array> = {
      push: (chunk) => ({ frames: [Uint8Array.from(chunk)], discarded: [] }),
      reset: () => ({ discarded: [] }),
    };
    super(connection, raw, 115_200);
  }

  /** Sends the frame and resolves with the reply's SW3 and data, its checksum verified. */
  async ask(frame: Uint8Array, timeoutMs = 1500): Promise<{ sw3: number; data: number[] }> {
    this.received.length = 0;
    await this.send(frame);
    return vi.waitFor(
      () => {
        const bytes = this.received.flatMap((chunk) => [...chunk]);
        const start = bytes.findIndex((_, i) =>
          [0xaa, 0xaa, 0xaa, 0x96, 0x69].every((b, k) => bytes[i + k] === b),
        );
        const length = start === -1 ? 0 : bytes[start + 5]! * 256 + bytes[start + 6]!;
        const end = start + 7 + length;
        if (start === -1 || bytes.length < start + 7 || bytes.length < end)
          throw new Error('no whole reply frame');
        const sum = bytes.slice(start + 5, end - 1).reduce((a, b) => a ^ b, 0);
        if (sum !== bytes[end - 1]) throw new Error('a reply frame with a wrong checksum');
        return { sw3: bytes[start + 9]!, data: bytes.slice(start + 10, end - 1) };
      },
      { timeout: timeoutMs, interval: 20 },
    );
  }
}
