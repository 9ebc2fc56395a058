import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createHardware,
  type DeviceHealth,
  deviceConfigProblems,
  type Hardware,
  type SerialDeviceSpec,
  type TicketLayoutData,
} from './index.ts';

/** A host's device: the hardware's spec and what the host keeps with it (the server: which counter). */
type HostDevice = SerialDeviceSpec & { counterId?: string; kioskId?: string };

const ticket: TicketLayoutData = {
  hallName: { zh: '西单营业厅', en: 'Xidan Hall' },
  serviceName: { zh: '话费充值', en: 'Top-up' },
  number: 'A001',
  wait: [{ zh: '下一位就是您', en: 'You are next' }],
  issuedAt: Date.parse('2026-11-25T01:00:00Z'),
  timeZone: 'Asia/Shanghai',
  trackUrl: 'https://hall.example/t/a001',
};

let hardware: Hardware<HostDevice> | null = null;
afterEach(async () => {
  await hardware?.close();
  hardware = null;
});

function simulatedHall() {
  const logger = { warn: vi.fn() };
  hardware = createHardware<HostDevice>({
    printer: 'sim',
    logger,
    idHashSalt: 'salt',
    printQueue: { pollIntervalMs: 0 },
    devices: [
      { id: 'keypad-1', kind: 'keypad', path: 'sim', counterId: '1' },
      { id: 'led-1', kind: 'led', path: 'sim', counterId: '1' },
      { id: 'id-1', kind: 'id-reader', path: 'sim', kioskId: 'k1' },
    ],
  });
  return { hardware, logger };
}

describe('createHardware with simulators', () => {
  it('reports the printer and every device, each coming up ok', async () => {
    const { hardware } = simulatedHall();
    expect(hardware.health().map((d) => [d.id, d.kind])).toEqual([
      ['printer', 'printer'],
      ['keypad-1', 'keypad'],
      ['led-1', 'led'],
      ['id-1', 'id-reader'],
    ]);
    await vi.waitFor(() =>
      expect(
        hardware
          .health()
          .slice(1)
          .map((d) => d.status),
      ).toEqual(['ok', 'ok', 'ok']),
    );
  });

  it('gives typed drivers whose simulators sit on the other end of the cable', async () => {
    const { hardware } = simulatedHall();
    const [keypad] = hardware.devicesOf('keypad');
    const [led] = hardware.devicesOf('led');
    await vi.waitFor(() => expect(hardware.health().every((d) => d.status === 'ok')).toBe(true));
    // What the server will wire: NEXT on the keypad of counter 1 → the call on that counter's LED.
    keypad!.driver.onPress((press) => {
      if (press.key === 'NEXT') void led!.driver.show('请 A001 到 1 号窗口');
    });
    await keypad!.simulator!.press('NEXT');
    await led!.simulator!.waitFor(() => led!.simulator!.display().text ?? undefined);
    expect(led!.simulator!.display().text).toBe('请 A001 到 1 号窗口');
  });

  it('prints tickets on the simulated printer and reports paper out as an outcome and a status', async () => {
    const { hardware } = simulatedHall();
    expect(await hardware.printTicket(ticket)).toMatchObject({ ok: true });
    expect(hardware.printerSimulator!.recentTickets()[0]?.text).toContain('A001');
    const statuses: DeviceHealth[] = [];
    hardware.onStatus((status) => statuses.push(status));
    hardware.printerSimulator!.setFaults({ paperOut: true });
    expect(await hardware.printTicket({ ...ticket, number: 'A002' })).toMatchObject({
      ok: false,
      problem: 'paper-out',
    });
    expect(statuses).toContainEqual(expect.objectContaining({ id: 'printer', status: 'paper-out' }));
    expect(hardware.health()[0]).toMatchObject({ status: 'paper-out' });
  });

  it('reports devices closed after close()', async () => {
    const { hardware: hall } = simulatedHall();
    await hall.close();
    hardware = null;
    expect(
      hall
        .health()
        .slice(1)
        .map((d) => d.status),
    ).toEqual(['closed', 'closed', 'closed']);
  });
});

