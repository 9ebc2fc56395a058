import net from 'node:net';
import type { Duplex } from 'node:stream';
import { type Clock, systemClock } from '../common.ts';
import { statusBytesFor } from './status-bytes.ts';
import { previewText } from './text-preview.ts';

export type EmulatedJob = {
  at: number;
  /** Connections are numbered from 1 in the order they were accepted. */
  connection: number;
  bytes: Uint8Array;
  /** False when the connection ended (or was dropped) before a cut command. */
  cut: boolean;
};

export type EmulatorState = {
  paperOut: boolean;
  paperNearEnd: boolean;
  coverOpen: boolean;
  /** Accept and close at once, like a printer busy with another client. */
  refuseConnections: boolean;
  /** Close a connection after this many bytes, ignoring the rest: a cable pulled mid-ticket. */
  dropAfterBytes: number | null;
};

const READY: EmulatorState = {
  paperOut: false,
  paperNearEnd: false,
  coverOpen: false,
  refuseConnections: false,
  dropAfterBytes: null,
};

/**
 * A network ESC/POS printer on TCP for tests and the demo. It records what it receives, split into jobs
 * at each cut, and answers DLE EOT status requests from its state. Like a real printer it spots DLE EOT
 * and GS V anywhere in the stream (it does not parse other commands), which is safe for what
 * layout.ts sends: GB18030 text never contains bytes below 0x30 and QR payloads are ASCII.
 */
export class PrinterEmulator {
  private state: EmulatorState = READY;
  private server: net.Server | null = null;
  private readonly sockets = new Set<Duplex>();
  private recorded: EmulatedJob[] = [];
  private connections = 0;
  private listeningPort = 0;
  private statusRequests = 0;
  private readonly jobListeners = new Set<() => void>();

  constructor(
    private readonly host = '127.0.0.1',
    private readonly clock: Clock = systemClock,
  ) {}

