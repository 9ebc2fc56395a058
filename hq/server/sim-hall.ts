/**
 * A simulated hall on the real hall engine: the hall simulator (server/domain/sim) decides who comes
 * when, for what, how long each takes and who gives up; a real hall (createHall on its own SQLite file,
 * the real command path and event log) lives it, command by command, on a clock set to each moment.
 * Its counters call with the hall's own routing, so its figures are a real hall's figures. The demo HQ
 * and the HQ benchmark ship what these halls record through the real sender.
 */
import { createAuditLog } from '../../server/app/audit.ts';
import { createAuth } from '../../server/app/auth.ts';
import { createCommandPath } from '../../server/app/command-path.ts';
import { bootConfiguration, createConfiguration } from '../../server/app/configuration.ts';
import { EventBus } from '../../server/app/event-bus.ts';
import { type Actor, createHall, type Hall } from '../../server/app/hall.ts';
import { createStorage } from '../../server/app/storage.ts';
import { counterServiceWeights, type HallConfig } from '../../server/config.ts';
import type { Tier } from '../../server/contract/api.ts';
import { type Db, openDatabase } from '../../server/db/open.ts';
import { ManualClock, MINUTE } from '../../server/domain/clock.ts';
import { addDays, instantOf } from '../../server/domain/hall-time.ts';
import { routingPolicy } from '../../server/domain/routing.ts';
import { customersOfDay, dayStart, type SimHall, simulateDay } from '../../server/domain/sim/hall-day.ts';
import { BUSY_SATURDAY, DEMO_WEEKDAY, type SimProfile } from '../../server/domain/sim/profiles.ts';

/** One thing that happens in the hall, at a moment of its day. */
type Action =
  | { at: number; kind: 'issue'; customer: string; serviceId: string; tier: Tier }
  | { at: number; kind: 'call'; counterId: string; noShow: boolean }
  | { at: number; kind: 'finish'; counterId: string; noShow: boolean; rating: number | null }
  | { at: number; kind: 'give-up'; customer: string }
  | { at: number; kind: 'open' | 'close'; counterId: string };

export type SimulatedHall = ReturnType<typeof openSimulatedHall>;

/**
 * A day's profile for this hall: the weekday or the busy Saturday, scaled by the hall's `load` (more
 * customers) and `slowness` (slower service), so halls of a region differ.
 */
export function profileFor(day: string, shape: { load: number; slowness: number }): SimProfile {
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  const base = weekday === 5 ? BUSY_SATURDAY : DEMO_WEEKDAY;
  const dayLoad = weekday === 6 ? 0.8 : 1;
  return {
    ...base,
    ticketsPerDay: Object.fromEntries(
      Object.entries(base.ticketsPerDay).map(([id, n]) => [id, Math.round(n * shape.load * dayLoad)]),
    ),
    staff: Object.fromEntries(
      Object.entries(base.staff).map(([id, s]) => [id, { ...s, speed: s.speed * shape.slowness }]),
    ),
  };
}

