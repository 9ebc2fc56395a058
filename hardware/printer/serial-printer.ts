import { SerialPortStream } from '@serialport/stream';
import type { SerialBinding } from '../serial/binding.ts';
import { ByteInbox, ConnectionPrinter, type PrinterConnection, type StatusPolicy } from './connection.ts';
import { PrinterError } from './types.ts';

export type SerialPrinterOptions = {
  path: string;
  baudRate: number;
  binding: SerialBinding;
  status: StatusPolicy;
  timeoutMs: number;
};

/**
 * A printer on a serial line (`serial:/dev/ttyUSB0?baud=19200`). The port is opened per job and closed
 * after, so an unplugged cable costs one failed job and nothing has to reconnect in between.
 */
export class SerialPrinter extends ConnectionPrinter {
  readonly description: string;

  constructor(private readonly options: SerialPrinterOptions) {
    super(options.status);
    this.description = `serial:${options.path}?baud=${options.baudRate}`;
  }

  protected connect(): Promise<PrinterConnection> {
    const { path, baudRate, binding, timeoutMs } = this.options;
    const port = new SerialPortStream({ binding, path, baudRate, autoOpen: false });
    const inbox = new ByteInbox();
    const gone = (detail: string) =>
      inbox.fail(new PrinterError(`${this.description}: ${detail}`, { disconnected: true }));
    port.on('data', (chunk: Buffer) => inbox.push(chunk));
    port.on('error', (error: Error) => gone(error.message));
    port.on('close', () => gone('port closed'));
    return new Promise((resolve, reject) => {
      port.open((error) => {
        if (error) reject(new PrinterError(`${this.description}: ${error.message}`, { disconnected: true }));
        else resolve(portConnection(port, inbox, this.description, timeoutMs));
      });
    });
  }
}

function portConnection(
  port: SerialPortStream,
  inbox: ByteInbox,
  description: string,
  timeoutMs: number,
): PrinterConnection {
  return {
    write: (bytes) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new PrinterError(`${description} took no data for ${timeoutMs} ms`, { timeout: true })),
          timeoutMs,
        );
        port.write(Buffer.from(bytes), (error) => {
          clearTimeout(timer);
          if (error) reject(new PrinterError(`${description}: ${error.message}`, { disconnected: true }));
          else resolve();
        });
      }),
    readByte: (replyTimeoutMs) => inbox.next(replyTimeoutMs, `${description} did not answer a status query`),
    discardInput: () => inbox.clear(),
    close: () =>
      new Promise((resolve) => {
        if (!port.isOpen) return resolve();
        port.close(() => resolve());
      }),
  };
}
