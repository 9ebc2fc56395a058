import type { CallReason, Tier } from '../contract/api.ts';
import { MINUTE } from './clock.ts';

/**
 * Routing: which waiting ticket a counter calls next, under one of three policies.
 *
 * `hallq`, the hall's rule, for the tickets of the services the counter serves:
 * 0. The bound. A ticket passed over `maxPassOvers` times may not be passed over again: the counter
 *    calls it, a ticket that came before it, or another it may call without passing it over (below).
 * 1. Tickets a manager or counter sent to the front of a queue (transfer with `front`), in queue order.
 * 2. Priority customers: vip, elderly, appointment (an `elderlyFirst` counter — 爱心窗口 — puts
 *    elderly before vip), in queue order within a tier.
 * 3. Overdue: a ticket that has waited `maxWaitFactor` × its service's wait target, in queue order.
 * 4. About to miss its target: a ticket in the last third of its service's wait target, the nearest
 *    to its target first.
 * 5. The others by their due time (when they joined plus their service's wait target), so those past
 *    their target first.
 * Ties go to queue order. Step 4 serves more customers within target when the hall is short of
 * counters: a ticket that can still make its target goes before one that has already missed it, which
 * step 3 and the bound keep from waiting on for ever.
 *
 * Calling a ticket passes over each ticket queued before it that the counter serves at least as much
 * (weight): a counter serving its own service does not pass over the ones it only helps with, until
 * they are overdue (step 3).
 *
 * Two baselines to compare it with in the hall simulator, both without the bound:
 * - `fifo-per-service`: the counter's own services (highest weight) first, then queue order.
 * - `strict-priority`: the highest tier across all of the counter's services first, then queue order.
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

/** Tuned in the hall simulator on its tuning seeds (README, "How the queue decides"). */
export const DEFAULT_ROUTING: HallqRouting = { maxPassOvers: 12, maxWaitFactor: 2 };

/** The named policy, with the default bound for `hallq`. */
export function routingPolicy(name: RoutingPolicyName): RoutingPolicy {
  return name === 'hallq' ? { name, ...DEFAULT_ROUTING } : { name };
}

function boundOf(policy: RoutingPolicy): HallqRouting | null {
  return policy.name === undefined || policy.name === 'hallq' ? policy : null;
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
  /** Tickets queued before the chosen one that this counter serves at least as much: each one more pass-over. */
  passedOver: T[];
};

export type RoutingChoice = RoutingDecision & { explanation: CallReason };

/**
 * The order of tiers in a service's line: vip, elderly, appointment, regular. The one source of that
 * order: the waiting counts, the forecasts and the place-in-line query (server/db/tickets.ts) read it.
 */
export const TIER_RANK: Readonly<Record<Tier, number>> = { vip: 0, elderly: 1, appointment: 2, regular: 3 };
/** An `elderlyFirst` counter (爱心窗口) swaps vip and elderly. */
const ELDERLY_FIRST_RANK: Readonly<Record<Tier, number>> = {
  ...TIER_RANK,
  elderly: TIER_RANK.vip,
  vip: TIER_RANK.elderly,
};

const TIER_TEXT: Record<Tier, { zh: string; en: string }> = {
  vip: { zh: '贵宾', en: 'VIP' },
  elderly: { zh: '长辈', en: 'elderly' },
  appointment: { zh: '预约', en: 'appointment' },
  regular: { zh: '普通', en: 'regular' },
};

function weightOf(counter: RoutingCounter, serviceId: string): number | undefined {
  for (const s of counter.services) if (s.serviceId === serviceId) return s.weight;
  return undefined;
}

/** Queue order: who joined first, then the ticket number. */
export function byQueue(a: WaitingTicket, b: WaitingTicket): number {
  return a.queuedAt - b.queuedAt || a.number.localeCompare(b.number);
}

/**
 * The waiting tickets of one service, tier and front flag, in queue order. Every policy orders the
 * tickets of a line by age, except that the hall's rule may put a line's ticket about to miss its target
 * before its older ones past it: so a decision needs, per line, only its first ticket and its first
 * ticket still within target, whatever the length of the queue. Pass-overs only ever go to the
 * tickets before a called one, so a line counts them in O(1) for its first ticket (all the bound needs
 * to know) rather than touching every ticket passed over.
 */
export class Line<T extends WaitingTicket> {
  /** In queue order from `start` on; those before `start` have left the line. */
  private readonly tickets: T[] = [];
  private start = 0;
  /** passedTo[i]: pass-overs given to the tickets up to i (and not after it). */
  private readonly passedTo: number[] = [];
  /** Pass-overs given to the first ticket since it joined: the sum of passedTo from `start` on. */
  private passedFirst = 0;

