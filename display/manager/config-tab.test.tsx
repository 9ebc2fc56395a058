// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditPage, ConfigView } from '../../server/contract/manager.ts';
import { snapshot } from '../common/test-data.ts';
import { AuditTab, actionChangeText, actionName, changeText, configChanges, whenText } from './audit-tab.tsx';
import { ConfigTab } from './config-tab.tsx';
import { withHelper, withOwnService, withWeight } from './counter-services.tsx';
import { fakeApi } from './fake-api.tsx';
import { ApiContext, type ManagerApi } from './use-api.ts';

afterEach(cleanup);

const config: ConfigView = {
  version: 3,
  hours: { open: '09:00', close: '18:00' },
  services: [
    {
      id: 'general',
      prefix: 'A',
      name: { zh: '业务办理', en: 'General business' },
      category: 'business',
      waitTargetMinutes: 15,
      selfService: false,
      enabled: true,
    },
    {
      id: 'payments',
      prefix: 'B',
      name: { zh: '缴费充值', en: 'Payments & top-up' },
      category: 'payments',
      waitTargetMinutes: 10,
      selfService: true,
      enabled: true,
    },
  ],
  counters: [{ id: '1', name: '1号窗口', services: [{ id: 'general', weight: 2 }], elderlyFirst: false }],
  devices: [{ id: 'keypad-1', kind: 'keypad', path: 'sim', counterId: '1' }],
  printer: 'sim',
  kiosks: ['k1'],
  staff: [{ id: 'staff1', username: 'staff1', name: '营业员1', role: 'staff', disabled: false }],
};

function fake() {
  const calls: { method: string; path: string; body: unknown }[] = [];
  const client: ManagerApi = {
    get: <T,>() => Promise.resolve(config as T),
    put: <T,>(path: string, body: unknown) => {
      calls.push({ method: 'PUT', path, body });
      // A section saved answers the whole configuration, one version on.
      const section = /^\/config\/(services|counters|devices|printer)$/.exec(path)?.[1];
      if (section === 'printer')
        return Promise.resolve({
          ...config,
          version: 4,
          printer: (body as { connection: string }).connection,
        } as T);
      if (section) return Promise.resolve({ ...config, version: 4, [section]: body } as T);
      return Promise.resolve({ ...config.staff[0], ...(body as object) } as T);
    },
    post: <T,>(path: string, body: unknown) => {
      calls.push({ method: 'POST', path, body });
      return Promise.resolve({ user: config.staff[0], password: 'abcdefghjkmnpqrs' } as T);
    },
    del: () => Promise.resolve(null),
  };
  return { client, calls };
}

