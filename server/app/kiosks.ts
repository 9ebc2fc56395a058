/**
 * The kiosks of the hall: what each may do (`GET /kiosks/:kioskId`), from the hall configuration. A
 * kiosk is known when the configuration lists it, when a configured device names it, or when it
 * presents its own pairing token (made with the CLI).
 */
import type { KioskDevice, KioskView } from '../contract/kiosk.ts';
import { type Outcome, ok, refusal } from './command-path.ts';
import type { KioskDeps } from './kiosk-common.ts';

const DEFAULTS = { idleSeconds: 30, warningSeconds: 10, topUpAmountsFen: [1000, 2000, 5000, 10000] };
const ATTACHABLE = new Set(['id-reader', 'scanner', 'payment']);

export type Kiosks = ReturnType<typeof createKiosks>;

export function createKiosks(deps: KioskDeps, complaintsServiceId: string | null) {
  const { config } = deps;

  function isKnown(kioskId: string, paired = false): boolean {
    return (
      paired ||
      config.kiosks.some((k) => k.id === kioskId) ||
      config.devices.some((d) => d.kioskId === kioskId)
    );
  }

  /**
   * Without a `kioskDevices` source (the hardware wiring gives one), the devices are the configured
   * ones, a payment terminal when the kiosk has one, and in the demo the simulated printer, reader and
   * scanner (driven by the demo controls).
   */
  function devicesOf(kioskId: string): KioskDevice[] {
    if (deps.kioskDevices) return deps.kioskDevices(kioskId);
    const devices: KioskDevice[] = config.devices
      .filter((d) => d.kioskId === kioskId && ATTACHABLE.has(d.kind))
      .map((d) => ({ id: d.id, kind: d.kind as KioskDevice['kind'], status: 'ok' }));
    const has = (kind: KioskDevice['kind']) => devices.some((d) => d.kind === kind);
    if (deps.demo) {
      if (!has('id-reader')) devices.push({ id: `${kioskId}-id-reader`, kind: 'id-reader', status: 'ok' });
      if (!has('scanner')) devices.push({ id: `${kioskId}-scanner`, kind: 'scanner', status: 'ok' });
      devices.unshift({ id: `${kioskId}-printer`, kind: 'printer', status: 'ok' });
    }
    if (!has('payment') && deps.paymentTerminal(kioskId))
      devices.push({ id: `${kioskId}-payment`, kind: 'payment', status: 'ok' });
    return devices;
  }

  function kioskView(kioskId: string, paired = false): Outcome<KioskView> {
    if (!isKnown(kioskId, paired)) return refusal(404, 'unknown-kiosk', `no kiosk ${kioskId} in this hall`);
    const own = config.kiosks.find((k) => k.id === kioskId) ?? DEFAULTS;
    return ok({
      id: kioskId,
      idleSeconds: own.idleSeconds,
      warningSeconds: own.warningSeconds,
      complaintsServiceId,
      topUpAmountsFen: [...own.topUpAmountsFen],
      devices: devicesOf(kioskId),
    });
  }

  return { isKnown, kioskView };
}
