import { SerialPortStream } from '@serialport/stream';
import { errorMessage, type HardwareLogger } from '../common.ts';
import type { SerialBinding } from './binding.ts';
import { DeviceError } from './device-error.ts';
import type { Discard, Framer } from './framer.ts';

export type LinkState = 'connecting' | 'open' | 'down' | 'closed';
export type LinkHealth = { state: LinkState; detail: string };

/** Where the device is: a path (prefer `/dev/serial/by-id/…`), or the USB ids of its adapter. */
export type SerialLocation = { path: string } | { vendorId: string; productId: string };

export type SerialLinkOptions<F> = {
  /** For logs: the device id from the configuration. */
  name: string;
  binding: SerialBinding;
  location: SerialLocation;
  baudRate: number;
  framer: Framer<F>;
  logger: HardwareLogger;
  /** Reopen attempts wait initialMs, then twice as long each time, up to maxMs. */
  backoff?: { initialMs: number; maxMs: number };
  /** How long a write waits for a link that is down before it fails. */
  writeWaitMs?: number;
};

type Pending = { reject: (error: DeviceError) => void };

/**
 * A serial port that stays usable across unplugs: on a failed open or a disconnect it retries with
 * exponential backoff and resumes on its own, without a restart. Writes made while it is down wait up to
 * `writeWaitMs` for it to come back, then fail; a write cut off by an unplug fails too. A write is thus
 * either handed to the port or reported as failed, never dropped silently.
 */
export class SerialLink<F> {
  private port: SerialPortStream | null = null;
  private state: LinkHealth = { state: 'connecting', detail: 'not opened yet' };
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private started = false;
  private readonly frameListeners = new Set<(frame: F) => void>();
  private readonly healthListeners = new Set<(health: LinkHealth) => void>();
  private readonly waitingForOpen = new Set<{ resolve: (port: SerialPortStream) => void } & Pending>();
  private readonly inFlight = new Set<Pending>();
  private readonly backoff: { initialMs: number; maxMs: number };
  private readonly writeWaitMs: number;

  constructor(private readonly options: SerialLinkOptions<F>) {
    this.backoff = options.backoff ?? { initialMs: 100, maxMs: 1000 };
    this.writeWaitMs = options.writeWaitMs ?? 2000;
  }