describe('configuration tab', () => {
  it('sends the edited wait target with the whole service list and says it is in force', async () => {
    const { client, calls } = fake();
    const { container } = render(
      <ApiContext.Provider value={client}>
        <ConfigTab />
      </ApiContext.Provider>,
    );
    const target = await screen.findByLabelText('wait target general');
    fireEvent.input(target, { target: { value: '7' } });
    fireEvent.submit(container.querySelector('form[aria-label="services"]')!);
    await screen.findByText(/版本 4/);
    expect(calls[0]).toMatchObject({ method: 'PUT', path: '/config/services' });
    expect((calls[0]!.body as { waitTargetMinutes: number }[])[0]!.waitTargetMinutes).toBe(7);
  });

  it('edits, adds and saves serial devices as the whole list, with the counter or kiosk each serves', async () => {
    const { client, calls } = fake();
    const { container } = render(
      <ApiContext.Provider value={client}>
        <ConfigTab />
      </ApiContext.Provider>,
    );
    fireEvent.input(await screen.findByLabelText('baud rate keypad-1'), { target: { value: '19200' } });
    fireEvent.click(screen.getByText('添加设备'));
    fireEvent.input(screen.getByLabelText('device id 2'), { target: { value: 'k1-scanner' } });
    fireEvent.change(screen.getByLabelText('kind k1-scanner'), { target: { value: 'scanner' } });
    // A scanner serves a kiosk: the choices are the kiosks, not the counters.
    const serves = screen.getByLabelText('serves k1-scanner') as HTMLSelectElement;
    expect([...serves.options].map((o) => o.value)).toEqual(['', 'k1']);
    fireEvent.change(serves, { target: { value: 'k1' } });
    fireEvent.input(screen.getByLabelText('connection k1-scanner'), { target: { value: 'USB 1A86:7523' } });
    fireEvent.submit(container.querySelector('form[aria-label="devices"]')!);
    await screen.findByText(/版本 4/);
    expect(calls[0]).toEqual({
      method: 'PUT',
      path: '/config/devices',
      body: [
        { id: 'keypad-1', kind: 'keypad', path: 'sim', baudRate: 19200, counterId: '1' },
        { id: 'k1-scanner', kind: 'scanner', vendorId: '1a86', productId: '7523', kioskId: 'k1' },
      ],
    });
  });

  it('connects another ticket printer', async () => {
    const { client, calls } = fake();
    const { container } = render(
      <ApiContext.Provider value={client}>
        <ConfigTab />
      </ApiContext.Provider>,
    );
    const field = (await screen.findByLabelText('printer connection')) as HTMLInputElement;
    expect(field.value).toBe('sim');
    fireEvent.input(field, { target: { value: ' tcp://192.168.1.50:9100 ' } });
    fireEvent.submit(container.querySelector('form[aria-label="printer"]')!);
    await screen.findByText(/版本 4/);
    expect(calls[0]).toEqual({
      method: 'PUT',
      path: '/config/printer',
      body: { connection: 'tcp://192.168.1.50:9100' },
    });
  });

  it('resets a password only when asked twice, and shows it once', async () => {
    const { client, calls } = fake();
    render(
      <ApiContext.Provider value={client}>
        <ConfigTab />
      </ApiContext.Provider>,
    );
    fireEvent.click(await screen.findByText('重置密码'));
    expect(screen.getByRole('alert').textContent).toContain('Their sign-in ends at once');
    fireEvent.click(screen.getByText('取消'));
    expect(calls).toEqual([]);
    fireEvent.click(screen.getByText('重置密码'));
    fireEvent.click(screen.getByText('确定'));
    await screen.findByText('abcdefghjkmnpqrs');
    expect(calls[0]).toEqual({
      method: 'POST',
      path: '/config/staff/staff1/reset-password',
      body: undefined,
    });
  });

  it('disables an account after a confirmation, and enables it in one step', async () => {
    const { client, calls } = fake();
    render(
      <ApiContext.Provider value={client}>
        <ConfigTab />
      </ApiContext.Provider>,
    );
    fireEvent.click(await screen.findByText('停用'));
    fireEvent.click(screen.getByText('确定'));
    await screen.findByText('已停用，启用');
    fireEvent.click(screen.getByText('已停用，启用'));
    await screen.findByText('停用');
    expect(calls.map((c) => [c.path, c.body])).toEqual([
      ['/config/staff/staff1', { disabled: true }],
      ['/config/staff/staff1', { disabled: false }],
    ]);
  });

  it('adds a counter, picking its own service and the ones it helps with, with weights', async () => {
    const { client, calls } = fake();
    const { container } = render(
      <ApiContext.Provider value={client}>
        <ConfigTab />
      </ApiContext.Provider>,
    );
    fireEvent.click(await screen.findByText('添加窗口'));
    fireEvent.input(screen.getByLabelText('counter id 2'), { target: { value: '9' } });
    fireEvent.input(screen.getByLabelText('counter name 9'), { target: { value: '9号窗口' } });
    fireEvent.change(screen.getByLabelText('own service 9'), { target: { value: 'payments' } });
    fireEvent.input(screen.getByLabelText('weight payments 9'), { target: { value: '3' } });
    fireEvent.click(screen.getByLabelText('helps general 9'));
    fireEvent.submit(container.querySelector('form[aria-label="counters"]')!);
    expect(calls[0]).toMatchObject({ method: 'PUT', path: '/config/counters' });
    expect((calls[0]!.body as unknown[])[1]).toEqual({
      id: '9',
      name: '9号窗口',
      services: [
        { id: 'payments', weight: 3 },
        { id: 'general', weight: 1 },
      ],
      elderlyFirst: false,
    });
  });
});

describe('a counter’s services', () => {
  const order = ['general', 'payments', 'devices', 'vip'];
  it('make the chosen service its own, keeping the own weight and dropping it from the helpers', () => {
    const list = [
      { id: 'general', weight: 3 },
      { id: 'payments', weight: 1 },
    ];
    expect(withOwnService(list, 'payments')).toEqual([{ id: 'payments', weight: 3 }]);
    expect(withOwnService([], 'vip')).toEqual([{ id: 'vip', weight: 2 }]);
  });

  it('add and remove helpers in the hall’s service order, each weighted on its own', () => {
    const own = [{ id: 'vip', weight: 2 }];
    const two = withHelper(withHelper(own, 'devices', true, order), 'general', true, order);
    expect(two).toEqual([
      { id: 'vip', weight: 2 },
      { id: 'general', weight: 1 },
      { id: 'devices', weight: 1 },
    ]);
    expect(withWeight(two, 'devices', 4)[2]).toEqual({ id: 'devices', weight: 4 });
    expect(withHelper(two, 'general', false, order)).toEqual([
      { id: 'vip', weight: 2 },
      { id: 'devices', weight: 1 },
    ]);
  });
});

