// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { HallConfiguration } from '../../server/contract/manager.ts';
import { changeText, configChanges } from './audit-tab.tsx';
import { ConfigTab, formatCounterServices, parseCounterServices } from './config-tab.tsx';
import { ApiContext, type ManagerApi } from './use-api.ts';

afterEach(cleanup);

const config: HallConfiguration = {
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
  ],
  counters: [{ id: '1', name: '1号窗口', services: [{ id: 'general', weight: 2 }], elderlyFirst: false }],
  devices: [{ id: 'keypad-1', kind: 'keypad', path: 'sim', counterId: '1' }],
  kiosks: ['k1'],
  staff: [{ id: 'staff1', username: 'staff1', name: '营业员1', role: 'staff', disabled: false }],
};

function fake() {
  const calls: { method: string; path: string; body: unknown }[] = [];
  const client: ManagerApi = {
    get: <T,>() => Promise.resolve(config as T),
    put: <T,>(path: string, body: unknown) => {
      calls.push({ method: 'PUT', path, body });
      if (path === '/config/services') return Promise.resolve({ ...config, version: 4, services: body } as T);
      if (path === '/config/devices') return Promise.resolve({ ...config, version: 4, devices: body } as T);
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

  it('shows a reset password once', async () => {
    const { client, calls } = fake();
    render(
      <ApiContext.Provider value={client}>
        <ConfigTab />
      </ApiContext.Provider>,
    );
    fireEvent.click(await screen.findByText('重置密码'));
    await screen.findByText('abcdefghjkmnpqrs');
    expect(calls[0]).toEqual({
      method: 'POST',
      path: '/config/staff/staff1/reset-password',
      body: undefined,
    });
  });

  it('reads and writes a counter’s services as id:weight', () => {
    expect(parseCounterServices('general:2, payments ,devices:3,')).toEqual([
      { id: 'general', weight: 2 },
      { id: 'payments', weight: 1 },
      { id: 'devices', weight: 3 },
    ]);
    expect(
      formatCounterServices([
        { id: 'vip', weight: 2 },
        { id: 'general', weight: 1 },
      ]),
    ).toBe('vip:2, general:1');
  });
});

describe('audit tab', () => {
  it('shows before → after briefly: a status, a list by its length, a whole configuration by its size', () => {
    expect(changeText({ status: 'called' })).toBe('status: called');
    expect(changeText(null)).toBe('—');
    expect(changeText([1, 2, 3])).toBe('[3]');
    expect(changeText({ services: [1, 2], counters: [1] })).toBe('2 services, 1 counters');
    expect(changeText({ devices: [] })).toBe('0 devices');
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
      { path: 'sim', before: '—', after: 'added' },
      { path: 'vip', before: 'present', after: 'removed' },
      { path: '1.services', before: '["general"]', after: '["general","sim"]' },
    ]);
    // A change of one section (as the server records it) lists that section's items.
    expect(
      configChanges(
        { devices: [{ id: 'led-1', path: 'sim' }] },
        { devices: [{ id: 'led-1', path: '/dev/ttyUSB0' }] },
      ),
    ).toEqual([{ path: 'led-1.path', before: 'sim', after: '/dev/ttyUSB0' }]);
  });
});