export function openSimulatedHall(options: {
  dbPath: string;
  config: HallConfig;
  /** Seeds the customers: two halls with different seeds meet different people. */
  seed: number;
  shape: { load: number; slowness: number };
  /** The day's profile, when not the demo hall's (profileFor): the benchmark's busy hall. */
  profile?: (day: string) => SimProfile;
}) {
  const { config } = options;
  const db: Db = openDatabase(options.dbPath);
  const clock = new ManualClock(Date.now());
  const auth = createAuth(db, clock);
  // The simulated staff act through the hall's commands; nobody signs in ('none' is no password hash).
  for (const person of config.staff) auth.upsertUser({ ...person }, 'none');
  const log = () => {};
  const bus = new EventBus();
  const storage = createStorage({
    db,
    path: options.dbPath,
    clock,
    log,
    minFreeBytes: 0,
    onRestartNeeded: () => {},
  });
  const commands = createCommandPath({ db, clock, bus, storage, log });
  const audit = createAuditLog(db, config.timeZone);
  const initial = bootConfiguration(db, config, clock, audit);
  const hall: Hall = createHall({ db, clock, config: initial.config, commands, demo: false, log });
  const configuration = createConfiguration({
    ...{ db, clock, audit, auth, hall, commands, initial, log },
    applyDevices: async () => {},
    printerUri: {
      problem: () => 'a simulated hall has no printer',
      parse: () => {
        throw new Error('a simulated hall has no printer');
      },
    },
    applyPrinter: async () => {},
    webConnections: { demo: false, interfaces: () => [] },
  });
  const staffOf = new Map<string, Actor>(
    config.counters.map((c, i) => {
      const person = config.staff.filter((s) => s.role === 'staff')[i] ?? config.staff[0]!;
      return [c.id, { id: person.id, name: person.name, role: person.role }];
    }),
  );
  const simHall: SimHall = {
    services: config.services.map((s) => ({
      id: s.id,
      prefix: s.prefix,
      waitTargetMinutes: s.waitTargetMinutes,
    })),
    counters: config.counters.map((c) => ({
      id: c.id,
      routing: { services: counterServiceWeights(c), elderlyFirst: c.elderlyFirst },
    })),
  };

  /** The day's actions, from the simulator, in the order they happen. */
  function planDay(day: string): Action[] {
    const profile = options.profile?.(day) ?? profileFor(day, options.shape);
    const dayIndex = Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
    const start = dayStart(dayIndex);
    const at = (simMs: number) => Math.round(instantOf(day, (simMs - start) / MINUTE, config.timeZone));
    const actions: Action[] = [];
    const calledAt = new Map<string, { at: number; counterId: string }>();
    for (const [counterId, staff] of Object.entries(profile.staff)) {
      actions.push({ at: at(start + staff.shifts[0]![0] * MINUTE), kind: 'open', counterId });
      actions.push({ at: at(start + (profile.close + 45) * MINUTE), kind: 'close', counterId });
    }
    // Ratings: two customers in three rate, mostly well (seeded by the customer, so a replay agrees).
    const rating = (id: string) => {
      const h = [...id].reduce((x, ch) => (x * 31 + ch.charCodeAt(0)) >>> 0, options.seed);
      return h % 3 === 0 ? null : [5, 5, 4, 5, 4, 3, 5, 4, 2, 5][h % 10]!;
    };
    simulateDay({
      hall: simHall,
      profile,
      policy: routingPolicy('hallq'),
      day: dayIndex,
      customers: customersOfDay(simHall, profile, dayIndex, options.seed),
      hooks: {
        issued: (c) =>
          actions.push({
            at: at(c.ticket.queuedAt),
            kind: 'issue',
            customer: c.ticket.id,
            serviceId: c.ticket.serviceId,
            tier: c.ticket.tier,
          }),
        called: (c, waitMinutes, _choice, counter) => {
          const when = c.ticket.queuedAt + waitMinutes * MINUTE;
          calledAt.set(c.ticket.id, { at: when, counterId: counter.id });
          actions.push({ at: at(when), kind: 'call', counterId: counter.id, noShow: c.noShow });
        },
        finished: (c, minutes) => {
          const call = calledAt.get(c.ticket.id)!;
          actions.push({
            at: at(call.at + minutes * MINUTE),
            kind: 'finish',
            counterId: call.counterId,
            noShow: c.noShow,
            rating: c.noShow ? null : rating(c.ticket.id),
          });
        },
        abandoned: (c) =>
          actions.push({
            at: at(c.ticket.queuedAt + c.patienceMinutes * MINUTE),
            kind: 'give-up',
            customer: c.ticket.id,
          }),
      },
    });
    return actions
      .map((a, i) => [a, i] as const)
      .sort((x, y) => x[0].at - y[0].at || x[1] - y[1])
      .map(([a]) => a);
  }

  /** A made-up mobile number of a simulated customer, the same for them on every replay. */
  const phoneOf = (customer: string) =>
    `139${String([...customer].reduce((x, ch) => (x * 33 + ch.charCodeAt(0)) % 100_000_000, options.seed)).padStart(8, '0')}`;

  /** Hall ticket ids of the simulator's customers of the day being played. */
  const tickets = new Map<string, string>();

  /** Lives one action through the hall's commands; a refusal (the hall decided otherwise) is fine. */
  function act(a: Action): void {
    clock.set(a.at);
    const actor = 'counterId' in a ? staffOf.get(a.counterId)! : null;
    switch (a.kind) {
      case 'open':
        hall.openCounter(a.counterId, actor!);
        break;
      case 'close':
        hall.closeCounter(a.counterId, actor!);
        break;
      case 'issue': {
        // Star and elderly customers give their phone number at the kiosk (kept hashed and masked).
        const phone = a.tier === 'vip' || a.tier === 'elderly' ? phoneOf(a.customer) : undefined;
        const issued = hall.issueTicket(
          {
            serviceId: a.serviceId,
            channel: a.tier === 'appointment' ? 'appointment' : 'kiosk',
            ...(phone ? { customer: { phone } } : {}),
          },
          a.tier === 'appointment' ? {} : { tier: a.tier },
        );
        if (issued.ok) tickets.set(a.customer, issued.value.id);
        break;
      }
      case 'call':
        // The customer comes to the counter (serving starts), or never does.
        if (hall.callNext(a.counterId, actor!).ok && !a.noShow) hall.start(a.counterId, actor!);
        break;
      case 'finish':
        if (a.noShow) hall.noShow(a.counterId, actor!);
        else hall.finish(a.counterId, actor!, a.rating ?? undefined);
        break;
      case 'give-up': {
        // Only if the hall has not called them meanwhile (its routing may have chosen otherwise).
        const id = tickets.get(a.customer);
        const ticket = id ? hall.getTicket(id) : null;
        if (id && ticket?.ok && ticket.value.status === 'waiting') hall.cancelTicket(id);
        break;
      }
    }
  }

  let plan: { day: string; actions: Action[]; next: number } | null = null;
  // How far this hall has lived, kept in its database so a restarted demo picks up where it stopped.
  db.prepare("INSERT OR IGNORE INTO settings(key, value) VALUES ('sim.lived-through', '0')").run();
  const livedThrough = db.prepare("UPDATE settings SET value = ? WHERE key = 'sim.lived-through'");
  let lived = Number(
    db.prepare<[], { value: string }>("SELECT value FROM settings WHERE key = 'sim.lived-through'").get()!
      .value,
  );

  /**
   * Lives the planned moments up to `until` (ms), day after day from `fromDay` (the first call; later
   * ones go on from where the last stopped), at most `budget` of them
   * (a caller that shares the event loop plays in slices); one transaction per slice (the hall's
   * commands are savepoints in it), so a day is a second, not an fsync per command. Answers how many
   * it played: fewer than `budget` means it reached `until`.
   */
  function playUntil(fromDay: string, until: number, budget = Number.POSITIVE_INFINITY): number {
    let played = 0;
    let day = plan?.day ?? fromDay;
    while (played < budget) {
      if (!plan || plan.day !== day) {
        const actions = planDay(day);
        plan = { day, actions, next: actions.filter((a) => a.at <= lived).length };
        tickets.clear();
      }
      const p = plan;
      db.transaction(() => {
        while (p.next < p.actions.length && p.actions[p.next]!.at <= until && played < budget) {
          act(p.actions[p.next]!);
          lived = p.actions[p.next]!.at;
          p.next++;
          played++;
        }
        livedThrough.run(String(lived));
      })();
      if (p.next < p.actions.length) break;
      const nextDay = addDays(day, 1);
      if (instantOf(nextDay, 0, config.timeZone) > until) break;
      day = nextDay;
    }
    if (played < budget) {
      clock.set(Math.max(clock.now(), until));
      hall.sweepDay();
    }
    return played;
  }

  return {
    db,
    hall,
    clock,
    config,
    configuration,
    dbPath: options.dbPath,
    planDay,
    playUntil,
    /** The last day a ticket was issued, if any: where a restarted demo hall picks up. */
    lastDay: () =>
      db.prepare<[], { day: string | null }>('SELECT max(day) AS day FROM tickets').get()?.day ?? null,
    close: () => db.close(),
  };
}
