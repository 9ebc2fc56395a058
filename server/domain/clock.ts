/** Time comes in through a Clock so the domain and its tests never read a global "now". */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told: for tests and the hall simulator. */
export class ManualClock implements Clock {
  constructor(private ms: number) {}
  now(): number {
    return this.ms;
  }
  set(ms: number): void {
    this.ms = ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/**
 * The hall's time: the wall clock, but never earlier than a moment already written down. When the
 * wall clock steps back (an NTP correction, a wrong RTC at boot), the hall's time waits for it to catch
 * up, so no calling order changes, no wait turns negative and no day is entered twice. `behindMs` says
 * by how much the wall clock is behind (0 when it is not), for /health.
 */
export class MonotonicClock implements Clock {
  private last: number;

  /** `floor`: the latest time the hall has already recorded (its last event), or 0. */
  constructor(
    private readonly wall: Clock,
    floor = 0,
  ) {
    this.last = floor;
  }

  now(): number {
    const wall = this.wall.now();
    if (wall > this.last) this.last = wall;
    return this.last;
  }

  get behindMs(): number {
    return Math.max(0, this.last - this.wall.now());
  }
}
