// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MinuteFigures, StaffingAdvice, StatsSummary, SummaryGroup } from '../../server/contract/api.ts';
import type {
  DevicesAnswer,
  Notice,
  RatingFigures,
  StatsBreakdown,
  StatsSeries,
} from '../../server/contract/manager.ts';
import { applySnapshot } from '../common/hall-state.ts';
import { counter, service, snapshot } from '../common/test-data.ts';
import { LineChart, niceMax } from './charts.tsx';
import { addDays } from './dates.ts';
import { DevicesTab } from './devices-tab.tsx';
import { fakeApi } from './fake-api.tsx';
import { HistoryTab, periodCoverage } from './history.tsx';
import { Breaches, predictedBreaches } from './live.tsx';
import { NoticesTab } from './notices-tab.tsx';
import { bestRated, fastestStaff, GroupTable, sortRows } from './report-parts.tsx';

afterEach(cleanup);

const late = {
  ...service('general', 'A', '业务办理', 'General business', 6),
  longestWaitMinutes: 22,
  etaMinutes: 12,
};
const slowEta = {
  ...service('payments', 'B', '缴费充值', 'Payments & top-up', 3),
  longestWaitMinutes: 4,
  etaMinutes: 19,
};
const fine = service('vip', 'V', '贵宾服务', 'VIP', 1);
const counters = [
  counter('1', ['general', 'payments'], { status: 'serving' }),
  counter('2', ['general'], { status: 'closed' }),
  counter('3', ['payments'], { status: 'open' }),
];
const hall = applySnapshot(null, snapshot({ services: [fine, slowEta, late], counters }));

const none: MinuteFigures = { avg: null, p50: null, p90: null };
const group = (
  key: string,
  tickets: number,
  wait: MinuteFigures = { avg: 8.5, p50: 7, p90: 19 },
): SummaryGroup => ({
  key,
  tickets,
  served: tickets - 1,
  noShows: 1,
  cancelled: 0,
  waitMinutes: wait,
  serviceMinutes: { avg: 6, p50: 5, p90: 11 },
  withinTargetPct: 87.5,
});
const rating = (key: string, count: number, avg: number | null): RatingFigures => ({
  key,
  count,
  avg,
  dimensions: {
    reliability: { count, avg },
    responsiveness: { count: 0, avg: null },
    assurance: { count: 0, avg: null },
    empathy: { count, avg: avg === null ? null : avg - 0.5 },
    tangibles: { count: 0, avg: null },
  },
});

const summary: StatsSummary = {
  from: '2026-11-25',
  to: '2026-11-25',
  ...group('all', 40),
  unservedAtClosing: 2,
  byService: [group('general', 30), group('payments', 10)],
  byCounter: [group('1', 25), group('2', 15)],
  byHour: [group('09', 12), group('10', 28)],
};
const series: StatsSeries = {
  from: '2026-11-25',
  to: '2026-11-25',
  by: 'day',
  points: [
    { period: '2026-11-24', ...group('', 0, none), unservedAtClosing: 0 },
    { period: '2026-11-25', ...group('', 40), unservedAtClosing: 2 },
  ].map(({ key: _key, ...p }) => p),
};
const arrivals = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
arrivals[2]![10] = 28;
arrivals[2]![9] = 12;
const breakdown: StatsBreakdown = {
  from: '2026-11-25',
  to: '2026-11-25',
  byStaff: [{ ...group('staff1', 22), name: '营业员1' }],
  byWeekday: Array.from({ length: 7 }, (_, i) => group(String(i), i === 2 ? 40 : 0)),
  arrivals,
  ratings: {
    all: rating('all', 9, 4.44),
    byStaff: [{ ...rating('staff1', 5, 4.6), name: '营业员1' }],
    byCounter: [rating('1', 5, 4.6)],
    byService: [rating('general', 9, 4.44)],
  },
};

