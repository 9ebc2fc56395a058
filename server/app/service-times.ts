/** Service times read per service: the latest ones a naive wait estimate averages. */
const KEPT = 20;

/**
 * The latest service times (minutes) of each service, newest first, for the naive wait estimate: read
 * from the finished tickets when a service is first seen, then kept as tickets finish.
 */
export class RecentServiceTimes {
  private readonly times = new Map<string, number[]>();

  constructor(
    private readonly read: (serviceId: string, limit: number) => number[],
    serviceIds: readonly string[],
  ) {
    this.follow(serviceIds);
  }

  /** Reads the times of services not kept yet (a service the manager has just added). */
  follow(serviceIds: readonly string[]): void {
    for (const id of serviceIds) if (!this.times.has(id)) this.times.set(id, this.read(id, KEPT));
  }

  add(serviceId: string, minutes: number): void {
    const times = this.times.get(serviceId) ?? [];
    times.unshift(minutes);
    times.length = Math.min(times.length, KEPT);
    this.times.set(serviceId, times);
  }

  of(serviceId: string): readonly number[] {
    return this.times.get(serviceId) ?? [];
  }
}
