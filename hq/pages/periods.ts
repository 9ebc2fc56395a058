/** The periods the HQ pages compare over, and the query string of a range. */

import { type QuickPick, quickRange, type Range } from '../../display/manager/dates.ts';
import type { Text } from '../../server/contract/api.ts';

export const PERIODS: [QuickPick, Text][] = [
  ['today', { zh: '今天', en: 'Today' }],
  ['week', { zh: '本周', en: 'This week' }],
  ['last30', { zh: '近 30 天', en: 'Last 30 days' }],
];

export const periodRange = (pick: QuickPick, today: string): Range => quickRange(pick, today);

/** The halls' today: the latest day any hall is on (HQ's clock in each hall's zone), else the browser's. */
export function todayOf(halls: readonly { day: string | null }[], fallback = new Date()): string {
  const days = halls.map((h) => h.day).filter((d): d is string => d !== null);
  return days.length > 0 ? days.sort().at(-1)! : fallback.toISOString().slice(0, 10);
}

export const query = (range: Range, more: Record<string, string | undefined> = {}) =>
  new URLSearchParams({
    from: range.from,
    to: range.to,
    ...Object.fromEntries(Object.entries(more).filter((e): e is [string, string] => e[1] !== undefined)),
  }).toString();
