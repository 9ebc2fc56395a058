import { describe, expect, it } from 'vitest';
import { HALL_MORNING, ok, staff1, staff2, testHall } from '../../tests/helpers/test-hall.ts';
import { DEMO_HALL, parseHallConfig } from '../config.ts';
import { CALL_SHOWN_MS } from '../contract/api.ts';
import { waitWording } from '../contract/wait-wording.ts';
import { DAY, HOUR, MINUTE } from '../domain/clock.ts';

const SHANGHAI = 8 * HOUR;
/** A local time in the hall (Asia/Shanghai, no daylight saving): `2026-11-25T09:00`. */
const local = (at: string) => Date.parse(`${at}:00Z`) - SHANGHAI;
const clock = (now: number) => ({ now, timeZone: 'Asia/Shanghai' });

/** A 09:00–18:00 hall: the demo hall with a hall configuration's default opening hours. */
const NINE_TO_SIX = parseHallConfig({ ...DEMO_HALL, hours: { open: '09:00', close: '18:00' } }, 'test');

describe('what a waiting ticket and its service say about the wait', () => {
  it('while every counter is closed: not served, no basis, and the place in line — never "next"', () => {
    const { hall, clock: c } = testHall();
    const first = ok(hall.issueTicket({ serviceId: 'complaints' }));
    expect(first.outlook).toEqual({ servedNow: false, pausedCounters: 0, expectedOpenAt: null });
    const said = waitWording(first, clock(c.now()));
    expect(said).toMatchObject({ servedNow: false, eta: null });
    expect(said.place).toEqual({ zh: '您排在第 1 位', en: 'You are first in line' });
    expect(said.basis?.zh).toBe('该业务窗口暂未开放，请咨询工作人员');
    const service = hall.serviceViews().find((s) => s.id === 'complaints')!;
    expect(service.outlook).toEqual(first.outlook);
    expect(waitWording({ ...service, position: null }, clock(c.now())).short.zh).toBe('窗口暂未开放');
  });

  it('once a counter serving it opens: served now, with an ETA that says what it rests on', () => {
    const { hall, clock: c } = testHall();
    ok(hall.openCounter('6', staff1));
    const ticket = ok(hall.issueTicket({ serviceId: 'complaints' }));
    expect(ticket.outlook).toEqual({ servedNow: true, pausedCounters: 0, expectedOpenAt: null });
    const said = waitWording(ticket, clock(c.now()));
    expect(said.place.zh).toBe('下一位就是您');
    expect(said.eta).not.toBeNull();
    expect(said.basis).not.toBeNull();
  });

  it('while the only counters serving it are paused: says so, and promises no time', () => {
    const { hall, clock: c } = testHall();
    ok(hall.openCounter('6', staff1));
    ok(hall.pauseCounter('6', staff1, 'lunch'));
    const ticket = ok(hall.issueTicket({ serviceId: 'retention' }));
    expect(ticket.outlook).toEqual({ servedNow: false, pausedCounters: 1, expectedOpenAt: null });
    const said = waitWording(ticket, clock(c.now()));
    expect(said.eta).toBeNull();
    expect(said.short.en).toBe('Counters paused');
    ok(hall.resumeCounter('6', staff1));
    expect(ok(hall.getTicket(ticket.id)).outlook?.servedNow).toBe(true);
  });

  it('after a transfer to a service no open counter serves: its place there, and no promise', () => {
    const { hall, clock: c } = testHall();
    ok(hall.openCounter('1', staff1));
    ok(hall.issueTicket({ serviceId: 'general' }));
    ok(hall.callNext('1', staff1));
    const moved = ok(hall.transfer('1', staff1, 'retention'));
    expect(moved).toMatchObject({ status: 'waiting', serviceId: 'retention', position: 1 });
    expect(moved.outlook?.servedNow).toBe(false);
    const said = waitWording(moved, clock(c.now()));
    expect(said.place.zh).toBe('您排在第 1 位');
    expect(JSON.stringify(said)).not.toMatch(/下一位|马上|即将|0 分钟|无需等候|next|soon|0 min|No wait/);
  });

  it('before opening, expects the counters at the opening time; after closing, at the next one', () => {
    const { hall } = testHall({ config: NINE_TO_SIX, start: local('2026-11-25T08:10') });
    const before = hall.serviceViews().find((s) => s.id === 'general')!;
    expect(before.outlook?.expectedOpenAt).toBe(new Date(local('2026-11-25T09:00')).toISOString());
    const after = testHall({ config: NINE_TO_SIX, start: local('2026-11-25T18:30') }).hall.serviceViews()[0]!;
    expect(after.outlook?.expectedOpenAt).toBe(new Date(local('2026-11-26T09:00')).toISOString());
    expect(
      waitWording({ ...before, position: null, open: true }, clock(local('2026-11-25T08:10'))).short,
    ).toEqual({
      zh: '预计 09:00 开放',
      en: 'Opens 09:00',
    });
  });

  it("within the hours, expects the counters at the next hour this weekday's staffing usually had them", () => {
    // Four past Wednesdays on which counter 6 served complaints from 14:00 on.
    const { hall, db } = testHall({ config: NINE_TO_SIX, start: local('2026-11-25T10:20') });
    const insert = db.prepare(
      `INSERT INTO tickets(id, day, hour, weekday, number, service_id, issued_service_id, tier, channel, status,
         issued_at, queued_at, called_at, first_called_at, finished_at, counter_id)
       VALUES (?, ?, ?, 2, ?, 'complaints', 'complaints', 'regular', 'kiosk', 'done', ?, ?, ?, ?, ?, '6')`,
    );
    for (const week of [1, 2, 3, 4]) {
      const day = new Date(local('2026-11-25T00:00') + SHANGHAI - week * 7 * DAY).toISOString().slice(0, 10);
      for (const hour of [14, 15]) {
        const at = local(`${day}T${hour}:05`);
        insert.run(
          `t${week}-${hour}`,
          day,
          hour,
          `F0${hour}`,
          at,
          at,
          at + MINUTE,
          at + MINUTE,
          at + 9 * MINUTE,
        );
      }
    }
    const complaints = hall.serviceViews().find((s) => s.id === 'complaints')!;
    expect(complaints.outlook?.expectedOpenAt).toBe(new Date(local('2026-11-25T14:00')).toISOString());
    // General business was never staffed in that history: nothing says when.
    expect(hall.serviceViews().find((s) => s.id === 'general')!.outlook?.expectedOpenAt).toBeNull();
  });
});

