// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import type { ComponentChildren } from 'preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MinuteFigures, StatsSummary, SummaryGroup } from '../../server/contract/api.ts';
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
import { DevicesTab } from './devices-tab.tsx';
import { HistoryTab } from './history.tsx';
import { Breaches, predictedBreaches } from './live.tsx';
import { NoticesTab } from './notices-tab.tsx';
import { ApiContext, type ManagerApi } from './use-api.ts';

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

/** A fake server: answers by path prefix and records every call. */
function fakeApi(answers: Record<string, unknown>) {
  const calls: { method: string; path: string; body?: unknown }[] = [];
  const answer = (path: string) => {
    const key = Object.keys(answers).find((k) => path.startsWith(k));
    return key === undefined
      ? Promise.reject(new Error(`no answer for ${path}`))
      : Promise.resolve(answers[key]);
  };
  const client: ManagerApi = {
    get: <T,>(path: string) => {
      calls.push({ method: 'GET', path });
      return answer(path) as Promise<T>;
    },
    put: <T,>(path: string, body: unknown) => {
      calls.push({ method: 'PUT', path, body });
      return Promise.resolve(body) as Promise<T>;
    },
    post: <T,>(path: string, body: unknown) => {
      calls.push({ method: 'POST', path, body });
      return answer(path) as Promise<T>;
    },
  };
  const wrap = (children: ComponentChildren) => (
    <ApiContext.Provider value={client}>{children}</ApiContext.Provider>
  );
  return { client, calls, wrap };
}

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
    expect(container.querySelector('.kpis')!.textContent).toContain('8.5 / 7 / 19');
    expect(screen.getAllByText('业务办理').length).toBeGreaterThan(0);
    expect(container.querySelectorAll('figure.chart svg')).toHaveLength(2);
    expect(container.querySelectorAll('rect.bar')).toHaveLength(2); // 09 and 10
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
