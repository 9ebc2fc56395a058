/**
 * Two languages, every string in both. A string table is a record of `{ zh, en }`; `{name}` marks a
 * parameter. Screens get the current language from context and call `useText()`.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Lang, Text } from '../../server/contract/api.ts';

export type { Lang, Text };
export type Strings = Record<string, Text>;
export type Params = Record<string, string | number>;

export const LangContext = createContext<Lang>('zh');

export function format(text: Text, lang: Lang, params: Params = {}): string {
  return text[lang].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** `t(strings.key, params)` in the current language; `t.lang` for the rest. */
export function useText() {
  const lang = useContext(LangContext);
  const t = (text: Text, params?: Params) => format(text, lang, params);
  return Object.assign(t, { lang });
}

/** Money in fen as yuan: `¥50.00`. */
export function yuan(fen: number): string {
  return `¥${(fen / 100).toFixed(2)}`;
}