  /** Begins opening in the background; watch `onHealth` for the result. */
  start(): this {
    if (!this.started) {
      this.started = true;
      void this.connect();
    }
    return this;
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.state.state === 'closed') return Promise.reject(this.failure('link closed'));
    const port = this.port?.isOpen ? this.port : null;
    return port ? this.writeTo(port, bytes) : this.whenOpen().then((open) => this.writeTo(open, bytes));
  }

  onFrame(listener: (frame: F) => void): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  onHealth(listener: (health: LinkHealth) => void): () => void {
    this.healthListeners.add(listener);
    return () => this.healthListeners.delete(listener);
  }

  health(): LinkHealth {
    return this.state;
  }

  async close(): Promise<void> {
    if (this.state.state === 'closed') return;
    this.setHealth({ state: 'closed', detail: 'closed by HallQ' });
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.failAll('link closed');
    const port = this.port;
    this.port = null;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  private async connect(): Promise<void> {
    this.retryTimer = null;
    if (this.state.state === 'closed') return;
    let path: string;
    try {
      path = await this.resolvePath();
    } catch (error) {
      this.down(errorMessage(error));
      return;
    }
    const { binding, baudRate, logger, name } = this.options;
    const port = new SerialPortStream({ binding, path, baudRate, autoOpen: false });
    port.on('error', (error: Error) =>
      logger.warn('serial port error', { device: name, error: error.message }),
    );
    port.on('data', (chunk: Buffer) => {
      if (port === this.port) this.receive(chunk);
    });
    port.on('close', (error: (Error & { disconnected?: boolean }) | null) => this.lost(port, error));
    port.open((error) => {
      if (error) return this.down(`cannot open ${path}: ${error.message}`);
      if (this.state.state === 'closed') return port.close();
      this.port = port;
      this.attempt = 0;
      this.setHealth({ state: 'open', detail: path });
      for (const waiter of this.waitingForOpen) waiter.resolve(port);
      this.waitingForOpen.clear();
    });
  }

  private async resolvePath(): Promise<string> {
    const { location, binding } = this.options;
    if ('path' in location) return location.path;
    const ports = await binding.list();
    const match = ports.find(
      (port) => sameUsbId(port.vendorId, location.vendorId) && sameUsbId(port.productId, location.productId),
    );
    if (!match) throw new Error(`no serial device with USB id ${location.vendorId}:${location.productId}`);
    return match.path;
  }

  /** The port closed: unplugged, or (in tests and at shutdown) closed on purpose. 'close' may fire twice. */
  private lost(port: SerialPortStream, error: (Error & { disconnected?: boolean }) | null): void {
    if (port !== this.port) return;
    this.port = null;
    if (port.isOpen) port.close();
    this.warnDiscarded(this.options.framer.reset().discarded);
    this.failInFlight(error?.disconnected ? 'unplugged during the write' : 'port closed during the write');
    if (this.state.state === 'closed') return;
    this.down(error?.disconnected ? 'unplugged' : `closed: ${error?.message ?? 'by the system'}`);
  }

  private down(detail: string): void {
    if (this.state.state === 'closed') return;
    if (this.state.state !== 'down') {
      this.options.logger.warn('serial device down, reconnecting', { device: this.options.name, detail });
    }
    this.setHealth({ state: 'down', detail });
    const delay = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** this.attempt);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private receive(chunk: Buffer): void {
    const { frames, discarded } = this.options.framer.push(chunk);
    this.warnDiscarded(discarded);
    for (const frame of frames) for (const listener of this.frameListeners) listener(frame);
  }

  private warnDiscarded(discarded: Discard[]): void {
    for (const { reason, bytes } of discarded) {
      this.options.logger.warn('serial bytes discarded', { device: this.options.name, reason, bytes });
    }
  }

  private whenOpen(): Promise<SerialPortStream> {
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: (port: SerialPortStream) => {
          clearTimeout(timer);
          resolve(port);
        },
        reject: (error: DeviceError) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.waitingForOpen.delete(waiter);
        reject(this.failure(`not reconnected within ${this.writeWaitMs} ms (${this.state.detail})`));
      }, this.writeWaitMs);
      this.waitingForOpen.add(waiter);
    });
  }

  private writeTo(port: SerialPortStream, bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      const pending: Pending = { reject };
      this.inFlight.add(pending);
      port.write(Buffer.from(bytes), (error) => {
        if (!this.inFlight.delete(pending)) return; // already failed by lost()
        if (error) reject(this.failure(error.message));
        else resolve();
      });
    });
  }

  private failInFlight(reason: string): void {
    for (const pending of this.inFlight) pending.reject(this.failure(reason));
    this.inFlight.clear();
  }

  private failAll(reason: string): void {
    this.failInFlight(reason);
    for (const waiter of this.waitingForOpen) waiter.reject(this.failure(reason));
    this.waitingForOpen.clear();
  }

  private failure(reason: string): DeviceError {
    return new DeviceError(`${this.options.name}: ${reason}`, { disconnected: true });
  }

  private setHealth(health: LinkHealth): void {
    this.state = health;
    for (const listener of this.healthListeners) listener(health);
  }
}

/** USB ids compare as hex numbers: `0x1A86`, `1a86` and `1A86` are the same adapter. */
function sameUsbId(actual: string | undefined, wanted: string): boolean {
  if (!actual) return false;
  return Number.parseInt(actual.replace(/^0x/i, ''), 16) === Number.parseInt(wanted.replace(/^0x/i, ''), 16);
}
