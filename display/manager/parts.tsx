import { useState } from 'preact/hooks';
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

export type DayRange = { from: string; to: string };

/** The from/to day pickers of a date range: `from` never after `to`; a cleared field changes nothing. */
export function RangeInputs({ range, onChange }: { range: DayRange; onChange: (next: DayRange) => void }) {
  const pick = (key: keyof DayRange) => (e: Event) => {
    const value = (e.currentTarget as HTMLInputElement).value;
    if (value) onChange({ ...range, [key]: value });
  };
  return (
    <>
      <label>
        <Bi text={{ zh: '从', en: 'From' }} />
        <input type="date" name="from" value={range.from} max={range.to} onChange={pick('from')} />
      </label>
      <label>
        <Bi text={{ zh: '到', en: 'To' }} />
        <input type="date" name="to" value={range.to} min={range.from} onChange={pick('to')} />
      </label>
    </>
  );
}

/**
 * A button for what cannot be taken back (a password reset ends that person's sessions): the first press
 * asks, the second does it; 取消 / Cancel steps back.
 */
export function ConfirmButton({
  label,
  question,
  onConfirm,
}: {
  label: Text;
  question: Text;
  onConfirm: () => void;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" onClick={() => setAsking(true)}>
        <Bi text={label} />
      </button>
    );
  return (
    <span class="confirm" role="alert">
      <Bi text={question} />{' '}
      <button
        type="button"
        class="danger"
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        <Bi text={{ zh: '确定', en: 'Yes' }} />
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        <Bi text={{ zh: '取消', en: 'Cancel' }} />
      </button>
    </span>
  );
}
