/**
 * Clip names shared by everything that speaks from the voice pack (display/wall/voice, served at
 * `/voice/`): a clip is a path in the pack without `.wav`. Pure, so the pack, the players and the tests
 * all agree on the names. The wall builds its call announcements from these (display/wall/announce), the
 * kiosk its elderly-mode prompts (kiosk/voice).
 */
export type VoiceLang = 'zh' | 'en';

export const EN_NUMBERS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
] as const;

/**
 * A ticket number letter by letter and digit by digit, one clip each (A001 → A 零 零 一 / A zero zero
 * one), whatever its length; anything else (a dash, a space) is not spoken.
 */
export function ticketNumberClips(number: string, lang: VoiceLang): string[] {
  const clips: string[] = [];
  for (const ch of number.toUpperCase()) {
    if (ch >= 'A' && ch <= 'Z') clips.push(`${lang}/letter-${ch.toLowerCase()}`);
    else if (ch >= '0' && ch <= '9') clips.push(lang === 'zh' ? `zh/${ch}` : `en/${EN_NUMBERS[Number(ch)]}`);
  }
  return clips;
}
