// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  PredictedBreach,
  RoutingWhyAnswer,
  StaffingAdvice,
  StaffingHour,
} from '../../server/contract/api.ts';
import { applySnapshot } from '../common/hall-state.ts';
import { counter, service, snapshot } from '../common/test-data.ts';
import { fakeApi } from './fake-api.tsx';
import { Breaches, predictedBreaches } from './live.tsx';
import { RoutingWhy } from './routing-why.tsx';
import { StaffingAdviceView, StaffingTab, staffingShort } from './staffing-tab.tsx';

afterEach(cleanup);

const general = service('general', 'A', '业务办理', 'General business', 4); // ETA 12 within 15
const payments = service('payments', 'B', '缴费充值', 'Payments & top-up', 2);
const hall = applySnapshot(
  null,
  snapshot({ services: [general, payments], counters: [counter('1', ['general'], { status: 'serving' })] }),
);

describe('predicted breaches from the forecast', () => {
  const forecast: PredictedBreach[] = [
    { serviceId: 'general', waiting: 4, likely: 1, atRisk: 2, forecast: true },
    { serviceId: 'payments', waiting: 2, likely: 0, atRisk: 0, forecast: true },
  ];

  it('lists a service whose waiting tickets are forecast to miss the target, though its averages look fine', () => {
    expect(predictedBreaches(hall.services, hall.counters).map((b) => b.service.id)).toEqual([]);
    const breaches = predictedBreaches(hall.services, hall.counters, forecast);
    expect(breaches.map((b) => [b.service.id, b.predicted])).toEqual([['general', { likely: 1, atRisk: 2 }]]);
  });

  it('says how many are predicted to miss the target, and how many more are at risk', () => {
    render(<Breaches hall={hall} forecast={forecast} />);
    expect(screen.getByText('预计超时 1 人（另有 1 人有风险）')).toBeTruthy();
    expect(screen.getByText('1 predicted to miss the target (1 more at risk)')).toBeTruthy();
    expect(screen.queryByText('缴费充值')).toBeNull();
  });
});

const hour = (weekday: number, h: number, patch: Partial<StaffingHour> = {}): StaffingHour => ({
  weekday,
  hour: h,
  arrivalsPerHour: 0,
  serviceMinutes: 5,
  countersNeeded: 0,
  expectedWithinPct: 100,
  countersStaffed: 0,
  ...patch,
});

const advice: StaffingAdvice = {
  from: '2026-09-30',
  to: '2026-11-24',
  daysPerWeekday: [8, 0, 8, 0, 0, 0, 0],
  level: { waitMinutes: 15, sharePct: 80 },
  hallCounters: 3,
  hours: [
    hour(0, 9, { arrivalsPerHour: 20, countersNeeded: 2, countersStaffed: 2, expectedWithinPct: 91 }),
    hour(0, 10, { arrivalsPerHour: 60, countersNeeded: 6, countersStaffed: 3, expectedWithinPct: 84 }),
    hour(2, 9, { arrivalsPerHour: 12, countersNeeded: 2, countersStaffed: 1.5, expectedWithinPct: 88 }),
    hour(2, 10, { arrivalsPerHour: 24, countersNeeded: 3, countersStaffed: 3, expectedWithinPct: 85 }),
    hour(0, 11),
    hour(2, 11),
  ],
};

describe('staffing advice', () => {
  it('marks hours staffed below the advice, and hours needing more counters than the hall has', () => {
    expect(staffingShort(advice.hours[0]!, 3)).toEqual({ staffed: false, hall: false });
    expect(staffingShort(advice.hours[1]!, 3)).toEqual({ staffed: true, hall: true });
    expect(staffingShort(advice.hours[2]!, 3)).toEqual({ staffed: true, hall: false });
  });

  it('shows a weekday × hour table of counters needed (staffed) and a chart, for weekdays and hours with tickets', () => {
    const { container } = render(<StaffingAdviceView advice={advice} />);
    const table = screen.getByRole('table');
    const headers = [...table.querySelectorAll('thead th')].map((th) => th.textContent);
    expect(headers).toEqual(['时段 Hour', '周一 Mon', '周三 Wed']);
    const rows = [...table.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.children].map((c) => c.textContent),
    );
    expect(rows).toEqual([
      ['09:00', '2 (2)', '2 (1.5)'],
      ['10:00', '6 (3)', '3 (3)'],
    ]);
    expect(table.querySelectorAll('td.short')).toHaveLength(2);
    expect(table.querySelectorAll('td.over-capacity')).toHaveLength(1);
    expect(container.querySelector('svg[role="img"]')?.getAttribute('aria-label')).toContain(
      'Counters needed',
    );
    expect(screen.getByText(/80% called within 15 min · 3 counters/)).toBeTruthy();
  });

  it('asks for the eight weeks before today by default, and again when the range changes', async () => {
    const api = fakeApi({ '/stats/staffing': advice });
    const { container } = render(api.wrap(<StaffingTab hall={hall} />));
    await screen.findByRole('table');
    expect(api.paths()[0]).toMatch(/^\/stats\/staffing\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/);
    const from = container.querySelector('input[name="from"]') as HTMLInputElement;
    fireEvent.change(from, { target: { value: '2026-01-05' } });
    await waitFor(() => expect(api.paths().at(-1)).toMatch(/^\/stats\/staffing\?from=2026-01-05&to=/));
  });
});

