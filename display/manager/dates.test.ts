import { describe, expect, it } from 'vitest';
import { daysIn, hallToday, quickRange } from './dates.ts';

describe('history dates', () => {
  it('take today from the hall’s time zone, not the browser’s', () => {
    const lateUtc = new Date('2026-11-25T17:30:00Z'); // 01:30 on the 26th in Shanghai
    expect(hallToday('Asia/Shanghai', lateUtc)).toBe('2026-11-26');
    expect(hallToday('Europe/London', lateUtc)).toBe('2026-11-25');
  });

  it('make the quick picks end today', () => {
    const today = '2026-11-25'; // a Wednesday
    expect(quickRange('today', today)).toEqual({ from: today, to: today });
    expect(quickRange('week', today)).toEqual({ from: '2026-11-23', to: today });
    expect(quickRange('week', '2026-11-23')).toEqual({ from: '2026-11-23', to: '2026-11-23' });
    expect(quickRange('week', '2026-11-29')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(quickRange('month', today)).toEqual({ from: '2026-11-01', to: today });
    expect(quickRange('last30', '2026-03-01')).toEqual({ from: '2026-01-31', to: '2026-03-01' });
    expect(daysIn(quickRange('last30', today))).toBe(30);
  });
});
