import { expect, it } from 'vitest';
import { formatTicketNumber } from './numbering.ts';

it('writes a prefix and three digits, then four past 999', () => {
  expect(formatTicketNumber('A', 1)).toBe('A001');
  expect(formatTicketNumber('V', 42)).toBe('V042');
  expect(formatTicketNumber('B', 999)).toBe('B999');
  expect(formatTicketNumber('B', 1000)).toBe('B1000');
});