  constructor(
    readonly serviceId: string,
    readonly tier: Tier,
    readonly front: boolean,
  ) {}

  /** The first ticket in line, after dropping those `gone` says have left. */
  first(gone?: (t: T) => boolean): T | undefined {
    while (this.start < this.tickets.length) {
      const t = this.tickets[this.start]!;
      if (!gone?.(t)) return t;
      this.removeAt(this.start);
    }
    return undefined;
  }

  /** How often the first ticket has been passed over, counting the pass-overs given through `passOver`. */
  firstPassedOver(): number {
    return this.tickets[this.start]!.passedOver + this.passedFirst;
  }

  /** The first ticket in line queued after `time`, after dropping those `gone` says have left. */
  firstAfter(time: number, gone?: (t: T) => boolean): T | undefined {
    const i = this.endOf(null, time);
    while (i < this.tickets.length) {
      const t = this.tickets[i]!;
      if (!gone?.(t)) return t;
      this.removeAt(i);
    }
    return undefined;
  }

  /** Joins the end of the line: tickets join in queue order. */
  push(ticket: T): void {
    this.tickets.push(ticket);
    this.passedTo.push(0);
  }

  remove(ticket: T): void {
    const i = this.endOf(ticket, Number.POSITIVE_INFINITY);
    if (this.tickets[i] === ticket) this.removeAt(i);
  }

  /** Tickets in line queued before `ticket` (which need not be in this line), and no later than `until`. */
  before(ticket: WaitingTicket, until: number): T[] {
    return this.tickets.slice(this.start, this.endOf(ticket, until));
  }

  /** One more pass-over for each of the tickets that `before` lists. */
  passOver(ticket: WaitingTicket, until: number): void {
    const end = this.endOf(ticket, until);
    if (end === this.start) return;
    this.passedTo[end - 1]!++;
    this.passedFirst++;
  }

