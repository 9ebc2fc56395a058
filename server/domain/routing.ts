import type { CallReason, Tier } from '../contract/api.ts';
import { MINUTE } from './clock.ts';

/**
 * Routing: which waiting ticket a counter calls next. The rule, in order:
 *
 * 1. Overdue first. A ticket is overdue once it has been passed over `maxPassOvers` times (a ticket
 *    queued after it was called by a counter that could have served it) or has waited
 *    `maxWaitFactor` × its service's wait target. Overdue tickets go in queue order. This is the hard
 *    bound: no ticket is passed over more than `maxPassOvers` times, whatever arrives after it.
 * 2. Tickets a manager or counter sent to the front of a queue (transfer with `front`), in queue order.
 * 3. The counter's own services before those it helps with: services are grouped by the counter's
 *    weight for them (the first-listed service weighs 2, the others 1 unless configured).
 * 4. Within a weight group, the higher tier first: vip, elderly, appointment, regular
 *    (an `elderlyFirst` counter — 爱心窗口 — puts elderly before vip).
 * 5. Then the longest wait (queue order).
 */
export type RoutingPolicy = { maxPassOvers: number; maxWaitFactor: number };

export const DEFAULT_ROUTING: RoutingPolicy = { maxPassOvers: 3, maxWaitFactor: 2 };

export type WaitingTicket = {
  id: string;
  number: string;
  serviceId: string;
  tier: Tier;
  /** When it joined its current queue (issue, or transfer). */
  queuedAt: number;
  passedOver: number;
  front: boolean;
};

export type RoutingCounter = {
  services: { serviceId: string; weight: number }[];
  elderlyFirst: boolean;
};

export type RoutingChoice = {
  ticket: WaitingTicket;
  explanation: CallReason;
  /** Tickets queued before the chosen one that this counter could have served. */
  passedOver: WaitingTicket[];
};

const TIER_RANK: Record<Tier, number> = { vip: 0, elderly: 1, appointment: 2, regular: 3 };
const ELDERLY_FIRST_RANK: Record<Tier, number> = { elderly: 0, vip: 1, appointment: 2, regular: 3 };

const TIER_TEXT: Record<Tier, { zh: string; en: string }> = {
  vip: { zh: '贵宾', en: 'VIP' },
  elderly: { zh: '长辈', en: 'elderly' },
  appointment: { zh: '预约', en: 'appointment' },
  regular: { zh: '普通', en: 'regular' },
};

export function chooseNext(
  counter: RoutingCounter,
  waiting: readonly WaitingTicket[],
  now: number,
  policy: RoutingPolicy,
  waitTargetMinutes: (serviceId: string) => number,
): RoutingChoice | null {
  const weights = new Map(counter.services.map((s) => [s.serviceId, s.weight]));
  const eligible = waiting.filter((t) => weights.has(t.serviceId));
  if (eligible.length === 0) return null;
  const byQueue = (a: WaitingTicket, b: WaitingTicket) =>
    a.queuedAt - b.queuedAt || a.number.localeCompare(b.number);
  const waitedMinutes = (t: WaitingTicket) => Math.floor((now - t.queuedAt) / MINUTE);

  const isOverdue = (t: WaitingTicket) =>
    t.passedOver >= policy.maxPassOvers ||
    now - t.queuedAt >= policy.maxWaitFactor * waitTargetMinutes(t.serviceId) * MINUTE;

  const pick = (ticket: WaitingTicket, rule: CallReason['rule'], zh: string, en: string): RoutingChoice => {
    const passedOver = eligible.filter((t) => t !== ticket && byQueue(t, ticket) < 0);
    const numbers = passedOver.map((t) => t.number);
    const over =
      numbers.length > 0
        ? { zh: `；先于 ${numbers.join('、')}`, en: `; ahead of ${numbers.join(', ')}` }
        : { zh: '', en: '' };
    return {
      ticket,
      passedOver,
      explanation: { rule, zh: zh + over.zh, en: en + over.en, passedOver: numbers },
    };
  };

  const overdue = eligible.filter(isOverdue).sort(byQueue)[0];
  if (overdue) {
    const why =
      overdue.passedOver >= policy.maxPassOvers
        ? {
            zh: `已被跳过 ${overdue.passedOver} 次，达到上限`,
            en: `passed over ${overdue.passedOver} times, the limit`,
          }
        : {
            zh: `已等待 ${waitedMinutes(overdue)} 分钟，超过上限`,
            en: `waited ${waitedMinutes(overdue)} min, past the limit`,
          };
    return pick(
      overdue,
      'overdue',
      `${overdue.number} 优先：${why.zh}`,
      `${overdue.number} first: ${why.en}`,
    );
  }

  const front = eligible.filter((t) => t.front).sort(byQueue)[0];
  if (front)
    return pick(
      front,
      'front',
      `${front.number} 被转到队首`,
      `${front.number} was moved to the front of its queue`,
    );

  const rank = counter.elderlyFirst ? ELDERLY_FIRST_RANK : TIER_RANK;
  const ordered = [...eligible].sort(
    (a, b) =>
      (weights.get(b.serviceId) ?? 0) - (weights.get(a.serviceId) ?? 0) ||
      rank[a.tier] - rank[b.tier] ||
      byQueue(a, b),
  );
  const chosen = ordered[0]!;
  const chosenWeight = weights.get(chosen.serviceId) ?? 0;
  const earlier = eligible.filter((t) => t !== chosen && byQueue(t, chosen) < 0);
  const waited = { zh: `已等待 ${waitedMinutes(chosen)} 分钟`, en: `waited ${waitedMinutes(chosen)} min` };
  if (earlier.some((t) => (weights.get(t.serviceId) ?? 0) === chosenWeight)) {
    const tier = TIER_TEXT[chosen.tier];
    return pick(
      chosen,
      'tier',
      `${tier.zh}客户优先（${waited.zh}）`,
      `${tier.en} customer first (${waited.en})`,
    );
  }
  if (earlier.length > 0) {
    return pick(
      chosen,
      'own-service',
      `本窗口主办业务优先（${waited.zh}）`,
      `this counter's own service first (${waited.en})`,
    );
  }
  return pick(chosen, 'longest-wait', `等待最久（${waited.zh}）`, `waited longest (${waited.en})`);
}
