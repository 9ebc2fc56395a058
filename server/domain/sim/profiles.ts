import type { Tier } from '../../contract/api.ts';
import { parseClockTime as at } from '../hall-time.ts';

/** Minutes since local midnight. */
type Minute = number;

/** A kind of hall day: who comes when, for what, how long it takes, who is at which counter. */
export type SimProfile = {
  name: string;
  /** 0 = Monday … 6 = Sunday: the weekday the hall's history files these days under. */
  weekday: number;
  open: Minute;
  /** The kiosk issues no ticket after this. */
  lastTicket: Minute;
  /** Counters on duty at closing serve on until nothing they serve is waiting. */
  close: Minute;
  /** Tickets per day by service, spread over the day by `hourlyShape`. */
  ticketsPerDay: Record<string, number>;
  /** Relative busyness of each hour from the opening hour on. */
  hourlyShape: readonly number[];
  /** Lognormal service time of each service: its median (minutes) and the spread of its logarithm. */
  serviceMinutes: Record<string, { median: number; sigma: number }>;
  /** Per counter: the staff member's speed (a factor on service time) and shifts; gaps are pauses. */
  staff: Record<string, { speed: number; shifts: readonly (readonly [Minute, Minute])[] }>;
  /** Share of each service's tickets by priority tier; the rest are regular. */
  tierShares: Record<string, Partial<Record<Exclude<Tier, 'regular'>, number>>>;
  /** Customers who are not there when called; the counter loses `noShowMinutes` on each. */
  noShowShare: number;
  noShowMinutes: number;
  /** How long a customer waits before leaving (lognormal). */
  patienceMinutes: { median: number; sigma: number };
};

/** A day from 09:00 to 18:00 with a pause of `lunch` minutes starting at `from`. */
const dayWithLunch = (from: string, lunch: number) =>
  [
    [at('09:00'), at(from)],
    [at(from) + lunch, at('18:00')],
  ] as const;

const SERVICE_MINUTES: SimProfile['serviceMinutes'] = {
  general: { median: 7, sigma: 0.5 },
  payments: { median: 3, sigma: 0.5 },
  devices: { median: 11, sigma: 0.55 },
  broadband: { median: 9, sigma: 0.5 },
  business: { median: 14, sigma: 0.55 },
  vip: { median: 9, sigma: 0.5 },
  complaints: { median: 16, sigma: 0.6 },
  retention: { median: 13, sigma: 0.5 },
};

const TIER_SHARES: SimProfile['tierShares'] = {
  general: { vip: 0.02, elderly: 0.12, appointment: 0.06 },
  payments: { elderly: 0.15 },
  devices: { vip: 0.03, elderly: 0.05, appointment: 0.08 },
  broadband: { elderly: 0.1, appointment: 0.1 },
  business: { appointment: 0.3 },
  vip: { vip: 1 },
  complaints: { elderly: 0.05 },
};

/** The demo hall (server/config.ts) on a weekday: busy late morning and afternoon, staggered lunches. */
export const DEMO_WEEKDAY: SimProfile = {
  name: 'demo',
  weekday: 2,
  open: at('09:00'),
  lastTicket: at('17:30'),
  close: at('18:00'),
  ticketsPerDay: {
    general: 115,
    payments: 45,
    devices: 24,
    broadband: 20,
    business: 10,
    vip: 14,
    complaints: 7,
    retention: 6,
  },
  hourlyShape: [0.6, 1.1, 1.25, 0.95, 0.85, 1.05, 1.15, 1.1, 0.8],
  serviceMinutes: SERVICE_MINUTES,
  staff: {
    '1': { speed: 1, shifts: dayWithLunch('11:30', 45) },
    '2': { speed: 0.9, shifts: dayWithLunch('12:15', 45) },
    '3': { speed: 1.1, shifts: dayWithLunch('12:00', 45) },
    '4': { speed: 1, shifts: dayWithLunch('12:30', 45) },
    '5': { speed: 1.25, shifts: dayWithLunch('11:45', 45) },
    '6': { speed: 1.05, shifts: dayWithLunch('13:00', 45) },
  },
  tierShares: TIER_SHARES,
  noShowShare: 0.04,
  noShowMinutes: 1.5,
  patienceMinutes: { median: 45, sigma: 0.6 },
};

/** A busy Saturday: more of everything but business customers, phones above all, short lunches. */
export const BUSY_SATURDAY: SimProfile = {
  ...DEMO_WEEKDAY,
  name: 'saturday',
  weekday: 5,
  ticketsPerDay: {
    general: 160,
    payments: 55,
    devices: 46,
    broadband: 26,
    business: 3,
    vip: 16,
    complaints: 9,
    retention: 8,
  },
  hourlyShape: [0.7, 1.2, 1.35, 1.1, 1, 1.2, 1.2, 1, 0.6],
  staff: {
    '1': { speed: 1, shifts: dayWithLunch('11:30', 30) },
    '2': { speed: 0.9, shifts: dayWithLunch('12:00', 30) },
    '3': { speed: 1.1, shifts: dayWithLunch('12:30', 30) },
    '4': { speed: 1, shifts: dayWithLunch('13:00', 30) },
    '5': { speed: 1.25, shifts: dayWithLunch('11:45', 30) },
    '6': { speed: 1.05, shifts: dayWithLunch('13:30', 30) },
  },
  patienceMinutes: { median: 40, sigma: 0.6 },
};

/**
 * A weekday with a lunch-hour peak (office workers paying bills and changing plans) while half the
 * counters take their lunch around it, and two counters closing at 16:00. The routing rule was not tuned
 * on it: it tells whether the rule holds on a day it has not seen.
 */
export const LUNCH_PEAK_WEEKDAY: SimProfile = {
  ...DEMO_WEEKDAY,
  name: 'lunch',
  weekday: 3,
  ticketsPerDay: {
    general: 120,
    payments: 60,
    devices: 22,
    broadband: 18,
    business: 8,
    vip: 12,
    complaints: 6,
    retention: 5,
  },
  hourlyShape: [0.6, 0.9, 1, 1.8, 1.5, 0.9, 0.9, 0.9, 0.6],
  staff: {
    '1': { speed: 1, shifts: dayWithLunch('11:00', 45) },
    '2': { speed: 0.95, shifts: dayWithLunch('14:00', 45) },
    '3': {
      speed: 1.1,
      shifts: [
        [at('09:00'), at('12:00')],
        [at('12:45'), at('16:00')],
      ],
    },
    '4': { speed: 1, shifts: dayWithLunch('14:15', 45) },
    '5': {
      speed: 1.2,
      shifts: [
        [at('09:00'), at('11:15')],
        [at('12:00'), at('16:00')],
      ],
    },
    '6': { speed: 1.05, shifts: dayWithLunch('14:30', 45) },
  },
};

export const SIM_PROFILES: Record<string, SimProfile> = {
  demo: DEMO_WEEKDAY,
  saturday: BUSY_SATURDAY,
  lunch: LUNCH_PEAK_WEEKDAY,
};
