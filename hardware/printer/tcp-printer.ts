import net from 'node:net';
import { ByteInbox, ConnectionPrinter, type PrinterConnection, type StatusPolicy } from './connection.ts';
import { PrinterError } from './types.ts';

export type TcpPrinterOptions = {
  host: string;
  port: number;
  status: StatusPolicy;
  /** Connecting and handing over the bytes each get this long. */
  timeoutMs: number;
};

/**
 * A network printer on raw port 9100. One connection per job: a printer holding an idle connection
 * often refuses every other client, and a fresh connection proves the printer is still there.
 */
export class TcpPrinter extends ConnectionPrinter {
  readonly description: string;

  constructor(private readonly options: TcpPrinterOptions) {
    super(options.status);
    this.description = `tcp://${options.host}:${options.port}`;
  }

  protected connect(): Promise<PrinterConnection> {
    const { host, port, timeoutMs } = this.options;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      socket.setNoDelay(true);
      const inbox = new ByteInbox();
      const connectTimer = setTimeout(() => {
        socket.destroy();
        reject(
          new PrinterError(`no connection to ${this.description} within ${timeoutMs} ms`, { timeout: true }),
        );
      }, timeoutMs);
      socket.on('data', (chunk) => inbox.push(chunk));
      socket.on('error', (error) => {
        clearTimeout(connectTimer);
        const failure = new PrinterError(`${this.description}: ${error.message}`, { disconnected: true });
        inbox.fail(failure);
        reject(failure);
      });
      socket.on('close', () => {
        inbox.fail(new PrinterError(`${this.description} closed the connection`, { disconnected: true }));
      });
      socket.once('connect', () => {
        clearTimeout(connectTimer);
        resolve(socketConnection(socket, inbox, this.description, timeoutMs));
      });
    });
  }
}

function socketConnection(
  socket: net.Socket,
  inbox: ByteInbox,
  description: string,
  timeoutMs: number,
): PrinterConnection {
  return {
    write: (bytes) =>
      new Promise((resolve, reject) => {
        if (socket.destroyed) {
          reject(new PrinterError(`${description} closed the connection`, { disconnected: true }));
          return;
        }
        const timer = setTimeout(() => {
          socket.destroy();
          reject(new PrinterError(`${description} took no data for ${timeoutMs} ms`, { timeout: true }));
        }, timeoutMs);
        socket.write(bytes, (error) => {
          clearTimeout(timer);
          if (error) reject(new PrinterError(`${description}: ${error.message}`, { disconnected: true }));
          else resolve();
        });
      }),
    readByte: (replyTimeoutMs) => inbox.next(replyTimeoutMs, `${description} did not answer a status query`),
    discardInput: () => inbox.clear(),
    close: () =>
      new Promise((resolve) => {
        if (socket.destroyed) return resolve();
        // end() lets the last bytes drain before FIN; destroy() after a grace period if the peer hangs.
        const timer = setTimeout(() => socket.destroy(), timeoutMs);
        socket.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        socket.end();
      }),
  };
}