describe('the calls in a snapshot', () => {
  it("on a fresh morning: no current call and none of yesterday's numbers", () => {
    const { hall, clock: c } = testHall({ start: local('2026-11-24T17:00') });
    ok(hall.openCounter('1', staff1));
    ok(hall.issueTicket({ serviceId: 'general' }));
    ok(hall.callNext('1', staff1));
    expect(hall.snapshot().recentCalls).toHaveLength(1);
    expect(hall.snapshot().calling).toHaveLength(1);
    c.set(local('2026-11-25T08:00'));
    expect(hall.snapshot()).toMatchObject({ recentCalls: [], calling: [] });
  });

  it('calls a ticket only while it is called, and for a bounded time; a recall starts it again', () => {
    const { hall, clock: c } = testHall({ start: HALL_MORNING });
    ok(hall.openCounter('1', staff1));
    ok(hall.openCounter('2', staff2));
    for (let i = 0; i < 3; i++) ok(hall.issueTicket({ serviceId: 'general' }));
    ok(hall.callNext('1', staff1));
    c.advance(MINUTE);
    ok(hall.callNext('2', staff2));
    expect(hall.snapshot().calling.map((x) => x.number)).toEqual(['A002', 'A001']);
    ok(hall.start('2', staff2));
    expect(hall.snapshot().calling.map((x) => x.number)).toEqual(['A001']);
    c.advance(CALL_SHOWN_MS);
    expect(hall.snapshot().calling).toEqual([]);
    ok(hall.recall('1', staff1));
    expect(hall.snapshot().calling).toMatchObject([{ number: 'A001', recall: true }]);
    ok(hall.noShow('1', staff1));
    ok(hall.finish('2', staff2));
    expect(hall.snapshot().calling).toEqual([]);
    expect(hall.snapshot().recentCalls.map((x) => x.number)).toEqual(['A001', 'A002', 'A001']);
  });
});
