import { errorMessage, type HardwareLogger } from '../../common.ts';
import { type DeviceConnection, LineSimulator } from '../line-device.ts';
import {
  CANCELLED_REASON,
  type PaymentCommand,
  type PaymentReport,
  paymentCommands,
  paymentReports,
} from './codec.ts';

/** How the simulated customer responds to a PAY. */
export type TerminalBehaviour =
  | { kind: 'approve'; afterMs: number }
  | { kind: 'decline'; reason: string; afterMs: number }
  | { kind: 'silent' };

const APPROVE: TerminalBehaviour = { kind: 'approve', afterMs: 20 };

/** A payment terminal on the far end of a cable; approves by default, or as told. */
export class PaymentTerminalSimulator extends LineSimulator<PaymentCommand, PaymentReport> {
  private behaviour: TerminalBehaviour = APPROVE;
  private readonly inProgress = new Map<string, NodeJS.Timeout>();
  private references = 0;
  private readonly logger: HardwareLogger;

  constructor(connection: DeviceConnection) {
    super(connection, paymentCommands, paymentReports);
    this.logger = connection.logger;
  }

  setBehaviour(behaviour: TerminalBehaviour): void {
    this.behaviour = behaviour;
  }

  override reset(): void {
    super.reset();
    this.behaviour = APPROVE;
    for (const timer of this.inProgress.values()) clearTimeout(timer);
    this.inProgress.clear();
  }

  override async close(): Promise<void> {
    for (const timer of this.inProgress.values()) clearTimeout(timer);
    await super.close();
  }

  protected override handle(command: PaymentCommand): void {
    if (command.kind === 'cancel') {
      // A payment still waiting for the customer is abandoned and closed; anything else is too late.
      const waiting = this.inProgress.get(command.orderId);
      if (!waiting) return;
      clearTimeout(waiting);
      this.inProgress.delete(command.orderId);
      this.report({ kind: 'declined', orderId: command.orderId, reason: CANCELLED_REASON });
      return;
    }
    const behaviour = this.behaviour;
    if (behaviour.kind === 'silent') return;
    const { orderId, amountFen } = command;
    const timer = setTimeout(() => {
      this.inProgress.delete(orderId);
      this.references += 1;
      const report: PaymentReport =
        behaviour.kind === 'approve'
          ? { kind: 'paid', orderId, amountFen, reference: `SIM${String(this.references).padStart(6, '0')}` }
          : { kind: 'declined', orderId, reason: behaviour.reason };
      this.report(report);
    }, behaviour.afterMs);
    this.inProgress.set(orderId, timer);
  }

  private report(report: PaymentReport): void {
    this.emit(report).catch((error: unknown) => {
      this.logger.warn('simulated terminal could not report', {
        orderId: report.orderId,
        error: errorMessage(error),
      });
    });
  }
}