describe('predicted breaches', () => {
  it('lists services whose longest wait or estimate is over target, worst first, with closed counters to open', () => {
    const breaches = predictedBreaches(hall.services, hall.counters);
    expect(breaches.map((b) => [b.service.id, b.longest, b.eta])).toEqual([
      ['general', true, false],
      ['payments', false, true],
    ]);
    expect(breaches[0]!.closedCounters.map((c) => c.id)).toEqual(['2']);
    expect(breaches[1]!.closedCounters).toEqual([]);
  });

  it('prompt the manager to open a counter, or to add staff when every counter is open', () => {
    render(<Breaches hall={hall} />);
    expect(screen.getByText('建议开放窗口：2号窗口')).toBeTruthy();
    expect(screen.getByText('Open a counter: 2号窗口')).toBeTruthy();
    expect(screen.getByText(/能办理此业务的窗口都已开放/)).toBeTruthy();
    expect(screen.queryByText('贵宾服务')).toBeNull();
  });
});

describe('charts', () => {
  it('round the axis up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect([0, 0.7, 3, 12, 24, 26, 180].map(niceMax)).toEqual([1, 1, 5, 20, 25, 50, 200]);
  });

  it('break a line where a period has no value and draw the target level', () => {
    const { container } = render(
      <LineChart
        title={{ zh: '等待', en: 'Wait' }}
        labels={['a', 'b', 'c', 'd']}
        series={[{ name: { zh: '中位数', en: 'p50' }, values: [4, null, 8, 10], color: '#000' }]}
        target={15}
      />,
    );
    const d = container.querySelector('path')!.getAttribute('d')!;
    expect(d.match(/M/g)).toHaveLength(2); // two segments: a, then c–d
    expect(container.querySelectorAll('circle')).toHaveLength(3);
    expect(container.querySelector('line.target')).not.toBeNull();
  });
});

describe('history', () => {
  it('shows the figures, tables, charts, heatmap and ratings of the range, with its CSV link', async () => {
    const { wrap, calls } = fakeApi({
      '/stats/summary': summary,
      '/stats/series': series,
      '/stats/breakdown': breakdown,
    });
    const { container } = render(wrap(<HistoryTab hall={hall} />));
    await waitFor(() => expect(container.querySelectorAll('table.ratings')).toHaveLength(4));
    // Wait avg / p50 / p90 as three figures of one card, each with its own label.
    const wait = [...container.querySelectorAll('.kpi.minutes')].find((k) =>
      k.textContent!.includes('Wait'),
    )!;
    expect([...wait.querySelectorAll('strong')].map((x) => x.textContent)).toEqual(['8.5', '7', '19']);
    expect(wait.textContent).toContain('中位 p50');
    expect(screen.getAllByText('业务办理').length).toBeGreaterThan(0);
    // Wait and within target per period, arrivals and within target per hour.
    expect(container.querySelectorAll('figure.chart svg')).toHaveLength(4);
    expect(container.querySelectorAll('rect.bar')).toHaveLength(4); // 09 and 10, twice
    // No goal in the data: no dashed line, and no mark.
    expect(container.querySelector('line.target')).toBeNull();
    expect(container.querySelector('td.bad')).toBeNull();
    expect(container.querySelector('table.heatmap')!.textContent).toContain('28');
    expect(container.querySelector('table.ratings tbody')!.textContent).toContain('4.44 (9)');
    expect(screen.getAllByText('可靠性').length).toBe(4);
    const today = calls.find((c) => c.path.startsWith('/stats/summary'))!.path;
    const day = today.match(/from=(\d{4}-\d{2}-\d{2})/)![1]!;
    const link = container.querySelector('a[download]')!;
    expect(link.getAttribute('href')).toBe(`/api/v1/stats/tickets.csv?from=${day}&to=${day}`);
  });

  it('asks for the quick-pick range and period the manager chooses', async () => {
    const { wrap, calls } = fakeApi({
      '/stats/summary': summary,
      '/stats/series': series,
      '/stats/breakdown': breakdown,
    });
    const { container } = render(wrap(<HistoryTab hall={hall} />));
    fireEvent.click(screen.getByText('本月'));
    await waitFor(() => expect(calls.some((c) => /from=\d{4}-\d{2}-01&/.test(c.path))).toBe(true));
    fireEvent.change(container.querySelector('select[name="by"]')!, { target: { value: 'week' } });
    await waitFor(() => expect(calls.some((c) => c.path.includes('by=week'))).toBe(true));
  });
});

