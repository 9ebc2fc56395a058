import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeDemoHistoryFile } from '../../scripts/demo-history.ts';
import { tempDir } from '../../tests/helpers/temp-dir.ts';
import { ok, staff1, staff2, testCommandPath } from '../../tests/helpers/test-hall.ts';
import { DEMO_HALL } from '../config.ts';
import type { DateRange, StaffingAdvice } from '../contract/api.ts';
import { type Db, openDatabase } from '../db/open.ts';
import { ManualClock, MINUTE } from '../domain/clock.ts';
import { parseClockTime } from '../domain/hall-time.ts';
import { HallHistory } from '../domain/history.ts';
import { adviseStaffing, DEFAULT_SERVICE_LEVEL } from '../domain/staffing.ts';
import { createHall } from './hall.ts';
import { SERVICE_TIMES_KEPT } from './intelligence.ts';
import { createStats } from './stats.ts';

const SHANGHAI = 8 * 60 * MINUTE; // no daylight saving time
/** An instant from a local time in the hall (Asia/Shanghai): `2026-11-13T23:40`. */
const local = (at: string) => Date.parse(`${at}:00Z`) - SHANGHAI;

/**
 * The staffing advice as it was worked out before the rollups: every ticket of the range read, each
 * finished call fed to a HallHistory in finishing order (it keeps the latest), every day's arrivals one
 * by one. The reference the rolled-up advice must equal.
 */
function staffingFromEveryTicket(db: Db, range: DateRange): StaffingAdvice {
  const hall = DEMO_HALL;
  const history = new HallHistory();
  for (const s of db
    .prepare<[string, string], { service_id: string; hour: number; minutes: number }>(
      `SELECT service_id, hour, (finished_at - COALESCE(serving_at, called_at)) / 60000.0 AS minutes FROM tickets
       WHERE day BETWEEN ? AND ? AND status IN ('done', 'no-show') AND called_at IS NOT NULL
         AND finished_at IS NOT NULL ORDER BY finished_at, service_id, hour, minutes`,
    )
    .all(range.from, range.to))
    if (s.minutes >= 0) history.addServiceTime(s.service_id, s.hour, s.minutes);
  const daysPerWeekday = new Array<number>(7).fill(0);
  const perService = new Map<string, number>();
  const byDay = new Map<string, { weekday: number; issued: { hour: number; serviceId: string }[] }>();
  for (const t of db
    .prepare<[string, string], { day: string; weekday: number; hour: number; service_id: string }>(
      'SELECT day, weekday, hour, issued_service_id AS service_id FROM tickets WHERE day BETWEEN ? AND ?',
    )
    .all(range.from, range.to)) {
    const day = byDay.get(t.day) ?? { weekday: t.weekday, issued: [] };
    byDay.set(t.day, day);
    day.issued.push({ hour: t.hour, serviceId: t.service_id });
    perService.set(t.service_id, (perService.get(t.service_id) ?? 0) + 1);
  }
  for (const { weekday, issued } of byDay.values()) {
    history.addDay(
      weekday,
      issued.map((a) => ({ ...a, tier: 'regular' as const })),
    );
    daysPerWeekday[weekday]!++;
  }
  const staffed = new Map<string, number>();
  for (const r of db
    .prepare<[string, string], { weekday: number; hour: number; counters: number }>(
      `SELECT weekday, hour, COUNT(DISTINCT counter_id) AS counters FROM tickets
       WHERE day BETWEEN ? AND ? AND counter_id IS NOT NULL GROUP BY day, hour`,
    )
    .all(range.from, range.to))
    staffed.set(`${r.weekday}@${r.hour}`, (staffed.get(`${r.weekday}@${r.hour}`) ?? 0) + r.counters);
  const targets = new Map(hall.services.map((s) => [s.id, s.waitTargetMinutes]));
  let weighted = 0;
  let total = 0;
  for (const [serviceId, n] of perService) {
    weighted += n * (targets.get(serviceId) ?? DEFAULT_SERVICE_LEVEL.waitMinutes);
    total += n;
  }
  const level = {
    waitMinutes: total > 0 ? Math.round(weighted / total) : DEFAULT_SERVICE_LEVEL.waitMinutes,
    share: DEFAULT_SERVICE_LEVEL.share,
  };
  const round1 = (x: number) => Math.round(x * 10) / 10;
  const open = Math.floor(parseClockTime(hall.hours.open) / 60);
  const close = Math.ceil(parseClockTime(hall.hours.close) / 60);
  const hours = Array.from({ length: close - open }, (_, i) => open + i);
  return {
    from: range.from,
    to: range.to,
    daysPerWeekday,
    level: { waitMinutes: level.waitMinutes, sharePct: level.share * 100 },
    hallCounters: hall.counters.length,
    hours: adviseStaffing(history, [0, 1, 2, 3, 4, 5, 6], hours, level).map((a) => ({
      weekday: a.weekday,
      hour: a.hour,
      arrivalsPerHour: round1(a.arrivalsPerHour),
      serviceMinutes: round1(a.serviceMinutes),
      countersNeeded: a.counters,
      expectedWithinPct: round1(a.expectedWithinShare * 100),
      countersStaffed:
        daysPerWeekday[a.weekday] === 0
          ? 0
          : round1((staffed.get(`${a.weekday}@${a.hour}`) ?? 0) / daysPerWeekday[a.weekday]!),
    })),
  };
}

