import type { Lang, Text } from '../../server/contract/api.ts';

/** The text in one language (the counter terminal's toggle). */
export function pick(lang: Lang, text: Text): string {
  return text[lang];
}

/**
 * Chinese first with English beside it (the wall display and the shared labels). The two spans can be
 * styled apart: English is smaller and lighter so the Chinese reads first from across the hall.
 */
export function Bi({ text, class: className }: { text: Text; class?: string }) {
  return (
    <span class={className ? `bi ${className}` : 'bi'}>
      <span class="zh" lang="zh-CN">
        {text.zh}
      </span>{' '}
      <span class="en" lang="en">
        {text.en}
      </span>
    </span>
  );
}
