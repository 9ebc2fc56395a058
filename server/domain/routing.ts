import type { CallReason, Tier } from '../contract/api.ts';
import { MINUTE } from './clock.ts';

/**
 * Routing: which waiting ticket a counter calls next, under one of three policies.
 *
 * `hallq`, the hall's rule, in order:
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
 *
 * Two baselines to compare it with in the hall simulator, both without the bound:
 * - `fifo-per-service`: steps 2, 3 and 5 — the oldest ticket of the counter's own services first.
 * - `strict-priority`: steps 2, 4 and 5 — the highest tier across all of the counter's services first.
 * A ticket sent to the front is a person's explicit decision, so every policy honours it.
 */
export type RoutingPolicyName = 'hallq' | 'fifo-per-service' | 'strict-priority';

export const ROUTING_POLICY_NAMES: readonly RoutingPolicyName[] = [
  'hallq',
  'fifo-per-service',
  'strict-priority',
];

/** The hall's rule; `name` may be left out, so a hall configuration of the bound alone means `hallq`. */
export type HallqRouting = { name?: 'hallq'; maxPassOvers: number; maxWaitFactor: number };

export type RoutingPolicy = HallqRouting | { name: 'fifo-per-service' } | { name: 'strict-priority' };

export const DEFAULT_ROUTING: HallqRouting = { maxPassOvers: 3, maxWaitFactor: 2 };

/** The named policy, with the default bound for `hallq`. */
export function routingPolicy(name: RoutingPolicyName): RoutingPolicy {
  return name === 'hallq' ? { name, ...DEFAULT_ROUTING } : { name };
}

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

/**
 * A ticket sent on to another service: it keeps its id and number, and queues anew there (at the front
 * when a person says so); the pass-overs it collected in its old queue do not follow it.
 */
export function transferTicket(
  ticket: WaitingTicket,
  serviceId: string,
  now: number,
  front = false,
): WaitingTicket {
  return { ...ticket, serviceId, queuedAt: now, passedOver: 0, front };
}

export type RoutingCounter = {
  services: { serviceId: string; weight: number }[];
  elderlyFirst: boolean;
};

/** What routing decided, without the words: cheap enough for simulations that decide thousands of times. */
export type RoutingDecision<T extends WaitingTicket = WaitingTicket> = {
  ticket: T;
  rule: CallReason['rule'];
  /** Tickets queued before the chosen one that this counter could have served. */
  passedOver: T[];
};

export type RoutingChoice = RoutingDecision & { explanation: CallReason };

/** The order of tiers in a line: vip, elderly, appointment, regular. */
export const TIER_RANK: Record<Tier, number> = { vip: 0, elderly: 1, appointment: 2, regular: 3 };
const ELDERLY_FIRST_RANK: Record<Tier, number> = { elderly: 0, vip: 1, appointment: 2, regular: 3 };

const TIER_TEXT: Record<Tier, { zh: string; en: string }> = {
  vip: { zh: '贵宾', en: 'VIP' },
  elderly: { zh: '长辈', en: 'elderly' },
  appointment: { zh: '预约', en: 'appointment' },
  regular: { zh: '普通', en: 'regular' },
};

/** An ordering step of a policy and the rule it is named by when it passes someone over. */
type RankKey = {
  rule: 'own-service' | 'tier';
  compare: (counter: RoutingCounter, a: WaitingTicket, b: WaitingTicket) => number;
};

function weightOf(counter: RoutingCounter, serviceId: string): number | undefined {
  for (const s of counter.services) if (s.serviceId === serviceId) return s.weight;
  return undefined;
}

const OWN_SERVICE: RankKey = {
  rule: 'own-service',
  compare: (counter, a, b) => (weightOf(counter, b.serviceId) ?? 0) - (weightOf(counter, a.serviceId) ?? 0),
};

const TIER: RankKey = {
  rule: 'tier',
  compare: (counter, a, b) => {
    const rank = counter.elderlyFirst ? ELDERLY_FIRST_RANK : TIER_RANK;
    return rank[a.tier] - rank[b.tier];
  },
};

const RANK_KEYS: Record<RoutingPolicyName, readonly RankKey[]> = {
  hallq: [OWN_SERVICE, TIER],
  'fifo-per-service': [OWN_SERVICE],
  'strict-priority': [TIER],
};

function byQueue(a: WaitingTicket, b: WaitingTicket): number {
  return a.queuedAt - b.queuedAt || a.number.localeCompare(b.number);
}

function byRank(keys: readonly RankKey[], counter: RoutingCounter, a: WaitingTicket, b: WaitingTicket) {
  for (const key of keys) {
    const c = key.compare(counter, a, b);
    if (c !== 0) return c;
  }
  return byQueue(a, b);
}