/**
 * Eight weeks of a hall (28 September … 22 November 2026, played by the simulator at 1.3 times the demo
 * hall's customers, 09:00–18:00), then, by the
 * hall's own commands, calls across local midnight on three Fridays: tickets issued at 23:40 finish after
 * midnight, after the first tickets of the next hall day have finished (one UTC day, two hall days, and
 * finishing times of two days interleaved). Then today, Monday 23 November, with tickets still waiting.
 */
function history() {
  const dbPath = join(tempDir(), 'weeks.sqlite');
  writeDemoHistoryFile(dbPath, { days: 56, scale: 1.3, end: '2026-11-22', seed: 11 });
  const db = openDatabase(dbPath);
  const clock = new ManualClock(local('2026-11-06T23:00'));
  const { commands } = testCommandPath(db, dbPath, clock);
  const hall = createHall({ db, clock, config: DEMO_HALL, commands, demo: true, log: () => {} });
  ok(hall.openCounter('1', staff1));
  ok(hall.openCounter('5', staff2));
  for (const friday of ['2026-11-06', '2026-11-13', '2026-11-20']) {
    const saturday = new Date(Date.parse(friday) + 86_400_000).toISOString().slice(0, 10);
    clock.set(local(`${friday}T23:40`));
    const late = [0, 1, 2].map(() => ok(hall.issueTicket({ serviceId: 'general', channel: 'reception' })));
    clock.set(local(`${friday}T23:45`));
    expect(ok(hall.callNext('1', staff1))?.ticket.id).toBe(late[0]!.id);
    ok(hall.start('1', staff1));
    clock.set(local(`${friday}T23:50`));
    ok(hall.callNext('5', staff2));
    ok(hall.start('5', staff2));
    clock.set(local(`${friday}T23:55`));
    ok(hall.finish('5', staff2));
    ok(hall.callNext('5', staff2));
    clock.set(local(`${friday}T23:58`));
    ok(hall.noShow('5', staff2));
    clock.set(local(`${friday}T23:59`));
    ok(hall.finish('1', staff1));
    clock.set(local(`${saturday}T00:01`));
    ok(hall.issueTicket({ serviceId: 'general', channel: 'kiosk' }));
    clock.set(local(`${saturday}T00:02`));
    ok(hall.callNext('1', staff1));
    ok(hall.start('1', staff1));
    clock.set(local(`${saturday}T00:04`));
    ok(hall.finish('1', staff1));
    // Friday's first call ends after Saturday's first: the hall itself closes a day's open tickets when
    // the next begins, but the advice must not rely on days finishing in order.
    db.prepare('UPDATE tickets SET finished_at = ? WHERE id = ?').run(
      local(`${saturday}T00:10`),
      late[0]!.id,
    );
  }
  clock.set(local('2026-11-23T10:00'));
  for (let i = 0; i < 4; i++)
    ok(hall.issueTicket({ serviceId: i % 2 ? 'general' : 'payments', channel: 'kiosk' }));
  ok(hall.callNext('1', staff1));
  ok(hall.start('1', staff1));
  clock.set(local('2026-11-23T10:07'));
  ok(hall.finish('1', staff1));
  return { db, clock };
}

