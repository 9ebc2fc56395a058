/**
 * One live hall stream per page, shared by every machine that listens (the kiosk's waiting figures, the
 * card reader and the scanner of the step on screen). Opened with the first listener, closed with the
 * last; a late listener gets the latest snapshot and connection state at once.
 */
import type { HallSnapshot } from '../server/contract/api.ts';
import type { ConnectionState, HallStreamHandlers } from '../server/contract/client.ts';
import type { HallEvent } from '../server/contract/events.ts';
import { KIOSK_EVENT_NAMES } from '../server/contract/kiosk.ts';

export type KioskEvent = HallEvent<(typeof KIOSK_EVENT_NAMES)[number]>;

export type HallListener = Partial<HallStreamHandlers> & {
  /** Events addressed to this kiosk (ID card reads, scans). */
  onKioskEvent?(event: KioskEvent): void;
};

type Open = (handlers: HallStreamHandlers) => () => void;

export function createHallFeed(open: Open, kioskId: string | null = null) {
  const listeners = new Set<HallListener>();
  let close: (() => void) | null = null;
  let snapshot: HallSnapshot | null = null;
  let connection: ConnectionState | null = null;

  const handlers: HallStreamHandlers = {
    onSnapshot(next) {
      snapshot = next;
      for (const l of listeners) l.onSnapshot?.(next);
    },
    onEvent(event) {
      const addressed = asKioskEvent(event, kioskId);
      // To those listening when it came: a listener may hand over to one that subscribes as it acts (the
      // first screen's card reader to the identification step), which must not take the same read again.
      for (const l of [...listeners]) {
        if (addressed) l.onKioskEvent?.(addressed);
        else l.onEvent?.(event);
      }
    },
    onConnection(state) {
      connection = state;
      for (const l of listeners) l.onConnection?.(state);
    },
  };

  return {
    subscribe(listener: HallListener): () => void {
      listeners.add(listener);
      if (close === null) close = open(handlers);
      if (snapshot) listener.onSnapshot?.(snapshot);
      if (connection) listener.onConnection?.(connection);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && close) {
          close();
          close = null;
          snapshot = null;
          connection = null;
        }
      };
    },
  };
}

export type HallFeed = ReturnType<typeof createHallFeed>;

/** A kiosk event for this kiosk, or null (the server addresses them by stream; this double-checks). */
function asKioskEvent(event: HallEvent, kioskId: string | null): KioskEvent | null {
  const isKioskEvent = (e: HallEvent): e is KioskEvent =>
    (KIOSK_EVENT_NAMES as readonly string[]).includes(e.type);
  return isKioskEvent(event) && event.data.kioskId === kioskId ? event : null;
}
