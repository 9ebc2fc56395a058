import type { HallEvent } from '../contract/events.ts';

export type HallListener = (event: HallEvent) => void;

/** Fans committed events out to live subscribers (SSE streams, LED screens, keypads). */
export class EventBus {
  private listeners = new Set<HallListener>();

  subscribe(listener: HallListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A listener that throws is that listener's problem: the others still hear the event. */
  publish(event: HallEvent, onListenerError: (error: unknown) => void): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        onListenerError(error);
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}