/** The service-level goal, as the staffing advice states it. */
const advice: StaffingAdvice = {
  from: '2026-11-25',
  to: '2026-11-25',
  daysPerWeekday: [0, 0, 1, 0, 0, 0, 0],
  level: { waitMinutes: 15, sharePct: 80 },
  hallCounters: 3,
  hours: [],
};
const within = (g: SummaryGroup, pct: number | null, waitAvg?: number): SummaryGroup => ({
  ...g,
  withinTargetPct: pct,
  waitMinutes: waitAvg === undefined ? g.waitMinutes : { ...g.waitMinutes, avg: waitAvg },
});
const staffGroup = (key: string, name: string, served: number, serviceAvg: number) => ({
  ...group(key, served + 1),
  served,
  serviceMinutes: { avg: serviceAvg, p50: serviceAvg, p90: serviceAvg * 2 },
  name,
});
/** A day that misses the target: general (60%, waits 18 min over its 15), the 10:00 hour (55%). */
const missing: StatsSummary = {
  ...summary,
  withinTargetPct: 70,
  byService: [within(group('payments', 10), 95, 4), within(group('general', 30), 60, 18)],
  byHour: [within(group('09', 12), 95), within(group('10', 28), 55)],
};
/** Ann served 30 at 4 min, Bo 40 at 3, Cy 5 at 1 (too few to count); Ann rated 4.9 by 3 (too few), Cy 4.7 by 8. */
const staffed: StatsBreakdown = {
  ...breakdown,
  byStaff: [staffGroup('s1', 'Ann', 30, 4), staffGroup('s2', 'Bo', 40, 3), staffGroup('s3', 'Cy', 5, 1)],
  ratings: {
    ...breakdown.ratings,
    byStaff: [
      { ...rating('s1', 3, 4.9), name: 'Ann' },
      { ...rating('s2', 20, 4.5), name: 'Bo' },
      { ...rating('s3', 8, 4.7), name: 'Cy' },
    ],
  },
};
const dayOf = (path: string) => path.match(/from=(\d{4}-\d{2}-\d{2})/)![1]!;
const missingApi = () =>
  fakeApi({
    '/stats/summary': (path: string) => ({ ...missing, from: dayOf(path), to: dayOf(path) }),
    '/stats/series': series,
    '/stats/breakdown': (path: string) => ({ ...staffed, from: dayOf(path), to: dayOf(path) }),
    '/stats/staffing': advice,
  });
const firstCells = (table: Element) =>
  [...table.querySelectorAll('tbody tr')].map((tr) => tr.querySelector('td')!.textContent);
const tableAfter = (container: Element, heading: string) =>
  [...container.querySelectorAll('h3')].find((h) => h.textContent!.includes(heading))!.nextElementSibling!;

