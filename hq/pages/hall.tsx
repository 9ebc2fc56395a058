import { useState } from 'preact/hooks';
import { Bi } from '../../display/common/text.tsx';
import { BarChart } from '../../display/manager/charts.tsx';
import type { QuickPick } from '../../display/manager/dates.ts';
import { fig } from '../../display/manager/parts.tsx';
import { GroupTable, SummaryKpis } from '../../display/manager/report-parts.tsx';
import { useGet } from '../../display/manager/use-api.ts';
import type { StatsSummary } from '../../server/contract/api.ts';
import type { HqHall, HqSeries } from '../contract.ts';
import { PERIODS, periodRange, query } from './periods.ts';
import { TrendCharts } from './trends.tsx';

/** One hall: its link, its figures by hour, service and counter, and its trend. */
export function HallTab({ hallId }: { hallId: string | null }) {
  const [pick, setPick] = useState<QuickPick>('today');
  const halls = useGet<HqHall[]>('/halls');
  const hall = halls.data?.find((h) => h.id === hallId) ?? null;
  const range = periodRange(pick, hall?.day ?? new Date().toISOString().slice(0, 10));
  const q = hall ? query(range, { hallId: hall.id }) : null;
  const summary = useGet<StatsSummary>(q ? `/stats/summary?${q}` : null);
  const trend = useGet<HqSeries>(
    hall ? `/stats/series?${query(periodRange('last30', range.to), { hallId: hall.id })}` : null,
  );
  return (
    <>
      <section class="controls">
        <label>
          <Bi text={{ zh: '营业厅', en: 'Hall' }} />
          <select
            value={hallId ?? ''}
            onChange={(e) => {
              location.hash = `hall=${encodeURIComponent((e.currentTarget as HTMLSelectElement).value)}`;
            }}
          >
            <option value="">—</option>
            {(halls.data ?? []).map((h) => (
              <option key={h.id} value={h.id}>
                {h.name} ({h.region})
              </option>
            ))}
          </select>
        </label>
        {PERIODS.map(([p, name]) => (
          <button type="button" key={p} class={p === pick ? 'active' : undefined} onClick={() => setPick(p)}>
            <Bi text={name} />
          </button>
        ))}
      </section>
      {!hall && halls.data && (
        <p class="empty">
          <Bi text={{ zh: '请选择营业厅', en: 'Choose a hall' }} />
        </p>
      )}
      {hall && (
        <dl class="link">
          <dt>
            <Bi text={{ zh: '连接', en: 'Link' }} />
          </dt>
          <dd>
            <Bi text={hall.online ? { zh: '在线', en: 'Online' } : { zh: '离线', en: 'Offline' }} />
            {hall.lastSeenAt && ` · ${new Date(hall.lastSeenAt).toLocaleString('zh-CN')}`}
          </dd>
          <dt>
            <Bi text={{ zh: '已确认事件', en: 'Acknowledged through' }} />
          </dt>
          <dd>#{hall.ackedThrough}</dd>
          <dt>
            <Bi text={{ zh: '滞后', en: 'Lag' }} />
          </dt>
          <dd>{fig(hall.lagSeconds, ' s')}</dd>
          <dt>
            <Bi text={{ zh: '时钟偏差', en: 'Clock skew' }} />
          </dt>
          <dd>{fig(hall.clockSkewSeconds, ' s')}</dd>
          <dt>
            <Bi text={{ zh: '版本', en: 'Versions' }} />
          </dt>
          <dd>
            HallQ {hall.appVersion ?? '—'} · schema {hall.schemaVersion ?? '—'} ·{' '}
            <Bi text={{ zh: '目录', en: 'catalogue' }} /> v{hall.catalogueVersion ?? '—'}
          </dd>
        </dl>
      )}
      {summary.error && <p role="alert">{summary.error}</p>}
      {summary.data && (
        <>
          <SummaryKpis summary={summary.data} goal={80} />
          <BarChart
            title={{ zh: '各时段达标率', en: 'Within target by hour' }}
            labels={summary.data.byHour.map((h) => h.key)}
            values={summary.data.byHour.map((h) => h.withinTargetPct)}
            unit="%"
            max={100}
            target={80}
          />
          <GroupTable
            label={{ zh: '按时段', en: 'By hour' }}
            groups={summary.data.byHour}
            name={(k) => `${k}:00`}
          />
          <GroupTable
            label={{ zh: '按业务', en: 'By service' }}
            groups={summary.data.byService}
            name={(k) => k}
          />
          <GroupTable
            label={{ zh: '按窗口', en: 'By counter' }}
            groups={summary.data.byCounter}
            name={(k) => k}
          />
        </>
      )}
      {trend.data && <TrendCharts series={trend.data} />}
    </>
  );
}
