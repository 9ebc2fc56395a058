import type { Tier } from '../../contract/api.ts';
import { DAY, ManualClock, MINUTE } from '../clock.ts';
import { formatTicketNumber } from '../numbering.ts';
import { Random, seedOf } from '../random.ts';
import {
  chooseNext,
  type RoutingChoice,
  type RoutingCounter,
  type RoutingPolicy,
  type WaitingTicket,
} from '../routing.ts';
import { EventQueue } from './event-queue.ts';
import type { SimProfile } from './profiles.ts';

/** The hall as the simulator needs it: services with their targets, counters with their routing. */
export type SimHall = {
  services: readonly { id: string; prefix: string; waitTargetMinutes: number }[];
  counters: readonly { id: string; routing: RoutingCounter }[];
};

export type SimCustomer = {
  ticket: WaitingTicket;
  day: number;
  /** Local hour the ticket was issued. */
  hour: number;
  noShow: boolean;
  patienceMinutes: number;
  /** Minutes of service at a counter whose staff member works at speed 1. */
  workMinutes: number;
};

/** A counter during the simulation. */
export type SimCounter = {
  id: string;
  routing: RoutingCounter;
  /** Service time factor of the staff member (above 1: slower). */
  speed: number;
  shifts: readonly (readonly [number, number])[];
  onDuty: boolean;
  busy: { customer: SimCustomer; since: number } | null;
};

/** The hall at one moment of a simulated day, as the live system would see it. */
export type LiveHall = {
  now: number;
  minuteOfDay: number;
  waiting: readonly WaitingTicket[];
  counters: readonly SimCounter[];
};

/** What a simulated day reports as it goes; each hook sees the moment it happens. */
export type DayHooks = {
  /** A ticket was just issued; no counter has called it yet. */
  issued?: (customer: SimCustomer, live: LiveHall) => void;
  called?: (customer: SimCustomer, waitMinutes: number, choice: RoutingChoice, counter: SimCounter) => void;
  /** A counter is done with a ticket (served, or a no-show) after `minutes`, begun at local `hour`. */
  finished?: (customer: SimCustomer, minutes: number, hour: number) => void;
  /** The customer's patience ran out before any call. */
  abandoned?: (customer: SimCustomer) => void;
};

export const dayStart = (day: number) => day * DAY;

/** Each service's wait target, as routing and the figures look it up. */
export function waitTargetOf(hall: SimHall): (serviceId: string) => number {
  const targets = new Map(hall.services.map((s) => [s.id, s.waitTargetMinutes]));
  return (serviceId) => targets.get(serviceId) ?? 15;
}

/**
 * The day's customers: arrivals per service as a Poisson process whose rate follows the hourly shape,
 * each with a tier, a no-show flag, a patience and the work their service takes. They depend on the seed
 * and the day alone, so every routing policy meets the same customers (common random numbers).
 */
export function customersOfDay(hall: SimHall, profile: SimProfile, day: number, seed: number): SimCustomer[] {
  const random = new Random(seedOf(seed, day));
  const openHour = Math.floor(profile.open / 60);
  const openMinutesIn = (h: number) =>
    Math.max(0, Math.min(profile.lastTicket, (h + 1) * 60) - Math.max(profile.open, h * 60));
  const shapeMinutes = profile.hourlyShape.reduce((sum, w, i) => sum + w * openMinutesIn(openHour + i), 0);
  const arrivals: { at: number; serviceId: string }[] = [];
  for (const service of hall.services) {
    const perDay = profile.ticketsPerDay[service.id] ?? 0;
    profile.hourlyShape.forEach((weight, i) => {
      const h = openHour + i;
      const perMinute = (perDay * weight) / shapeMinutes;
      const from = Math.max(profile.open, h * 60);
      const to = from + openMinutesIn(h);
      for (let m = from + random.exponential() / perMinute; m < to; m += random.exponential() / perMinute)
        arrivals.push({ at: m, serviceId: service.id });
    });
  }
  arrivals.sort((a, b) => a.at - b.at);
  const issued = new Map<string, number>();
  const prefix = new Map(hall.services.map((s) => [s.id, s.prefix]));
  return arrivals.map(({ at, serviceId }, i) => {
    const sequence = (issued.get(serviceId) ?? 0) + 1;
    issued.set(serviceId, sequence);
    const shares = profile.tierShares[serviceId] ?? {};
    const priority = Object.entries(shares) as [Tier, number][];
    const tier = random.pick<Tier>([...priority, ['regular', 1 - priority.reduce((s, [, p]) => s + p, 0)]]);
    const time = profile.serviceMinutes[serviceId]!;
    return {
      ticket: {
        id: `${day}-${i}`,
        number: formatTicketNumber(prefix.get(serviceId)!, sequence),
        serviceId,
        tier,
        queuedAt: dayStart(day) + at * MINUTE,
        passedOver: 0,
        front: false,
      },
      day,
      hour: Math.floor(at / 60),
      noShow: random.chance(profile.noShowShare),
      patienceMinutes: random.lognormal(profile.patienceMinutes.median, profile.patienceMinutes.sigma),
      workMinutes: random.lognormal(time.median, time.sigma),
    };
  });
}

