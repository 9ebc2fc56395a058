/**
 * Dates of the history view: plain YYYY-MM-DD strings of the hall's calendar, worked with as UTC dates so
 * the browser's own time zone never moves a day.
 */
const DAY_MS = 86_400_000;

export type Range = { from: string; to: string };
export type QuickPick = 'today' | 'week' | 'month' | 'last30';

/** Today in the hall's time zone, as YYYY-MM-DD. */
export function hallToday(timeZone: string, now = new Date()): string {
  try {
    return new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayOf(day: string): number {
  return (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** The quick picks end today: this week starts on Monday, this month on the 1st, the last 30 days include today. */
export function quickRange(pick: QuickPick, today: string): Range {
  switch (pick) {
    case 'today':
      return { from: today, to: today };
    case 'week':
      return { from: addDays(today, -weekdayOf(today)), to: today };
    case 'month':
      return { from: `${today.slice(0, 8)}01`, to: today };
    case 'last30':
      return { from: addDays(today, -29), to: today };
  }
}

export function daysIn(range: Range): number {
  return Math.round((Date.parse(range.to) - Date.parse(range.from)) / DAY_MS) + 1;
}
