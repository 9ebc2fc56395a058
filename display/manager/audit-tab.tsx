import { useState } from 'preact/hooks';
import { API_BASE } from '../../server/contract/api.ts';
import type { AuditEntry } from '../../server/contract/manager.ts';
import { clockText } from '../common/format.ts';
import type { HallState } from '../common/hall-state.ts';
import { Bi } from '../common/text.tsx';
import { hallToday, quickRange } from './dates.ts';
import { RangeInputs, Th } from './parts.tsx';
import { useGet } from './use-api.ts';

type Filter = 'all' | AuditEntry['kind'];

/** Before → after, short: a status, a service, or the JSON of a change (lists by their length). */
export function changeText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return `[${value.length}]`;
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (isSections(o))
      return Object.entries(o)
        .map(([section, list]) => `${list.length} ${section}`)
        .join(', ');
    return Object.entries(o)
      .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(', ');
  }
  return String(value);
}

type Item = { id: string } & Record<string, unknown>;
/** Configuration sections by name (services, counters, devices), each a list of items with ids. */
type Sections = Record<string, Item[]>;
const isSections = (v: unknown): v is Sections =>
  typeof v === 'object' &&
  v !== null &&
  Object.keys(v).length > 0 &&
  Object.values(v).every((list) => Array.isArray(list));

/**
 * What a configuration change changed, field by field: `payments.waitTargetMinutes` 15 → 4, a service
 * added (before —) or removed (after —). The whole lists stay in the API answer and the CSV.
 */
export function configChanges(
  before: unknown,
  after: unknown,
): { path: string; before: string; after: string }[] {
  if (!isSections(before) || !isSections(after)) return [];
  const out: { path: string; before: string; after: string }[] = [];
  const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));
  for (const section of Object.keys(after)) {
    const old = new Map((before[section] ?? []).map((x) => [x.id, x]));
    const now = new Map((after[section] ?? []).map((x) => [x.id, x]));
    for (const [id, x] of now) {
      const was = old.get(id);
      if (!was) {
        out.push({ path: id, before: '—', after: 'added' });
        continue;
      }
      for (const key of new Set([...Object.keys(was), ...Object.keys(x)]))
        if (JSON.stringify(was[key]) !== JSON.stringify(x[key]))
          out.push({ path: `${id}.${key}`, before: show(was[key]), after: show(x[key]) });
    }
    for (const id of old.keys())
      if (!now.has(id)) out.push({ path: id, before: 'present', after: 'removed' });
  }
  return out;
}

/** The audit log: configuration changes and people's counter actions, by day range, with a CSV. */
export function AuditTab({ hall }: { hall: HallState }) {
  const today = hallToday(hall.hall.timeZone);
  const [range, setRange] = useState(quickRange('today', today));
  const [filter, setFilter] = useState<Filter>('all');
  const q = `from=${range.from}&to=${range.to}`;
  const { data, error, loading } = useGet<AuditEntry[]>(range.from <= range.to ? `/audit?${q}` : null);
  const rows = (data ?? []).filter((e) => filter === 'all' || e.kind === filter);
  return (
    <section class="audit">
      <h2>
        <Bi text={{ zh: '审计日志', en: 'Audit log' }} />
      </h2>
      <p class="controls">
        <RangeInputs range={range} onChange={setRange} />
        <label>
          <Bi text={{ zh: '类型', en: 'Kind' }} />
          <select value={filter} onChange={(e) => setFilter(e.currentTarget.value as Filter)}>
            <option value="all">全部 / All</option>
            <option value="change">配置变更 / Configuration changes</option>
            <option value="action">人工操作 / Counter actions</option>
          </select>
        </label>
        <a
          class="button"
          href={`${API_BASE}/audit.csv?${q}`}
          download={`hallq-audit-${range.from}-${range.to}.csv`}
        >
          <Bi text={{ zh: '导出 CSV', en: 'Export CSV' }} />
        </a>
      </p>
      {error && <p role="alert">{error}</p>}
      {!loading && rows.length === 0 && (
        <p class="empty">
          <Bi text={{ zh: '这段时间没有记录', en: 'Nothing recorded in this range' }} />
        </p>
      )}
      {rows.length > 0 && (
        <table class="audit-log">
          <thead>
            <tr>
              <Th text={{ zh: '时间', en: 'When' }} />
              <Th text={{ zh: '人员', en: 'Who' }} />
              <Th text={{ zh: '操作', en: 'What' }} />
              <Th text={{ zh: '对象', en: 'Target' }} />
              <Th text={{ zh: '之前', en: 'Before' }} />
              <Th text={{ zh: '之后', en: 'After' }} />
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <tr key={`${e.kind}-${e.id}`} class={e.kind}>
                <td>
                  {range.from === range.to ? '' : `${e.at.slice(5, 10)} `}
                  {clockText(new Date(e.at), hall.hall.timeZone)}
                </td>
                <td>{e.userName ?? e.userId ?? '系统 / system'}</td>
                <td>{e.action}</td>
                <td>{e.target}</td>
                <Before entry={e} />
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Before and after cells: a configuration change by its changed fields, anything else in brief. */
function Before({ entry }: { entry: AuditEntry }) {
  const changes = entry.action.startsWith('config.') ? configChanges(entry.before, entry.after) : [];
  if (changes.length === 0 || changes.length > 12)
    return (
      <>
        <td>{changeText(entry.before)}</td>
        <td>{changeText(entry.after)}</td>
      </>
    );
  return (
    <>
      <td>
        {changes.map((c) => (
          <div key={c.path}>
            {c.path}: {c.before}
          </div>
        ))}
      </td>
      <td>
        {changes.map((c) => (
          <div key={c.path}>
            {c.path}: {c.after}
          </div>
        ))}
      </td>
    </>
  );
}
