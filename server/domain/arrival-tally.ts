/**
 * What the staffing advice counts of a range's days: tickets issued per service, weekday and hour, days
 * seen per weekday, and counters that called someone per weekday and hour. Counts only, so days and
 * months add up in any order to the same tally; its stored form is a month's rollup.
 */

/** A tally as stored: `days` per weekday, `arrivals` `[weekday, hour, serviceId, n][]`, `counters` `[weekday, hour, n][]`. */
export type StoredTally = {
  days: number[];
  arrivals: [weekday: number, hour: number, serviceId: string, n: number][];
  counters: [weekday: number, hour: number, n: number][];
};

/** Cells indexed weekday × 24 + hour: a year adds tens of thousands of them. */
const cell = (weekday: number, hour: number) => weekday * 24 + hour;

export class ArrivalTally {
  readonly daysPerWeekday = new Array<number>(7).fill(0);
  private arrivals = new Map<string, number[]>();
  private staffed = new Array<number>(7 * 24).fill(0);
  /** Tickets per issued service over the whole range. */
  readonly perService = new Map<string, number>();

  /** One day: tickets per hour and issued service, counters that called someone per hour. */
  addDay(
    weekday: number,
    issued: Iterable<readonly [hour: number, serviceId: string, n: number]>,
    counters: Iterable<readonly [hour: number, counters: number]>,
  ): void {
    this.daysPerWeekday[weekday]!++;
    for (const [hour, serviceId, n] of issued) this.addArrivals(weekday, hour, serviceId, n);
    for (const [hour, n] of counters) this.staffed[cell(weekday, hour)]! += n;
  }

  /** A stored tally (a month's). */
  addStored(stored: StoredTally): void {
    stored.days.forEach((n, weekday) => {
      this.daysPerWeekday[weekday]! += n;
    });
    for (const [weekday, hour, serviceId, n] of stored.arrivals)
      this.addArrivals(weekday, hour, serviceId, n);
    for (const [weekday, hour, n] of stored.counters) this.staffed[cell(weekday, hour)]! += n;
  }

  private addArrivals(weekday: number, hour: number, serviceId: string, n: number): void {
    let cells = this.arrivals.get(serviceId);
    if (!cells) {
      cells = new Array<number>(7 * 24).fill(0);
      this.arrivals.set(serviceId, cells);
    }
    cells[cell(weekday, hour)]! += n;
    this.perService.set(serviceId, (this.perService.get(serviceId) ?? 0) + n);
  }

  services(): string[] {
    return [...this.arrivals.keys()];
  }

  /** Mean tickets of the service in that hour of that weekday (0 before any such day). */
  arrivalsPerHour(weekday: number, hour: number, serviceId: string): number {
    const days = this.daysPerWeekday[weekday]!;
    return days === 0 ? 0 : (this.arrivals.get(serviceId)?.[cell(weekday, hour)] ?? 0) / days;
  }

  /** Mean counters that called someone in that hour of that weekday. */
  countersStaffed(weekday: number, hour: number): number {
    const days = this.daysPerWeekday[weekday]!;
    return days === 0 ? 0 : this.staffed[cell(weekday, hour)]! / days;
  }

  stored(): StoredTally {
    const arrivals: StoredTally['arrivals'] = [];
    for (const [serviceId, cells] of this.arrivals)
      cells.forEach((n, i) => {
        if (n > 0) arrivals.push([Math.floor(i / 24), i % 24, serviceId, n]);
      });
    const counters: StoredTally['counters'] = [];
    this.staffed.forEach((n, i) => {
      if (n > 0) counters.push([Math.floor(i / 24), i % 24, n]);
    });
    return { days: [...this.daysPerWeekday], arrivals, counters };
  }
}
