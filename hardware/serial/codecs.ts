import { type Decoded, type LineCodec, type LineMessage, NAK } from './line-protocol.ts';

/** Pieces shared by the device codecs. */

export const refuse = <T>(code: string, detail: string): Decoded<T> => ({ ok: false, code, detail });
export const accept = <T>(value: T): Decoded<T> => ({ ok: true, value });

/** `SHOW <text>`: the keypad's small screen and the LED window screen. */
export type ShowCommand = { kind: 'show'; text: string };

/** Longest text a device screen is sent; longer text is cut (screens scroll or clip anyway). */
export const SCREEN_TEXT_MAX = 64;

/** Text as one protocol line can carry it: no control characters, single spaces, not too long. */
export function screenText(text: string): string {
  let clean = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    clean += code < 0x20 || (code >= 0x7f && code < 0xa0) ? ' ' : char;
  }
  return [...clean.replace(/\s+/g, ' ').trim()].slice(0, SCREEN_TEXT_MAX).join('');
}

export function decodeShow(message: LineMessage): Decoded<ShowCommand> {
  if (message.text.trim() === '') return refuse(NAK.badArgs, 'SHOW needs a text');
  if ([...message.text].length > SCREEN_TEXT_MAX) return refuse(NAK.badArgs, 'SHOW text too long');
  return accept({ kind: 'show', text: message.text });
}

/** Throws on text with nothing visible: blanking a screen is CLEAR, not an empty SHOW. */
export function encodeShow({ text }: ShowCommand): { verb: string; args: string[] } {
  const clean = screenText(text);
  if (!clean) throw new RangeError('SHOW needs visible text');
  return { verb: 'SHOW', args: [clean] };
}

/** A codec that knows only SHOW. */
export const showCodec: LineCodec<ShowCommand> = {
  decode: (message) =>
    message.verb === 'SHOW' ? decodeShow(message) : refuse(NAK.unknownVerb, `unknown verb ${message.verb}`),
  encode: encodeShow,
};

/** For a direction with no verbs at all (an LED screen never reports anything): every line is refused. */
export const noVerbs: LineCodec<never> = {
  decode: (message) => refuse(NAK.unknownVerb, `unknown verb ${message.verb}`),
  encode: () => {
    throw new Error('this device direction has no verbs');
  },
};

/** Letters, digits and hyphens, as ticket numbers, order ids and references are written. */
export const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

/** A count of fen: a positive integer written without sign, exponent or leading zeros. */
export function parseFen(text: string | undefined): number | null {
  if (!text || !/^[1-9]\d{0,10}$/.test(text)) return null;
  return Number(text);
}
