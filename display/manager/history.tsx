import { useState } from 'preact/hooks';
import {
  API_BASE,
  SERVQUAL,
  type ServqualDimension,
  type StatsSummary,
  type SummaryGroup,
  type Text,
} from '../../server/contract/api.ts';
import type { Period, RatingFigures, StatsBreakdown, StatsSeries } from '../../server/contract/manager.ts';
import type { HallState } from '../common/hall-state.ts';
import { Bi } from '../common/text.tsx';
import { BarChart, Heatmap, LineChart, WEEKDAYS } from './charts.tsx';
import { hallToday, type QuickPick, quickRange, type Range } from './dates.ts';
import { fig, Kpi, RangeInputs, Th } from './parts.tsx';
import { useGet } from './use-api.ts';

const PICKS: [QuickPick, Text][] = [
  ['today', { zh: '今天', en: 'Today' }],
  ['week', { zh: '本周', en: 'This week' }],
  ['month', { zh: '本月', en: 'This month' }],
  ['last30', { zh: '近30天', en: 'Last 30 days' }],
];

const PERIOD_NAMES: Record<Period, Text> = {
  day: { zh: '按日', en: 'By day' },
  week: { zh: '按周', en: 'By week' },
  month: { zh: '按月', en: 'By month' },
};

const SERVQUAL_NAMES: Record<ServqualDimension, Text> = {
  reliability: { zh: '可靠性', en: 'Reliability' },
  responsiveness: { zh: '响应性', en: 'Responsiveness' },
  assurance: { zh: '保证性', en: 'Assurance' },
  empathy: { zh: '移情性', en: 'Empathy' },
  tangibles: { zh: '有形性', en: 'Tangibles' },
};

