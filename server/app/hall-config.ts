/**
 * The hall's configuration as the queue reads it: the configuration in force and the maps made from it
 * (services, counters, routing weights, opening hours). `replace` refills the maps in place, so whoever
 * holds one (routing, forecasts) sees the new configuration; read `config` through the object, never copy it.
 */
import { type CounterConfig, counterServiceWeights, type HallConfig, type ServiceConfig } from '../config.ts';
import type { CounterRepository } from '../db/counters.ts';
import type { Db } from '../db/open.ts';
import type { ServiceRepository } from '../db/services.ts';
import { localTime, parseClockTime } from '../domain/hall-time.ts';
import type { RoutingCounter } from '../domain/routing.ts';

/** The wait target of a service no longer configured (its tickets may still wait). */
const DEFAULT_WAIT_TARGET_MINUTES = 15;

export type ConfigMaps = ReturnType<typeof createConfigMaps>;

export function createConfigMaps(initial: HallConfig) {
  let config = initial;
  const services = new Map<string, ServiceConfig>();
  const counters = new Map<string, CounterConfig>();
  const routingCounters = new Map<string, RoutingCounter>();
  /** Per service, its opening and closing in minutes since local midnight. */
  const openingMinutes = new Map<string, readonly [number, number]>();

  function fill(next: HallConfig): void {
    config = next;
    services.clear();
    counters.clear();
    routingCounters.clear();
    openingMinutes.clear();
    for (const s of next.services) {
      services.set(s.id, s);
      const hours = s.hours ?? next.hours;
      openingMinutes.set(s.id, [parseClockTime(hours.open), parseClockTime(hours.close)]);
    }
    for (const c of next.counters) {
      counters.set(c.id, c);
      routingCounters.set(c.id, { services: counterServiceWeights(c), elderlyFirst: c.elderlyFirst });
    }
  }
  fill(initial);

  const serves = (counterId: string, serviceId: string) =>
    routingCounters.get(counterId)?.services.some((s) => s.serviceId === serviceId) ?? false;

  return {
    /** The configuration in force now. */
    get config(): HallConfig {
      return config;
    },
    services: services as ReadonlyMap<string, ServiceConfig>,
    counters: counters as ReadonlyMap<string, CounterConfig>,
    routingCounters: routingCounters as ReadonlyMap<string, RoutingCounter>,
    waitTarget: (serviceId: string): number =>
      services.get(serviceId)?.waitTargetMinutes ?? DEFAULT_WAIT_TARGET_MINUTES,
    serves,
    /** The services a counter serves, in its configured order. */
    servicesOf: (counterId: string): string[] =>
      routingCounters.get(counterId)?.services.map((s) => s.serviceId) ?? [],
    /** The configured counters that serve a service. */
    countersOf: (serviceId: string): string[] =>
      config.counters.filter((c) => serves(c.id, serviceId)).map((c) => c.id),
    /** A service's opening and closing, in minutes since local midnight. */
    hoursOf: (serviceId: string): readonly [number, number] => openingMinutes.get(serviceId) ?? [0, 0],
    isServiceOpen(service: ServiceConfig, now: number): boolean {
      if (!service.enabled) return false;
      const [open, close] = openingMinutes.get(service.id)!;
      const minute = localTime(now, config.timeZone).minuteOfDay;
      return minute >= open && minute < close;
    },
    /** The local opening day at `now`. */
    dayAt: (now: number): string => localTime(now, config.timeZone).day,
    replace: fill,
  };
}

/** Services and counters in the database follow the configuration; counters keep their live state. */
export function mirrorConfiguration(
  db: Db,
  rows: { services: ServiceRepository; counters: CounterRepository },
  config: HallConfig,
  now: number,
): void {
  db.transaction(() => {
    rows.services.mirror(config.services);
    rows.counters.ensure(config.counters, now);
  })();
}