type SimEvent =
  | { kind: 'arrive'; customer: SimCustomer }
  | { kind: 'patience'; customer: SimCustomer }
  | { kind: 'free'; counter: SimCounter }
  | { kind: 'shift-start' | 'shift-end'; counter: SimCounter };

/**
 * One hall day, event by event, on a simulated clock. Counters call with the real routing (chooseNext):
 * whenever one is free and on duty, and whenever a ticket arrives while one is idle. A shift that ends
 * before closing is a pause (the counter finishes its customer first); counters on duty at closing stay
 * until nothing they serve is waiting.
 */
export function simulateDay(run: {
  hall: SimHall;
  profile: SimProfile;
  policy: RoutingPolicy;
  day: number;
  customers: readonly SimCustomer[];
  hooks: DayHooks;
}): void {
  const { hall, profile, policy, hooks } = run;
  const start = dayStart(run.day);
  const clock = new ManualClock(start);
  const events = new EventQueue<SimEvent>();
  const waiting: WaitingTicket[] = [];
  const customerOf = new Map<string, SimCustomer>();
  const waitTarget = waitTargetOf(hall);

  const counters: SimCounter[] = [];
  for (const c of hall.counters) {
    const staff = profile.staff[c.id];
    if (!staff) continue;
    const counter: SimCounter = { ...c, speed: staff.speed, shifts: staff.shifts, onDuty: false, busy: null };
    counters.push(counter);
    for (const [from, to] of staff.shifts) {
      events.add(start + from * MINUTE, { kind: 'shift-start', counter });
      if (to < profile.close) events.add(start + to * MINUTE, { kind: 'shift-end', counter });
    }
  }
  for (const customer of run.customers) events.add(customer.ticket.queuedAt, { kind: 'arrive', customer });

  const call = (counter: SimCounter) => {
    if (!counter.onDuty || counter.busy) return;
    const now = clock.now();
    const choice = chooseNext(counter.routing, waiting, now, policy, waitTarget);
    if (!choice) return;
    for (const t of choice.passedOver) t.passedOver++;
    waiting.splice(waiting.indexOf(choice.ticket), 1);
    const customer = customerOf.get(choice.ticket.id)!;
    hooks.called?.(customer, (now - customer.ticket.queuedAt) / MINUTE, choice, counter);
    const minutes = customer.noShow ? profile.noShowMinutes : customer.workMinutes * counter.speed;
    counter.busy = { customer, since: now };
    events.add(now + minutes * MINUTE, { kind: 'free', counter });
  };

  for (let next = events.take(); next; next = events.take()) {
    clock.set(next.at);
    const e = next.event;
    switch (e.kind) {
      case 'arrive': {
        waiting.push(e.customer.ticket);
        customerOf.set(e.customer.ticket.id, e.customer);
        events.add(next.at + e.customer.patienceMinutes * MINUTE, { kind: 'patience', customer: e.customer });
        hooks.issued?.(e.customer, {
          now: next.at,
          minuteOfDay: (next.at - start) / MINUTE,
          waiting,
          counters,
        });
        for (const c of counters) call(c);
        break;
      }
      case 'patience': {
        const i = waiting.indexOf(e.customer.ticket);
        if (i >= 0) {
          waiting.splice(i, 1);
          hooks.abandoned?.(e.customer);
        }
        break;
      }
      case 'free': {
        const { customer, since } = e.counter.busy!;
        e.counter.busy = null;
        hooks.finished?.(customer, (next.at - since) / MINUTE, Math.floor((since - start) / MINUTE / 60));
        call(e.counter);
        break;
      }
      case 'shift-start':
        e.counter.onDuty = true;
        call(e.counter);
        break;
      case 'shift-end':
        e.counter.onDuty = false;
        break;
    }
  }
}
