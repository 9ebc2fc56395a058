import { useState } from 'preact/hooks';
import { minutesText } from '../../display/common/format.ts';
import { Bi } from '../../display/common/text.tsx';
import type { QuickPick } from '../../display/manager/dates.ts';
import { fig, Th } from '../../display/manager/parts.tsx';
import { type Sort, SortTh, SummaryKpis, sortRows } from '../../display/manager/report-parts.tsx';
import { useGet } from '../../display/manager/use-api.ts';
import type { StatsSummary, Text } from '../../server/contract/api.ts';
import { HQ_API_BASE, type HqBreakdownRow, type HqHall } from '../contract.ts';
import { PERIODS, periodRange, query, todayOf } from './periods.ts';

/** Lagging: HQ's picture of the hall is older than this. */
const LAGGING_SECONDS = 5 * 60;
/** A clock this far from HQ's is worth a look. */
const SKEW_SECONDS = 60;

/** What needs attention now, worst first: halls away, behind, off the clock, breaching, on an old catalogue. */
export function attention(halls: readonly HqHall[]): { hall: HqHall; what: Text }[] {
  const out: { hall: HqHall; what: Text; rank: number }[] = [];
  for (const h of halls) {
    if (h.lastSeenAt === null)
      out.push({ hall: h, rank: 0, what: { zh: '从未连接', en: 'Never connected' } });
    else if (!h.online) {
      const since = minutesText((Date.now() - Date.parse(h.lastSeenAt)) / 60_000);
      out.push({ hall: h, rank: 1, what: { zh: `离线 ${since.zh}`, en: `Offline for ${since.en}` } });
    } else if ((h.lagSeconds ?? 0) > LAGGING_SECONDS) {
      const lag = minutesText((h.lagSeconds ?? 0) / 60);
      out.push({ hall: h, rank: 2, what: { zh: `数据滞后 ${lag.zh}`, en: `Data ${lag.en} behind` } });
    }
    if (h.breaching)
      out.push({
        hall: h,
        rank: 3,
        what: {
          zh: `今日达标率 ${fig(h.today.withinTargetPct, '%')}，低于 80%`,
          en: `Within target today ${fig(h.today.withinTargetPct, '%')}, below 80%`,
        },
      });
    if (h.clockSkewSeconds !== null && Math.abs(h.clockSkewSeconds) > SKEW_SECONDS) {
      const skew = minutesText(Math.abs(h.clockSkewSeconds) / 60);
      const ahead = h.clockSkewSeconds > 0;
      out.push({
        hall: h,
        rank: 4,
        what: {
          zh: `时钟${ahead ? '快' : '慢'} ${skew.zh}`,
          en: `Clock ${skew.en} ${ahead ? 'fast' : 'slow'}`,
        },
      });
    }
    if (h.gap)
      out.push({
        hall: h,
        rank: 5,
        what: { zh: '事件有缺口，等待补发', en: 'Events missing, waiting for the rest' },
      });
    if ((h.catalogueBehindDays ?? 0) >= 1)
      out.push({
        hall: h,
        rank: 6,
        what: {
          zh: `服务目录 v${h.catalogueVersion ?? '—'}，落后于 v${h.latestCatalogueVersion}`,
          en: `Catalogue v${h.catalogueVersion ?? '—'}, behind v${h.latestCatalogueVersion}`,
        },
      });
  }
  return out.sort((a, b) => a.rank - b.rank).map(({ hall, what }) => ({ hall, what }));
}

