import type { Clock, HardwareLogger } from '../common.ts';
import type { SerialBinding } from './binding.ts';
import { lineFramer } from './framer.ts';
import { type LineCodec, LineEndpoint, type LineProtocolOptions, type Screen } from './line-protocol.ts';
import { type LinkHealth, SerialLink, type SerialLocation } from './link.ts';

/** How to reach one serial device, and how patient to be with it. */
export type DeviceConnection = {
  /** The device id from the configuration, used in logs. */
  name: string;
  binding: SerialBinding;
  location: SerialLocation;
  /** PROTOCOLS.md: 9600 for line-protocol devices and scanners, 115200 for the ID card reader. */
  baudRate?: number;
  logger: HardwareLogger;
  protocol?: LineProtocolOptions;
  backoff?: { initialMs: number; maxMs: number };
  writeWaitMs?: number;
  clock?: Clock;
};

/** A reconnecting link speaking the line protocol: the shared plumbing of drivers and simulators. */
class LineDevice<In, Out> {
  readonly link: SerialLink<string>;
  readonly endpoint: LineEndpoint<In, Out>;

  constructor(
    connection: DeviceConnection,
    incoming: LineCodec<In>,
    outgoing: LineCodec<Out>,
    screen?: Screen,
  ) {
    const { name, binding, location, logger, protocol, backoff, writeWaitMs, clock } = connection;
    this.link = new SerialLink({
      name,
      binding,
      location,
      baudRate: connection.baudRate ?? 9600,
      framer: lineFramer(protocol?.maxLineBytes ?? 256),
      logger,
      ...(backoff && { backoff }),
      ...(writeWaitMs !== undefined && { writeWaitMs }),
    });
    this.endpoint = new LineEndpoint({
      ...protocol,
      name,
      incoming,
      outgoing,
      logger,
      ...(clock && { clock }),
      ...(screen && { screen }),
      write: (line) => this.link.write(Buffer.from(line, 'utf8')),
    });
    this.link.onFrame((line) => this.endpoint.receive(line));
    this.link.start();
  }

  async close(): Promise<void> {
    this.endpoint.close();
    await this.link.close();
  }
}

/** Health and lifetime common to every device driver and simulator. */
export abstract class SerialDevice {
  protected abstract readonly link: Pick<SerialLink<unknown>, 'health' | 'onHealth'>;

  health(): LinkHealth {
    return this.link.health();
  }

  onHealth(listener: (health: LinkHealth) => void): () => void {
    return this.link.onHealth(listener);
  }

  abstract close(): Promise<void>;
}

/**
 * HallQ's side of a line-protocol device: `In` is what the device reports, `Out` what HallQ asks of it.
 * Device drivers extend it with named methods.
 */
export class LineDriver<In, Out> extends SerialDevice {
  private readonly device: LineDevice<In, Out>;
  protected readonly link: SerialLink<string>;

  constructor(connection: DeviceConnection, incoming: LineCodec<In>, outgoing: LineCodec<Out>) {
    super();
    this.device = new LineDevice(connection, incoming, outgoing);
    this.link = this.device.link;
  }

  /** Each report once, after it was acknowledged. Returns the unsubscribe function. */
  onReport(listener: (report: In) => void): () => void {
    return this.device.endpoint.onMessage(listener);
  }

  /** Resolves on ACK; rejects with a DeviceError (`nak`, `timeout` or `disconnected`). */
  send(command: Out): Promise<void> {
    return this.device.endpoint.send(command);
  }

  close(): Promise<void> {
    return this.device.close();
  }
}

export type SimulatorFault = { kind: 'ignore' } | { kind: 'nak'; code: string };

/**
 * A device's side, for tests and the demo: it receives `In` from HallQ and sends `Out`, byte for byte as
 * the real device would, with test controls (emit, last received, inject a fault, reset). Subclasses add behaviour.
 */
export class LineSimulator<In, Out> extends SerialDevice {
  private readonly device: LineDevice<In, Out>;
  protected readonly link: SerialLink<string>;
  private received: In[] = [];
  private lines: string[] = [];
  private fault: { fault: SimulatorFault; remaining: number } | null = null;
  private readonly changeListeners = new Set<() => void>();

  constructor(connection: DeviceConnection, incoming: LineCodec<In>, outgoing: LineCodec<Out>) {
    super();
    this.device = new LineDevice(connection, incoming, outgoing, () => this.faultFor());
    this.link = this.device.link;
    this.link.onFrame((line) => {
      this.lines.push(line);
      this.changed();
    });
    this.device.endpoint.onMessage((command) => {
      this.received.push(command);
      this.handle(command);
      this.changed();
    });
  }

  /** What HallQ asked of the device (acknowledged lines, decoded), oldest first. */
  receivedCommands(): readonly In[] {
    return this.received;
  }

  lastReceived(): In | undefined {
    return this.received.at(-1);
  }

  /** Every line that arrived, as it arrived: commands, ACKs and NAKs. */
  linesReceived(): readonly string[] {
    return this.lines;
  }

  /** Resolves with the first non-undefined result of `check`, re-run whenever a line arrives. */
  waitFor<T>(check: () => T | undefined, timeoutMs = 3000): Promise<T> {
    return new Promise((resolve, reject) => {
      const listener = () => {
        const result = check();
        if (result === undefined) return;
        clearTimeout(timer);
        this.changeListeners.delete(listener);
        resolve(result);
      };
      const timer = setTimeout(() => {
        this.changeListeners.delete(listener);
        reject(new Error(`simulator: condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      this.changeListeners.add(listener);
      listener();
    });
  }

  /** Sends as the device would and waits for HallQ's ACK. */
  emit(report: Out): Promise<void> {
    return this.device.endpoint.send(report);
  }

  /** Writes bytes exactly as given: garbage, wrong checksums, oversized lines. */
  sendRaw(bytes: string | Uint8Array): Promise<void> {
    return this.link.write(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
  }

  /** The next `count` commands from HallQ are ignored (no reply at all) or refused with a NAK. */
  injectFault(fault: SimulatorFault, count = Number.POSITIVE_INFINITY): void {
    this.fault = { fault, remaining: count };
  }

  /** Forgets what was received and clears faults. */
  reset(): void {
    this.received = [];
    this.lines = [];
    this.fault = null;
  }

  close(): Promise<void> {
    return this.device.close();
  }

  /** Device behaviour on an acknowledged command, e.g. a payment terminal starting a payment. */
  protected handle(_command: In): void {}

  private faultFor(): ReturnType<Screen> {
    if (!this.fault || this.fault.remaining <= 0) return 'process';
    this.fault.remaining -= 1;
    return this.fault.fault.kind === 'ignore' ? 'ignore' : { nak: this.fault.fault.code };
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }
}
