import { describe, expect, it, vi } from 'vitest';
import { PrintQueue } from './print-queue.ts';
import { SimulatedPrinter } from './simulated-printer.ts';
import type { PrinterStatus, PrintJob, TicketPrinter } from './types.ts';

const job = (label: string): PrintJob => ({ label, bytes: Uint8Array.of(0x0a) });
const logger = () => ({ warn: vi.fn() });

/** A printer whose jobs finish only when the test says so. */
class HeldPrinter implements TicketPrinter {
  readonly description = 'held';
  readonly started: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private releases: (() => void)[] = [];
  private readonly sim = new SimulatedPrinter();

  async print(printJob: PrintJob): Promise<PrinterStatus> {
    this.started.push(printJob.label);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise<void>((resolve) => this.releases.push(resolve));
    this.inFlight -= 1;
    return this.sim.status();
  }
  release(): void {
    this.releases.shift()?.();
  }
  status(): Promise<PrinterStatus> {
    return this.sim.status();
  }
  async close(): Promise<void> {}
}

describe('PrintQueue', () => {
  it('returns at once and prints one job at a time in order', async () => {
    const printer = new HeldPrinter();
    const queue = new PrintQueue(printer, { logger: logger(), pollIntervalMs: 0 });
    const outcomes = ['a', 'b', 'c'].map((label) => queue.enqueue(job(label)));
    expect(queue.pending()).toBe(3);
    await vi.waitFor(() => expect(printer.started).toEqual(['a']));
    printer.release();
    await vi.waitFor(() => expect(printer.started).toEqual(['a', 'b']));
    printer.release();
    await vi.waitFor(() => expect(printer.started).toEqual(['a', 'b', 'c']));
    printer.release();
    expect((await Promise.all(outcomes)).map((o) => o.ok)).toEqual([true, true, true]);
    expect(printer.maxInFlight).toBe(1);
  });

  it('drops a job that waited longer than maxAgeMs instead of printing it late', async () => {
    const printer = new HeldPrinter();
    let now = 1_000_000;
    const log = logger();
    const queue = new PrintQueue(printer, {
      logger: log,
      clock: { now: () => now },
      maxAgeMs: 30_000,
      pollIntervalMs: 0,
    });
    const first = queue.enqueue(job('first'));
    const late = queue.enqueue(job('late'));
    await vi.waitFor(() => expect(printer.started).toEqual(['first']));
    now += 31_000;
    printer.release();
    expect(await first).toMatchObject({ ok: true });
    expect(await late).toMatchObject({ ok: false, problem: 'stale' });
    expect(printer.started).toEqual(['first']);
    expect(log.warn).toHaveBeenCalledWith(
      'print job dropped as stale',
      expect.objectContaining({ label: 'late' }),
    );
  });

  it('reports paper out as the outcome and the health, and does not retry', async () => {
    const printer = new SimulatedPrinter();
    const print = vi.spyOn(printer, 'print');
    printer.setFaults({ paperOut: true });
    const queue = new PrintQueue(printer, { logger: logger(), pollIntervalMs: 0 });
    const seen: string[] = [];
    queue.onStatus((health) => seen.push(health.status));
    expect(await queue.enqueue(job('A001'))).toMatchObject({ ok: false, problem: 'paper-out' });
    expect(queue.health().status).toBe('paper-out');
    printer.setFaults({ paperOut: false });
    expect(await queue.enqueue(job('A002'))).toMatchObject({ ok: true });
    expect(print).toHaveBeenCalledTimes(2);
    expect(printer.printed().map((j) => j.label)).toEqual(['A002']);
    expect(seen).toEqual(['paper-out', 'ok']);
  });

  it('reports paper near end early while still printing', async () => {
    const printer = new SimulatedPrinter();
    printer.setFaults({ paperNearEnd: true });
    const queue = new PrintQueue(printer, { logger: logger(), pollIntervalMs: 0 });
    expect(await queue.enqueue(job('A001'))).toMatchObject({ ok: true, status: { paperNearEnd: true } });
    expect(queue.health()).toEqual({ status: 'paper-near-end', detail: 'paper near end' });
  });

  it('polls an idle printer so a closed cover and its repair show without a job', async () => {
    const printer = new SimulatedPrinter();
    const queue = new PrintQueue(printer, { logger: logger(), pollIntervalMs: 20 });
    await vi.waitFor(() => expect(queue.health().status).toBe('ok'));
    printer.setFaults({ coverOpen: true });
    await vi.waitFor(() => expect(queue.health().status).toBe('cover-open'));
    printer.setFaults({ offline: true });
    await vi.waitFor(() => expect(queue.health().status).toBe('offline'));
    await queue.close();
  });

  it('fails waiting jobs on close and refuses new ones', async () => {
    const printer = new HeldPrinter();
    const queue = new PrintQueue(printer, { logger: logger(), pollIntervalMs: 0 });
    const printing = queue.enqueue(job('printing'));
    const waiting = queue.enqueue(job('waiting'));
    await vi.waitFor(() => expect(printer.started).toEqual(['printing']));
    const closed = queue.close();
    expect(await waiting).toMatchObject({ ok: false, problem: 'offline' });
    printer.release();
    await closed;
    expect(await printing).toMatchObject({ ok: true });
    expect(await queue.enqueue(job('after'))).toMatchObject({ ok: false, problem: 'offline' });
  });
});
