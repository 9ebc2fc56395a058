import { type Clock, errorMessage, type HardwareLogger, systemClock } from '../common.ts';
import { PrinterError, type PrinterStatus, type PrintJob, type TicketPrinter } from './types.ts';

export type PrintProblem = 'paper-out' | 'cover-open' | 'offline' | 'timeout' | 'stale' | 'error';

/** Expected outcomes are values: a caller awaiting a print never has to catch. */
export type PrintOutcome =
  | { ok: true; status: PrinterStatus }
  | { ok: false; problem: PrintProblem; detail: string };

export type PrinterHealthStatus = 'ok' | 'paper-near-end' | 'paper-out' | 'cover-open' | 'offline';
export type PrinterHealth = { status: PrinterHealthStatus; detail: string };

export type PrintQueueOptions = {
  logger: HardwareLogger;
  clock?: Clock;
  /** A job still waiting after this long is failed as `stale` instead of printed. */
  maxAgeMs?: number;
  /** How often an idle queue asks the printer for its status (0 = at start and around jobs only). */
  pollIntervalMs?: number;
};

type Waiting = { job: PrintJob; enqueuedAt: number; settle: (outcome: PrintOutcome) => void };

/**
 * Serialises print jobs so the command path never waits on paper: `enqueue` returns at once with a
 * promise of the outcome. One job at a time; a job whose turn comes too late is dropped as `stale`
 * (a ticket printed minutes after it was asked for is worse than none); a failed job is reported,
 * never retried — the kiosk decides whether to reprint.
 */
export class PrintQueue {
  private readonly waiting: Waiting[] = [];
  private running = false;
  private printing = false;
  private closed = false;
  private current: PrinterHealth = { status: 'offline', detail: 'not checked yet' };
  private readonly listeners = new Set<(health: PrinterHealth) => void>();
  private readonly clock: Clock;
  private readonly maxAgeMs: number;
  private readonly poller: NodeJS.Timeout | null;
  private idle: Promise<void> = Promise.resolve();
  private polling: Promise<void> | null = null;

  constructor(
    private readonly printer: TicketPrinter,
    private readonly options: PrintQueueOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.maxAgeMs = options.maxAgeMs ?? 30_000;
    const pollIntervalMs = options.pollIntervalMs ?? 15_000;
    this.poller = pollIntervalMs > 0 ? setInterval(() => void this.poll(), pollIntervalMs) : null;
    this.poller?.unref();
    void this.poll(); // health is known from the start, not only after the first ticket
  }

  enqueue(job: PrintJob): Promise<PrintOutcome> {
    if (this.closed) return Promise.resolve({ ok: false, problem: 'offline', detail: 'print queue closed' });
    return new Promise((settle) => {
      this.waiting.push({ job, enqueuedAt: this.clock.now(), settle });
      if (!this.running) this.idle = this.drain();
    });
  }

  /** Jobs not yet finished, the one printing included. */
  pending(): number {
    return this.waiting.length + (this.printing ? 1 : 0);
  }

  health(): PrinterHealth {
    return this.current;
  }

  /** Called on every change of status or detail. Returns the unsubscribe function. */
  onStatus(listener: (health: PrinterHealth) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Fails the waiting jobs, lets the current one finish, stops polling. Does not close the printer. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.poller) clearInterval(this.poller);
    for (const waiting of this.waiting.splice(0)) {
      waiting.settle({ ok: false, problem: 'offline', detail: 'print queue closed' });
    }
    await Promise.all([this.idle, this.polling]);
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      // One conversation with the printer at a time: many printers take a single TCP client.
      if (this.polling) await this.polling;
      for (let next = this.waiting.shift(); next; next = this.waiting.shift()) {
        this.printing = true;
        next.settle(await this.run(next));
        this.printing = false;
      }
    } finally {
      this.running = false;
      this.printing = false;
    }
  }

  private async run({ job, enqueuedAt }: Waiting): Promise<PrintOutcome> {
    const age = this.clock.now() - enqueuedAt;
    if (age > this.maxAgeMs) {
      const detail = `${job.label} waited ${Math.round(age / 1000)} s for the printer; not printed`;
      this.options.logger.warn('print job dropped as stale', { label: job.label, ageMs: age });
      return { ok: false, problem: 'stale', detail };
    }
    try {
      const status = await this.printer.print(job);
      this.report(healthOf(status));
      return { ok: true, status };
    } catch (error) {
      const problem = problemOf(error);
      const detail = errorMessage(error);
      this.options.logger.warn('print job failed', { label: job.label, problem, detail });
      const status = healthAfter(problem);
      if (status) this.report({ status, detail });
      return { ok: false, problem, detail };
    }
  }

  private poll(): Promise<void> {
    if (this.running || this.polling || this.closed) return Promise.resolve();
    this.polling = this.printer
      .status()
      .then(
        (status) => healthOf(status),
        (error: unknown): PrinterHealth => ({ status: 'offline', detail: errorMessage(error) }),
      )
      .then((health) => {
        // A job queued meanwhile will report something newer than this answer.
        if (!this.running) this.report(health);
      })
      .finally(() => {
        this.polling = null;
      });
    return this.polling;
  }

  private report(health: PrinterHealth): void {
    if (health.status === this.current.status && health.detail === this.current.detail) return;
    this.current = health;
    for (const listener of this.listeners) listener(health);
  }
}

function healthOf(status: PrinterStatus): PrinterHealth {
  const { detail } = status;
  if (!status.online) return { status: 'offline', detail };
  if (status.paperOut) return { status: 'paper-out', detail };
  if (status.coverOpen) return { status: 'cover-open', detail };
  if (status.paperNearEnd) return { status: 'paper-near-end', detail };
  return { status: 'ok', detail };
}

/** What a failed job says about the printer; nothing for failures that are not about its state. */
function healthAfter(problem: PrintProblem): PrinterHealthStatus | null {
  if (problem === 'paper-out' || problem === 'cover-open' || problem === 'offline') return problem;
  return problem === 'timeout' ? 'offline' : null;
}

function problemOf(error: unknown): PrintProblem {
  if (!(error instanceof PrinterError)) return 'error';
  if (error.paperOut) return 'paper-out';
  if (error.coverOpen) return 'cover-open';
  if (error.timeout) return 'timeout';
  return error.disconnected ? 'offline' : 'error';
}