const RANGES: DateRange[] = [
  { from: '2026-09-28', to: '2026-11-23' }, // everything, today included
  { from: '2026-10-05', to: '2026-10-25' }, // three weeks in the middle
  { from: '2026-11-13', to: '2026-11-14' }, // a Friday and the Saturday its calls ran into
  { from: '2026-11-14', to: '2026-11-23' }, // starts with a day whose first calls finished before the day before ended
  { from: '2026-08-01', to: '2026-08-31' }, // no tickets at all
];

// Eight weeks of generated history per test: seconds on a busy 2-core box.
describe('staffing advice from rollups', { timeout: 30_000 }, () => {
  it('reads at least as many latest service times as HallHistory keeps', () => {
    const history = new HallHistory();
    for (let i = 0; i < 3 * SERVICE_TIMES_KEPT; i++) history.addServiceTime('general', 10, i);
    expect(history.serviceSamples('general', 10)).toHaveLength(SERVICE_TIMES_KEPT);
  });

  it('gives the same advice as reading every ticket, over weeks of history, across local midnight, with today live', () => {
    const { db, clock } = history();
    // A hall whose today is before the history: nothing is closed, every day is read from its tickets.
    const live = createStats(db, DEMO_HALL, new ManualClock(local('2026-09-01T10:00')));
    const fromTickets = RANGES.map((r) => live.staffing(r));
    expect(db.prepare('SELECT COUNT(*) AS n FROM staffing_days').get()).toEqual({ n: 0 });

    const stats = createStats(db, DEMO_HALL, clock);
    const rolledUp = RANGES.map((r) => stats.staffing(r));
    // Every closed day rolled up (56 generated days and the early hours of three Saturdays already in them).
    expect(db.prepare('SELECT COUNT(*) AS n FROM staffing_days').get()).toEqual({ n: 56 });
    // Some service hours have more calls than HallHistory keeps, so the rollups skip their older days.
    const busy = db
      .prepare(
        `SELECT service_id, hour FROM staffing_service_times
          GROUP BY service_id, hour HAVING SUM(n) > ${SERVICE_TIMES_KEPT}`,
      )
      .all();
    expect(busy.length).toBeGreaterThan(3);

    RANGES.forEach((range, i) => {
      const reference = staffingFromEveryTicket(db, range);
      expect(fromTickets[i], `${range.from} … ${range.to} from tickets`).toEqual(reference);
      expect(rolledUp[i], `${range.from} … ${range.to} from rollups`).toEqual(reference);
    });
    // The advice has substance: midnight hours seen, busy hours needing several counters.
    const all = rolledUp[0]!;
    expect(all.daysPerWeekday).toEqual([9, 8, 8, 8, 8, 8, 8]);
    const cell = (weekday: number, hour: number) =>
      all.hours.find((h) => h.weekday === weekday && h.hour === hour)!;
    expect(cell(4, 23).arrivalsPerHour).toBeGreaterThan(0);
    expect(cell(5, 0).countersStaffed).toBeGreaterThan(0);
    expect(Math.max(...all.hours.map((h) => h.countersNeeded))).toBeGreaterThan(1);
  });

  it('rolls up the staffing figures of days that have only the older day rollups (a hall upgraded to migration 007)', () => {
    const { db, clock } = history();
    const stats = createStats(db, DEMO_HALL, clock);
    const range = RANGES[0]!;
    const before = stats.staffing(range);
    db.exec('DELETE FROM staffing_days; DELETE FROM staffing_service_times');
    expect(stats.rollUp(range)).toBe(56);
    expect(db.prepare('SELECT COUNT(*) AS n FROM staffing_days').get()).toEqual({ n: 56 });
    expect(stats.staffing(range)).toEqual(before);
    expect(stats.staffing(range)).toEqual(staffingFromEveryTicket(db, range));
  });
});
