/** What every screen may need to know about the hall and this kiosk, from the kiosk machine's context. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { HallInfo, Lang, ServiceView, Text } from '../../server/contract/api.ts';
import { DEVICE_USABLE_STATUSES, type DeviceStatus } from '../../server/contract/devices.ts';
import type { KioskDeviceKind, KioskView } from '../../server/contract/kiosk.ts';
import { waitWording } from '../../server/contract/wait-wording.ts';

export type HallData = {
  hall: HallInfo;
  kiosk: KioskView;
  /** Live waiting figures per service. */
  services: ServiceView[];
  /** Where the phone tracking page lives: `location.origin` of the kiosk. */
  origin: string;
};

export const HallContext = createContext<HallData | null>(null);

const isUsable = (status: DeviceStatus) => DEVICE_USABLE_STATUSES.includes(status);

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
 * "3 人等候 · 约 6–12 分钟", "无需等候", or while no open counter serves it "0 人等候 · 预计 14:00 开放":
 * the service buttons' line, worded by the one wait wording of every screen.
 */
export function serviceWaitText(lang: Lang, live: ServiceView, timeZone: string, now = Date.now()): string {
  const said = waitWording({ ...live, position: null }, { now, timeZone });
  if (!live.open || (said.servedNow && live.waiting === 0)) return said.place[lang];
  return `${said.place[lang]} · ${said.short[lang]}`;
}
