import { describe, expect, it } from 'vitest';
import { HALL_MORNING, ok, staff1, testHall } from '../../tests/helpers/test-hall.ts';
import { DEMO_HALL } from '../config.ts';
import { DAY, MINUTE } from '../domain/clock.ts';
import { createStats } from './stats.ts';

/**
 * A scripted history whose true figures the test knows: on each of two days, general tickets waiting
 * 4, 10 and 20 minutes and served 6 minutes each, one no-show, one cancelled and one left at closing.
 */
function scriptedHall() {
  const t = testHall();
  const { hall, clock } = t;
  ok(hall.openCounter('1', staff1));
  for (let day = 0; day < 2; day++) {
    clock.set(HALL_MORNING + day * DAY);
    const issued = [0, 1, 2].map(() => ok(hall.issueTicket({ serviceId: 'general', channel: 'reception' })));
    const noShow = ok(hall.issueTicket({ serviceId: 'payments', channel: 'reception' }));
    const cancelled = ok(hall.issueTicket({ serviceId: 'devices', channel: 'mobile' }));
    ok(hall.cancelTicket(cancelled.id));
    let now = HALL_MORNING + day * DAY;
    for (const [i, wait] of [4, 10, 20].entries()) {
      clock.set(Math.max(now, HALL_MORNING + day * DAY + wait * MINUTE));
      expect(ok(hall.callNext('1', staff1))?.ticket.id).toBe(issued[i]!.id);
      ok(hall.start('1', staff1));
      clock.advance(6 * MINUTE);
      ok(hall.finish('1', staff1, 4));
      now = clock.now();
    }
    expect(ok(hall.callNext('1', staff1))?.ticket.id).toBe(noShow.id);
    ok(hall.noShow('1', staff1));
    ok(hall.issueTicket({ serviceId: 'broadband', channel: 'reception' })); // left waiting at the day's end
  }
  return t;
}

describe('statistics', () => {
  it('gives the true figures of a scripted history, from day rollups and live rows alike', () => {
    const { db, clock, hall } = scriptedHall();
    clock.set(HALL_MORNING + 2 * DAY); // the third day: the first two are over
    hall.sweepDay(); // closes yesterday's leftovers as unserved
    const stats = createStats(db, DEMO_HALL, clock);
    const range = { from: '2026-11-25', to: '2026-11-27' };
    const first = stats.summary(range); // rolls the two closed days up
    expect(
      db.prepare("SELECT COUNT(DISTINCT day) AS n FROM day_rollups WHERE dimension = 'all'").get(),
    ).toEqual({ n: 2 });
    const second = stats.summary(range); // read from the rollups
    expect(second).toEqual(first);
    expect(first).toMatchObject({
      tickets: 12,
      served: 6,
      noShows: 2,
      cancelled: 2,
      unservedAtClosing: 2,
      // waits of called tickets: 4, 10, 20 and the no-show's, per day
      serviceMinutes: { avg: 6, p50: 6, p90: 6 },
    });
    expect(first.waitMinutes.p50).toBe(10);
    expect(first.waitMinutes.p90).toBeGreaterThanOrEqual(20);
    const general = first.byService.find((g) => g.key === 'general')!;
    expect(general).toMatchObject({ tickets: 6, served: 6, waitMinutes: { avg: 11.3, p50: 10, p90: 20 } });
    expect(general.withinTargetPct).toBe(66.7); // 4 and 10 of 4, 10, 20 within 15 minutes
    expect(first.byCounter.map((g) => g.key)).toEqual(['1']);
    expect(first.byHour.map((g) => g.key)).toEqual(['10']);
  });

  it('counts a day live while it still has open tickets, and rolls it up once they end', () => {
    const { db, clock, hall } = scriptedHall();
    const stats = createStats(db, DEMO_HALL, clock);
    clock.set(HALL_MORNING + 2 * DAY); // no command yet today: day two's waiting ticket is still open
    const days = () => db.prepare("SELECT day FROM day_rollups WHERE dimension = 'all' ORDER BY day").all();
    expect(stats.summary({ from: '2026-11-25', to: '2026-11-26' })).toMatchObject({
      tickets: 12,
      unservedAtClosing: 1,
    });
    expect(days()).toEqual([{ day: '2026-11-25' }]); // day one's leftover was closed by day two's first command
    hall.sweepDay();
    expect(stats.summary({ from: '2026-11-25', to: '2026-11-26' })).toMatchObject({
      tickets: 12,
      unservedAtClosing: 2,
    });
    expect(days()).toEqual([{ day: '2026-11-25' }, { day: '2026-11-26' }]);
  });
});
