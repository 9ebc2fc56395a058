import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createHardware,
  type DeviceStatus,
  deviceConfigProblems,
  type Hardware,
  type TicketLayoutData,
} from './index.ts';

const ticket: TicketLayoutData = {
  hallName: { zh: '西单营业厅', en: 'Xidan Hall' },
  serviceName: { zh: '话费充值', en: 'Top-up' },
  number: 'A001',
  peopleAhead: 0,
  etaMinutes: 0,
  issuedAt: Date.parse('2026-11-25T01:00:00Z'),
  timeZone: 'Asia/Shanghai',
  trackUrl: 'https://hall.example/t/a001',
};

let hardware: Hardware | null = null;
afterEach(async () => {
  await hardware?.close();
  hardware = null;
});

function simulatedHall() {
  const logger = { warn: vi.fn() };
  hardware = createHardware({
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
    const statuses: DeviceStatus[] = [];
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