  /** The index after the tickets from `start` on queued before `ticket` (any, if null) and no later than `until`. */
  private endOf(ticket: WaitingTicket | null, until: number): number {
    let lo = this.start;
    let hi = this.tickets.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const t = this.tickets[mid]!;
      if (t.queuedAt <= until && (ticket === null || byQueue(t, ticket) < 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private removeAt(i: number): void {
    if (i === this.start) {
      this.passedFirst -= this.passedTo[i]!;
      this.start++;
      return;
    }
    // The pass-overs it holds went to everyone before it too: they stay with the one before it.
    this.passedTo[i - 1]! += this.passedTo[i]!;
    this.tickets.splice(i, 1);
    this.passedTo.splice(i, 1);
  }
}

/** The waiting tickets of a hall, line by line. */
export class Lines<T extends WaitingTicket> {
  private readonly byService = new Map<string, Line<T>[]>();

  /** Lines of the tickets in any order; later `add`s must come in queue order. */
  constructor(tickets: Iterable<T> = []) {
    for (const t of [...tickets].sort(byQueue)) this.add(t);
  }

  add(ticket: T): void {
    this.lineOf(ticket).push(ticket);
  }

  remove(ticket: T): void {
    this.lineOf(ticket).remove(ticket);
  }

  of(serviceId: string): readonly Line<T>[] {
    return this.byService.get(serviceId) ?? [];
  }

  private lineOf({ serviceId, tier, front }: T): Line<T> {
    let lines = this.byService.get(serviceId);
    if (!lines) {
      lines = [];
      this.byService.set(serviceId, lines);
    }
    for (const line of lines) if (line.tier === tier && line.front === front) return line;
    const line = new Line<T>(serviceId, tier, front);
    lines.push(line);
    return line;
  }
}

/** The steps of the hall's rule (1–5 above): a lower step first, then a lower key, then queue order. */
const STEP = { front: 1, priority: 2, overdue: 3, dueSoon: 4, due: 5 } as const;
type Step = (typeof STEP)[keyof typeof STEP];

/** A ticket in the last of this many parts of its wait target is about to miss it (step 4). */
const DUE_SOON_PARTS = 3;

/** A ticket with its step under a policy. */
type Ranked<T> = { ticket: T; step: Step; key: number };

/** A line's first ticket, and the weight of its service at the counter deciding. */
type First<T extends WaitingTicket> = { line: Line<T>; first: T; weight: number };

function rank<T extends WaitingTicket>(
  t: T,
  counter: RoutingCounter,
  now: number,
  policy: RoutingPolicy,
  targetMs: number,
): Ranked<T> {
  if (t.front) return { ticket: t, step: STEP.front, key: 0 };
  const tierRank = (counter.elderlyFirst ? ELDERLY_FIRST_RANK : TIER_RANK)[t.tier];
  const bound = boundOf(policy);
  if (!bound) {
    const key = policy.name === 'fifo-per-service' ? -(weightOf(counter, t.serviceId) ?? 0) : tierRank;
    return { ticket: t, step: STEP.priority, key };
  }
  if (tierRank < TIER_RANK.regular) return { ticket: t, step: STEP.priority, key: tierRank };
  const waited = now - t.queuedAt;
  if (waited >= bound.maxWaitFactor * targetMs) return { ticket: t, step: STEP.overdue, key: 0 };
  const left = targetMs - waited;
  const dueSoon = left > 0 && left <= targetMs / DUE_SOON_PARTS;
  return { ticket: t, step: dueSoon ? STEP.dueSoon : STEP.due, key: t.queuedAt + targetMs };
}

function ahead<T extends WaitingTicket>(a: Ranked<T>, b: Ranked<T>): boolean {
  if (a.step !== b.step) return a.step < b.step;
  if (a.key !== b.key) return a.key < b.key;
  return byQueue(a.ticket, b.ticket) < 0;
}

/**
 * The ticket a counter calls next from the hall's lines, and its step; null when none of its services
 * has a ticket waiting. Both the live hall (through `decideNext`) and the forecasts' forward plays call
 * it. `gone` drops tickets from their lines as they come up (customers who have left).
 */
export function pickNext<T extends WaitingTicket>(
  counter: RoutingCounter,
  lines: Lines<T>,
  now: number,
  policy: RoutingPolicy,
  waitTargetMinutes: (serviceId: string) => number,
  gone?: (t: T) => boolean,
): Ranked<T> | null {
  const bound = boundOf(policy);
  const firsts: First<T>[] = [];
  const limits: First<T>[] = [];
  for (const { serviceId, weight } of counter.services)
    for (const line of lines.of(serviceId)) {
      const first = line.first(gone);
      if (!first) continue;
      const f = { line, first, weight };
      firsts.push(f);
      // The bound: a line's first ticket passed over to the limit holds back whoever would pass it
      // over again. (Pass-overs only grow towards the front of a line, so its first ticket is the one.)
      if (bound && line.firstPassedOver() >= bound.maxPassOvers) limits.push(f);
    }
  const allowed = (t: T, weight: number) =>
    !limits.some(
      (l) =>
        l.first !== t &&
        byQueue(l.first, t) < 0 &&
        l.first.queuedAt <= passedUntil(weight, l.weight, l.line.serviceId, now, policy, waitTargetMinutes),
    );
  let best: Ranked<T> | null = null;
  for (const { line, first, weight } of firsts) {
    if (!allowed(first, weight)) continue;
    const targetMs = waitTargetMinutes(line.serviceId) * MINUTE;
    const ranked = rank(first, counter, now, policy, targetMs);
    if (!best || ahead(ranked, best)) best = ranked;
    if (bound && !line.front && line.tier === 'regular') {
      // Its first ticket still within target: about to miss it, it goes before older ones past it.
      const withinTarget = line.firstAfter(now - targetMs, gone);
      if (withinTarget && withinTarget !== first && allowed(withinTarget, weight)) {
        const next = rank(withinTarget, counter, now, policy, targetMs);
        if (ahead(next, best)) best = next;
      }
    }
  }
  return best;
}

/**
 * Calling a ticket of a service the counter weighs `weight` passes over the tickets queued before it of
 * a service it weighs `otherWeight`, if they joined no later than this: all of them when the counter
 * serves their service at least as much, else only the overdue ones under the hall's rule, so that no
 * one waits on unseen behind a counter's own customers.
 */
function passedUntil(
  weight: number,
  otherWeight: number,
  otherServiceId: string,
  now: number,
  policy: RoutingPolicy,
  waitTargetMinutes: (serviceId: string) => number,
): number {
  if (otherWeight >= weight) return Number.POSITIVE_INFINITY;
  const bound = boundOf(policy);
  if (!bound) return Number.NEGATIVE_INFINITY;
  return now - bound.maxWaitFactor * waitTargetMinutes(otherServiceId) * MINUTE;
}

/** The tickets a call of `ticket` passes over. */
export function passedOverBy<T extends WaitingTicket>(
  counter: RoutingCounter,
  lines: Lines<T>,
  ticket: WaitingTicket,
  now: number,
  policy: RoutingPolicy,
  waitTargetMinutes: (serviceId: string) => number,
): T[] {
  const weight = weightOf(counter, ticket.serviceId) ?? 0;
  const passed: T[] = [];
  for (const s of counter.services) {
    const until = passedUntil(weight, s.weight, s.serviceId, now, policy, waitTargetMinutes);
    for (const line of lines.of(s.serviceId)) passed.push(...line.before(ticket, until));
  }
  return passed;
}

/** Counts a call of `ticket` as one more pass-over of each ticket it passes over, in the lines. */
export function passOver<T extends WaitingTicket>(
  counter: RoutingCounter,
  lines: Lines<T>,
  ticket: WaitingTicket,
  now: number,
  policy: RoutingPolicy,
  waitTargetMinutes: (serviceId: string) => number,
): void {
  const weight = weightOf(counter, ticket.serviceId) ?? 0;
  for (const s of counter.services) {
    const until = passedUntil(weight, s.weight, s.serviceId, now, policy, waitTargetMinutes);
    for (const line of lines.of(s.serviceId)) line.passOver(ticket, until);
  }
}

/** The rule that names a call: the step that chose it, or the plain longest wait when it skipped no one. */
function ruleOf(ranked: Ranked<WaitingTicket>, policy: RoutingPolicy, skipped: boolean): CallReason['rule'] {
  const bound = boundOf(policy);
  if (bound && ranked.ticket.passedOver >= bound.maxPassOvers) return 'overdue';
  if (ranked.step === STEP.front) return 'front';
  if (ranked.step === STEP.overdue) return 'overdue';
  if (!skipped) return 'longest-wait';
  if (!bound) return policy.name === 'fifo-per-service' ? 'own-service' : 'tier';
  return ranked.step === STEP.priority ? 'tier' : 'due';
}

/** The routing decision alone, from the waiting tickets in any order. */
export function decideNext<T extends WaitingTicket>(
  counter: RoutingCounter,
  waiting: readonly T[],
  now: number,
  policy: RoutingPolicy,
  waitTargetMinutes: (serviceId: string) => number,
): RoutingDecision<T> | null {
  const eligible = waiting.filter((t) => weightOf(counter, t.serviceId) !== undefined);
  const lines = new Lines(eligible);
  const ranked = pickNext(counter, lines, now, policy, waitTargetMinutes);
  if (!ranked) return null;
  const { ticket } = ranked;
  const skipped = eligible.some((t) => byQueue(t, ticket) < 0);
  return {
    ticket,
    rule: ruleOf(ranked, policy, skipped),
    passedOver: passedOverBy(counter, lines, ticket, now, policy, waitTargetMinutes),
  };
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
  return (
    decision && {
      ...decision,
      explanation: explain(decision, now, policy, waitTargetMinutes(decision.ticket.serviceId)),
    }
  );
}

/** The words of a call, as a counter person would say them. */
function explain(
  { ticket, rule, passedOver }: RoutingDecision,
  now: number,
  policy: RoutingPolicy,
  target: number,
): CallReason {
  const n = ticket.number;
  const minutes = Math.floor((now - ticket.queuedAt) / MINUTE);
  const waited = { zh: `已等待 ${minutes} 分钟`, en: `waited ${minutes} min` };
  const tier = TIER_TEXT[ticket.tier];
  const bound = boundOf(policy);
  const text: Record<CallReason['rule'], { zh: string; en: string }> = {
    overdue:
      bound && ticket.passedOver >= bound.maxPassOvers
        ? {
            zh: `${n} 优先：已被跳过 ${ticket.passedOver} 次，达到上限`,
            en: `${n} first: passed over ${ticket.passedOver} times, the limit`,
          }
        : {
            zh: `${n} 优先：${waited.zh}，已超过目标 ${target} 分钟的 ${bound?.maxWaitFactor} 倍`,
            en: `${n} first: ${waited.en}, over ${bound?.maxWaitFactor} × its ${target}-minute target`,
          },
    front: { zh: `${n} 被转到队首`, en: `${n} was moved to the front of its queue` },
    tier: { zh: `${tier.zh}客户优先（${waited.zh}）`, en: `${tier.en} customer first (${waited.en})` },
    due:
      minutes < target
        ? {
            zh: `${n} 最先到期：已等 ${minutes} 分钟，目标 ${target} 分钟`,
            en: `${n} was due first: waiting ${minutes} of its ${target} minutes`,
          }
        : {
            zh: `${n} 最先到期：已等 ${minutes} 分钟，超过目标 ${target} 分钟`,
            en: `${n} was due first: waited ${minutes} min, past its ${target}-minute target`,
          },
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
  return { rule, zh: text[rule].zh + over.zh, en: text[rule].en + over.en, passedOver: numbers };
}