describe('history: targets, best staff, sorting', () => {
  it('marks what misses the goal in red with words, and draws the goal on the within-target charts', async () => {
    const { wrap } = missingApi();
    const { container } = render(wrap(<HistoryTab hall={hall} />));
    await waitFor(() => expect(container.querySelector('td.bad')).not.toBeNull());
    const services = tableAfter(container, 'By service');
    // Services sort worst first by default: general (60%) before payments (95%).
    expect(firstCells(services)).toEqual(['业务办理 General business', '缴费充值 Payments & top-up']);
    const general = services.querySelector('tbody tr')!;
    expect(general.classList.contains('miss')).toBe(true);
    expect(general.textContent).toContain('60%未达标 below goal');
    expect(general.textContent).toContain('18超时 over target');
    expect(services.querySelectorAll('tbody tr')[1]!.querySelector('.flag')).toBeNull();
    // Groups have no count of their own of unserved at closing: what is neither served, no-show nor cancelled.
    expect(services.querySelector('thead')!.textContent).toContain('未办结 Unserved');
    const hours = tableAfter(container, 'By hour');
    expect([...hours.querySelectorAll('tr.miss')].map((tr) => tr.querySelector('td')!.textContent)).toEqual([
      '10:00',
    ]);
    // The headline share is marked too, with the goal beside it.
    const kpi = container.querySelector('.kpi.within')!;
    expect(kpi.classList.contains('bad')).toBe(true);
    expect(kpi.textContent).toContain('目标 ≥ 80%');
    // At a glance: which service and which hour.
    const findings = container.querySelector('.findings')!.textContent!;
    expect(findings).toMatch(/未达标业务 < 80%.*业务办理 General business 60%/);
    expect(findings).toContain('10:00 55%');
    expect(findings).not.toContain('09:00');
    // The goal is a dashed line on both within-target charts; the 10:00 bar is under it, marked ▼.
    expect(container.querySelectorAll('line.target')).toHaveLength(2);
    expect(container.querySelectorAll('rect.bar.below')).toHaveLength(1);
    expect(container.querySelector('text.below-mark')!.textContent).toBe('▼');
  });

  it('badges the fastest and the best-rated staff member, counting only those with enough tickets or ratings', async () => {
    expect(fastestStaff(staffed.byStaff)!.name).toBe('Bo');
    expect(bestRated(staffed.ratings.byStaff)!.name).toBe('Cy');
    expect(fastestStaff(staffed.byStaff.filter((g) => g.key === 's3'))).toBeNull();
    const { wrap } = missingApi();
    const { container } = render(wrap(<HistoryTab hall={hall} />));
    await waitFor(() => expect(container.querySelector('.badge')).not.toBeNull());
    const staff = tableAfter(container, 'By staff member');
    // By served, most first.
    expect(firstCells(staff)).toEqual(['Bo最快 Fastest', 'Ann', 'Cy评分最高 Best rated']);
    expect(container.querySelector('.findings')!.textContent).toContain('Bo · 3 分钟 min');
    expect(container.querySelector('.findings')!.textContent).toContain('Cy · 4.7 (8)');
  });

  it('sorts a table by the header the manager clicks, toggling the order, with aria-sort and blanks last', () => {
    const groups = [
      { ...group('a', 5), withinTargetPct: 50 },
      { ...group('b', 9), withinTargetPct: null },
      { ...group('c', 7), withinTargetPct: 90 },
    ];
    const { container } = render(
      <GroupTable label={{ zh: '业务', en: 'Service' }} groups={groups} name={(k) => k} />,
    );
    const header = (text: string) => screen.getByText(text).closest('th')!;
    expect(header('业务').getAttribute('aria-sort')).toBe('ascending');
    expect(firstCells(container.querySelector('table')!)).toEqual(['a', 'b', 'c']);
    const button = header('取号').querySelector('button')!;
    expect(button.getAttribute('type')).toBe('button'); // reachable and pressed by keyboard
    fireEvent.click(button);
    expect(header('取号').getAttribute('aria-sort')).toBe('descending');
    expect(header('业务').getAttribute('aria-sort')).toBe('none');
    expect(firstCells(container.querySelector('table')!)).toEqual(['b', 'c', 'a']);
    fireEvent.click(header('取号').querySelector('button')!);
    expect(header('取号').getAttribute('aria-sort')).toBe('ascending');
    expect(firstCells(container.querySelector('table')!)).toEqual(['a', 'c', 'b']);
    fireEvent.click(header('达标率').querySelector('button')!);
    expect(firstCells(container.querySelector('table')!)).toEqual(['c', 'a', 'b']); // no figure: last
    expect(sortRows([null, 2, 1], (v) => v, 'asc')).toEqual([1, 2, null]);
  });
});