describe('audit tab', () => {
  it('shows before → after briefly: a status, a list by its length, a whole configuration by its size', () => {
    expect(changeText({ status: 'called' })).toBe('status: called');
    expect(changeText(null)).toBe('—');
    expect(changeText([1, 2, 3])).toBe('3 条 / 3 items');
    expect(changeText({ services: [1, 2], counters: [1] })).toBe('2个业务，1个窗口 / 2 services, 1 counters');
    expect(changeText({ devices: [] })).toBe('0个设备 / 0 devices');
    // The printer is a single setting; a key that is no section is shown as it is.
    expect(changeText({ devices: [1], printer: 'sim' })).toBe('1个设备，打印机 sim / 1 devices, printer sim');
    expect(changeText({ kiosks: [] })).toBe('kiosks: []');
  });

  it('lists a configuration change by its changed fields', () => {
    const before = {
      services: [
        { id: 'general', waitTargetMinutes: 15 },
        { id: 'vip', waitTargetMinutes: 15 },
      ],
      counters: [{ id: '1', services: ['general'] }],
    };
    const after = {
      services: [
        { id: 'general', waitTargetMinutes: 7 },
        { id: 'sim', waitTargetMinutes: 15 },
      ],
      counters: [{ id: '1', services: ['general', 'sim'] }],
    };
    expect(configChanges(before, after)).toEqual([
      { path: 'general.waitTargetMinutes', before: '15', after: '7' },
      { path: 'sim', before: '—', after: '新增 / added' },
      { path: 'vip', before: '存在 / present', after: '删除 / removed' },
      { path: '1.services', before: '["general"]', after: '["general","sim"]' },
    ]);
    // A change of one section (as the server records it) lists that section's items.
    expect(
      configChanges(
        { devices: [{ id: 'led-1', path: 'sim' }] },
        { devices: [{ id: 'led-1', path: '/dev/ttyUSB0' }] },
      ),
    ).toEqual([{ path: 'led-1.path', before: 'sim', after: '/dev/ttyUSB0' }]);
    expect(configChanges({ printer: 'sim' }, { printer: 'tcp://10.0.0.7:9100' })).toEqual([
      { path: 'printer', before: 'sim', after: 'tcp://10.0.0.7:9100' },
    ]);
  });

  it('dates an entry in the hall time zone: 01:30 in Shanghai is the 25th, not the UTC 24th', () => {
    expect(whenText('2026-11-24T17:30:00.000Z', 'Asia/Shanghai', true)).toBe('11-25 01:30');
    expect(whenText('2026-11-24T17:30:00.000Z', 'Asia/Shanghai', false)).toBe('01:30');
    expect(whenText('2026-11-24T23:59:00.000Z', 'Asia/Shanghai', true)).toBe('11-25 07:59');
    expect(whenText('2026-11-25T16:00:00.000Z', 'Asia/Shanghai', true)).toBe('11-26 00:00');
    expect(whenText('2026-11-24T17:30:00.000Z', 'America/New_York', true)).toBe('11-24 12:30');
  });

  it('names every action in both languages and shows an unknown code as the server wrote it', () => {
    expect(actionName('ticket.finished')).toEqual({ zh: '办结', en: 'Finished' });
    expect(actionName('config.services')).toEqual({ zh: '修改业务', en: 'Services changed' });
    expect(actionName('kiosk.rebooted')).toEqual({ zh: 'kiosk.rebooted', en: 'kiosk.rebooted' });
    expect(actionName('constructor')).toEqual({ zh: 'constructor', en: 'constructor' });
    expect(actionChangeText({ status: 'serving' })).toEqual({ zh: '状态：办理中', en: 'status: serving' });
    expect(actionChangeText({ status: 'paused', pauseReason: 'lunch' })).toEqual({
      zh: '状态：暂停，原因：午餐',
      en: 'status: paused, reason: lunch',
    });
    // A service id stays an id even when it reads like a status.
    expect(actionChangeText({ status: 'waiting', serviceId: 'open' }).en).toBe(
      'status: waiting, service: open',
    );
    expect(actionChangeText(null)).toEqual({ zh: '—', en: '—' });
  });

  it('says the list is cut and points to the CSV when the range held more than the answer', async () => {
    const entry = (id: number, at: string) => ({
      kind: 'action' as const,
      id,
      at,
      userId: 'staff1',
      userName: '营业员1',
      action: id === 1 ? 'ticket.finished' : 'kiosk.rebooted',
      target: 'ticket A001 @ counter 1',
      before: { status: 'serving' },
      after: { status: 'done', rating: 5 },
    });
    const page: AuditPage = {
      entries: [entry(1, '2026-11-24T17:30:00.000Z'), entry(2, '2026-11-24T16:10:00.000Z')],
      truncated: true,
      limit: 2,
    };
    const { wrap, paths } = fakeApi({ '/audit': page });
    const s = snapshot();
    const { container } = render(
      wrap(
        <AuditTab
          hall={{ hall: s.hall, services: s.services, counters: s.counters, calls: [], calling: [] }}
        />,
      ),
    );
    await screen.findByText('只显示最近 2 条，完整记录请导出 CSV');
    expect(screen.getByText('Showing the latest 2; export the CSV for all')).toBeTruthy();
    expect(paths()[0]).toMatch(/^\/audit\?from=\d{4}-\d{2}-\d{2}&to=/);
    const cells = [...container.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => td.textContent),
    );
    expect(cells[0]![0]).toBe('01:30');
    expect(cells[0]![2]).toBe('办结 Finished ticket.finished');
    expect(cells[0]![3]).toBe('ticket A001 @ counter 1');
    expect(cells[0]![4]).toBe('状态：办理中 status: serving');
    expect(cells[0]![5]).toBe('状态：已办结，评价：5 status: done, rating: 5');
    expect(cells[1]![2]).toBe('kiosk.rebooted');
  });
});
