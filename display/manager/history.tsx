import { useState } from 'preact/hooks';
import { API_BASE, type StatsSummary, type Text } from '../../server/contract/api.ts';
import type { Period, SeriesPoint, StatsBreakdown, StatsSeries } from '../../server/contract/manager.ts';
import type { HallState } from '../common/hall-state.ts';
import { Bi } from '../common/text.tsx';
import { BarChart, Heatmap, LineChart, WEEKDAYS } from './charts.tsx';
import { DailyReport } from './daily-report.tsx';
import { addDays, daysIn, hallToday, type QuickPick, quickRange, type Range } from './dates.ts';
import { RangeInputs } from './parts.tsx';
import {
  bestRated,
  Findings,
  fastestStaff,
  GroupTable,
  RatingTable,
  rangeFindings,
  SummaryKpis,
  staffBadges,
  useServiceGoal,
} from './report-parts.tsx';
import { useGet } from './use-api.ts';

export { GroupTable, RatingTable } from './report-parts.tsx';

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

function periodLabel(period: string, by: Period): string {
  return by === 'month' ? period : period.slice(5);
}

/** The first and last day of a period (day, week from its Monday, month YYYY-MM). */
export function periodSpan(period: string, by: Period): Range {
  if (by === 'day') return { from: period, to: period };
  if (by === 'week') return { from: period, to: addDays(period, 6) };
  const next = new Date(Date.UTC(Number(period.slice(0, 4)), Number(period.slice(5, 7)), 1));
  return { from: `${period}-01`, to: addDays(next.toISOString().slice(0, 10), -1) };
}

/**
 * How much of a period the figures cover: `partial` when the range cuts the period (its first or last
 * week or month), `open` when the period is still going on (it holds today).
 */
export function periodCoverage(
  period: string,
  by: Period,
  range: Range,
  today: string,
): { kind: 'whole' | 'partial' | 'open'; days: number; of: number } {
  const span = periodSpan(period, by);
  const from = [span.from, range.from].sort()[1]!;
  const to = [span.to, range.to, today].sort()[0]!;
  const of = daysIn(span);
  const days = to < from ? 0 : daysIn({ from, to });
  if (span.from <= today && today <= span.to && range.to >= today) return { kind: 'open', days, of };
  return { kind: days < of ? 'partial' : 'whole', days, of };
}

function PeriodNote({ coverage }: { coverage: ReturnType<typeof periodCoverage> }) {
  if (coverage.kind === 'whole') return null;
  const { days, of } = coverage;
  const text: Text =
    coverage.kind === 'open'
      ? { zh: '（进行中）', en: 'in progress' }
      : {
          zh: `（部分 ${days}/${of} 天）`,
          en: `partial, ${days} of ${of} days`,
        };
  return (
    <span class={`period-note ${coverage.kind}`}>
      <Bi text={text} />
    </span>
  );
}

