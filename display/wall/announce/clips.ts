/**
 * What the wall says for a call, as a list of clip names (a path in the voice pack without `.wav`).
 * Pure: the voice pack, the audio queue and the tests all agree on these names.
 *
 *   zh: 请 A 零 零 一 号 到 3 号窗口 办理        en: Ticket A 0 0 1, please go to counter 3
 *
 * Ticket digits are read one by one (零零一, "zero zero one"), whatever their count; the counter is read as
 * a number (10 → 十 / "ten"), for counters 1–99.
 */
import { EN_NUMBERS, ticketNumberClips, type VoiceLang } from '../../common/audio/clips.ts';

export type { VoiceLang };

export type CallToAnnounce = { number: string; counterId: string; counterName?: string };

export const CHIME = 'chime';

const EN_TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/**
 * The counter's number, 1–99: its id when that is a number ("3"), else the first number in its name
 * ("4号窗口 贵宾"). Null when neither has one; the announcement then leaves the counter out.
 */
export function counterNumber(call: CallToAnnounce): number | null {
  for (const source of [call.counterId, call.counterName ?? '']) {
    const digits = /\d+/.exec(source)?.[0];
    if (digits === undefined) continue;
    const n = Number(digits);
    if (n >= 1 && n <= 99) return n;
  }
  return null;
}

/** 1–99 the Chinese way: 十, 十一, 二十, 二十一 (clips zh/0 … zh/10, where zh/10 is 十). */
function zhNumber(n: number): string[] {
  if (n <= 10) return [`zh/${n}`];
  const tens = Math.floor(n / 10);
  const units = n % 10;
  const head = tens === 1 ? ['zh/10'] : [`zh/${tens}`, 'zh/10'];
  return units === 0 ? head : [...head, `zh/${units}`];
}

/** 1–99 the English way: "ten", "nineteen", "twenty", "twenty" + "one". */
function enNumber(n: number): string[] {
  if (n < 20) return [`en/${EN_NUMBERS[n]}`];
  const tens = `en/${EN_TENS[Math.floor(n / 10)]}`;
  const units = n % 10;
  return units === 0 ? [tens] : [tens, `en/${EN_NUMBERS[units]}`];
}

function sentence(call: CallToAnnounce, lang: VoiceLang): string[] {
  const ticket = ticketNumberClips(call.number, lang);
  const counter = counterNumber(call);
  if (lang === 'zh') {
    const where = counter === null ? [] : ['zh/dao', ...zhNumber(counter), 'zh/hao-chuangkou'];
    return ['zh/qing', ...ticket, 'zh/hao', ...where, 'zh/banli'];
  }
  const where =
    counter === null ? ['en/please-come-forward'] : ['en/please-go-to-counter', ...enNumber(counter)];
  return ['en/ticket', ...ticket, ...where];
}

/** The chime, then the call in each language in the order given. */
export function callClips(call: CallToAnnounce, langs: readonly VoiceLang[]): string[] {
  return [CHIME, ...langs.flatMap((lang) => sentence(call, lang))];
}