describe('history: partial periods and unserved at closing', () => {
  it('tells a period the range cuts, or that is still going on, from a whole one', () => {
    const range = { from: '2026-10-29', to: '2026-11-25' };
    const today = '2026-11-25';
    expect(periodCoverage('2026-10-26', 'week', range, today)).toEqual({ kind: 'partial', days: 4, of: 7 });
    expect(periodCoverage('2026-11-02', 'week', range, today)).toEqual({ kind: 'whole', days: 7, of: 7 });
    expect(periodCoverage('2026-11-23', 'week', range, today)).toEqual({ kind: 'open', days: 3, of: 7 });
    expect(periodCoverage('2026-10', 'month', range, today)).toEqual({ kind: 'partial', days: 3, of: 31 });
    expect(periodCoverage('2026-11', 'month', range, today).kind).toBe('open');
    expect(periodCoverage('2026-11-24', 'day', range, today).kind).toBe('whole');
    expect(periodCoverage('2026-02', 'month', { from: '2026-02-01', to: '2026-02-28' }, today)).toEqual({
      kind: 'whole',
      days: 28,
      of: 28,
    });
  });

  it('marks the partial first and last week of the per-period table and shows unserved at closing', async () => {
    const point = (period: string, unserved: number) => ({
      ...group(period, 40),
      served: 30,
      noShows: 4,
      cancelled: 6 - unserved,
      unservedAtClosing: unserved,
      period,
    });
    const weeks: StatsSeries = {
      from: '2026-10-29',
      to: '2026-11-18',
      by: 'week',
      points: ['2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16'].map((p, i) => {
        const { key: _key, ...rest } = point(p, i);
        return rest;
      }),
    };
    const { wrap } = fakeApi({
      '/stats/summary': summary,
      '/stats/series': weeks,
      '/stats/breakdown': breakdown,
    });
    const { container } = render(wrap(<HistoryTab hall={hall} />));
    await waitFor(() => expect(container.querySelector('.period-note')).not.toBeNull());
    const periods = tableAfter(container, 'Per period');
    expect(firstCells(periods)).toEqual([
      '2026-10-26（部分 4/7 天） partial, 4 of 7 days',
      '2026-11-02',
      '2026-11-09',
      '2026-11-16（部分 3/7 天） partial, 3 of 7 days',
    ]);
    // Served + no-shows + cancelled + unserved at closing = tickets, on every row.
    const unserved = [...periods.querySelectorAll('thead th')].findIndex((th) =>
      th.textContent!.includes('Unserved at closing'),
    );
    expect(unserved).toBeGreaterThan(0);
    expect([...periods.querySelectorAll('tbody tr')].map((tr) => tr.children[unserved]!.textContent)).toEqual(
      ['0', '1', '2', '3'],
    );
  });
});

describe('daily report', () => {
  it('opens from the history tab for a day, with the hall, the date, figures, services, staff and ratings', async () => {
    const { wrap, calls } = missingApi();
    const { container } = render(wrap(<HistoryTab hall={hall} />));
    fireEvent.click(screen.getByText('打印日报'));
    const report = await waitFor(() => {
      const r = container.querySelector('.daily-report .report-page')!;
      expect(r.querySelectorAll('table.groups')).toHaveLength(2);
      return r;
    });
    const day = dayOf(calls.filter((c) => c.path.startsWith('/stats/summary')).at(-1)!.path);
    expect(calls.at(-1)!.path).toMatch(/to=\d{4}-\d{2}-\d{2}$/);
    expect(report.querySelector('h2')!.textContent).toBe('示范营业厅 Demo Hall');
    expect(report.textContent).toContain(`营业日报 ${day}`);
    expect(report.querySelector('.kpi.within')!.classList.contains('bad')).toBe(true);
    expect(report.querySelector('.findings')!.textContent).toContain('10:00 55%');
    // The shared tables, without the p50 / p90 columns; staff with their badges; ratings of the hall and staff.
    expect(report.textContent).not.toContain('Wait p50');
    expect(report.textContent).toContain('最快 Fastest');
    expect(report.querySelectorAll('table.ratings')).toHaveLength(1);
    expect(firstCells(report.querySelector('table.ratings')!)[0]).toBe('全厅 Whole hall');
    expect(report.querySelector('table.ratings')!.textContent).toContain('评分最高 Best rated');
    // Only the SERVQUAL dimensions anyone rated get a column.
    expect(report.querySelector('table.ratings thead')!.textContent).toContain('可靠性');
    expect(report.querySelector('table.ratings thead')!.textContent).not.toContain('有形性');
    // Another day: asked for that day only; then back to the history.
    const other = addDays(day, -1);
    fireEvent.change(container.querySelector('input[name="report-day"]')!, { target: { value: other } });
    await waitFor(() => expect(report.textContent).toContain(`营业日报 ${other}`));
    expect(calls.some((c) => c.path === `/stats/summary?from=${other}&to=${other}`)).toBe(true);
    expect(calls.some((c) => c.path === `/stats/breakdown?from=${other}&to=${other}`)).toBe(true);
    const print = vi.fn();
    window.print = print;
    await waitFor(() => expect(screen.getByText('打印').closest('button')!.disabled).toBe(false));
    fireEvent.click(screen.getByText('打印'));
    expect(print).toHaveBeenCalled();
    fireEvent.click(screen.getByText('返回历史统计'));
    expect(container.querySelector('.daily-report')).toBeNull();
    expect(container.querySelector('select[name="by"]')).not.toBeNull();
  });
});