describe('hardware configuration', () => {
  it('lists every problem of a device list', () => {
    expect(
      deviceConfigProblems([
        { id: 'a', kind: 'keypad', path: '/dev/ttyUSB0' },
        { id: 'a', kind: 'led', vendorId: '1a86' },
        { id: 'printer', kind: 'scanner', path: '/dev/ttyACM0', vendorId: '1a86', productId: '7523' },
        { id: 'b', kind: 'led', path: '/dev/ttyUSB1', baudRate: 0 },
      ]),
    ).toEqual([
      'device a: the id is used twice (or is "printer")',
      'device a: needs a path, or a vendorId and a productId',
      'device printer: the id is used twice (or is "printer")',
      'device printer: give a path or USB ids, not both',
      'device b: baudRate must be a positive integer',
    ]);
  });

  it('refuses to start with a bad printer URI or an ID reader without a salt', () => {
    const logger = { warn: vi.fn() };
    expect(() => createHardware({ printer: 'lp0', devices: [], logger })).toThrow(/unsupported printer URI/);
    expect(() =>
      createHardware({ printer: 'sim', devices: [{ id: 'id', kind: 'id-reader', path: 'sim' }], logger }),
    ).toThrow(/idHashSalt/);
  });
});

describe('changing the device list while running', () => {
  it('keeps unchanged links open, re-opens changed ones, attaches new ones and reports removed ones', async () => {
    const { hardware } = simulatedHall();
    await vi.waitFor(() => expect(hardware.health().every((d) => d.status === 'ok')).toBe(true));
    const keypad = hardware.devices.get('keypad-1')!;
    const led = hardware.devices.get('led-1')!;
    const statuses: DeviceHealth[] = [];
    hardware.onStatus((status) => statuses.push(status));

    await hardware.reconfigure([
      // Only what it serves changes: the same link, the same driver.
      { id: 'keypad-1', kind: 'keypad', path: 'sim', counterId: '2' },
      // A new baud rate: closed and opened anew.
      { id: 'led-1', kind: 'led', path: 'sim', baudRate: 19200, counterId: '1' },
      { id: 'pad-3', kind: 'rating-pad', path: 'sim', counterId: '3' },
    ]);

    expect([...hardware.devices.keys()]).toEqual(['keypad-1', 'led-1', 'pad-3']);
    expect(hardware.devices.get('keypad-1')!.driver).toBe(keypad.driver);
    expect(hardware.devices.get('keypad-1')!.config.counterId).toBe('2');
    expect(hardware.devices.get('led-1')!.driver).not.toBe(led.driver);
    expect(statuses).toContainEqual({ id: 'id-1', kind: 'id-reader', status: 'removed', detail: '' });
    await vi.waitFor(() =>
      expect(hardware.health().map((d) => [d.id, d.status])).toEqual([
        ['printer', 'ok'],
        ['keypad-1', 'ok'],
        ['led-1', 'ok'],
        ['pad-3', 'ok'],
      ]),
    );
    // The re-opened screen and the new pad speak over their new cables.
    const newLed = hardware.devicesOf('led')[0]!;
    await newLed.driver.show('A009');
    await newLed.simulator!.waitFor(() => newLed.simulator!.display().text ?? undefined);
    expect(newLed.simulator!.display().text).toBe('A009');
  });

  it('refuses a list that cannot work and changes nothing', async () => {
    const { hardware } = simulatedHall();
    const before = [...hardware.devices.values()];
    await expect(
      hardware.reconfigure([
        { id: 'led-1', kind: 'led', path: 'sim' },
        { id: 'led-1', kind: 'keypad', path: 'sim' },
      ]),
    ).rejects.toThrow(/used twice/);
    expect([...hardware.devices.values()]).toEqual(before);
  });
});