  /** Listens on `port` (0 = any free port) and resolves with the port. */
  start(port = 0): Promise<number> {
    if (this.server) return Promise.resolve(this.listeningPort);
    const server = net.createServer((socket) => this.serve(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => {
        server.off('error', reject);
        this.listeningPort = (server.address() as net.AddressInfo).port;
        resolve(this.listeningPort);
      });
    });
  }

  /** Closes the port and every open connection, like switching the printer off. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Off and on again on the same port. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start(this.listeningPort);
  }

  get port(): number {
    return this.listeningPort;
  }

  /** The URI for `createPrinter`. */
  get uri(): string {
    return `tcp://${this.host}:${this.listeningPort}`;
  }

  set(state: Partial<EmulatorState>): void {
    this.state = { ...this.state, ...state };
  }

  /** Forgets jobs and returns to a ready printer. */
  reset(): void {
    this.state = READY;
    this.recorded = [];
    this.statusRequests = 0;
  }

  jobs(): readonly EmulatedJob[] {
    return this.recorded;
  }

  statusRequestCount(): number {
    return this.statusRequests;
  }

  /** Resolves once `count` jobs were recorded in total, or rejects after `timeoutMs`. */
  waitForJobs(count: number, timeoutMs = 5000): Promise<readonly EmulatedJob[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.recorded.length < count) return false;
        clearTimeout(timer);
        this.jobListeners.delete(listener);
        resolve(this.recorded);
        return true;
      };
      const listener = () => void check();
      const timer = setTimeout(() => {
        this.jobListeners.delete(listener);
        reject(new Error(`emulator recorded ${this.recorded.length} of ${count} jobs in ${timeoutMs} ms`));
      }, timeoutMs);
      if (!check()) this.jobListeners.add(listener);
    });
  }

  /** The last jobs, newest first, as text: the installer page's view in demo mode. */
  recentTickets(limit = 10): { at: string; text: string }[] {
    return this.recorded
      .slice(-limit)
      .reverse()
      .map((job) => ({ at: new Date(job.at).toISOString(), text: previewText(job.bytes) }));
  }

  /**
   * Serves one connection: what `start` does for each TCP client, and what a test does with the device
   * end of a serial cable to emulate a serial printer.
   */
  serve(socket: Duplex): void {
    if (this.state.refuseConnections) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    const connection = ++this.connections;
    let job: Buffer[] = [];
    let jobBytes = 0;
    let carry = Buffer.alloc(0);
    let received = 0;
    const record = (cut: boolean) => {
      if (jobBytes === 0) return;
      const bytes = Buffer.concat(job);
      job = [];
      jobBytes = 0;
      // A printer reset (ESC @) after the last cut, as drivers send to leave a clean state, prints nothing.
      if (!cut && isOnlyReset(bytes)) return;
      this.recorded.push({ at: this.clock.now(), connection, bytes, cut });
      for (const listener of this.jobListeners) listener();
    };
    const keep = (bytes: Buffer) => {
      if (bytes.length === 0) return;
      job.push(bytes);
      jobBytes += bytes.length;
    };
    socket.on('data', (packet: Buffer) => {
      const limit = this.state.dropAfterBytes;
      const dropping = limit !== null && received + packet.length > limit;
      const chunk = dropping ? packet.subarray(0, Math.max(0, limit - received)) : packet;
      received += chunk.length;
      const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      let start = 0;
      let i = 0;
      while (i < data.length) {
        const found = commandAt(data, i);
        if (found === 'incomplete') break; // split across packets: finish it with the next chunk
        if (found === 'other') {
          i += 1;
          continue;
        }
        keep(data.subarray(start, i));
        if (found.kind === 'status') {
          this.answerStatus(socket, found.n);
        } else {
          keep(data.subarray(i, i + found.length));
          record(true);
        }
        i += found.length;
        start = i;
      }
      keep(data.subarray(start, i));
      carry = Buffer.from(data.subarray(i));
      if (dropping) socket.destroy(); // 'close' records what arrived
    });
    socket.on('error', () => {}); // a client resetting the connection is normal here
    socket.on('close', () => {
      this.sockets.delete(socket);
      keep(carry);
      record(false);
    });
  }

  private answerStatus(socket: Duplex, n: number): void {
    this.statusRequests += 1;
    const bytes = statusBytesFor(this.state);
    const stopped = this.state.paperOut || this.state.coverOpen;
    const answer =
      n === 2 ? bytes.offline : n === 4 ? bytes.paper : n === 1 ? 0x12 | (stopped ? 0x08 : 0) : 0x12;
    socket.write(Uint8Array.of(answer));
  }
}

type Command = { kind: 'status'; n: number; length: 3 } | { kind: 'cut'; length: number };

/** The DLE EOT or GS V command starting at `i`, 'other' for any other byte, 'incomplete' for a prefix. */
function commandAt(data: Buffer, i: number): Command | 'other' | 'incomplete' {
  const first = data[i];
  if (first !== 0x10 && first !== 0x1d) return 'other';
  if (i + 2 >= data.length)
    return data[i + 1] === undefined || isCommandStart(data, i) ? 'incomplete' : 'other';
  if (!isCommandStart(data, i)) return 'other';
  if (first === 0x10) return { kind: 'status', n: data[i + 2]!, length: 3 };
  const length = data[i + 2]! >= 0x41 ? 4 : 3;
  return i + length > data.length ? 'incomplete' : { kind: 'cut', length };
}

function isCommandStart(data: Buffer, i: number): boolean {
  return data[i] === 0x10 ? data[i + 1] === 0x04 : data[i + 1] === 0x56;
}

function isOnlyReset(bytes: Buffer): boolean {
  if (bytes.length % 2 !== 0) return false;
  for (let i = 0; i < bytes.length; i += 2) if (bytes[i] !== 0x1b || bytes[i + 1] !== 0x40) return false;
  return true;
}
