import { describe, expect, it } from 'vitest';
import { clockText, dateText, hallDay, minutesBetween, minutesText } from './format.ts';

describe('formatting for people', () => {
  it('says a number of minutes, and hours past the hour', () => {
    expect(minutesText(0.4)).toEqual({ zh: '不到 1 分钟', en: '<1 min' });
    expect(minutesText(12)).toEqual({ zh: '12 分钟', en: '12 min' });
    expect(minutesText(60)).toEqual({ zh: '1 小时', en: '1 h' });
    expect(minutesText(75)).toEqual({ zh: '1 小时 15 分钟', en: '1 h 15 min' });
  });

  it("gives the hall's calendar day of an instant, whatever the screen's zone", () => {
    // 23:30 UTC is already the next morning in Shanghai.
    expect(hallDay(Date.parse('2026-11-25T23:30:00Z'), 'Asia/Shanghai')).toBe('2026-11-26');
    expect(hallDay(Date.parse('2026-11-25T23:30:00Z'), 'America/New_York')).toBe('2026-11-25');
  });

  it('counts whole minutes between two times, never negative', () => {
    const at = Date.parse('2026-11-25T09:12:59Z');
    expect(minutesBetween('2026-11-25T09:00:00Z', at)).toBe(12);
    expect(minutesBetween('2026-11-25T09:15:00Z', at)).toBe(0);
    expect(minutesBetween('not a date', at)).toBe(0);
  });

  it("shows the time and date in the hall's time zone, and local time for an unknown zone", () => {
    const at = new Date('2026-11-25T01:05:00Z');
    expect(clockText(at, 'Asia/Shanghai')).toBe('09:05');
    expect(clockText(at, 'Mars/Base')).toMatch(/^\d\d:\d\d$/);
    expect(dateText(at, 'Asia/Shanghai')).toEqual({ zh: '11月25日星期三', en: 'Wed 25 Nov' });
  });
});
