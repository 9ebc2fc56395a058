import { describe, expect, it } from 'vitest';
import { HALL_MORNING, ok, staff1, staff2, testHall } from '../../tests/helpers/test-hall.ts';
import { DAY, HOUR } from '../domain/clock.ts';
import { createStaffedHoursRepository } from './staffed-hours.ts';

describe('the staffed hours read from the tickets', () => {
  it('counts, per weekday, hour and counter, the days it called someone, and the days with tickets', () => {
    const { db, hall, clock } = testHall();
    ok(hall.openCounter('1', staff1));
    ok(hall.openCounter('2', staff2));
    // Wednesday 25 November and the Wednesday after: counter 1 calls at 10:00 both times, counter 2 once.
    for (const week of [0, 7]) {
      clock.set(HALL_MORNING + week * DAY);
      ok(hall.issueTicket({ serviceId: 'general', channel: 'reception' }));
      ok(hall.issueTicket({ serviceId: 'general', channel: 'reception' }));
      ok(hall.callNext('1', staff1));
      ok(hall.finish('1', staff1));
      if (week === 0) ok(hall.callNext('2', staff2));
    }
    clock.set(HALL_MORNING + DAY + HOUR); // Thursday 11:00: a ticket nobody called
    ok(hall.issueTicket({ serviceId: 'general', channel: 'reception' }));

    const past = createStaffedHoursRepository(db);
    const rows = (from: string, to: string) =>
      past.staffed(from, to).sort((a, b) => a.counter_id.localeCompare(b.counter_id));
    expect(rows('2026-11-25', '2026-12-03')).toEqual([
      { weekday: 2, hour: 10, counter_id: '1', days: 2 },
      { weekday: 2, hour: 10, counter_id: '2', days: 1 },
    ]);
    expect([...past.daysPerWeekday('2026-11-25', '2026-12-03')].sort()).toEqual([
      [2, 2],
      [3, 1],
    ]);
    // `to` is not included.
    expect(rows('2026-11-25', '2026-12-02')).toEqual([
      { weekday: 2, hour: 10, counter_id: '1', days: 1 },
      { weekday: 2, hour: 10, counter_id: '2', days: 1 },
    ]);
  });
});
