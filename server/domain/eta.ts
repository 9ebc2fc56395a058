/**
 * The first, naive ETA: people ahead × recent mean service time ÷ counters serving the service.
 * With no counter open it still answers as if one were, rather than "never".
 */
export function naiveEtaMinutes(
  peopleAhead: number,
  meanServiceMinutes: number,
  countersServing: number,
): number {
  return Math.round((peopleAhead * meanServiceMinutes) / Math.max(1, countersServing));
}

export const DEFAULT_SERVICE_MINUTES = 5;

/** Mean of the latest service times (minutes), or the default when there is no history yet. */
export function meanServiceMinutes(recent: readonly number[]): number {
  if (recent.length === 0) return DEFAULT_SERVICE_MINUTES;
  return recent.reduce((a, b) => a + b, 0) / recent.length;
}