describe('why was a ticket called', () => {
  const answer: RoutingWhyAnswer = {
    day: '2026-11-25',
    ticket: {
      number: 'A003',
      serviceId: 'general',
      tier: 'elderly',
      status: 'done',
      issuedAt: '2026-11-25T02:02:00.000Z',
      calledAt: '2026-11-25T02:04:00.000Z',
      passedOverCount: 0,
      calls: [
        {
          at: '2026-11-25T02:04:00.000Z',
          counterId: '1',
          counterName: '1号窗口',
          rule: 'tier',
          zh: '长辈优先',
          en: 'elderly first',
          passedOver: ['A001', 'A002'],
        },
      ],
    },
    before: {
      number: 'A001',
      serviceId: 'general',
      tier: 'regular',
      status: 'done',
      issuedAt: '2026-11-25T02:00:00.000Z',
      calledAt: '2026-11-25T02:09:00.000Z',
      passedOverCount: 1,
      calls: [],
      calledEarlier: false,
      passedOverByThisCall: true,
    },
    verdict: {
      first: 'A003',
      rule: 'tier',
      zh: 'A003 于 10:04 在1号窗口先叫，越过了 A001（当时已等 4 分钟）：规则是优先客户（贵宾、长辈、预约）优先（长辈优先）。',
      en: 'A003 was called at 10:04 by 1号窗口 ahead of A001, who had waited 4 min by then: the rule was priority customers first (VIP, elderly, appointment) (“elderly first”).',
    },
    routing: { maxPassOvers: 12, maxWaitFactor: 2 },
  };

  it('asks with the day, the number and the one before, and shows the recorded rule and whom it passed over', async () => {
    const api = fakeApi({ '/routing/why': answer });
    const { container } = render(api.wrap(<RoutingWhy hall={hall} />));
    (container.querySelector('input[name="day"]') as HTMLInputElement).value = '2026-11-25';
    (container.querySelector('input[name="number"]') as HTMLInputElement).value = 'a003';
    (container.querySelector('input[name="before"]') as HTMLInputElement).value = 'A001';
    fireEvent.submit(container.querySelector('form')!);
    expect(await screen.findByText('长辈优先')).toBeTruthy();
    // What decided the order, in words; the rule by its name in both languages, never its code.
    expect(container.querySelector('.verdict')?.textContent).toContain(
      'A003 was called at 10:04 by 1号窗口 ahead of A001',
    );
    expect(container.querySelector('.verdict .verdict-rule')?.textContent).toBe(
      '优先客户（贵宾、长辈、预约）优先 priority customers first (VIP, elderly, appointment)',
    );
    expect(container.textContent).not.toMatch(/\btier\b|longest-wait|own-service/);
    expect(container.querySelector('.routing-steps')?.textContent).toContain(
      'A ticket passed over 12 times is not passed over again',
    );
    expect(api.paths()).toEqual(['/routing/why?day=2026-11-25&number=A003&before=A001']);
    expect(screen.getByText('越过：A001、A002')).toBeTruthy();
    expect(screen.getByText('passed over: A001, A002')).toBeTruthy();
    expect(screen.getByText('在此号之后于 10:09 叫号')).toBeTruthy();
    expect(screen.getByText('this call passed it over')).toBeTruthy();
  });

  it('shows the server’s refusal for an unknown number', async () => {
    const api = fakeApi({});
    const { container } = render(api.wrap(<RoutingWhy hall={hall} />));
    (container.querySelector('input[name="number"]') as HTMLInputElement).value = 'Z999';
    fireEvent.submit(container.querySelector('form')!);
    expect((await screen.findByRole('alert')).textContent).toContain('no answer for /routing/why');
  });
});
