// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthAnswer, StatsSummary } from '../../server/contract/api.ts';
import type { DevicesAnswer } from '../../server/contract/manager.ts';
import { applySnapshot } from '../common/hall-state.ts';
import { counter, demoServices, snapshot } from '../common/test-data.ts';
import { fakeApi } from './fake-api.tsx';
import { LiveTab } from './live.tsx';

afterEach(cleanup);

const none = { avg: null, p50: null, p90: null };
const summary: StatsSummary = {
  ...{ from: '2026-11-25', to: '2026-11-25', tickets: 12, served: 9, noShows: 1, cancelled: 0 },
  ...{ unservedAtClosing: 0, waitMinutes: { avg: 6.5, p50: 5, p90: 14 }, serviceMinutes: none },
  ...{ withinTargetPct: 83.3, byService: [], byCounter: [], byHour: [] },
};
const devices: DevicesAnswer = {
  devices: [
    { id: 'printer', kind: 'printer', status: 'paper-near-end', detail: '' },
    { id: 'keypad-1', kind: 'keypad', status: 'offline', detail: 'unplugged' },
  ],
  recentPrints: null,
};

describe('live hall', () => {
  it('shows each counter’s person, ticket and how long it has been at the counter, and device health', async () => {
    const sevenMinutesAgo = new Date(Date.now() - 7 * 60_000 - 5_000).toISOString();
    const hall = applySnapshot(
      null,
      snapshot({
        hall: { name: { zh: '厅', en: 'Hall' }, demo: false, timeZone: 'Asia/Shanghai' },
        services: demoServices,
        counters: [
          counter('1', ['general'], {
            status: 'serving',
            staffName: '营业员1',
            currentTicket: 'A012',
            currentSince: sevenMinutesAgo,
          }),
          counter('2', ['general'], { status: 'paused', staffName: '营业员2', pauseReason: 'break' }),
        ],
      }),
    );
    const { wrap } = fakeApi({ '/stats/summary': summary, '/devices': devices, '/queue/breaches': [] });
    const { container } = render(wrap(<LiveTab hall={hall} deviceVersion={0} />));
    await screen.findByText('83.3%');
    const rows = [...container.querySelectorAll('tr')].map((r) => r.textContent ?? '');
    expect(rows.find((r) => r.includes('A012'))).toContain('7 分钟');
    expect(rows.find((r) => r.includes('营业员2'))).toMatch(/暂停.*—$/);
    await screen.findByText('离线');
    const health = [...container.querySelectorAll('.device-health li')];
    expect(health.map((li) => [li.className, li.textContent])).toEqual([
      ['ok', 'printer 取号打印机 Ticket printer 纸将用完 Paper low'],
      ['trouble', 'keypad-1 呼叫器 Call keypad 离线 Offline'],
    ]);
  });

  it('says at the top what is wrong with the hall while it lasts, and otherwise one quiet line', async () => {
    const hall = applySnapshot(null, snapshot({ services: demoServices, counters: [] }));
    const sick: HealthAnswer = {
      ok: false,
      db: 'error',
      devices: [],
      storage: {
        writable: false,
        fault: { code: 'disk-full', since: '2026-11-25T02:00:00.000Z' },
        lastWriteAt: null,
        disk: { freeBytes: 0, minFreeBytes: 200 * 1024 ** 2 },
        wal: null,
        lastBackupAt: null,
      },
      clock: { behindSeconds: 0 },
      problems: [
        { code: 'disk-full', level: 'error', text: { zh: '磁盘已满', en: 'The disk is full' } },
        { code: 'clock-behind', level: 'warning', text: { zh: '时钟慢了', en: 'The clock is behind' } },
      ],
    };
    const answers = {
      '/stats/summary': summary,
      '/devices': devices,
      '/queue/breaches': [],
      '/health': sick,
    };
    const { wrap } = fakeApi(answers);
    const { unmount } = render(wrap(<LiveTab hall={hall} deviceVersion={0} />));
    const alert = await screen.findByRole('alert');
    expect([...alert.querySelectorAll('li')].map((li) => [li.className, li.textContent])).toEqual([
      ['error', '磁盘已满 The disk is full'],
      ['warning', '时钟慢了 The clock is behind'],
    ]);
    unmount();

    const well: HealthAnswer = {
      ...sick,
      ok: true,
      db: 'ok',
      storage: {
        ...sick.storage,
        writable: true,
        fault: null,
        disk: { freeBytes: 3 * 1024 ** 3, minFreeBytes: 0 },
      },
      problems: [],
    };
    const healthy = fakeApi({ ...answers, '/health': well });
    const again = render(healthy.wrap(<LiveTab hall={hall} deviceVersion={0} />));
    await screen.findByText('系统正常');
    expect(again.container.querySelector('.hall-health.ok')?.textContent).toContain('3.0 GB');
    expect(again.container.querySelector('[role="alert"]')).toBeNull();
  });

  it('promises no wait for a queue no open counter serves, and puts it first among the breaches', async () => {
    const unserved = {
      ...demoServices[1]!,
      waiting: 2,
      etaMinutes: 5,
      outlook: { servedNow: false, pausedCounters: 0, expectedOpenAt: null },
    };
    const hall = applySnapshot(
      null,
      snapshot({
        services: [demoServices[0]!, unserved],
        counters: [counter('5', ['payments'], { status: 'closed' })],
      }),
    );
    const { wrap } = fakeApi({ '/stats/summary': summary, '/devices': devices, '/queue/breaches': [] });
    const { container } = render(wrap(<LiveTab hall={hall} deviceVersion={0} />));
    await screen.findByText('83.3%');
    const row = [...container.querySelectorAll('tr')].find((r) => r.textContent?.includes('缴费充值'))!;
    expect(row.textContent).toContain('窗口暂未开放');
    expect(row.textContent).not.toMatch(/约 5 分钟|about 5 min/);
    const first = container.querySelector('.breaches li')!;
    expect(first.textContent).toContain('2 人在等，暂无开放窗口办理');
    expect(first.textContent).toContain('建议开放窗口：5号窗口');
  });
});
