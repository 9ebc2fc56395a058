import { useState } from 'preact/hooks';
import type { StaffingAdvice, StaffingHour, Text } from '../../server/contract/api.ts';
import type { HallState } from '../common/hall-state.ts';
import { Bi } from '../common/text.tsx';
import { LineChart, type LineSeries, WEEKDAYS } from './charts.tsx';
import { addDays, hallToday } from './dates.ts';
import { RangeInputs, Th } from './parts.tsx';
import { useGet } from './use-api.ts';

const COLORS = ['#1565c0', '#2e7d32', '#ef6c00', '#6a1b9a', '#00838f', '#c62828', '#5d4037'];
const hourLabel = (h: number) => `${String(h).padStart(2, '0')}:00`;

/** The default range: the eight whole weeks before today, every weekday eight times. */
export function defaultStaffingRange(today: string): { from: string; to: string } {
  return { from: addDays(today, -56), to: addDays(today, -1) };
}

/** Short of the advice: fewer counters staffed than needed, or more needed than the hall has. */
export function staffingShort(h: StaffingHour, hallCounters: number): { staffed: boolean; hall: boolean } {
  return { staffed: h.countersStaffed < h.countersNeeded, hall: h.countersNeeded > hallCounters };
}

/** "排班建议 / Staffing": counters needed per weekday and opening hour (Erlang C on the range's history). */
export function StaffingTab({ hall }: { hall: HallState }) {
  const today = hallToday(hall.hall.timeZone);
  const [range, setRange] = useState(() => defaultStaffingRange(today));
  const { data, error, loading } = useGet<StaffingAdvice>(
    `/stats/staffing?from=${range.from}&to=${range.to}`,
  );
  return (
    <section class="staffing">
      <h2>
        <Bi text={{ zh: '排班建议', en: 'Staffing' }} />
      </h2>
      <p class="range">
        <RangeInputs range={range} onChange={setRange} />
      </p>
      {error && <p role="alert">{error}</p>}
      {loading && !data && <p>…</p>}
      {data && <StaffingAdviceView advice={data} />}
    </section>
  );
}

export function StaffingAdviceView({ advice }: { advice: StaffingAdvice }) {
  const weekdays = [0, 1, 2, 3, 4, 5, 6].filter((w) => (advice.daysPerWeekday[w] ?? 0) > 0);
  // Only the hours in which anyone came on any weekday.
  const hours = [...new Set(advice.hours.filter((h) => h.arrivalsPerHour > 0).map((h) => h.hour))].sort(
    (a, b) => a - b,
  );
  const cell = (w: number, hour: number) => advice.hours.find((h) => h.weekday === w && h.hour === hour);
  if (weekdays.length === 0 || hours.length === 0)
    return (
      <p>
        <Bi text={{ zh: '所选时段没有取号记录', en: 'No tickets in this range' }} />
      </p>
    );
  const series: LineSeries[] = weekdays.map((w) => ({
    name: WEEKDAYS[w]!,
    values: hours.map((h) => cell(w, h)?.countersNeeded ?? null),
    color: COLORS[w]!,
  }));
  const level: Text = {
    zh: `目标：${advice.level.sharePct}% 的客户在 ${advice.level.waitMinutes} 分钟内被叫号 · 大厅共 ${advice.hallCounters} 个窗口`,
    en: `Target: ${advice.level.sharePct}% called within ${advice.level.waitMinutes} min · ${advice.hallCounters} counters in the hall`,
  };
  return (
    <>
      <p class="level">
        <Bi text={level} />
      </p>
      <table class="staffing-table">
        <caption>
          <Bi
            text={{
              zh: '每小时所需窗口数（括号内为实际开放）',
              en: 'Counters needed per hour (staffed in brackets)',
            }}
          />
        </caption>
        <thead>
          <tr>
            <Th text={{ zh: '时段', en: 'Hour' }} />
            {weekdays.map((w) => (
              <Th key={w} text={WEEKDAYS[w]!} />
            ))}
          </tr>
        </thead>
        <tbody>
          {hours.map((hour) => (
            <tr key={hour}>
              <th scope="row">{hourLabel(hour)}</th>
              {weekdays.map((w) => {
                const h = cell(w, hour);
                if (!h) return <td key={w}>—</td>;
                const short = staffingShort(h, advice.hallCounters);
                return (
                  <td
                    key={w}
                    class={short.hall ? 'short over-capacity' : short.staffed ? 'short' : undefined}
                    title={`${h.arrivalsPerHour}/h × ${h.serviceMinutes} min → ${h.expectedWithinPct}%`}
                  >
                    <strong>{h.countersNeeded}</strong> ({h.countersStaffed})
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p class="legend-note">
        <Bi
          text={{
            zh: '红色：实际开放的窗口少于建议；深红：所需窗口超过大厅窗口总数',
            en: 'Red: fewer counters staffed than advised; dark red: more needed than the hall has',
          }}
        />
      </p>
      <LineChart
        title={{ zh: '每小时所需窗口数', en: 'Counters needed by hour' }}
        labels={hours.map(hourLabel)}
        series={series}
        target={advice.hallCounters}
      />
    </>
  );
}