function isOverdue(t: WaitingTicket, now: number, policy: HallqRouting, waitTarget: (s: string) => number) {
  return (
    t.passedOver >= policy.maxPassOvers ||
    now - t.queuedAt >= policy.maxWaitFactor * waitTarget(t.serviceId) * MINUTE
  );
}

function decided<T extends WaitingTicket>(
  eligible: readonly T[],
  ticket: T,
  rule: CallReason['rule'],
): RoutingDecision<T> {
  const passedOver: T[] = [];
  for (const t of eligible) if (t !== ticket && byQueue(t, ticket) < 0) passedOver.push(t);
  return { ticket, rule, passedOver };
}

/**
 * The routing decision alone. Linear in the number of waiting tickets, with plain loops rather than
 * sorting and closures: the ETA plays the queue forward with it many times per prediction.
 */
export function decideNext<T extends WaitingTicket>(
  counter: RoutingCounter,
  waiting: readonly T[],
  now: number,
  policy: RoutingPolicy,
  waitTargetMinutes: (serviceId: string) => number,
): RoutingDecision<T> | null {
  const eligible: T[] = [];
  for (const t of waiting) if (weightOf(counter, t.serviceId) !== undefined) eligible.push(t);
  if (eligible.length === 0) return null;

  let overdue: T | undefined;
  let front: T | undefined;
  const bounded = policy.name === undefined || policy.name === 'hallq' ? policy : null;
  for (const t of eligible) {
    if (bounded && isOverdue(t, now, bounded, waitTargetMinutes) && (!overdue || byQueue(t, overdue) < 0))
      overdue = t;
    if (t.front && (!front || byQueue(t, front) < 0)) front = t;
  }
  if (overdue) return decided(eligible, overdue, 'overdue');
  if (front) return decided(eligible, front, 'front');

  const keys = RANK_KEYS[policy.name ?? 'hallq'];
  let chosen = eligible[0]!;
  for (const t of eligible) if (byRank(keys, counter, t, chosen) < 0) chosen = t;
  const decision = decided(eligible, chosen, 'longest-wait');
  // Each ticket passed over was passed over by the first key that tells it from the chosen one. The
  // deepest such key names the call: "VIP first" says more than "own service first" when both happened,
  // as it skipped someone of the chosen ticket's own group.
  let deciding = -1;
  for (const t of decision.passedOver)
    deciding = Math.max(
      deciding,
      keys.findIndex((key) => key.compare(counter, chosen, t) !== 0),
    );
  if (deciding >= 0) decision.rule = keys[deciding]!.rule;
  return decision;
}

/** The routing decision with its explanation in both languages, naming whom it passed over. */
export function chooseNext(
  counter: RoutingCounter,
  waiting: readonly WaitingTicket[],
  now: number,
  policy: RoutingPolicy,
  waitTargetMinutes: (serviceId: string) => number,
): RoutingChoice | null {
  const decision = decideNext(counter, waiting, now, policy, waitTargetMinutes);
  return decision && { ...decision, explanation: explain(decision, now, policy) };
}

function explain({ ticket, rule, passedOver }: RoutingDecision, now: number, policy: RoutingPolicy) {
  const minutes = Math.floor((now - ticket.queuedAt) / MINUTE);
  const waited = { zh: `已等待 ${minutes} 分钟`, en: `waited ${minutes} min` };
  const tier = TIER_TEXT[ticket.tier];
  const overPassOvers = 'maxPassOvers' in policy && ticket.passedOver >= policy.maxPassOvers;
  const text: Record<CallReason['rule'], { zh: string; en: string }> = {
    overdue: overPassOvers
      ? {
          zh: `${ticket.number} 优先：已被跳过 ${ticket.passedOver} 次，达到上限`,
          en: `${ticket.number} first: passed over ${ticket.passedOver} times, the limit`,
        }
      : {
          zh: `${ticket.number} 优先：${waited.zh}，超过上限`,
          en: `${ticket.number} first: ${waited.en}, past the limit`,
        },
    front: {
      zh: `${ticket.number} 被转到队首`,
      en: `${ticket.number} was moved to the front of its queue`,
    },
    tier: { zh: `${tier.zh}客户优先（${waited.zh}）`, en: `${tier.en} customer first (${waited.en})` },
    'own-service': {
      zh: `本窗口主办业务优先（${waited.zh}）`,
      en: `this counter's own service first (${waited.en})`,
    },
    'longest-wait': { zh: `等待最久（${waited.zh}）`, en: `waited longest (${waited.en})` },
  };
  const numbers = passedOver.map((t) => t.number);
  const over =
    numbers.length > 0
      ? { zh: `；先于 ${numbers.join('、')}`, en: `; ahead of ${numbers.join(', ')}` }
      : { zh: '', en: '' };
  return {
    rule,
    zh: text[rule].zh + over.zh,
    en: text[rule].en + over.en,
    passedOver: numbers,
  };
}
