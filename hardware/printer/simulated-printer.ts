import { type Clock, systemClock } from '../common.ts';
import { offlineStatus } from './connection.ts';
import { statusBytesFor, statusFromBytes } from './status-bytes.ts';
import { previewText } from './text-preview.ts';
import { PrinterError, type PrinterStatus, type PrintJob, type TicketPrinter } from './types.ts';

export type SimulatedPrinterFaults = {
  paperOut: boolean;
  paperNearEnd: boolean;
  coverOpen: boolean;
  offline: boolean;
};

const NO_FAULTS: SimulatedPrinterFaults = {
  paperOut: false,
  paperNearEnd: false,
  coverOpen: false,
  offline: false,
};
const KEPT_JOBS = 50;

/** The demo's printer (`HALLQ_PRINTER=sim`): keeps the last jobs in memory, faults set by hand. */
export class SimulatedPrinter implements TicketPrinter {
  readonly description = 'simulated printer';
  private faults = NO_FAULTS;
  private jobs: { at: number; label: string; bytes: Uint8Array }[] = [];

  constructor(private readonly clock: Clock = systemClock) {}

  /** Test control: the state every later call sees. */
  setFaults(faults: Partial<SimulatedPrinterFaults>): void {
    this.faults = { ...this.faults, ...faults };
  }

  /** Test control: no faults, no jobs. */
  reset(): void {
    this.faults = NO_FAULTS;
    this.jobs = [];
  }

  printed(): readonly { at: number; label: string; bytes: Uint8Array }[] {
    return this.jobs;
  }

  /** The last jobs, newest first, as the text they would print. */
  recentTickets(limit = 10): { at: string; label: string; text: string }[] {
    return this.jobs
      .slice(-limit)
      .reverse()
      .map((job) => ({ at: new Date(job.at).toISOString(), label: job.label, text: previewText(job.bytes) }));
  }

  async print(job: PrintJob): Promise<PrinterStatus> {
    const status = this.currentStatus();
    if (!status.online) throw new PrinterError(status.detail, { disconnected: true });
    if (status.paperOut || status.coverOpen) {
      throw new PrinterError(`${status.detail}: nothing printed`, {
        paperOut: status.paperOut,
        coverOpen: status.coverOpen,
      });
    }
    this.jobs.push({ at: this.clock.now(), label: job.label, bytes: job.bytes });
    if (this.jobs.length > KEPT_JOBS) this.jobs.shift();
    return status;
  }

  async status(): Promise<PrinterStatus> {
    return this.currentStatus();
  }

  async close(): Promise<void> {
    this.faults = { ...this.faults, offline: true };
  }

  private currentStatus(): PrinterStatus {
    if (this.faults.offline) return offlineStatus('simulated printer switched off');
    // Through the status bytes a real printer would send, so the simulator cannot drift from the drivers.
    const { offline, paper } = statusBytesFor(this.faults);
    return statusFromBytes(offline, paper);
  }
}
