/**
 * The opening day turns, and the box's clock misbehaves: the day's sweep runs in a transaction of its
 * own and counts only once committed, tickets of a closed day are never called, and a clock stepping
 * back changes no calling order and makes no negative wait. On the injected clock, through a
 * MonotonicClock as main.ts wires it.
 */
import { describe, expect, it } from 'vitest';
import { ok, staff1, testHall } from '../../tests/helpers/test-hall.ts';
import { DEMO_HALL, parseHallConfig } from '../config.ts';
import { MINUTE } from '../domain/clock.ts';

/** A local time in Shanghai (UTC+8), e.g. `2026-11-25T09:00`. */
const shanghai = (local: string) => Date.parse(`${local}:00+08:00`);

const nineToSix = parseHallConfig({ ...DEMO_HALL, hours: { open: '09:00', close: '18:00' } }, 'test');

function statuses(hall: ReturnType<typeof testHall>['hall'], ids: string[]) {
  return ids.map((id) => ok(hall.getTicket(id)).status);
}

describe('the opening day', () => {
  it('closes yesterday’s tickets even when the first command of the day is refused', () => {
    const { hall, clock } = testHall({
      config: nineToSix,
      start: shanghai('2026-11-25T17:00'),
      monotonic: true,
    });
    const left = [0, 1].map(() => ok(hall.issueTicket({ serviceId: 'general', channel: 'reception' })).id);

    clock.set(shanghai('2026-11-26T09:00'));
    expect(hall.cancelTicket('no-such-ticket-aaaaaaaaa')).toMatchObject({ ok: false, status: 404 });
    expect(statuses(hall, left)).toEqual(['cancelled', 'cancelled']);

    const today = ok(hall.issueTicket({ serviceId: 'general', channel: 'reception' }));
    expect(today.number).toBe('A001');
    expect(today.position).toBe(1);
    ok(hall.openCounter('1', staff1));
    expect(ok(hall.callNext('1', staff1))?.ticket.id).toBe(today.id);
  });

  it('never calls a ticket of a closed day while its sweep cannot commit, and sweeps once it can', () => {
    const { hall, clock, db } = testHall({
      config: nineToSix,
      start: shanghai('2026-11-25T17:00'),
      monotonic: true,
    });
    const yesterday = ok(hall.issueTicket({ serviceId: 'general', channel: 'reception' }));
    // The sweep fails (a fault no retry mends at once); the day's work must go on without it.
    db.exec(`CREATE TEMP TRIGGER no_sweep BEFORE UPDATE OF status ON tickets WHEN NEW.status = 'cancelled'
             BEGIN SELECT RAISE(ABORT, 'the sweep cannot write'); END`);

    clock.set(shanghai('2026-11-26T09:00'));
    const today = ok(hall.issueTicket({ serviceId: 'general', channel: 'reception' }));
    expect(today.number).toBe('A001');
    ok(hall.openCounter('1', staff1));
    expect(ok(hall.callNext('1', staff1))?.ticket.id).toBe(today.id);
    ok(hall.finish('1', staff1));
    expect(ok(hall.callNext('1', staff1))).toBeNull(); // yesterday's A001 is not callable
    expect(ok(hall.getTicket(yesterday.id)).status).toBe('waiting');

    db.exec('DROP TRIGGER no_sweep');
    clock.advance(MINUTE);
    hall.sweepDay();
    expect(ok(hall.getTicket(yesterday.id)).status).toBe('cancelled');
  });

  it('ends a 09:00–18:00 day at its closing time and numbers the next from 001', () => {
    const { hall, clock, events } = testHall({
      config: nineToSix,
      start: shanghai('2026-11-25T17:50'),
      monotonic: true,
    });
    const waiting = ok(hall.issueTicket({ serviceId: 'general', channel: 'reception' }));
    clock.set(shanghai('2026-11-25T18:00'));
    hall.sweepDay();
    expect(ok(hall.getTicket(waiting.id)).status).toBe('cancelled');
    expect(events.at(-1)).toMatchObject({ type: 'ticket.cancelled', data: { reason: 'closing' } });
    clock.set(shanghai('2026-11-26T09:00'));
    expect(ok(hall.issueTicket({ serviceId: 'general', channel: 'reception' })).number).toBe('A001');
  });

  it('ends a day of a hall open around the clock at midnight', () => {
    const { hall, clock } = testHall({ start: shanghai('2026-11-25T23:50'), monotonic: true });
    const late = ok(hall.issueTicket({ serviceId: 'general', channel: 'reception' }));
    expect(late.number).toBe('A001');
    clock.set(shanghai('2026-11-26T00:00'));
    hall.sweepDay();
    expect(ok(hall.getTicket(late.id)).status).toBe('cancelled');
    expect(ok(hall.issueTicket({ serviceId: 'general', channel: 'reception' })).number).toBe('A001');
  });
});

describe('a clock that steps back', () => {
  it('keeps the calling order and gives no negative wait after a 5-minute step back', () => {
    const { hall, clock } = testHall({ start: shanghai('2026-11-25T10:00'), monotonic: true });
    const first = ok(hall.issueTicket({ serviceId: 'general', channel: 'reception' }));
    clock.set(shanghai('2026-11-25T09:55')); // NTP corrects the clock by five minutes
    clock.advance(MINUTE);
    const second = ok(hall.issueTicket({ serviceId: 'general', channel: 'reception' }));
    expect(Date.parse(second.issuedAt)).toBeGreaterThanOrEqual(Date.parse(first.issuedAt));

    ok(hall.openCounter('1', staff1));
    const call = ok(hall.callNext('1', staff1))!;
    expect(call.ticket.id).toBe(first.id);
    const finished = ok(hall.finish('1', staff1));
    expect(Date.parse(finished.calledAt!)).toBeGreaterThanOrEqual(Date.parse(first.issuedAt));
    expect(Date.parse(finished.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(finished.calledAt!));
    expect(ok(hall.callNext('1', staff1))?.ticket.id).toBe(second.id);
  });

  it('does not enter yesterday again when the clock steps back across midnight', () => {
    const { hall, clock } = testHall({ start: shanghai('2026-11-26T00:01'), monotonic: true });
    const todays = ok(hall.issueTicket({ serviceId: 'general', channel: 'reception' }));
    expect(todays.number).toBe('A001');
    clock.set(shanghai('2026-11-25T23:58')); // the clock steps back to the 25th
    const next = ok(hall.issueTicket({ serviceId: 'general', channel: 'reception' }));
    expect(next.number).toBe('A002'); // still the 26th's numbering
    expect(Date.parse(next.issuedAt)).toBeGreaterThanOrEqual(Date.parse(todays.issuedAt));
    hall.sweepDay();
    expect(ok(hall.getTicket(todays.id)).status).toBe('waiting'); // the 26th is not "tomorrow"
  });
});