export function HistoryTab({ hall }: { hall: HallState }) {
  const today = hallToday(hall.hall.timeZone);
  const [range, setRange] = useState<Range>(() => quickRange('today', today));
  const [by, setBy] = useState<Period>('day');
  /** The day of the printable daily report being shown, if any. */
  const [reportDay, setReportDay] = useState<string | null>(null);
  const q = `from=${range.from}&to=${range.to}`;
  const valid =
    /^\d{4}-\d{2}-\d{2}$/.test(range.from) && /^\d{4}-\d{2}-\d{2}$/.test(range.to) && range.from <= range.to;
  const show = reportDay === null;
  const summary = useGet<StatsSummary>(show && valid ? `/stats/summary?${q}` : null);
  const series = useGet<StatsSeries>(show && valid ? `/stats/series?${q}&by=${by}` : null);
  const breakdown = useGet<StatsBreakdown>(show && valid ? `/stats/breakdown?${q}` : null);
  const goal = useServiceGoal(today);
  const error = summary.error ?? series.error ?? breakdown.error;

  if (reportDay !== null)
    return (
      <DailyReport hall={hall} day={reportDay} onDay={setReportDay} onClose={() => setReportDay(null)} />
    );

  const serviceName = (key: string) => hall.services.find((s) => s.id === key)?.name ?? key;
  const serviceText = (key: string) => hall.services.find((s) => s.id === key)?.name ?? { zh: key, en: key };
  const waitTarget = (key: string) => hall.services.find((s) => s.id === key)?.waitTargetMinutes;
  const counterName = (key: string) => hall.counters.find((c) => c.id === key)?.name ?? key;
  const s = summary.data;
  const b = breakdown.data;
  const points = series.data?.points ?? [];
  const staffNames = new Map(b?.byStaff.map((g) => [g.key, g.name]));
  const fastest = b ? fastestStaff(b.byStaff) : null;
  const best = b ? bestRated(b.ratings.byStaff) : null;
  const badges = staffBadges(fastest, best);
  const hours = s ? s.byHour.map((g) => Number(g.key)) : [];
  const firstHour = hours.length ? Math.min(...hours) : 9;
  const lastHour = hours.length ? Math.max(...hours) : 17;
  const hourLabels = Array.from({ length: lastHour - firstHour + 1 }, (_, i) =>
    String(firstHour + i).padStart(2, '0'),
  );
  const goalLabel = goal === null ? undefined : `目标 goal ${goal}%`;
  const periodRows = points
    .filter((p) => p.tickets > 0)
    .map((p): SeriesPoint & { key: string } => ({ ...p, key: p.period }));

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
        <button type="button" class="primary" onClick={() => setReportDay(valid ? range.to : today)}>
          <Bi text={{ zh: '打印日报', en: 'Print daily report' }} />
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
          <SummaryKpis summary={s} goal={goal} />
          {b && (
            <Findings
              findings={rangeFindings({
                services: s.byService,
                hours: s.byHour,
                goal,
                serviceName: serviceText,
                waitTarget,
                fastest,
                best,
              })}
            />
          )}
        </section>
      )}
      <section class="charts">
        {series.data && (
          <LineChart
            title={{ zh: '等待时间（分钟）', en: 'Wait (minutes)' }}
            labels={points.map((p) => periodLabel(p.period, series.data!.by))}
            series={[
              {
                name: { zh: '中位数', en: 'p50' },
                values: points.map((p) => p.waitMinutes.p50),
                color: '#1565c0',
              },
              {
                name: { zh: '90% 分位', en: 'p90' },
                values: points.map((p) => p.waitMinutes.p90),
                color: '#e65100',
              },
            ]}
          />
        )}
        {series.data && (
          <LineChart
            title={{ zh: '各期达标率（%）', en: 'Within target per period (%)' }}
            labels={points.map((p) => periodLabel(p.period, series.data!.by))}
            series={[
              {
                name: { zh: '达标率', en: 'Within target' },
                values: points.map((p) => p.withinTargetPct),
                color: '#2e7d32',
              },
            ]}
            unit="%"
            max={100}
            target={goal ?? undefined}
            targetLabel={goalLabel}
          />
        )}
        {s && (
          <BarChart
            title={{ zh: '各时段取号', en: 'Arrivals per hour' }}
            labels={hourLabels}
            values={hourLabels.map((h) => s.byHour.find((g) => g.key === h)?.tickets ?? 0)}
          />
        )}
        {s && (
          <BarChart
            title={{ zh: '各时段达标率（%）', en: 'Within target per hour (%)' }}
            labels={hourLabels}
            values={hourLabels.map((h) => s.byHour.find((g) => g.key === h)?.withinTargetPct ?? null)}
            color="#2e7d32"
            unit="%"
            max={100}
            target={goal ?? undefined}
            targetLabel={goalLabel}
            legend={
              goal === null
                ? undefined
                : { zh: `▼ 红色：低于目标 ${goal}%`, en: `▼ red: below the ${goal}% goal` }
            }
          />
        )}
      </section>
      {series.data && points.length > 1 && (
        <section>
          <h3>
            <Bi text={{ zh: '各期', en: 'Per period' }} />
          </h3>
          <GroupTable
            label={PERIOD_NAMES[series.data.by]}
            groups={periodRows}
            name={(k) => k}
            goal={goal}
            badges={(p) => (
              <PeriodNote coverage={periodCoverage(p.key, series.data!.by, series.data!, today)} />
            )}
          />
        </section>
      )}
      {s && (
        <section>
          <h3>
            <Bi text={{ zh: '按业务', en: 'By service' }} />
          </h3>
          <GroupTable
            label={{ zh: '业务', en: 'Service' }}
            groups={s.byService}
            name={serviceName}
            goal={goal}
            waitTarget={waitTarget}
            initialSort={{ col: 'within', dir: 'asc' }}
          />
          <h3>
            <Bi text={{ zh: '按窗口', en: 'By counter' }} />
          </h3>
          <GroupTable
            label={{ zh: '窗口', en: 'Counter' }}
            groups={s.byCounter}
            name={counterName}
            goal={goal}
          />
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
            goal={goal}
            badges={badges}
            initialSort={{ col: 'served', dir: 'desc' }}
          />
        </section>
      )}
      {s && (
        <section>
          <h3>
            <Bi text={{ zh: '按时段', en: 'By hour' }} />
          </h3>
          <GroupTable
            label={{ zh: '时段', en: 'Hour' }}
            groups={s.byHour}
            name={(k) => `${k}:00`}
            goal={goal}
          />
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
              goal={goal}
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
              badges={staffBadges(null, best)}
              initialSort={{ col: 'overall', dir: 'desc' }}
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
