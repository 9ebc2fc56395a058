/**
 * The kiosk's use cases, wired together: one object for the HTTP router and for main.ts, which also
 * hands `recordDeviceRead` to the ID card reader and scanner drivers.
 */
import type { SmsOutboxMessage } from '../contract/kiosk.ts';
import type {
  SimulatedOutcome,
  SimulatedPaymentTerminal,
} from '../integrations/payment/simulated-terminal.ts';
import { createAppointments } from './appointments.ts';
import { createDeviceReads, type DeviceReads } from './device-reads.ts';
import { createFeedback } from './feedback.ts';
import { createIdentify } from './identify.ts';
import type { KioskDeps } from './kiosk-common.ts';
import { createKiosks } from './kiosks.ts';
import { createSelfService } from './self-service.ts';

export type { DeviceRead } from './device-reads.ts';
export type { KioskDeps, PrintReceipt, ReceiptData } from './kiosk-common.ts';

export type KioskServicesDeps = KioskDeps & {
  /** Demo mode only: the simulated terminal the demo controls steer. */
  simulatedPayment?: SimulatedPaymentTerminal;
  /** Demo mode only: the SMS outbox the manager page shows. */
  smsOutbox?: { list(limit?: number): SmsOutboxMessage[] };
};

export type KioskServices = ReturnType<typeof createKioskServices>;

export function createKioskServices(deps: KioskServicesDeps) {
  let reads: DeviceReads | null = null;
  const appointments = createAppointments(deps, () => reads!);
  reads = createDeviceReads(deps, appointments.findAppointmentId);
  const identify = createIdentify(deps, reads);
  const feedback = createFeedback(deps);
  const kiosks = createKiosks(deps, feedback.complaintsServiceId);
  const selfService = createSelfService(deps);
  if (deps.demo) appointments.seedDemo();
  selfService.recover();

  const demo = deps.demo
    ? {
        steerPayment(outcome: SimulatedOutcome, delayMs?: number): boolean {
          if (!deps.simulatedPayment) return false;
          deps.simulatedPayment.next(outcome, delayMs);
          return true;
        },
        outbox: (): SmsOutboxMessage[] | null => deps.smsOutbox?.list() ?? null,
      }
    : null;

  return {
    kiosks,
    identify,
    appointments,
    feedback,
    selfService,
    /**
     * For the ID card reader and scanner drivers (wired in main.ts): stores a read for one minute under a
     * one-time readId and tells that kiosk (`kiosk.id-card` / `kiosk.scan`).
     */
    recordDeviceRead: reads.record,
    /**
     * For a payment terminal adapter whose driver reports results after `pay()` settled (a PAID that
     * came after its own timeout): the money is recorded, credited and receipted all the same.
     */
    recordPaymentResult: selfService.recordPaymentResult,
    /** Controls of the demo's stand-ins; null outside demo mode. */
    demo,
  };
}
