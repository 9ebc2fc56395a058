import { errorMessage } from '../common.ts';
import {
  isStatusByte,
  OFFLINE_STATUS_REQUEST,
  PAPER_STATUS_REQUEST,
  statusFromBytes,
} from './status-bytes.ts';
import { PrinterError, type PrinterStatus, type PrintJob, type TicketPrinter } from './types.ts';

/** A two-way byte channel to a printer for the length of one job (a TCP socket, an open serial port). */
export interface PrinterConnection {
  write(bytes: Uint8Array): Promise<void>;
  /** The next byte the printer sent after the last `discardInput()`. */
  readByte(timeoutMs: number): Promise<number>;
  /** Forgets unread bytes, e.g. automatic status the printer sent unasked. */
  discardInput(): void;
  close(): Promise<void>;
}

export type StatusPolicy = {
  /** False for printers that do not answer DLE EOT: jobs are then sent blind and reported unverified. */
  queries: boolean;
  replyTimeoutMs: number;
};

export const UNVERIFIED_STATUS: PrinterStatus = {
  online: true,
  paperOut: false,
  paperNearEnd: false,
  coverOpen: false,
  sensors: false,
  detail: 'sent; this connection reports no paper or cover status',
};

export function offlineStatus(detail: string): PrinterStatus {
  return { online: false, paperOut: false, paperNearEnd: false, coverOpen: false, sensors: false, detail };
}

export async function queryStatus(
  connection: PrinterConnection,
  replyTimeoutMs: number,
): Promise<PrinterStatus> {
  connection.discardInput();
  await connection.write(OFFLINE_STATUS_REQUEST);
  const offline = await connection.readByte(replyTimeoutMs);
  await connection.write(PAPER_STATUS_REQUEST);
  const paper = await connection.readByte(replyTimeoutMs);
  if (!isStatusByte(offline) || !isStatusByte(paper)) {
    throw new PrinterError(`unexpected status reply 0x${offline.toString(16)} 0x${paper.toString(16)}`, {});
  }
  return statusFromBytes(offline, paper);
}

/**
 * One job on an open connection: status first (nothing is sent to a printer that cannot print), the
 * bytes, then status again, which also proves the connection survived the whole job.
 */
export async function printOn(
  connection: PrinterConnection,
  job: PrintJob,
  policy: StatusPolicy,
): Promise<PrinterStatus> {
  if (policy.queries)
    refuseUnlessReady(await queryStatus(connection, policy.replyTimeoutMs), 'nothing printed');
  await connection.write(job.bytes);
  if (!policy.queries) return UNVERIFIED_STATUS;
  const after = await queryStatus(connection, policy.replyTimeoutMs);
  refuseUnlessReady(after, 'the ticket may be incomplete');
  return after;
}

function refuseUnlessReady(status: PrinterStatus, consequence: string): void {
  if (status.paperOut || status.coverOpen) {
    throw new PrinterError(`${status.detail}: ${consequence}`, {
      paperOut: status.paperOut,
      coverOpen: status.coverOpen,
    });
  }
}

/** Bytes arriving from the printer, read one at a time with a deadline. */
export class ByteInbox {
  private bytes: number[] = [];
  private waiter: { resolve: (byte: number) => void; reject: (error: Error) => void } | null = null;
  private failure: Error | null = null;

  push(chunk: Uint8Array): void {
    for (const byte of chunk) this.bytes.push(byte);
    this.deliver();
  }

  /** The channel is gone: the pending and every later read fail with this error. */
  fail(error: Error): void {
    this.failure ??= error;
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.reject(this.failure);
  }

  clear(): void {
    this.bytes = [];
  }

  next(timeoutMs: number, timeoutMessage: string): Promise<number> {
    if (this.failure && this.bytes.length === 0) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new PrinterError(timeoutMessage, { timeout: true }));
      }, timeoutMs);
      this.waiter = {
        resolve: (byte) => {
          clearTimeout(timer);
          resolve(byte);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.deliver();
    });
  }

  private deliver(): void {
    if (!this.waiter || this.bytes.length === 0) return;
    const waiter = this.waiter;
    this.waiter = null;
    waiter.resolve(this.bytes.shift()!);
  }
}

/** A printer reached over a fresh connection per job or status query: TCP and serial. */
export abstract class ConnectionPrinter implements TicketPrinter {
  abstract readonly description: string;
  private closed = false;

  constructor(protected readonly policy: StatusPolicy) {}

  protected abstract connect(): Promise<PrinterConnection>;

  async print(job: PrintJob): Promise<PrinterStatus> {
    const connection = await this.open();
    try {
      return await printOn(connection, job, this.policy);
    } finally {
      await connection.close();
    }
  }

  async status(): Promise<PrinterStatus> {
    try {
      const connection = await this.open();
      try {
        return this.policy.queries
          ? await queryStatus(connection, this.policy.replyTimeoutMs)
          : { ...UNVERIFIED_STATUS, detail: 'reachable; status queries are off' };
      } finally {
        await connection.close();
      }
    } catch (error) {
      return offlineStatus(errorMessage(error));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private open(): Promise<PrinterConnection> {
    if (this.closed) return Promise.reject(new PrinterError('printer closed', { disconnected: true }));
    return this.connect();
  }
}