describe('notices', () => {
  it('loads the list, adds a notice and saves the whole list', async () => {
    const existing: Notice[] = [{ id: 'n1', text: { zh: '午间照常营业', en: 'Open at lunchtime' } }];
    const { wrap, calls } = fakeApi({ '/notices': existing });
    const { container } = render(wrap(<NoticesTab />));
    await screen.findByDisplayValue('午间照常营业');
    fireEvent.click(screen.getByText('添加公告'));
    fireEvent.input(container.querySelector('textarea[name="zh-1"]')!, { target: { value: '宽带优惠' } });
    fireEvent.input(container.querySelector('textarea[name="en-1"]')!, {
      target: { value: 'Broadband offer' },
    });
    fireEvent.click(screen.getAllByLabelText('move up')[1]!);
    fireEvent.submit(container.querySelector('form')!);
    await screen.findByText(/已保存/);
    expect(calls.at(-1)).toEqual({
      method: 'PUT',
      path: '/notices',
      body: [{ text: { zh: '宽带优惠', en: 'Broadband offer' } }, existing[0]],
    });
  });

  it('shows why the server refused a list', async () => {
    const { wrap, client } = fakeApi({ '/notices': [] });
    client.put = vi.fn(() => Promise.reject(new Error('invalid body: 0.text.zh: Too small')));
    const { container } = render(wrap(<NoticesTab />));
    fireEvent.click(await screen.findByText('添加公告'));
    fireEvent.submit(container.querySelector('form')!);
    expect((await screen.findByRole('alert')).textContent).toContain('Too small');
  });
});

describe('devices', () => {
  it('lists device health and, in the demo, the last printed tickets as text', async () => {
    const answer: DevicesAnswer = {
      devices: [
        { id: 'printer', kind: 'printer', status: 'paper-out', detail: 'out of paper' },
        { id: 'keypad-1', kind: 'keypad', status: 'ok', detail: 'connected' },
      ],
      recentPrints: [
        { at: '2026-11-25T02:05:00Z', label: 'ticket A001', text: '示范营业厅\nA001\n前面还有 0 人' },
      ],
    };
    const { wrap } = fakeApi({ '/devices': answer });
    const { container } = render(wrap(<DevicesTab hall={hall} deviceVersion={0} />));
    await screen.findByText('缺纸');
    // Kinds and states in words, in both languages.
    expect(container.querySelector('tr.late')!.textContent).toContain('取号打印机 Ticket printer');
    expect(container.querySelector('tr.late')!.textContent).toContain('Paper out');
    expect(container.querySelector('pre')!.textContent).toContain('A001');
    expect(container.querySelector('.print figcaption')!.textContent).toContain('10:05');
  });
});
