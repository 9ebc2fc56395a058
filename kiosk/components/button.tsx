import type { ComponentChildren } from 'preact';
import { type Lang, useText } from '../i18n/index.ts';
import { s } from '../i18n/kiosk.ts';

type Props = {
  onClick: () => void;
  children: ComponentChildren;
  /** A second, smaller line under the label. */
  sub?: string;
  variant?: 'primary' | 'secondary' | 'quiet';
  disabled?: boolean;
  pressed?: boolean;
  class?: string;
};

/** Every touch target in the kiosk: at least 64 px high (kiosk.css), never hover-only. */
export function Button({
  onClick,
  children,
  sub,
  variant = 'secondary',
  disabled,
  pressed,
  class: extra,
}: Props) {
  return (
    <button
      type="button"
      class={`btn btn-${variant}${extra ? ` ${extra}` : ''}`}
      onClick={onClick}
      disabled={disabled}
      aria-pressed={pressed}
    >
      <span class="btn-label">{children}</span>
      {sub && <span class="btn-sub">{sub}</span>}
    </button>
  );
}

/** The quiet "返回 / Back" of every kiosk step: it sends the step's machine a BACK. */
export function BackButton({ send }: { send: (event: { type: 'BACK' }) => void }) {
  const t = useText();
  return (
    <Button variant="quiet" onClick={() => send({ type: 'BACK' })}>
      {t(s.back)}
    </Button>
  );
}

/** The phone pages' language toggle: it names the other language, in that language. */
export function LanguageToggle({
  send,
  lang,
}: {
  send: (event: { type: 'LANG.SET'; lang: Lang }) => void;
  lang: Lang;
}) {
  return (
    <Button variant="quiet" onClick={() => send({ type: 'LANG.SET', lang: lang === 'zh' ? 'en' : 'zh' })}>
      {lang === 'zh' ? 'English' : '中文'}
    </Button>
  );
}
