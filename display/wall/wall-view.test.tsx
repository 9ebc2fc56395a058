// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CALL_SHOWN_MS } from '../../server/contract/api.ts';
import type { HallEvent } from '../../server/contract/events.ts';
import { applyEvent, applySnapshot } from '../common/hall-state.ts';
import { call, counter, demoCounters, demoServices, service, snapshot } from '../common/test-data.ts';
import { WallView, type WallViewProps } from './wall-view.tsx';

const calls = Array.from({ length: 12 }, (_, i) =>
  call(`A${String(12 - i).padStart(3, '0')}`, String((i % 3) + 1), `2026-11-25T09:${String(59 - i)}:00Z`),
);

/** Half a minute after the newest call, whose ticket is still called. */
const NOW = Date.parse('2026-11-25T09:59:30Z');

function show(patch: Partial<WallViewProps> = {}) {
  const props: WallViewProps = {
    hall: applySnapshot(null, snapshot({ recentCalls: calls, calling: [calls[0]!] })),
    now: NOW,
    connection: 'live',
    zone: null,
    notices: null,
    soundBlocked: false,
    onEnableSound: () => {},
    ...patch,
  };
  return render(<WallView {...props} />);
}

afterEach(cleanup);

describe('wall display', () => {
  it('shows the current call large: the number and its counter in Chinese and English', () => {
    show();
    const current = screen.getByRole('region', { name: /Now calling/ });
    expect(current.querySelector('.current-number')?.textContent).toBe('A012');
    expect(current.textContent).toContain('1号窗口');
    expect(current.textContent).toContain('Counter 1');
    expect(current.classList.contains('blink')).toBe(true);
  });

  it('lists the 8 calls before the current one, newest first', () => {
    show();
    const recent = screen.getByRole('region', { name: /Recent calls/ });
    const numbers = [...recent.querySelectorAll('.recent-number')].map((n) => n.textContent);
    expect(numbers).toEqual(['A011', 'A010', 'A009', 'A008', 'A007', 'A006', 'A005', 'A004']);
  });

  it('marks a recall and shows the recalled number once', () => {
    const recall = call('A011', '2', '2026-11-25T10:00:00Z', true);
    show({ hall: applySnapshot(null, snapshot({ recentCalls: [recall, ...calls], calling: [recall] })) });
    expect(screen.getByRole('region', { name: /Now calling/ }).textContent).toContain('再次呼叫');
    const recent = screen.getByRole('region', { name: /Recent calls/ });
    expect([...recent.querySelectorAll('.recent-number')].map((n) => n.textContent)).not.toContain('A011');
  });

  it('shows no current call once the ticket is served, finished, a no-show or moved, nor after the bound', () => {
    const called = applySnapshot(null, snapshot({ recentCalls: calls, calling: [calls[0]!] }));
    const ticket = { number: 'A012', serviceId: 'general', tier: 'regular' as const, counterId: '1' };
    const at = '2026-11-25T10:00:00Z';
    const ends: HallEvent[] = [
      { id: 1, type: 'ticket.serving', at, data: { ticket, services: demoServices } },
      { id: 1, type: 'ticket.finished', at, data: { ticket, services: demoServices, rating: null } },
      { id: 1, type: 'ticket.no-show', at, data: { ticket, services: demoServices } },
      {
        id: 1,
        type: 'ticket.transferred',
        at,
        data: { ticket, services: demoServices, fromServiceId: 'general' },
      },
    ];
    for (const end of ends) {
      show({ hall: applyEvent(called, end) });
      expect(screen.getByRole('region', { name: /Now calling/ }).textContent, end.type).toBe(
        '欢迎光临 Welcome',
      );
      // The call stays among the recent ones.
      expect(screen.getByRole('region', { name: /Recent calls/ }).textContent).toContain('A012');
      cleanup();
    }
    show({ hall: called, now: Date.parse(calls[0]!.at) + CALL_SHOWN_MS });
    expect(screen.getByRole('region', { name: /Now calling/ }).textContent).toBe('欢迎光临 Welcome');
  });

  it("on a fresh morning shows neither yesterday's last call nor yesterday's numbers", () => {
    // 09:00 in Shanghai on the 26th; the calls were made on the 25th.
    show({ now: Date.parse('2026-11-26T01:00:00Z') });
    expect(screen.getByRole('region', { name: /Now calling/ }).textContent).toBe('欢迎光临 Welcome');
    expect(screen.getByRole('region', { name: /Recent calls/ }).querySelectorAll('li')).toHaveLength(0);
  });

  it('says a service is not open, and when it will be, instead of a wait no counter can keep', () => {
    const closed = {
      ...service('complaints', 'F', '投诉与争议', 'Complaints & disputes', 1),
      outlook: { servedNow: false, pausedCounters: 0, expectedOpenAt: '2026-11-26T01:00:00Z' },
    };
    show({ hall: applySnapshot(null, snapshot({ services: [closed] })) });
    const tile = screen.getByRole('region', { name: /Waiting/ }).querySelector('li')!;
    expect(tile.textContent).toContain('预计 明天 09:00 开放');
    expect(tile.textContent).toContain('Opens tomorrow 09:00');
    expect(tile.textContent).not.toMatch(/约|分钟|min/);
  });

  it('shows each open service with its waiting count and estimated wait', () => {
    const services = [
      ...demoServices,
      { ...service('retention', 'R', '销户与携号转网', 'Cancellation'), open: false },
    ];
    show({ hall: applySnapshot(null, snapshot({ services })) });
    const board = screen.getByRole('region', { name: /Waiting/ });
    const items = [...board.querySelectorAll('li')].map((li) => li.textContent);
    expect(items).toHaveLength(4);
    expect(items[0]).toContain('业务办理');
    expect(items[0]).toContain('General business');
    expect(items[0]).toContain('5人等候');
    expect(items[0]).toContain('约 15 分钟');
    expect(items[0]).toContain('about 15 min');
    expect(items[2]).not.toContain('约'); // nobody waiting: no estimate
    expect(board.textContent).not.toContain('销户');
  });

  it('shows the forecast interval of a service when the hall gives one', () => {
    const services = [
      {
        ...service('general', 'A', '业务办理', 'General business', 5),
        etaMinutes: 11,
        etaRange: { low: 8, high: 15 },
      },
      { ...service('payments', 'B', '缴费充值', 'Payments', 2), etaMinutes: 4, etaRange: null },
    ];
    show({ hall: applySnapshot(null, snapshot({ services })) });
    const items = [...screen.getByRole('region', { name: /Waiting/ }).querySelectorAll('li')].map(
      (li) => li.textContent,
    );
    expect(items[0]).toContain('约 8–15 分钟');
    expect(items[0]).toContain('about 8–15 min');
    expect(items[1]).toContain('约 4 分钟');
  });

  it('shows the hall name and a welcome before the first call', () => {
    show({ hall: applySnapshot(null, snapshot()) });
    expect(screen.getByRole('heading').textContent).toBe('示范营业厅 Demo Hall');
    expect(screen.getByText('欢迎光临')).toBeTruthy();
  });

  it('with a zone, shows only the calls of its counters and the services they serve', () => {
    const counters = [counter('1', ['payments']), counter('2', ['general']), ...demoCounters.slice(1)];
    show({
      hall: applySnapshot(null, snapshot({ recentCalls: calls, calling: calls.slice(0, 3), counters })),
      zone: new Set(['1']),
    });
    const current = screen.getByRole('region', { name: /Now calling/ });
    expect(current.textContent).toContain('1号窗口');
    const recent = screen.getByRole('region', { name: /Recent calls/ });
    expect(
      [...recent.querySelectorAll('.recent-counter')].every((c) => c.textContent?.startsWith('1号窗口')),
    ).toBe(true);
    const services = screen.getByRole('region', { name: /Waiting/ });
    expect(services.querySelectorAll('li')).toHaveLength(1);
    expect(services.textContent).toContain('缴费充值');
    expect(screen.getByText('窗口 1')).toBeTruthy();
  });

  it('says "connection lost" only when the stream reports it', () => {
    show();
    expect(screen.queryByRole('alert')).toBeNull();
    cleanup();
    show({ connection: 'lost' });
    expect(screen.getByRole('alert').textContent).toContain('连接中断');
    expect(screen.getByRole('alert').textContent).toContain('Connection lost');
  });

  it('shows notices when there are some, and no notices area otherwise', () => {
    show({ notices: [] });
    expect(screen.queryByRole('region', { name: /Notices/ })).toBeNull();
    cleanup();
    show({ notices: [{ id: 'n1', text: { zh: '本厅支持5G套餐办理', en: '5G plans available here' } }] });
    expect(screen.getByRole('region', { name: /Notices/ }).textContent).toContain('5G plans available here');
  });

  it('offers a tap to enable sound when the browser blocks it', () => {
    const onEnableSound = vi.fn();
    show({ soundBlocked: true, onEnableSound });
    fireEvent.click(screen.getByRole('button', { name: /Tap to enable sound/ }));
    expect(onEnableSound).toHaveBeenCalledOnce();
  });

  it('says it is connecting before the first snapshot', () => {
    show({ hall: null, connection: 'connecting' });
    expect(screen.getByText('正在连接…')).toBeTruthy();
  });
});
