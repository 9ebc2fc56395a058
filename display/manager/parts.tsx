import type { Text } from '../../server/contract/api.ts';
import { Bi } from '../common/text.tsx';

/** A figure or a dash where there is none (no ticket called yet, no rating). */
export const fig = (x: number | null | undefined, unit = '') =>
  x === null || x === undefined ? '—' : `${x}${unit}`;

export function Kpi({ label, value }: { label: Text; value: string }) {
  return (
    <div class="kpi">
      <strong>{value}</strong>
      <Bi text={label} />
    </div>
  );
}

/** A table header cell in both languages. */
export function Th({ text }: { text: Text }) {
  return (
    <th>
      <Bi text={text} />
    </th>
  );
}
