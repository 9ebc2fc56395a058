import { useEffect, useRef, useState } from 'preact/hooks';
import type { HallSnapshot } from '../../server/contract/api.ts';
import {
  type ConnectionState,
  type HallStreamOptions,
  openHallStream,
} from '../../server/contract/client.ts';
import type { HallEvent } from '../../server/contract/events.ts';
import { applyEvent, applySnapshot, type HallState } from './hall-state.ts';

export type HallStreamListeners = {
  /** Called once per event, in id order, after the state has taken it in. */
  onEvent?(event: HallEvent, state: HallState): void;
  onSnapshot?(snapshot: HallSnapshot, state: HallState): void;
};

/**
 * The live hall for a page: the state (null until the first snapshot) and the connection, from one
 * stream that lives as long as the component. Listeners may change between renders without reopening it.
 */
export function useHallStream(
  listeners: HallStreamListeners = {},
  options: HallStreamOptions = {},
): { hall: HallState | null; connection: ConnectionState } {
  const [hall, setHall] = useState<HallState | null>(null);
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const latest = useRef(listeners);
  latest.current = listeners;
  const openWith = useRef(options);

  useEffect(() => {
    // The state lives here as well as in Preact so that listeners see each event applied in order,
    // even when several arrive before the next render.
    let state: HallState | null = null;
    return openHallStream(
      {
        onSnapshot(snapshot) {
          state = applySnapshot(state, snapshot);
          setHall(state);
          latest.current.onSnapshot?.(snapshot, state);
        },
        onEvent(event) {
          if (state === null) return; // every stream starts with a snapshot; nothing comes before it
          state = applyEvent(state, event);
          setHall(state);
          latest.current.onEvent?.(event, state);
        },
        onConnection: setConnection,
      },
      openWith.current,
    );
  }, []);

  return { hall, connection };
}
