/**
 * The one place that decides what a customer is told about a wait — on the kiosk, the paper ticket, the
 * wall, the phone page and the manager's live view — so that none of them promises what the queue cannot
 * keep: while no open counter serves a service, nothing says "next", "soon", "0 min" or "no wait"; it
 * says that the counters are not open, when the hall expects them, and the place in line. An ETA is given
 * only with a basis, and says what it rests on. Browser-safe (Intl only).
 */
import type { EtaRange, Text, WaitOutlook } from './api.ts';

type WaitFigures = {
  etaMinutes: number;
  etaRange?: EtaRange | null;
  /** Absent from an older server's answer: the figures are then taken as they come. */
  outlook?: WaitOutlook | null;
};

/**
 * A waiting ticket (`position`: its place in line, 1 = next), or a service (`position: null`, for a
 * ticket joining it now: `waiting` people wait, and it takes tickets at this hour when `open`).
 */
export type WaitSubject = WaitFigures &
  ({ position: number } | { position: null; waiting: number; open: boolean });

export type WaitWording = {
  /** The place in line or the queue: "前面还有 3 人", "下一位就是您", "3 人等候", "无需等候". */
  place: Text;
  /** The expected wait ("约 6–12 分钟"); null when it has no basis. */
  eta: Text | null;
  /** The same as a sentence: "预计等待：约 6–12 分钟", or "即将叫号" under a minute; null without a basis. */
  estimate: Text | null;
  /** What the ETA rests on, or why there is none and when the counters are expected. */
  basis: Text | null;
  /** One short line for a tile or a table cell: the ETA, or why there is none. */
  short: Text;
  /** An open counter serves it now; false: screens show the place and the reason, never a promise. */
  servedNow: boolean;
};

/** The moment and the hall's clock, for "09:00" / "明天 09:00". */
export type WaitClock = { now: number; timeZone: string };

const RANGE_LIMIT_MINUTES = 60;

export function waitWording(subject: WaitSubject, clock: WaitClock): WaitWording {
  const outlook = subject.outlook ?? { servedNow: true, pausedCounters: 0, expectedOpenAt: null };
  const { servedNow } = outlook;
  if (subject.position === null && !subject.open) {
    const closed = { zh: '暂停服务', en: 'Closed' };
    return { place: closed, eta: null, estimate: null, basis: null, short: closed, servedNow: false };
  }
  const place = placeText(subject, servedNow);
  if (!servedNow) {
    const reason = notServed(outlook, clock);
    return { place, eta: null, estimate: null, basis: reason.long, short: reason.short, servedNow };
  }
  if (subject.position === null && subject.waiting === 0)
    return { place, eta: null, estimate: null, basis: null, short: place, servedNow };
  // The server gives an interval only with a forecast; the single figure otherwise rests on recent times.
  const forecast = subject.etaRange != null;
  const eta = etaText(subject.etaMinutes, subject.etaRange);
  const basis = forecast
    ? { zh: '按本厅以往同时段的办理情况预测', en: "forecast from this hall's past weeks" }
    : { zh: '按近期办理速度估算', en: 'estimated from the recent pace' };
  const estimate =
    Math.round(subject.etaMinutes) < 1 && !forecast
      ? eta
      : { zh: `预计等待：${eta.zh}`, en: `Estimated wait: ${eta.en}` };
  return { place, eta, estimate, basis, short: eta, servedNow };
}

function placeText(subject: WaitSubject, servedNow: boolean): Text {
  if (subject.position === null) {
    if (subject.waiting === 0 && servedNow) return { zh: '无需等候', en: 'No wait' };
    return { zh: `${subject.waiting} 人等候`, en: `${subject.waiting} waiting` };
  }
  const ahead = Math.max(0, subject.position - 1);
  if (ahead === 0)
    return servedNow
      ? { zh: '下一位就是您', en: 'You are next' }
      : { zh: '您排在第 1 位', en: 'You are first in line' };
  return {
    zh: `前面还有 ${ahead} 人`,
    en: ahead === 1 ? '1 person ahead of you' : `${ahead} people ahead of you`,
  };
}

function etaText(minutes: number, range: EtaRange | null | undefined): Text {
  // A forecast's interval under an hour is worth showing; a single figure or a long wait reads better as one.
  if (range && range.high > range.low && range.high >= 1 && range.high < RANGE_LIMIT_MINUTES)
    return { zh: `约 ${range.low}–${range.high} 分钟`, en: `about ${range.low}–${range.high} min` };
  const m = Math.round(minutes);
  if (m < 1) return { zh: '即将叫号', en: 'Any moment now' };
  if (m < 60) return { zh: `约 ${m} 分钟`, en: `about ${m} min` };
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return rest === 0
    ? { zh: `约 ${h} 小时`, en: `about ${h} h` }
    : { zh: `约 ${h} 小时 ${rest} 分钟`, en: `about ${h} h ${rest} min` };
}

function notServed(outlook: WaitOutlook, clock: WaitClock): { long: Text; short: Text } {
  if (outlook.pausedCounters > 0)
    return {
      long: {
        zh: '办理该业务的窗口暂停中，恢复后继续叫号',
        en: 'The counters for this are paused; calls resume when they return',
      },
      short: { zh: '窗口暂停中', en: 'Counters paused' },
    };
  const at = outlook.expectedOpenAt === null ? Number.NaN : Date.parse(outlook.expectedOpenAt);
  if (!Number.isNaN(at)) {
    const when = whenText(at, clock);
    return {
      long: {
        zh: `该业务窗口暂未开放，预计 ${when.zh} 开始办理`,
        en: `No counter for this is open yet; expected from ${when.en}`,
      },
      short: { zh: `预计 ${when.zh} 开放`, en: `Opens ${when.en}` },
    };
  }
  return {
    long: {
      zh: '该业务窗口暂未开放，请咨询工作人员',
      en: 'No counter for this is open yet; please ask our staff',
    },
    short: { zh: '窗口暂未开放', en: 'Not open yet' },
  };
}

/** "14:00" today, "明天 09:00" / "tomorrow 09:00", else "11月27日 09:00" / "27 Nov 09:00": on the hall's clock. */
function whenText(at: number, clock: WaitClock): Text {
  const part = (ms: number, options: Intl.DateTimeFormatOptions, locale = 'en-GB') => {
    try {
      return new Intl.DateTimeFormat(locale, { ...options, timeZone: clock.timeZone }).format(ms);
    } catch {
      // An unknown zone from a hand-written configuration: the screen's own zone rather than nothing.
      return new Intl.DateTimeFormat(locale, options).format(ms);
    }
  };
  const day = (ms: number) => part(ms, { year: 'numeric', month: '2-digit', day: '2-digit' });
  const time = part(at, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  if (day(at) === day(clock.now)) return { zh: time, en: time };
  if (day(at) === day(clock.now + 24 * 3_600_000)) return { zh: `明天 ${time}`, en: `tomorrow ${time}` };
  return {
    zh: `${part(at, { month: 'long', day: 'numeric' }, 'zh-CN')} ${time}`,
    en: `${part(at, { month: 'short', day: 'numeric' })} ${time}`,
  };
}
