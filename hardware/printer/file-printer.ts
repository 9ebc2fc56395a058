import { constants } from 'node:fs';
import { access, open } from 'node:fs/promises';
import { offlineStatus, UNVERIFIED_STATUS } from './connection.ts';
import { PrinterError, type PrinterStatus, type PrintJob, type TicketPrinter } from './types.ts';

/**
 * A printer behind a device file (`/dev/usb/lp0`). It cannot report paper or cover, so print() resolves
 * with `sensors: false`. Hazard: a write the kernel has accepted cannot be cancelled, so after a
 * `timeout` rejection the ticket may still come out later; TCP printers are preferred for kiosks.
 */
export class FilePrinter implements TicketPrinter {
  readonly description: string;
  private closed = false;

  constructor(
    private readonly path: string,
    private readonly timeoutMs: number,
  ) {
    this.description = path;
  }

  async print(job: PrintJob): Promise<PrinterStatus> {
    if (this.closed) throw new PrinterError('printer closed', { disconnected: true });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new PrinterError(`${this.path} took no data for ${this.timeoutMs} ms`, { timeout: true })),
        this.timeoutMs,
      );
    });
    try {
      await Promise.race([this.write(job.bytes), deadline]);
      return UNVERIFIED_STATUS;
    } finally {
      clearTimeout(timer);
    }
  }

  async status(): Promise<PrinterStatus> {
    try {
      await access(this.path, constants.W_OK);
      return { ...UNVERIFIED_STATUS, detail: 'device file present; it reports no paper or cover status' };
    } catch (error) {
      return offlineStatus(`${this.path}: ${(error as NodeJS.ErrnoException).code ?? 'not writable'}`);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private async write(bytes: Uint8Array): Promise<void> {
    let file: Awaited<ReturnType<typeof open>>;
    try {
      // No O_CREAT: with the printer unplugged the path is gone, and creating a plain file there would
      // swallow every ticket.
      file = await open(this.path, constants.O_WRONLY | constants.O_APPEND);
    } catch (error) {
      throw new PrinterError(`${this.path}: ${(error as Error).message}`, { disconnected: true });
    }
    try {
      await file.write(bytes);
    } catch (error) {
      throw new PrinterError(`${this.path}: ${(error as Error).message}`, { disconnected: true });
    } finally {
      await file.close();
    }
  }
}
