import { useState } from 'preact/hooks';
import { API_BASE, type Text } from '../../server/contract/api.ts';
import { COUNTER_STATUS_TEXT, PAUSE_REASON_TEXT, TICKET_STATUS_TEXT } from '../../server/contract/labels.ts';
import type { AuditEntry, AuditPage } from '../../server/contract/manager.ts';
import { clockText } from '../common/format.ts';
import type { HallState } from '../common/hall-state.ts';
import { Bi } from '../common/text.tsx';
import { hallToday, quickRange } from './dates.ts';
import { RangeInputs, Th } from './parts.tsx';
import { useGet } from './use-api.ts';

type Filter = 'all' | AuditEntry['kind'];

/**
 * What each recorded action is called: every `action` the server writes (server/app/configuration.ts,
 * pairing.ts, notices.ts into the audit log; the counter actions of server/app/audit.ts from the events).
 */
export const AUDIT_ACTION_NAMES: Record<string, Text> = {
  'config.seed': { zh: '首次载入配置', en: 'Configuration first loaded' },
  'config.file': { zh: '配置文件更新', en: 'Configuration file changed' },
  'config.services': { zh: '修改业务', en: 'Services changed' },
  'config.counters': { zh: '修改窗口', en: 'Counters changed' },
  'config.devices': { zh: '修改设备', en: 'Devices changed' },
  'config.printer': { zh: '更换打印机', en: 'Printer changed' },
  'staff.create': { zh: '新建账号', en: 'Account created' },
  'staff.update': { zh: '修改账号', en: 'Account changed' },
  'staff.reset-password': { zh: '重置密码', en: 'Password reset' },
  'device.pair': { zh: '配对设备', en: 'Device paired' },
  'device.revoke': { zh: '撤销设备', en: 'Device revoked' },
  'notices.replace': { zh: '更新公告', en: 'Notices updated' },
  'ticket.called': { zh: '叫号', en: 'Called' },
  'ticket.recalled': { zh: '重呼', en: 'Called again' },
  'ticket.serving': { zh: '开始办理', en: 'Service started' },
  'ticket.no-show': { zh: '过号', en: 'No-show' },
  'ticket.transferred': { zh: '转移业务', en: 'Transferred' },
  'ticket.finished': { zh: '办结', en: 'Finished' },
  'counter.open': { zh: '开启窗口', en: 'Counter opened' },
  'counter.pause': { zh: '暂停窗口', en: 'Counter paused' },
  'counter.resume': { zh: '恢复窗口', en: 'Counter resumed' },
  'counter.close': { zh: '关闭窗口', en: 'Counter closed' },
};

/** A name from a table; a key the table does not hold (own keys only) is shown as the server wrote it. */
const named = (names: Record<string, Text>, key: string): Text =>
  Object.hasOwn(names, key) ? names[key]! : { zh: key, en: key };

/** An action by its name; a code the page does not know is shown as the server wrote it. */
export const actionName = (code: string): Text => named(AUDIT_ACTION_NAMES, code);

/** The fields and values of a ticket or counter action's before → after, in words. */
const FIELD_NAMES: Record<string, Text> = {
  status: { zh: '状态', en: 'status' },
  serviceId: { zh: '业务', en: 'service' },
  pauseReason: { zh: '原因', en: 'reason' },
  rating: { zh: '评价', en: 'rating' },
  front: { zh: '排在最前', en: 'to the front' },
};
/**
 * Statuses and reasons by the screens' names, lower-case in English inside a sentence. A counter is
 * never `serving` before or after an action of its own, so `serving` is the ticket's (办理中).
 */
const VALUE_NAMES: Record<string, Text> = Object.fromEntries(
  Object.entries({ ...COUNTER_STATUS_TEXT, ...TICKET_STATUS_TEXT, ...PAUSE_REASON_TEXT })
    .map(([value, text]) => [value, { zh: text.zh, en: text.en.toLowerCase() }])
    .concat([
      ['called | serving', { zh: '已叫号或办理中', en: 'called or serving' }],
      ['true', { zh: '是', en: 'yes' }],
    ]),
);

const TRANSLATED_FIELDS = new Set(['status', 'pauseReason', 'front']);

/** A ticket or counter action's before or after ({status, serviceId, …}) in both languages. */
export function actionChangeText(value: unknown): Text {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const text = changeText(value);
    return { zh: text, en: text };
  }
  const parts = Object.entries(value as Record<string, unknown>).map(([k, v]) => {
    const field = named(FIELD_NAMES, k);
    // Only statuses and reasons are words; a service id or a rating is shown as it is.
    const shown = TRANSLATED_FIELDS.has(k) ? named(VALUE_NAMES, String(v)) : { zh: String(v), en: String(v) };
    return { zh: `${field.zh}：${shown.zh}`, en: `${field.en}: ${shown.en}` };
  });
  return { zh: parts.map((p) => p.zh).join('，'), en: parts.map((p) => p.en).join(', ') };
}

