import { useState } from 'preact/hooks';
import type { Text } from '../../server/contract/api.ts';
import { Bi } from '../common/text.tsx';

/**
 * A configuration list edited row by row and saved whole (services, counters, devices). Rows whose id
 * was saved before keep it: their key, and the id shown as text; new rows get an id field.
 */
export function useRows<T extends { id: string }>(initial: readonly T[], saved: readonly { id: string }[]) {
  const [rows, setRows] = useState<T[]>([...initial]);
  const known = new Set(saved.map((s) => s.id));
  return {
    rows,
    isNew: (row: T) => !known.has(row.id),
    keyOf: (row: T, i: number) => (known.has(row.id) ? row.id : `new-${i}`),
    edit: (i: number, patch: Partial<T>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r))),
    add: (row: T) => setRows([...rows, row]),
    remove: (i: number) => setRows(rows.filter((_, j) => j !== i)),
  };
}

/** A row's id: as text once saved (the server knows the row by it), a field while the row is new. */
export function IdCell({
  id,
  isNew,
  label,
  short = false,
  onInput,
}: {
  id: string;
  isNew: boolean;
  label: string;
  short?: boolean;
  onInput: (id: string) => void;
}) {
  return (
    <td>
      {isNew ? (
        <input
          aria-label={label}
          class={short ? 'short' : undefined}
          required
          value={id}
          onInput={(e) => onInput(e.currentTarget.value)}
        />
      ) : (
        id
      )}
    </td>
  );
}

export function RemoveCell({ onRemove }: { onRemove: () => void }) {
  return (
    <td>
      <button type="button" onClick={onRemove}>
        <Bi text={{ zh: '删除', en: 'Remove' }} />
      </button>
    </td>
  );
}

/** Under a list: a button that adds a row, and the one that saves the list. */
export function ListActions({ add, save, onAdd }: { add: Text; save: Text; onAdd: () => void }) {
  return (
    <p class="actions">
      <button type="button" onClick={onAdd}>
        <Bi text={add} />
      </button>
      <button type="submit">
        <Bi text={save} />
      </button>
    </p>
  );
}
