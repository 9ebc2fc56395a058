import type { ConfigCounter, ConfigService } from '../../server/contract/manager.ts';
import { Bi } from '../common/text.tsx';

type Weighted = ConfigCounter['services'];

/** The counter's own service (the first), weight 2 unless it had one; it no longer also "helps" with it. */
export function withOwnService(list: Weighted, id: string): Weighted {
  const weight = list[0]?.weight ?? 2;
  return [{ id, weight }, ...list.slice(1).filter((s) => s.id !== id)];
}

/** Helps with a service (weight 1) or stops; helpers keep the order of the hall's service list. */
export function withHelper(list: Weighted, id: string, on: boolean, order: readonly string[]): Weighted {
  const [own, ...helpers] = list;
  const next = on
    ? [...helpers.filter((s) => s.id !== id), { id, weight: 1 }]
    : helpers.filter((s) => s.id !== id);
  next.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  return own ? [own, ...next] : next;
}

export function withWeight(list: Weighted, id: string, weight: number): Weighted {
  return list.map((s) => (s.id === id ? { ...s, weight } : s));
}

/**
 * Which services a counter serves, picked rather than typed: its own service (called first, weight 2 by
 * default) and the services it helps with (weight 1 by default). Weights are 1–10.
 */
export function CounterServices({
  counter,
  services,
  value,
  onChange,
}: {
  /** The counter's id or row number, naming the fields for screen readers and tests. */
  counter: string;
  services: ConfigService[];
  value: Weighted;
  onChange: (next: Weighted) => void;
}) {
  const order = services.map((s) => s.id);
  const own = value[0];
  const weightOf = (id: string) => value.find((s) => s.id === id)?.weight;
  const weightInput = (id: string, label: string) => (
    <input
      aria-label={label}
      class="weight"
      type="number"
      min={1}
      max={10}
      required
      value={weightOf(id)}
      onInput={(e) => onChange(withWeight(value, id, Number(e.currentTarget.value)))}
    />
  );
  return (
    <div class="counter-services">
      <label>
        <Bi text={{ zh: '主业务', en: 'Own' }} />{' '}
        <select
          aria-label={`own service ${counter}`}
          required
          value={own?.id ?? ''}
          onChange={(e) => onChange(withOwnService(value, e.currentTarget.value))}
        >
          {!own && <option value="">—</option>}
          {services.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name.zh} / {s.name.en}
            </option>
          ))}
        </select>
        {own && weightInput(own.id, `weight ${own.id} ${counter}`)}
      </label>
      <span class="helps">
        <Bi text={{ zh: '协助', en: 'Also' }} />
        {services
          .filter((s) => s.id !== own?.id)
          .map((s) => {
            const on = weightOf(s.id) !== undefined;
            return (
              <label key={s.id} class={on ? 'chip on' : 'chip'}>
                <input
                  aria-label={`helps ${s.id} ${counter}`}
                  type="checkbox"
                  checked={on}
                  disabled={!own}
                  onChange={(e) => onChange(withHelper(value, s.id, e.currentTarget.checked, order))}
                />
                <Bi text={s.name} />
                {on && weightInput(s.id, `weight ${s.id} ${counter}`)}
              </label>
            );
          })}
      </span>
    </div>
  );
}