/**
 * When an entry happened, in the hall's time zone for both the date and the time ("11-25 07:30"), so
 * an entry between midnight and the zone's offset is not put on the day before; the time alone when
 * the range is one day.
 */
export function whenText(at: string, timeZone: string, withDay: boolean): string {
  const instant = new Date(at);
  const time = clockText(instant, timeZone);
  return withDay ? `${hallToday(timeZone, instant).slice(5)} ${time}` : time;
}

/** What the list says when the range held more than the JSON answer carries. */
export const truncatedNotice = (limit: number): Text => ({
  zh: `只显示最近 ${limit} 条，完整记录请导出 CSV`,
  en: `Showing the latest ${limit}; export the CSV for all`,
});

/** The configuration's sections as the audit log records them. */
const SECTION_NAMES: Record<string, { zh: string }> = {
  services: { zh: '业务' },
  counters: { zh: '窗口' },
  devices: { zh: '设备' },
  printer: { zh: '打印机' },
};

/** Before → after, short: a status, a service, or the JSON of a change (lists by their length). */
export function changeText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return `${value.length} 条 / ${value.length} items`;
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (isSections(o)) {
      const sections = Object.entries(o).map(([section, value]) => {
        const zh = SECTION_NAMES[section]!.zh;
        // A list by its length; a single setting (the printer) as it is.
        if (!Array.isArray(value)) return { zh: `${zh} ${value ?? '—'}`, en: `${section} ${value ?? '—'}` };
        return { zh: `${value.length}个${zh}`, en: `${value.length} ${section}` };
      });
      return `${sections.map((x) => x.zh).join('，')} / ${sections.map((x) => x.en).join(', ')}`;
    }
    return Object.entries(o)
      .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(', ');
  }
  return String(value);
}

type Item = { id: string } & Record<string, unknown>;
/**
 * Configuration sections by name: lists of items with ids (services, counters, devices) and single
 * settings (the printer's connection, absent when unset).
 */
type Sections = Record<string, Item[] | string | undefined>;
const isSections = (v: unknown): v is Sections =>
  typeof v === 'object' &&
  v !== null &&
  Object.keys(v).length > 0 &&
  Object.keys(v).every((section) => Object.hasOwn(SECTION_NAMES, section));

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
    const [from, to] = [before[section], after[section]];
    if (!Array.isArray(from) || !Array.isArray(to)) {
      if (from !== to) out.push({ path: section, before: show(from), after: show(to) });
      continue;
    }
    const old = new Map(from.map((x) => [x.id, x]));
    const now = new Map(to.map((x) => [x.id, x]));
    for (const [id, x] of now) {
      const was = old.get(id);
      if (!was) {
        out.push({ path: id, before: '—', after: '新增 / added' });
        continue;
      }
      for (const key of new Set([...Object.keys(was), ...Object.keys(x)]))
        if (JSON.stringify(was[key]) !== JSON.stringify(x[key]))
          out.push({ path: `${id}.${key}`, before: show(was[key]), after: show(x[key]) });
    }
    for (const id of old.keys())
      if (!now.has(id)) out.push({ path: id, before: '存在 / present', after: '删除 / removed' });
  }
  return out;
}

/** The audit log: configuration changes and people's counter actions, by day range, with a CSV. */
export function AuditTab({ hall }: { hall: HallState }) {
  const today = hallToday(hall.hall.timeZone);
  const [range, setRange] = useState(quickRange('today', today));
  const [filter, setFilter] = useState<Filter>('all');
  const q = `from=${range.from}&to=${range.to}`;
  const { data, error, loading } = useGet<AuditPage>(range.from <= range.to ? `/audit?${q}` : null);
  const rows = (data?.entries ?? []).filter((e) => filter === 'all' || e.kind === filter);
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
      {data?.truncated && (
        <p class="notice truncated" role="status">
          <Bi text={truncatedNotice(data.limit)} />
        </p>
      )}
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
                <td>{whenText(e.at, hall.hall.timeZone, range.from !== range.to)}</td>
                <td>{e.userName ?? e.userId ?? '系统 / system'}</td>
                <td>
                  {/* The code stays beside the name: it is what the CSV's action column holds. */}
                  {Object.hasOwn(AUDIT_ACTION_NAMES, e.action) && (
                    <>
                      <Bi text={actionName(e.action)} />{' '}
                    </>
                  )}
                  <code class="action-code">{e.action}</code>
                </td>
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
  if (entry.kind === 'action')
    return (
      <>
        <td>
          <Bi text={actionChangeText(entry.before)} />
        </td>
        <td>
          <Bi text={actionChangeText(entry.after)} />
        </td>
      </>
    );
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
