/** What every screen may need to know about the hall and this kiosk, from the kiosk machine's context. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { HallInfo, ServiceView, Text } from '../../server/contract/api.ts';
import {
  DEVICE_USABLE_STATUSES,
  type KioskConfig,
  type KioskDeviceKind,
} from '../../server/contract/kiosk.ts';
import type { Params } from '../i18n/index.ts';
import { s } from '../i18n/kiosk.ts';

export type HallData = {
  hall: HallInfo;
  kiosk: KioskConfig;
  /** Live waiting figures per service. */
  services: ServiceView[];
  /** Where the phone tracking page lives: `location.origin` of the kiosk. */
  origin: string;
};

export const HallContext = createContext<HallData | null>(null);

const isUsable = (status: string) => (DEVICE_USABLE_STATUSES as readonly string[]).includes(status);

export function useHall() {
  const data = useContext(HallContext);
  if (!data) throw new Error('useHall outside HallContext');
  const devices = (kind: KioskDeviceKind) => data.kiosk.devices.filter((d) => d.kind === kind);
  return {
    ...data,
    serviceName: (id: string): Text =>
      data.hall.services.find((x) => x.id === id)?.name ?? { zh: id, en: id },
    live: (id: string) => data.services.find((s) => s.id === id),
    /**
     * A device of this kind is attached and working. A kind the kiosk does not list is not attached:
     * the screens offer the other ways instead.
     */
    usable: (kind: KioskDeviceKind) => devices(kind).some((d) => isUsable(d.status)),
    /** The printer is attached but out of paper, open or gone: say so before issuing. */
    printerTrouble: () => devices('printer').some((d) => !isUsable(d.status)),
    absoluteUrl: (path: string) => new URL(path, data.origin).href,
  };
}

/**
 * "3 waiting · about 6–12 min" (the forecast interval; "about 9 min" without one), or "no wait"; for the
 * attract board and the service buttons.
 */
export function waitingText(t: (text: Text, params?: Params) => string, live: ServiceView): string {
  if (!live.open) return t(s.closed);
  if (live.waiting === 0) return t(s.noWait);
  const range = live.etaRange;
  const eta =
    range && range.high > range.low && range.high < 60
      ? t(s.etaMinutesRange, range)
      : t(s.etaMinutes, { n: live.etaMinutes });
  return `${t(s.waitingCount, { n: live.waiting })} · ${eta}`;
}
