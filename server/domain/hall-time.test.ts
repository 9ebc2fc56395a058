import { describe, expect, it } from 'vitest';
import { addDays, instantOf, localDateTime, localIso, localTime, parseClockTime } from './hall-time.ts';

describe('hall time', () => {
  it('gives the Shanghai day, not the UTC day, just after local midnight', () => {
    const utc = Date.UTC(2026, 10, 24, 16, 5); // 2026-11-25 00:05 in Shanghai
    expect(localTime(utc, 'Asia/Shanghai')).toMatchObject({
      day: '2026-11-25',
      hour: 0,
      minute: 5,
      minuteOfDay: 5,
    });
    expect(localTime(utc, 'UTC')).toMatchObject({ day: '2026-11-24', hour: 16 });
  });

  it('numbers weekdays from Monday = 0', () => {
    expect(localTime(Date.UTC(2026, 10, 23, 4), 'Asia/Shanghai').weekday).toBe(0); // Monday 23 Nov 2026
    expect(localTime(Date.UTC(2026, 10, 29, 4), 'Asia/Shanghai').weekday).toBe(6);
  });

  it('finds the instant of a local time, also across a daylight-saving change', () => {
    expect(instantOf('2026-11-25', 9 * 60, 'Asia/Shanghai')).toBe(Date.UTC(2026, 10, 25, 1));
    // Berlin springs forward on 29 March 2026: 09:00 is UTC+2 that day, UTC+1 the day before.
    expect(instantOf('2026-03-28', 9 * 60, 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 28, 8));
    expect(instantOf('2026-03-29', 9 * 60, 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 7));
  });

  it('reads HH:MM', () => {
    expect(parseClockTime('09:30')).toBe(570);
    expect(parseClockTime('24:00')).toBe(1440);
  });
});

describe('localDateTime', () => {
  it('writes the hall’s wall-clock time, across midnight and across a daylight saving change', () => {
    expect(localDateTime(Date.parse('2026-11-25T16:05:09.700Z'), 'Asia/Shanghai')).toBe(
      '2026-11-26 00:05:09',
    );
    // Berlin leaves summer time at 03:00 on 25 October 2026: 00:59:59Z is 02:59:59 CEST, 01:00Z is 02:00 CET.
    expect(localDateTime(Date.parse('2026-10-25T00:59:59Z'), 'Europe/Berlin')).toBe('2026-10-25 02:59:59');
    expect(localDateTime(Date.parse('2026-10-25T01:00:00Z'), 'Europe/Berlin')).toBe('2026-10-25 02:00:00');
  });
});

describe('addDays', () => {
  it('counts calendar days across months, years and leap days, both ways', () => {
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-11-25', -56)).toBe('2026-09-30');
  });
});

describe('localIso', () => {
  it('writes the wall clock with the zone’s offset, the same instant when parsed back', () => {
    const ms = Date.UTC(2026, 10, 25, 2, 0, 5, 123);
    expect(localIso(ms, 'Asia/Shanghai')).toBe('2026-11-25T10:00:05.123+08:00');
    expect(localIso(ms, 'America/New_York')).toBe('2026-11-24T21:00:05.123-05:00');
    expect(localIso(ms, 'Asia/Kolkata')).toBe('2026-11-25T07:30:05.123+05:30');
    expect(Date.parse(localIso(ms, 'America/New_York'))).toBe(ms);
  });
});