/** A ranking of halls or regions by the figures HQ compares them on. */
export function Ranking({
  label,
  rows,
  halls,
}: {
  label: Text;
  rows: HqBreakdownRow[];
  /** For halls: their link state and today, beside the period's figures. */
  halls?: Map<string, HqHall>;
}) {
  const [sort, setSort] = useState<Sort>({ col: 'within', dir: 'desc' });
  const noShowPct = (r: HqBreakdownRow) =>
    r.tickets === 0 ? null : Math.round((1000 * r.noShows) / r.tickets) / 10;
  const value = (r: HqBreakdownRow): number | string | null => {
    switch (sort.col) {
      case 'within':
        return r.withinTargetPct;
      case 'p90':
        return r.waitMinutes.p90;
      case 'rating':
        return r.ratingAvg;
      case 'noShows':
        return noShowPct(r);
      case 'tickets':
        return r.tickets;
      default:
        return r.name;
    }
  };
  const head = (text: Text, col: string, first: 'asc' | 'desc' = 'desc') => (
    <SortTh text={text} col={col} sort={sort} onSort={setSort} first={first} />
  );
  return (
    <table class="ranking">
      <caption>
        <Bi text={label} />
      </caption>
      <thead>
        <tr>
          <Th text={{ zh: '名次', en: 'Rank' }} />
          {head({ zh: '名称', en: 'Name' }, 'name', 'asc')}
          {halls && <Th text={{ zh: '区域', en: 'Region' }} />}
          {head({ zh: '取号', en: 'Tickets' }, 'tickets')}
          {head({ zh: '达标率', en: 'Within target' }, 'within')}
          {head({ zh: '等待 p90', en: 'Wait p90' }, 'p90', 'asc')}
          <Th text={{ zh: '等待中位', en: 'Wait p50' }} />
          {head({ zh: '评分', en: 'Rating' }, 'rating')}
          {head({ zh: '过号率', en: 'No-shows' }, 'noShows', 'asc')}
          {halls && <Th text={{ zh: '连接', en: 'Link' }} />}
        </tr>
      </thead>
      <tbody>
        {sortRows(rows, value, sort.dir).map((r, i) => {
          const h = halls?.get(r.key);
          return (
            <tr key={r.key}>
              <td>{i + 1}</td>
              <td>{halls ? <a href={`#hall=${encodeURIComponent(r.key)}`}>{r.name}</a> : r.name}</td>
              {halls && <td>{r.region}</td>}
              <td>{r.tickets}</td>
              <td class={r.withinTargetPct !== null && r.withinTargetPct < 80 ? 'bad' : undefined}>
                {fig(r.withinTargetPct, '%')}
              </td>
              <td>{fig(r.waitMinutes.p90)}</td>
              <td>{fig(r.waitMinutes.p50)}</td>
              <td>{fig(r.ratingAvg)}</td>
              <td>{fig(noShowPct(r), '%')}</td>
              {halls && (
                <td class={h?.online ? 'ok' : 'trouble'}>
                  <Bi text={h?.online ? { zh: '在线', en: 'Online' } : { zh: '离线', en: 'Offline' }} />
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function OverviewTab() {
  const [pick, setPick] = useState<QuickPick>('today');
  const halls = useGet<HqHall[]>('/halls');
  const today = todayOf(halls.data ?? []);
  const range = periodRange(pick, today);
  const q = query(range);
  const summary = useGet<StatsSummary>(halls.data ? `/stats/summary?${q}` : null);
  const regions = useGet<HqBreakdownRow[]>(halls.data ? `/stats/breakdown?${q}&by=region` : null);
  const byHall = useGet<HqBreakdownRow[]>(halls.data ? `/stats/breakdown?${q}&by=hall` : null);
  const hallMap = new Map((halls.data ?? []).map((h) => [h.id, h]));
  const issues = attention(halls.data ?? []);
  const online = (halls.data ?? []).filter((h) => h.online).length;
  return (
    <>
      <section class="controls">
        {PERIODS.map(([p, name]) => (
          <button type="button" key={p} class={p === pick ? 'active' : undefined} onClick={() => setPick(p)}>
            <Bi text={name} />
          </button>
        ))}
        <span class="range">{range.from === range.to ? range.from : `${range.from} – ${range.to}`}</span>
        <a href={`${HQ_API_BASE}/stats/breakdown.csv?${q}&by=hall`} download>
          <Bi text={{ zh: '导出营业厅 CSV', en: 'Halls as CSV' }} />
        </a>
        <a href={`${HQ_API_BASE}/stats/breakdown.csv?${q}&by=region`} download>
          <Bi text={{ zh: '导出区域 CSV', en: 'Regions as CSV' }} />
        </a>
      </section>
      {halls.error && <p role="alert">{halls.error}</p>}
      {halls.data && (
        <p class="online">
          <Bi
            text={{
              zh: `${halls.data.length} 个营业厅，${online} 个在线`,
              en: `${halls.data.length} halls, ${online} online`,
            }}
          />
        </p>
      )}
      {summary.data && <SummaryKpis summary={summary.data} goal={80} />}
      <section class="attention">
        <h2>
          <Bi text={{ zh: '需要关注', en: 'Needs attention' }} />
        </h2>
        {halls.data && issues.length === 0 && (
          <p class="empty">
            <Bi text={{ zh: '一切正常', en: 'All well' }} />
          </p>
        )}
        <ul>
          {issues.map(({ hall, what }) => (
            <li key={`${hall.id}${what.en}`}>
              <a href={`#hall=${encodeURIComponent(hall.id)}`}>{hall.name}</a> <Bi text={what} />
            </li>
          ))}
        </ul>
      </section>
      {regions.data && <Ranking label={{ zh: '区域排名', en: 'Regions ranked' }} rows={regions.data} />}
      {byHall.data && (
        <Ranking label={{ zh: '营业厅排名', en: 'Halls ranked' }} rows={byHall.data} halls={hallMap} />
      )}
      {(summary.error ?? byHall.error) && <p role="alert">{summary.error ?? byHall.error}</p>}
    </>
  );
}
