/**
 * The pieces the history tab and the printable daily report share: sortable group and rating tables that
 * mark what misses the wait target, the badges of the fastest and best-rated staff, the three-figure
 * minute cards and the "at a glance" findings.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import {
  type MinuteFigures,
  SERVQUAL,
  type ServqualDimension,
  type StaffingAdvice,
  type StatsSummary,
  type SummaryGroup,
  type Text,
} from '../../server/contract/api.ts';
import type { RatingFigures } from '../../server/contract/manager.ts';
import { Bi } from '../common/text.tsx';
import { fig, Kpi } from './parts.tsx';
import { useGet } from './use-api.ts';

/** A staff member is "fastest" only with this many tickets served, "best rated" with this many ratings. */
export const MIN_SERVED_FOR_FASTEST = 10;
export const MIN_RATINGS_FOR_BEST = 5;

export const SERVQUAL_NAMES: Record<ServqualDimension, Text> = {
  reliability: { zh: '可靠性', en: 'Reliability' },
  responsiveness: { zh: '响应性', en: 'Responsiveness' },
  assurance: { zh: '保证性', en: 'Assurance' },
  empathy: { zh: '移情性', en: 'Empathy' },
  tangibles: { zh: '有形性', en: 'Tangibles' },
};

/**
 * The service-level goal, the share (%) of customers to call within their wait target. The contract has
 * it only in the staffing advice (`level.sharePct`, the same for any range), so one day of it is asked.
 */
export function useServiceGoal(day: string): number | null {
  const { data } = useGet<StaffingAdvice>(
    /^\d{4}-\d{2}-\d{2}$/.test(day) ? `/stats/staffing?from=${day}&to=${day}` : null,
  );
  return data?.level.sharePct ?? null;
}

/** Under the service-level goal: the share within target is known and lower than the goal. */
export const belowGoal = (pct: number | null, goal: number | null): boolean =>
  pct !== null && goal !== null && pct < goal;

/** The staff member with the shortest average service time, among those who served enough. */
export function fastestStaff<G extends SummaryGroup>(
  staff: G[],
  minServed = MIN_SERVED_FOR_FASTEST,
): G | null {
  let best: G | null = null;
  for (const g of staff) {
    const avg = g.serviceMinutes.avg;
    if (avg === null || g.served < minServed) continue;
    if (best === null || avg < best.serviceMinutes.avg!) best = g;
  }
  return best;
}

/** The staff member with the highest overall rating, among those rated often enough; more ratings break a tie. */
export function bestRated<R extends RatingFigures>(staff: R[], minRatings = MIN_RATINGS_FOR_BEST): R | null {
  let best: R | null = null;
  for (const r of staff) {
    if (r.avg === null || r.count < minRatings) continue;
    if (best === null || r.avg > best.avg! || (r.avg === best.avg && r.count > best.count)) best = r;
  }
  return best;
}

export const FASTEST: Text = { zh: '最快', en: 'Fastest' };
export const BEST_RATED: Text = { zh: '评分最高', en: 'Best rated' };

export function Badge({ text, title }: { text: Text; title?: string }) {
  return (
    <span class="badge" title={title}>
      <Bi text={text} />
    </span>
  );
}

/** A text marker beside a figure that misses the target (the cell is also red, but not colour alone). */
function Flag({ text }: { text: Text }) {
  return (
    <span class="flag">
      <Bi text={text} />
    </span>
  );
}
const BELOW: Text = { zh: '未达标', en: 'below goal' };
const OVER: Text = { zh: '超时', en: 'over target' };

// ---------- sorting ----------

export type SortDir = 'asc' | 'desc';
export type Sort = { col: string; dir: SortDir };
type SortValue = number | string | null;

/** Sorts rows by a value; rows without a value (—) always go last, whichever the direction. */
export function sortRows<T>(
  rows: readonly T[],
  value: (row: T, index: number) => SortValue,
  dir: SortDir,
): T[] {
  const keyed = rows.map((row, i) => ({ row, v: value(row, i), i }));
  keyed.sort((a, b) => {
    if (a.v === null || b.v === null) return a.v === b.v ? a.i - b.i : a.v === null ? 1 : -1;
    const c =
      typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v));
    return (dir === 'asc' ? c : -c) || a.i - b.i;
  });
  return keyed.map((k) => k.row);
}

