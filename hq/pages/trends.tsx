import { useState } from 'preact/hooks';
import { Bi } from '../../display/common/text.tsx';
import { LineChart } from '../../display/manager/charts.tsx';
import type { QuickPick } from '../../display/manager/dates.ts';
import { useGet } from '../../display/manager/use-api.ts';
import type { HqHall, HqRegion, HqSeries, HqUser } from '../contract.ts';
import { PERIODS, periodRange, query, todayOf } from './periods.ts';

/** Day by day, for everything the asker sees or one region: within target, wait p90, tickets, rating. */
export function TrendCharts({ series }: { series: HqSeries }) {
  const labels = series.points.map((p) => p.day.slice(5));
  const provisional = series.points.filter((p) => !p.final).map((p) => p.day.slice(5));
  return (
    <div class="charts">
      <LineChart
        title={{ zh: '达标率', en: 'Within target' }}
        labels={labels}
        unit="%"
        max={100}
        target={80}
        series={[
          {
            name: { zh: '达标率', en: 'Within target' },
            values: series.points.map((p) => p.withinTargetPct),
            color: '#2e7d32',
          },
        ]}
      />
      <LineChart
        title={{ zh: '等待时间（分钟）', en: 'Wait (minutes)' }}
        labels={labels}
        series={[
          {
            name: { zh: '90%', en: 'p90' },
            values: series.points.map((p) => p.waitMinutes.p90),
            color: '#c62828',
          },
          {
            name: { zh: '中位', en: 'p50' },
            values: series.points.map((p) => p.waitMinutes.p50),
            color: '#1565c0',
          },
        ]}
      />
      <LineChart
        title={{ zh: '取号量', en: 'Tickets' }}
        labels={labels}
        series={[
          {
            name: { zh: '取号', en: 'Tickets' },
            values: series.points.map((p) => p.tickets),
            color: '#6a1b9a',
          },
        ]}
      />
      <LineChart
        title={{ zh: '平均评分', en: 'Average rating' }}
        labels={labels}
        max={5}
        series={[
          {
            name: { zh: '评分', en: 'Rating' },
            values: series.points.map((p) => p.ratingAvg),
            color: '#ef6c00',
          },
        ]}
      />
      {provisional.length > 0 && (
        <p class="note">
          <Bi
            text={{
              zh: `尚未完整（营业中或有事件未到）：${provisional.join('、')}`,
              en: `Not final yet (open, or events still to come): ${provisional.join(', ')}`,
            }}
          />
        </p>
      )}
    </div>
  );
}

export function TrendsTab({ user }: { user: HqUser }) {
  const [pick, setPick] = useState<QuickPick>('last30');
  const [region, setRegion] = useState<string>(user.region ?? '');
  const halls = useGet<HqHall[]>('/halls');
  const regions = useGet<HqRegion[]>('/regions');
  const range = periodRange(pick, todayOf(halls.data ?? []));
  const series = useGet<HqSeries>(
    halls.data ? `/stats/series?${query(range, { region: region || undefined })}` : null,
  );
  return (
    <>
      <section class="controls">
        {PERIODS.filter(([p]) => p !== 'today').map(([p, name]) => (
          <button type="button" key={p} class={p === pick ? 'active' : undefined} onClick={() => setPick(p)}>
            <Bi text={name} />
          </button>
        ))}
        {user.role === 'hq' && (
          <label>
            <Bi text={{ zh: '区域', en: 'Region' }} />
            <select value={region} onChange={(e) => setRegion((e.currentTarget as HTMLSelectElement).value)}>
              <option value="">全部 All</option>
              {(regions.data ?? []).map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </section>
      {series.error && <p role="alert">{series.error}</p>}
      {series.data && <TrendCharts series={series.data} />}
    </>
  );
}
