import type { ComponentChildren } from 'preact';

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
