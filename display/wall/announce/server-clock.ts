/**
 * The server's clock as seen from this screen. A wall display is often a TV stick or a mini PC whose
 * clock is minutes off; judging a call's age by its server timestamp against that clock would drop every
 * call (or announce stale ones). Each observation of a server time bounds the offset from below
 * (local = server + offset + delivery delay), so the smallest recent one is the best estimate.
 */
const SAMPLES_KEPT = 50;

export function createServerClock(now: () => number) {
  const samples: number[] = [];
  const observe = (serverMs: number) => {
    if (Number.isNaN(serverMs)) return;
    samples.push(now() - serverMs);
    // A window rather than all history, so a corrected local clock is followed within a while.
    if (samples.length > SAMPLES_KEPT) samples.shift();
  };
  const offset = () => (samples.length === 0 ? 0 : Math.min(...samples));
  return {
    /** A timestamp the server just sent (an event's `at`). */
    observeIso(iso: string) {
      observe(Date.parse(iso));
    },
    /** An HTTP `Date` header: whole seconds, truncated, so add half a second. */
    observeHttpDate(header: string | null) {
      if (header) observe(Date.parse(header) + 500);
    },
    /** A server time on the local clock; unchanged until anything was observed. */
    toLocal(iso: string): number {
      return Date.parse(iso) + offset();
    },
    /** The server's time now, as best this screen can tell. */
    serverNow(): number {
      return now() - offset();
    },
  };
}

export type ServerClock = ReturnType<typeof createServerClock>;
