/**
 * "打印日报 / Print daily report": one day of the hall on one printed page — the hall, the date, the
 * headline figures, what missed the target, the services and the staff, and the ratings. The same
 * queries and tables as the history tab (report-parts.tsx), fewer columns.
 */
import type { StatsSummary } from '../../server/contract/api.ts';
import type { StatsBreakdown } from '../../server/contract/manager.ts';
import type { HallState } from '../common/hall-state.ts';
import { Bi } from '../common/text.tsx';
import { WEEKDAYS } from './charts.tsx';
import { hallToday, weekdayOf } from './dates.ts';
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

export function DailyReport({
  hall,
  day,
  onDay,
  onClose,
}: {
  hall: HallState;
  day: string;
  onDay: (day: string) => void;
  onClose: () => void;
}) {
  const today = hallToday(hall.hall.timeZone);
  const q = `from=${day}&to=${day}`;
  const summary = useGet<StatsSummary>(`/stats/summary?${q}`);
  const breakdown = useGet<StatsBreakdown>(`/stats/breakdown?${q}`);
  const goal = useServiceGoal(day);
  const error = summary.error ?? breakdown.error;
  const s = summary.data?.from === day ? summary.data : null;
  const b = breakdown.data?.from === day ? breakdown.data : null;

  const service = (key: string) => hall.services.find((sv) => sv.id === key);
  const serviceText = (key: string) => service(key)?.name ?? { zh: key, en: key };
  const waitTarget = (key: string) => service(key)?.waitTargetMinutes;
  const staffNames = new Map(b?.byStaff.map((g) => [g.key, g.name]));
  const fastest = b ? fastestStaff(b.byStaff) : null;
  const best = b ? bestRated(b.ratings.byStaff) : null;
  const weekday = WEEKDAYS[weekdayOf(day)]!;

  return (
    <section class="daily-report">
      <div class="controls">
        <label>
          <Bi text={{ zh: '日期', en: 'Day' }} />
          <input
            type="date"
            name="report-day"
            value={day}
            max={today}
            onChange={(e) => e.currentTarget.value && onDay(e.currentTarget.value)}
          />
        </label>
        <button type="button" class="primary" onClick={() => window.print()} disabled={!s || !b}>
          <Bi text={{ zh: '打印', en: 'Print' }} />
        </button>
        <button type="button" onClick={onClose}>
          <Bi text={{ zh: '返回历史统计', en: 'Back to history' }} />
        </button>
      </div>
      <article class="report-page">
        <header class="report-head">
          <h2>
            <Bi text={hall.hall.name} />
          </h2>
          <p>
            <Bi
              text={{
                zh: `营业日报 ${day} ${weekday.zh}`,
                en: `Daily report ${day} ${weekday.en}`,
              }}
            />
            {day === today && (
              <span class="period-note open">
                <Bi text={{ zh: '（营业中，截至目前）', en: 'open, figures so far' }} />
              </span>
            )}
          </p>
        </header>
        {error && <p role="alert">{error}</p>}
        {(!s || !b) && !error && <p>…</p>}
        {s && b && (
          <>
            <SummaryKpis summary={s} goal={goal} />
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
            <h3>
              <Bi text={{ zh: '按业务', en: 'By service' }} />
            </h3>
            <GroupTable
              label={{ zh: '业务', en: 'Service' }}
              groups={s.byService}
              name={serviceText}
              goal={goal}
              waitTarget={waitTarget}
              initialSort={{ col: 'within', dir: 'asc' }}
              compact
            />
            <h3>
              <Bi text={{ zh: '按员工', en: 'By staff member' }} />
            </h3>
            <GroupTable
              label={{ zh: '员工', en: 'Staff' }}
              groups={b.byStaff}
              name={(k) => staffNames.get(k) ?? k}
              goal={goal}
              badges={staffBadges(fastest, best)}
              initialSort={{ col: 'served', dir: 'desc' }}
              compact
            />
            <h3>
              <Bi text={{ zh: '服务评价（1–5 分）', en: 'Ratings (1–5)' }} />
            </h3>
            <RatingTable
              label={{ zh: '评价', en: 'Rated' }}
              groups={[b.ratings.all, ...b.ratings.byStaff]}
              name={(k) => (k === 'all' ? { zh: '全厅', en: 'Whole hall' } : (staffNames.get(k) ?? k))}
              badges={staffBadges(null, best)}
              dimensions="rated"
            />
          </>
        )}
      </article>
    </section>
  );
}
