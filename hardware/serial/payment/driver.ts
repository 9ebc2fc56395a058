import { errorMessage, type HardwareLogger } from '../../common.ts';
import { type DeviceConnection, LineDriver } from '../line-device.ts';
import {
  CANCELLED_REASON,
  type PaymentCommand,
  type PaymentReport,
  paymentCommands,
  paymentReports,
} from './codec.ts';

export type PaymentResult =
  | { ok: true; orderId: string; amountFen: number; reference: string }
  | {
      ok: false;
      orderId: string;
      /** `cancelled`: the terminal abandoned it on CANCEL, nothing taken. */
      problem: 'declined' | 'cancelled' | 'timeout' | 'amount-mismatch';
      detail: string;
    };

/** A self-service payment terminal. */
export class PaymentTerminalDriver extends LineDriver<PaymentReport, PaymentCommand> {
  private readonly waiting = new Map<string, (report: PaymentReport) => void>();
  private readonly logger: HardwareLogger;
  private readonly resultTimeoutMs: number;

  /** `resultTimeoutMs`: how long a customer has to pay before HallQ cancels (default 2 minutes). */
  constructor(connection: DeviceConnection, options: { resultTimeoutMs?: number } = {}) {
    super(connection, paymentReports, paymentCommands);
    this.logger = connection.logger;
    this.resultTimeoutMs = options.resultTimeoutMs ?? 120_000;
    this.onReport((report) => {
      const settle = this.waiting.get(report.orderId);
      if (settle) return settle(report);
      // Money may have moved after HallQ gave up: never drop it silently; onResult listeners reconcile.
      this.logger.warn('payment result for no waiting order', { device: connection.name, ...report });
    });
  }

  /**
   * Asks for a payment and waits for its outcome. Rejects with a DeviceError when the terminal did not
   * take the request; resolves with the outcome otherwise. On timeout it sends CANCEL; a PAID arriving
   * later still reaches `onResult`.
   */
  async pay(orderId: string, amountFen: number): Promise<PaymentResult> {
    if (this.waiting.has(orderId)) throw new Error(`payment ${orderId} is already in progress`);
    let timer: NodeJS.Timeout | undefined;
    const outcome = new Promise<PaymentReport | null>((resolve) => {
      timer = setTimeout(() => resolve(null), this.resultTimeoutMs);
      this.waiting.set(orderId, resolve);
    });
    try {
      await this.send({ kind: 'pay', orderId, amountFen });
      const report = await outcome;
      if (!report) {
        await this.cancel(orderId).catch((error: unknown) => {
          this.logger.warn('payment cancel failed', { orderId, error: errorMessage(error) });
        });
        return {
          ok: false,
          orderId,
          problem: 'timeout',
          detail: `no result within ${this.resultTimeoutMs} ms`,
        };
      }
      if (report.kind === 'declined')
        return {
          ok: false,
          orderId,
          problem: report.reason === CANCELLED_REASON ? 'cancelled' : 'declined',
          detail: report.reason,
        };
      if (report.amountFen !== amountFen) {
        const detail = `asked for ${amountFen} fen, terminal reports ${report.amountFen} (ref ${report.reference})`;
        this.logger.warn('payment amount mismatch', { orderId, detail });
        return { ok: false, orderId, problem: 'amount-mismatch', detail };
      }
      return { ok: true, orderId, amountFen, reference: report.reference };
    } finally {
      clearTimeout(timer);
      this.waiting.delete(orderId);
    }
  }

  cancel(orderId: string): Promise<void> {
    return this.send({ kind: 'cancel', orderId });
  }

  /**
   * CANCEL, then the payment's closing report decides: `DECLINED <id> CANCELLED` (true) means the
   * terminal abandoned it and took nothing; a PAID, another DECLINED or no answer within `waitMs` (false)
   * means it was too late, and `pay` settles with the terminal's real outcome.
   */
  async cancelAndConfirm(orderId: string, waitMs: number): Promise<boolean> {
    let stop = () => {};
    const closing = new Promise<PaymentReport | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), waitMs);
      const off = this.onResult((report) => {
        if (report.orderId === orderId) resolve(report);
      });
      stop = () => {
        clearTimeout(timer);
        off();
      };
    });
    try {
      await this.cancel(orderId);
      const report = await closing;
      return report?.kind === 'declined' && report.reason === CANCELLED_REASON;
    } catch {
      return false;
    } finally {
      stop();
    }
  }

  /** Every PAID and DECLINED, including late ones for orders `pay` already gave up on. */
  onResult(listener: (report: PaymentReport) => void): () => void {
    return this.onReport(listener);
  }
}
