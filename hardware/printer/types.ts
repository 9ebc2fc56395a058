/** Bytes ready for the printer (built by layout.ts) and a label for logs and outcomes. */
export type PrintJob = { label: string; bytes: Uint8Array };

export type PrinterStatus = {
  /** The printer answered (TCP/serial) or its device file is present. */
  online: boolean;
  paperOut: boolean;
  /** Paper is low but printing still works: reported so staff can refill before the roll ends. */
  paperNearEnd: boolean;
  coverOpen: boolean;
  /**
   * False when the connection cannot report paper and cover (device files, or status queries turned off
   * for a printer that does not answer them): the three flags above are then unknown and left false.
   */
  sensors: boolean;
  detail: string;
};

/** Why a print failed. Flags, not subclasses: a printer can be out of paper and have its cover open. */
export class PrinterError extends Error {
  readonly paperOut: boolean;
  readonly coverOpen: boolean;
  /** Could not connect, or the connection broke: the job may be partly printed. */
  readonly disconnected: boolean;
  /** The printer did not answer or accept the bytes in time. */
  readonly timeout: boolean;

  constructor(
    message: string,
    flags: { paperOut?: boolean; coverOpen?: boolean; disconnected?: boolean; timeout?: boolean },
  ) {
    super(message);
    this.name = 'PrinterError';
    this.paperOut = flags.paperOut ?? false;
    this.coverOpen = flags.coverOpen ?? false;
    this.disconnected = flags.disconnected ?? false;
    this.timeout = flags.timeout ?? false;
  }
}

/**
 * A ticket or receipt printer. Guarantees of every implementation:
 * - `print()` settles within the driver's timeouts (seconds, never minutes). Before sending it asks the
 *   printer for its status where the connection can answer: with the paper out or the cover open nothing
 *   is sent and it rejects with a `PrinterError` (`paperOut` / `coverOpen`). When the printer is gone it
 *   rejects with `disconnected`, when it stays silent with `timeout`.
 * - It resolves only once the bytes were handed to the printer and, where it answers status queries, the
 *   printer was still well afterwards; it resolves with that status (`paperNearEnd` = refill soon).
 * - It never retries by itself: a ticket printed minutes late is worse than none. The caller decides.
 * - Calls are not queued: use `PrintQueue` to serialise jobs from several callers.
 */
export interface TicketPrinter {
  /** Where it prints, for logs and the health page (never contains credentials). */
  readonly description: string;
  print(job: PrintJob): Promise<PrinterStatus>;
  /** Asks the printer now. Resolves with `online: false` instead of rejecting when it cannot be reached. */
  status(): Promise<PrinterStatus>;
  /** Releases connections and timers; later calls reject with `disconnected`. */
  close(): Promise<void>;
}
