/**
 * Local time of the hall. Opening days, numbering, hours and statistics all follow the hall's time
 * zone, not the server's: a box set to UTC in Shanghai must still restart numbers at local midnight.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export type LocalTime = {
  /** YYYY-MM-DD */
  day: string;
  hour: number;
  minute: number;
  /** Minutes since local midnight. */
  minuteOfDay: number;
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
};

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const lastMinute = new Map<string, { minute: number; value: LocalTime }>();

/** Every command asks for the local time, often several times: it changes only once a minute. */
export function localTime(ms: number, timeZone: string): LocalTime {
  const minute = Math.floor(ms / 60_000);
  const last = lastMinute.get(timeZone);
  if (last?.minute === minute) return last.value;
  const value = computeLocalTime(ms, timeZone);
  lastMinute.set(timeZone, { minute, value });
  return value;
}

function computeLocalTime(ms: number, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(ms)) parts[p.type] = p.value;
  const hour = Number(parts.hour);
  const minute = Number(parts.minute);
  return {
    day: `${parts.year}-${parts.month}-${parts.day}`,
    hour,
    minute,
    minuteOfDay: hour * 60 + minute,
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
  };
}

const QUARTER_HOUR = 15 * 60_000;
const offsets = new Map<string, Map<number, number>>();

/**
 * The zone's offset at an instant (ms, positive east of Greenwich). Offsets change only on quarter
 * hours, so one is looked up per quarter hour and zone: a year of tickets stays fast.
 */
function cachedOffset(ms: number, timeZone: string): number {
  const quarter = Math.floor(ms / QUARTER_HOUR);
  const byQuarter = offsets.get(timeZone) ?? new Map<number, number>();
  offsets.set(timeZone, byQuarter);
  let offset = byQuarter.get(quarter);
  if (offset === undefined) {
    offset = zoneOffset(quarter * QUARTER_HOUR, timeZone);
    if (byQuarter.size > 10_000) byQuarter.clear();
    byQuarter.set(quarter, offset);
  }
  return offset;
}

/** `YYYY-MM-DD HH:MM:SS` in the hall's time zone, as a spreadsheet reads it. */
export function localDateTime(ms: number, timeZone: string): string {
  return new Date(ms + cachedOffset(ms, timeZone)).toISOString().slice(0, 19).replace('T', ' ');
}

/** ISO 8601 with the zone's offset, `2026-11-25T10:00:00.000+08:00`: the hall's wall clock, unambiguous. */
export function localIso(ms: number, timeZone: string): string {
  const offset = cachedOffset(ms, timeZone);
  const minutes = Math.round(offset / 60_000);
  const hh = String(Math.floor(Math.abs(minutes) / 60)).padStart(2, '0');
  const mm = String(Math.abs(minutes) % 60).padStart(2, '0');
  return `${new Date(ms + offset).toISOString().slice(0, 23)}${minutes < 0 ? '-' : '+'}${hh}:${mm}`;
}

/** Offset of the zone from UTC at an instant, in ms (positive east of Greenwich). */
function zoneOffset(ms: number, timeZone: string): number {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(ms)) parts[p.type] = p.value;
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return asUtc - (ms - (ms % 1000));
}

/** The instant a local wall-clock time happens (the earlier one when a DST change repeats it). */
export function instantOf(day: string, minuteOfDay: number, timeZone: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const naive = Date.UTC(y, m - 1, d) + minuteOfDay * 60_000;
  const first = naive - zoneOffset(naive, timeZone);
  return naive - zoneOffset(first, timeZone);
}

/** `HH:MM` → minutes since midnight. */
export function parseClockTime(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** `YYYY-MM-DD` plus `n` days (calendar arithmetic on the date alone; `n` may be negative). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}