/** A header cell that sorts its table: a button (keyboard reachable) inside, the order in `aria-sort`. */
export function SortTh({
  text,
  col,
  sort,
  onSort,
  first = 'desc',
  title,
}: {
  text: Text;
  col: string;
  sort: Sort;
  onSort: (next: Sort) => void;
  /** The direction of the first click. */
  first?: SortDir;
  title?: string;
}) {
  const active = sort.col === col;
  const next: SortDir = active ? (sort.dir === 'asc' ? 'desc' : 'asc') : first;
  return (
    <th aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'} title={title}>
      <button type="button" class="sort" onClick={() => onSort({ col, dir: next })}>
        <Bi text={text} />
        <span class="arrow" aria-hidden="true">
          {active ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

// ---------- group table ----------

/** A row of a group table: a summary group, with the unserved-at-closing count where the data has it. */
export type GroupRow = SummaryGroup & { unservedAtClosing?: number };

type Column = {
  id: string;
  label: Text;
  title?: string;
  value: (g: GroupRow) => number | null;
};

const minutes = (pick: (g: GroupRow) => MinuteFigures, p: keyof MinuteFigures) => (g: GroupRow) => pick(g)[p];
/** Tickets neither served, nor no-show, nor cancelled: left at closing, or (today) still in the hall. */
const notServed = (g: GroupRow) => g.tickets - g.served - g.noShows - g.cancelled;

const COLUMNS: Column[] = [
  { id: 'tickets', label: { zh: '取号', en: 'Tickets' }, value: (g) => g.tickets },
  { id: 'served', label: { zh: '办结', en: 'Served' }, value: (g) => g.served },
  { id: 'noShows', label: { zh: '过号', en: 'No-shows' }, value: (g) => g.noShows },
  { id: 'cancelled', label: { zh: '取消', en: 'Cancelled' }, value: (g) => g.cancelled },
  {
    id: 'unserved',
    label: { zh: '未办结', en: 'Unserved' },
    title:
      '闭厅时仍在等候；营业中的当天还包括仍在等候的 — left at closing; on a day still open, also those still waiting',
    value: (g) => g.unservedAtClosing ?? notServed(g),
  },
  { id: 'waitAvg', label: { zh: '平均等待', en: 'Wait avg' }, value: minutes((g) => g.waitMinutes, 'avg') },
  { id: 'waitP50', label: { zh: '等待中位', en: 'Wait p50' }, value: minutes((g) => g.waitMinutes, 'p50') },
  { id: 'waitP90', label: { zh: '等待90%', en: 'Wait p90' }, value: minutes((g) => g.waitMinutes, 'p90') },
  {
    id: 'serviceAvg',
    label: { zh: '平均办理', en: 'Service avg' },
    value: minutes((g) => g.serviceMinutes, 'avg'),
  },
  { id: 'within', label: { zh: '达标率', en: 'Within target' }, value: (g) => g.withinTargetPct },
];

/**
 * Figures of groups (periods, services, counters, staff, hours, weekdays), sortable by any column. A share
 * within target under the goal, and an average wait over the row's own target (services), are marked.
 */
export function GroupTable<G extends GroupRow>({
  label,
  groups,
  name,
  initialSort = { col: 'name', dir: 'asc' },
  goal = null,
  waitTarget,
  badges,
  compact = false,
}: {
  label: Text;
  groups: G[];
  name: (key: string) => Text | string;
  initialSort?: Sort;
  goal?: number | null;
  /** The wait target (minutes) a row's average wait is held to, where the row has one (a service). */
  waitTarget?: (key: string) => number | undefined;
  /** Badges or notes after the row's name (fastest staff, a partial period). */
  badges?: (g: G) => ComponentChildren;
  /** Without the p50 / p90 columns (the printed daily report). */
  compact?: boolean;
}) {
  const [sort, setSort] = useState<Sort>(initialSort);
  // Rows that carry the count of unserved at closing (periods) show it under that name.
  const atClosing = groups.some((g) => g.unservedAtClosing !== undefined);
  const columns = (compact ? COLUMNS.filter((c) => c.id !== 'waitP50' && c.id !== 'waitP90') : COLUMNS).map(
    (c) =>
      c.id === 'unserved' && atClosing
        ? { ...c, label: { zh: '闭厅未办', en: 'Unserved at closing' }, title: undefined }
        : c,
  );
  const column = columns.find((c) => c.id === sort.col);
  const rows = sortRows(groups, (g, i) => (column ? column.value(g) : i), sort.dir);
  const head = { sort, onSort: setSort };
  return (
    <table class="groups">
      <thead>
        <tr>
          <SortTh text={label} col="name" first="asc" {...head} />
          {columns.map((c) => (
            <SortTh key={c.id} text={c.label} col={c.id} title={c.title} {...head} />
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((g) => {
          const n = name(g.key);
          const target = waitTarget?.(g.key);
          const over = target !== undefined && g.waitMinutes.avg !== null && g.waitMinutes.avg > target;
          const below = belowGoal(g.withinTargetPct, goal);
          return (
            <tr key={g.key} class={over || below ? 'miss' : undefined}>
              <td>
                {typeof n === 'string' ? n : <Bi text={n} />}
                {badges?.(g)}
              </td>
              {columns.map((c) => {
                if (c.id === 'waitAvg')
                  return (
                    <td
                      key={c.id}
                      class={over ? 'bad' : undefined}
                      title={target === undefined ? undefined : `目标 target ${target} min`}
                    >
                      {fig(g.waitMinutes.avg)}
                      {over && <Flag text={OVER} />}
                    </td>
                  );
                if (c.id === 'within')
                  return (
                    <td key={c.id} class={below ? 'bad' : undefined}>
                      {fig(g.withinTargetPct, '%')}
                      {below && <Flag text={BELOW} />}
                    </td>
                  );
                const v = c.value(g);
                return <td key={c.id}>{fig(v)}</td>;
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

// ---------- ratings ----------

/** Ratings of groups: the score and each SERVQUAL dimension (average and how many rated), sortable. */
export function RatingTable<R extends RatingFigures>({
  label,
  groups,
  name,
  badges,
  initialSort = { col: 'name', dir: 'asc' },
  dimensions = true,
}: {
  label: Text;
  groups: R[];
  name: (key: string) => Text | string;
  badges?: (r: R) => ComponentChildren;
  initialSort?: Sort;
  /** Which SERVQUAL dimensions get a column: all, none, or those anyone rated (the daily report). */
  dimensions?: boolean | 'rated';
}) {
  const [sort, setSort] = useState<Sort>(initialSort);
  const cell = (x: { count: number; avg: number | null }) => (x.count === 0 ? '—' : `${x.avg} (${x.count})`);
  const shown =
    dimensions === 'rated'
      ? SERVQUAL.filter((d) => groups.some((g) => g.dimensions[d].count > 0))
      : dimensions
        ? SERVQUAL
        : [];
  const value = (r: R, i: number): SortValue =>
    sort.col === 'name'
      ? i
      : sort.col === 'overall'
        ? r.avg
        : sort.col === 'count'
          ? r.count
          : r.dimensions[sort.col as ServqualDimension].avg;
  const rows = sortRows(groups, value, sort.dir);
  const head = { sort, onSort: setSort };
  return (
    <table class="ratings">
      <thead>
        <tr>
          <SortTh text={label} col="name" first="asc" {...head} />
          <SortTh text={{ zh: '总评', en: 'Overall' }} col="overall" {...head} />
          {shown.map((d) => (
            <SortTh key={d} text={SERVQUAL_NAMES[d]} col={d} {...head} />
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((g) => {
          const n = name(g.key);
          return (
            <tr key={g.key}>
              <td>
                {typeof n === 'string' ? n : <Bi text={n} />}
                {badges?.(g)}
              </td>
              <td>{cell(g)}</td>
              {shown.map((d) => (
                <td key={d}>{cell(g.dimensions[d])}</td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

// ---------- cards and findings ----------

/** Average, median and 90th percentile of minutes in one card, each figure with its own small label. */
export function MinutesKpi({ label, figures }: { label: Text; figures: MinuteFigures }) {
  const parts: [Text, number | null][] = [
    [{ zh: '平均', en: 'avg' }, figures.avg],
    [{ zh: '中位', en: 'p50' }, figures.p50],
    [{ zh: '90%', en: 'p90' }, figures.p90],
  ];
  return (
    <div class="kpi minutes">
      <div class="triple">
        {parts.map(([name, v]) => (
          <span key={name.en}>
            <strong>{fig(v)}</strong>
            <small>{name.zh === name.en ? name.zh : `${name.zh} ${name.en}`}</small>
          </span>
        ))}
      </div>
      <Bi text={label} />
    </div>
  );
}

export type Finding = { label: Text; items: ComponentChildren[]; bad?: boolean };

/** One line per question a manager asks: what missed the target, who serves fastest, who is rated best. */
export function Findings({ findings }: { findings: Finding[] }) {
  return (
    <ul class="findings">
      {findings.map((f) => (
        <li key={f.label.en} class={f.bad && f.items.length > 0 ? 'bad' : undefined}>
          <strong>
            <Bi text={f.label} />
          </strong>
          {f.items.length === 0 ? (
            <span class="none">—</span>
          ) : (
            f.items.map((item, i) => (
              <span key={i} class="item">
                {item}
              </span>
            ))
          )}
        </li>
      ))}
    </ul>
  );
}

/**
 * The findings of a range: services and hours under the goal (or, without a goal, services whose average
 * wait is over their target), the fastest and the best-rated staff member.
 */
export function rangeFindings({
  services,
  hours,
  goal,
  serviceName,
  waitTarget,
  fastest,
  best,
}: {
  services: SummaryGroup[];
  hours: SummaryGroup[];
  goal: number | null;
  serviceName: (key: string) => Text;
  waitTarget: (key: string) => number | undefined;
  fastest: (SummaryGroup & { name: string }) | null;
  best: (RatingFigures & { name: string }) | null;
}): Finding[] {
  const missed = sortRows(
    services.filter((g) => {
      const t = waitTarget(g.key);
      return belowGoal(g.withinTargetPct, goal) || (t !== undefined && (g.waitMinutes.avg ?? 0) > t);
    }),
    (g) => g.withinTargetPct,
    'asc',
  );
  const missedHours = hours.filter((g) => belowGoal(g.withinTargetPct, goal));
  const goalText = goal === null ? '' : ` < ${goal}%`;
  return [
    {
      label: { zh: `未达标业务${goalText}`, en: `Services below target${goalText}` },
      bad: true,
      items: missed.map((g) => (
        <>
          <Bi text={serviceName(g.key)} /> {fig(g.withinTargetPct, '%')}
        </>
      )),
    },
    {
      label: { zh: `未达标时段${goalText}`, en: `Hours below target${goalText}` },
      bad: true,
      items: missedHours.map((g) => `${g.key}:00 ${fig(g.withinTargetPct, '%')}`),
    },
    {
      label: { zh: '办理最快', en: 'Fastest' },
      items: fastest ? [`${fastest.name} · ${fastest.serviceMinutes.avg} 分钟 min`] : [],
    },
    {
      label: { zh: '评分最高', en: 'Best rated' },
      items: best ? [`${best.name} · ${best.avg} (${best.count})`] : [],
    },
  ];
}

/** The badges after a staff member's name: fastest (service time) and best rated. */
export function staffBadges(fastest: { key: string } | null, best: { key: string } | null) {
  return (g: { key: string }) => (
    <>
      {fastest?.key === g.key && (
        <Badge
          text={FASTEST}
          title={`平均办理时间最短（至少办结 ${MIN_SERVED_FOR_FASTEST} 笔）— shortest average service time, at least ${MIN_SERVED_FOR_FASTEST} served`}
        />
      )}
      {best?.key === g.key && (
        <Badge
          text={BEST_RATED}
          title={`总评最高（至少 ${MIN_RATINGS_FOR_BEST} 次评价）— highest overall rating, at least ${MIN_RATINGS_FOR_BEST} ratings`}
        />
      )}
    </>
  );
}

/** The headline cards of a range or a day: counts, wait and service minutes, and the share within target. */
export function SummaryKpis({ summary: s, goal }: { summary: StatsSummary; goal: number | null }) {
  const below = belowGoal(s.withinTargetPct, goal);
  return (
    <div class="kpis">
      <Kpi label={{ zh: '取号', en: 'Tickets' }} value={String(s.tickets)} />
      <Kpi label={{ zh: '已办结', en: 'Served' }} value={String(s.served)} />
      <Kpi label={{ zh: '过号', en: 'No-shows' }} value={String(s.noShows)} />
      <Kpi label={{ zh: '取消', en: 'Cancelled' }} value={String(s.cancelled)} />
      <Kpi label={{ zh: '闭厅未办', en: 'Unserved at closing' }} value={String(s.unservedAtClosing)} />
      <MinutesKpi label={{ zh: '等待（分钟）', en: 'Wait (minutes)' }} figures={s.waitMinutes} />
      <MinutesKpi label={{ zh: '办理（分钟）', en: 'Service (minutes)' }} figures={s.serviceMinutes} />
      <div class={below ? 'kpi within bad' : 'kpi within'}>
        <strong>
          {fig(s.withinTargetPct, '%')}
          {below && <Flag text={BELOW} />}
        </strong>
        <Bi text={{ zh: '达标率', en: 'Within target' }} />
        {goal !== null && (
          <small class="goal">
            <Bi text={{ zh: `目标 ≥ ${goal}%`, en: `goal ≥ ${goal}%` }} />
          </small>
        )}
      </div>
    </div>
  );
}