/** Figures of groups (services, counters, staff, hours, weekdays) with their names. */
export function GroupTable({
  label,
  groups,
  name,
}: {
  label: Text;
  groups: SummaryGroup[];
  name: (key: string) => Text | string;
}) {
  return (
    <table class="groups">
      <thead>
        <tr>
          <Th text={label} />
          <Th text={{ zh: '取号', en: 'Tickets' }} />
          <Th text={{ zh: '办结', en: 'Served' }} />
          <Th text={{ zh: '过号', en: 'No-shows' }} />
          <Th text={{ zh: '取消', en: 'Cancelled' }} />
          <Th text={{ zh: '平均等待', en: 'Wait avg' }} />
          <Th text={{ zh: '等待中位', en: 'Wait p50' }} />
          <Th text={{ zh: '等待90%', en: 'Wait p90' }} />
          <Th text={{ zh: '平均办理', en: 'Service avg' }} />
          <Th text={{ zh: '达标率', en: 'Within target' }} />
        </tr>
      </thead>
      <tbody>
        {groups.map((g) => {
          const n = name(g.key);
          return (
            <tr key={g.key}>
              <td>{typeof n === 'string' ? n : <Bi text={n} />}</td>
              <td>{g.tickets}</td>
              <td>{g.served}</td>
              <td>{g.noShows}</td>
              <td>{g.cancelled}</td>
              <td>{fig(g.waitMinutes.avg)}</td>
              <td>{fig(g.waitMinutes.p50)}</td>
              <td>{fig(g.waitMinutes.p90)}</td>
              <td>{fig(g.serviceMinutes.avg)}</td>
              <td>{fig(g.withinTargetPct, '%')}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Ratings of groups: the score and each SERVQUAL dimension (average and how many rated). */
export function RatingTable({
  label,
  groups,
  name,
}: {
  label: Text;
  groups: RatingFigures[];
  name: (key: string) => Text | string;
}) {
  const cell = (x: { count: number; avg: number | null }) => (x.count === 0 ? '—' : `${x.avg} (${x.count})`);
  return (
    <table class="ratings">
      <thead>
        <tr>
          <Th text={label} />
          <Th text={{ zh: '总评', en: 'Overall' }} />
          {SERVQUAL.map((d) => (
            <Th key={d} text={SERVQUAL_NAMES[d]} />
          ))}
        </tr>
      </thead>
      <tbody>
        {groups.map((g) => {
          const n = name(g.key);
          return (
            <tr key={g.key}>
              <td>{typeof n === 'string' ? n : <Bi text={n} />}</td>
              <td>{cell(g)}</td>
              {SERVQUAL.map((d) => (
                <td key={d}>{cell(g.dimensions[d])}</td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function periodLabel(period: string, by: Period): string {
  return by === 'month' ? period : period.slice(5);
}

export function HistoryTab({ hall }: { hall: HallState }) {
  const today = hallToday(hall.hall.timeZone);
  const [range, setRange] = useState<Range>(() => quickRange('today', today));
  const [by, setBy] = useState<Period>('day');
  const q = `from=${range.from}&to=${range.to}`;
  const valid =
    /^\d{4}-\d{2}-\d{2}$/.test(range.from) && /^\d{4}-\d{2}-\d{2}$/.test(range.to) && range.from <= range.to;
  const summary = useGet<StatsSummary>(valid ? `/stats/summary?${q}` : null);
  const series = useGet<StatsSeries>(valid ? `/stats/series?${q}&by=${by}` : null);
  const breakdown = useGet<StatsBreakdown>(valid ? `/stats/breakdown?${q}` : null);
  const error = summary.error ?? series.error ?? breakdown.error;

  const serviceName = (key: string) => hall.services.find((s) => s.id === key)?.name ?? key;
  const counterName = (key: string) => hall.counters.find((c) => c.id === key)?.name ?? key;
  const s = summary.data;
  const b = breakdown.data;
  const staffNames = new Map(b?.byStaff.map((g) => [g.key, g.name]));
  const target = Math.min(...hall.services.map((sv) => sv.waitTargetMinutes));
  const hours = s ? s.byHour.map((g) => Number(g.key)) : [];
  const firstHour = hours.length ? Math.min(...hours) : 9;
  const lastHour = hours.length ? Math.max(...hours) : 17;
  const hourLabels = Array.from({ length: lastHour - firstHour + 1 }, (_, i) =>
    String(firstHour + i).padStart(2, '0'),
  );

  return (
    <>
      <section class="controls" aria-label="range">
        <div class="picks">
          {PICKS.map(([pick, label]) => (
            <button type="button" key={pick} onClick={() => setRange(quickRange(pick, today))}>
              <Bi text={label} />
            </button>
          ))}
        </div>
        <RangeInputs range={range} onChange={setRange} />
        <select
          name="by"
          value={by}
          onChange={(e) => setBy(e.currentTarget.value as Period)}
          aria-label="period"
        >
          {(Object.keys(PERIOD_NAMES) as Period[]).map((p) => (
            <option key={p} value={p}>
              {PERIOD_NAMES[p].zh} {PERIOD_NAMES[p].en}
            </option>
          ))}
        </select>
        <a
          class="button"
          href={`${API_BASE}/stats/tickets.csv?${q}`}
          download={`hallq-tickets-${range.from}-${range.to}.csv`}
        >
          <Bi text={{ zh: '导出 CSV', en: 'Download CSV' }} />
        </a>
        <button type="button" onClick={() => window.print()}>
          <Bi text={{ zh: '打印报表', en: 'Print report' }} />
        </button>
      </section>
      <h2 class="report-title">
        <Bi
          text={{ zh: `营业报表 ${range.from} 至 ${range.to}`, en: `Report ${range.from} to ${range.to}` }}
        />
      </h2>
      {!valid && (
        <p role="alert">
          <Bi text={{ zh: '请选择有效的日期范围', en: 'Choose a valid date range' }} />
        </p>
      )}
      {error && <p role="alert">{error}</p>}
      {s && (
        <section>
          <div class="kpis">
            <Kpi label={{ zh: '取号', en: 'Tickets' }} value={String(s.tickets)} />
            <Kpi label={{ zh: '已办结', en: 'Served' }} value={String(s.served)} />
            <Kpi label={{ zh: '过号', en: 'No-shows' }} value={String(s.noShows)} />
            <Kpi label={{ zh: '取消', en: 'Cancelled' }} value={String(s.cancelled)} />
            <Kpi label={{ zh: '闭厅未办', en: 'Unserved at closing' }} value={String(s.unservedAtClosing)} />
            <Kpi
              label={{ zh: '等待 平均/中位/90%', en: 'Wait avg / p50 / p90' }}
              value={`${fig(s.waitMinutes.avg)} / ${fig(s.waitMinutes.p50)} / ${fig(s.waitMinutes.p90)}`}
            />
            <Kpi
              label={{ zh: '办理 平均/中位/90%', en: 'Service avg / p50 / p90' }}
              value={`${fig(s.serviceMinutes.avg)} / ${fig(s.serviceMinutes.p50)} / ${fig(s.serviceMinutes.p90)}`}
            />
            <Kpi label={{ zh: '达标率', en: 'Within target' }} value={fig(s.withinTargetPct, '%')} />
          </div>
        </section>
      )}
      <section class="charts">
        {series.data && (
          <LineChart
            title={{ zh: '等待时间（分钟）', en: 'Wait (minutes)' }}
            labels={series.data.points.map((p) => periodLabel(p.period, series.data!.by))}
            series={[
              {
                name: { zh: '中位数', en: 'p50' },
                values: series.data.points.map((p) => p.waitMinutes.p50),
                color: '#1565c0',
              },
              {
                name: { zh: '90% 分位', en: 'p90' },
                values: series.data.points.map((p) => p.waitMinutes.p90),
                color: '#e65100',
              },
            ]}
            target={Number.isFinite(target) ? target : undefined}
          />
        )}
        {s && (
          <BarChart
            title={{ zh: '各时段取号', en: 'Arrivals per hour' }}
            labels={hourLabels}
            values={hourLabels.map((h) => s.byHour.find((g) => g.key === h)?.tickets ?? 0)}
          />
        )}
      </section>
      {series.data && series.data.points.length > 1 && (
        <section>
          <h3>
            <Bi text={{ zh: '各期', en: 'Per period' }} />
          </h3>
          <GroupTable
            label={PERIOD_NAMES[series.data.by]}
            groups={series.data.points.filter((p) => p.tickets > 0).map((p) => ({ ...p, key: p.period }))}
            name={(k) => k}
          />
        </section>
      )}
      {s && (
        <section>
          <h3>
            <Bi text={{ zh: '按业务', en: 'By service' }} />
          </h3>
          <GroupTable label={{ zh: '业务', en: 'Service' }} groups={s.byService} name={serviceName} />
          <h3>
            <Bi text={{ zh: '按窗口', en: 'By counter' }} />
          </h3>
          <GroupTable label={{ zh: '窗口', en: 'Counter' }} groups={s.byCounter} name={counterName} />
        </section>
      )}
      {b && (
        <section>
          <h3>
            <Bi text={{ zh: '按员工', en: 'By staff member' }} />
          </h3>
          <GroupTable
            label={{ zh: '员工', en: 'Staff' }}
            groups={b.byStaff}
            name={(k) => staffNames.get(k) ?? k}
          />
        </section>
      )}
      {s && (
        <section>
          <h3>
            <Bi text={{ zh: '按时段', en: 'By hour' }} />
          </h3>
          <GroupTable label={{ zh: '时段', en: 'Hour' }} groups={s.byHour} name={(k) => `${k}:00`} />
        </section>
      )}
      {b && (
        <>
          <section>
            <h3>
              <Bi text={{ zh: '按星期', en: 'By weekday' }} />
            </h3>
            <GroupTable
              label={{ zh: '星期', en: 'Weekday' }}
              groups={b.byWeekday.filter((g) => g.tickets > 0)}
              name={(k) => WEEKDAYS[Number(k)]!}
            />
            <h3>
              <Bi text={{ zh: '到达热力图（星期 × 时段）', en: 'Arrivals: weekday × hour' }} />
            </h3>
            <Heatmap arrivals={b.arrivals} />
          </section>
          <section>
            <h3>
              <Bi text={{ zh: '服务评价（SERVQUAL 五维度，1–5 分）', en: 'Ratings (SERVQUAL, 1–5)' }} />
            </h3>
            <RatingTable
              label={{ zh: '全厅', en: 'Hall' }}
              groups={[b.ratings.all]}
              name={() => ({ zh: '全部', en: 'All' })}
            />
            <RatingTable
              label={{ zh: '员工', en: 'Staff' }}
              groups={b.ratings.byStaff}
              name={(k) => staffNames.get(k) ?? k}
            />
            <RatingTable
              label={{ zh: '窗口', en: 'Counter' }}
              groups={b.ratings.byCounter}
              name={counterName}
            />
            <RatingTable
              label={{ zh: '业务', en: 'Service' }}
              groups={b.ratings.byService}
              name={serviceName}
            />
          </section>
        </>
      )}
    </>
  );
}
