import type { Lang, Text } from '../../server/contract/api.ts';

const MINUTE_MS = 60_000;

/** Whole minutes from `fromIso` to `toMs` (never negative: the two clocks may disagree a little). */
export function minutesBetween(fromIso: string, toMs: number): number {
  const from = Date.parse(fromIso);
  if (Number.isNaN(from)) return 0;
  return Math.max(0, Math.floor((toMs - from) / MINUTE_MS));
}

/** A duration in minutes for people: "<1 分钟" / "<1 min", "12 分钟" / "12 min", "1 小时 5 分钟" / "1 h 5 min". */
export function minutesText(minutes: number): Text {
  const m = Math.max(0, Math.round(minutes));
  if (m < 1) return { zh: '不到 1 分钟', en: '<1 min' };
  if (m < 60) return { zh: `${m} 分钟`, en: `${m} min` };
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return rest === 0
    ? { zh: `${h} 小时`, en: `${h} h` }
    : { zh: `${h} 小时 ${rest} 分钟`, en: `${h} h ${rest} min` };
}

export function formatMinutes(minutes: number, lang: Lang): string {
  return minutesText(minutes)[lang];
}

/** "14:05" in the hall's time zone, whatever zone the screen's computer is set to. */
export function clockText(at: Date, timeZone: string | undefined): string {
  try {
    return new Intl.DateTimeFormat('en-GB', {
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
      timeZone,
    }).format(at);
  } catch {
    // An unknown zone name from a hand-written config: show local time rather than nothing.
    return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false }).format(at);
  }
}

/** The hall's calendar day of an instant, `YYYY-MM-DD`, whatever zone the screen's computer is set to. */
export function hallDay(ms: number, timeZone: string | undefined): string {
  const options: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit', timeZone };
  try {
    return new Intl.DateTimeFormat('en-CA', options).format(ms);
  } catch {
    return new Intl.DateTimeFormat('en-CA', { ...options, timeZone: undefined }).format(ms);
  }
}

/** "11月25日 星期三" / "Wed 25 Nov" in the hall's time zone. */
export function dateText(at: Date, timeZone: string | undefined): Text {
  const options = (weekday: 'long' | 'short'): Intl.DateTimeFormatOptions => ({
    month: 'short',
    day: 'numeric',
    weekday,
    timeZone,
  });
  try {
    return {
      zh: new Intl.DateTimeFormat('zh-CN', options('long')).format(at),
      en: new Intl.DateTimeFormat('en-GB', options('short')).format(at),
    };
  } catch {
    return dateText(at, undefined);
  }
}
