/** What hardware code needs from the host process; passed in, never reached globally. */
export interface HardwareLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** Milliseconds since the epoch; injected so staleness and ages are testable. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
