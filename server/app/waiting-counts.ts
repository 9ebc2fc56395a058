import type { Tier } from '../contract/api.ts';
import { TIER_RANK } from '../domain/routing.ts';

type Group = { serviceId: string; front: boolean; tier: Tier };
const keyOf = (g: Group) => `${g.serviceId}|${g.front ? 1 : 0}|${TIER_RANK[g.tier]}`;

/**
 * Waiting tickets counted per service and line group (front, tier), kept beside the database by the
 * command path so a busy hall's queue figures cost the same with 20 or 2,000 people waiting. The counts
 * change only where a ticket joins or leaves a line; after a rolled-back command they are reloaded.
 */
export class WaitingCounts {
  private counts = new Map<string, number>();

  constructor(private readonly load: () => { service_id: string; front: number; tier: Tier; n: number }[]) {
    this.reload();
  }

  reload(): void {
    this.counts.clear();
    for (const r of this.load())
      this.counts.set(keyOf({ serviceId: r.service_id, front: r.front === 1, tier: r.tier }), r.n);
  }

  join(g: Group): void {
    const key = keyOf(g);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  leave(g: Group): void {
    const key = keyOf(g);
    this.counts.set(key, (this.counts.get(key) ?? 0) - 1);
  }

  waitingIn(serviceId: string): number {
    let n = 0;
    for (const [key, count] of this.counts) if (key.startsWith(`${serviceId}|`)) n += count;
    return n;
  }

  /** The place in line (1 = next) of a ticket that has just joined the end of its group. */
  placeOfNewest(g: Group): number {
    let ahead = 0;
    for (const [key, count] of this.counts) {
      const [serviceId, front, rank] = key.split('|');
      if (serviceId !== g.serviceId) continue;
      const f = front === '1';
      if (f === g.front ? Number(rank) <= TIER_RANK[g.tier] : f) ahead += count;
    }
    return ahead;
  }
}
