import { expect, it } from 'vitest';
import { DEFAULT_SERVICE_MINUTES, meanServiceMinutes, naiveEtaMinutes } from './eta.ts';

it('estimates people ahead × mean service time ÷ counters serving', () => {
  expect(naiveEtaMinutes(6, 5, 2)).toBe(15);
  expect(naiveEtaMinutes(0, 5, 2)).toBe(0);
});

it('answers as if one counter served when none is open', () => {
  expect(naiveEtaMinutes(3, 4, 0)).toBe(12);
});

it('uses the recent mean, or a default before any history', () => {
  expect(meanServiceMinutes([2, 4, 6])).toBe(4);
  expect(meanServiceMinutes([])).toBe(DEFAULT_SERVICE_MINUTES);
});
