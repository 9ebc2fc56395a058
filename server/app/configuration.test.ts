import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parsePrinterUri, printerUriProblem } from '../../hardware/index.ts';
import { HALL_MORNING, manager, ok, staff1, testHall } from '../../tests/helpers/test-hall.ts';
import { ConfigError, DEMO_HALL, type HallConfig, parseHallConfig } from '../config.ts';
import { HOUR, MINUTE } from '../domain/clock.ts';
import { createAuditLog } from './audit.ts';
import { bootConfiguration, createConfiguration, liveConfig } from './configuration.ts';
import { createStats } from './stats.ts';

function setup(config: HallConfig = DEMO_HALL) {
  const t = testHall({ config });
  const audit = createAuditLog(t.db, config.timeZone);
  const initial = bootConfiguration(t.db, config, t.clock, audit);
  // What the hardware was asked to re-wire to, in order.
  const applied: (HallConfig['devices'] | string)[] = [];
  const configuration = createConfiguration({
    ...t,
    audit,
    initial,
    applyDevices: async (devices) => {
      applied.push(devices);
    },
    printerUri: { problem: printerUriProblem, parse: parsePrinterUri },
    applyPrinter: async (uri) => {
      applied.push(uri);
    },
    // The hall's network: 10.0.0.0/24 (web-connections.test.ts tries the rule itself).
    webConnections: { demo: false, interfaces: () => [HALL_LAN] },
    log: () => {},
  });
  return { ...t, audit, initial, configuration, applied };
}

const HALL_LAN: NetworkInterfaceInfo = {
  address: '10.0.0.2',
  netmask: '255.255.255.0',
  family: 'IPv4',
  mac: '02:00:00:00:00:02',
  internal: false,
  cidr: '10.0.0.2/24',
};

const withTarget = (config: HallConfig, serviceId: string, minutes: number) =>
  config.services.map((s) => (s.id === serviceId ? { ...s, waitTargetMinutes: minutes } : s));

describe('stored configuration at boot', () => {
  it('is seeded from the file once, then the manager’s edits are kept across restarts', () => {
    const { db, clock, audit, configuration, initial } = setup();
    expect(initial.version).toBe(1);
    ok(configuration.replaceServices(withTarget(DEMO_HALL, 'general', 9), manager));
    const again = bootConfiguration(db, DEMO_HALL, clock, audit);
    expect(again.version).toBe(2);
    expect(again.config.services[0]!.waitTargetMinutes).toBe(9);
    const range = { from: '2026-11-25', to: '2026-11-25' };
    expect(audit.latest(range).entries.map((a) => a.action)).toEqual(['config.services', 'config.seed']);
  });

  it('takes the file again when the installer changed it, audited as config.file', () => {
    const { db, clock, audit, configuration } = setup();
    ok(configuration.replaceServices(withTarget(DEMO_HALL, 'general', 9), manager));
    const edited = parseHallConfig({ ...DEMO_HALL, services: withTarget(DEMO_HALL, 'vip', 5) }, 'hall.json');
    const again = bootConfiguration(db, edited, clock, audit);
    expect(again.version).toBe(3);
    expect(again.config.services.find((s) => s.id === 'vip')!.waitTargetMinutes).toBe(5);
    expect(again.config.services[0]!.waitTargetMinutes).toBe(15);
    expect(audit.latest({ from: '2026-11-25', to: '2026-11-25' }).entries[0]).toMatchObject({
      action: 'config.file',
      userId: null,
    });
  });

  it('fails loudly on a stored configuration that no longer validates', () => {
    const { db, clock, audit } = setup();
    db.prepare("UPDATE hall_configuration SET config = json_set(config, '$.services[0].prefix', 'a')").run();
    expect(() => bootConfiguration(db, DEMO_HALL, clock, audit)).toThrow(ConfigError);
    expect(() => bootConfiguration(db, DEMO_HALL, clock, audit)).toThrow(
      /services\.0\.prefix: one capital letter/,
    );
  });
});

describe('validation of a section', () => {
  it('names the section’s own fields (an input error) and calls broken references conflicts', () => {
    const { configuration } = setup();
    const dup = DEMO_HALL.services.map((s, i) => (i === 3 ? { ...s, id: 'general' } : s));
    expect(configuration.replaceServices(dup, manager)).toMatchObject({
      ok: false,
      status: 400,
      fields: [{ path: 'body.3.id', message: 'duplicate service id general' }],
    });
    const unknown = DEMO_HALL.counters.map((c, i) => (i === 0 ? { ...c, services: ['nope'] } : c));
    expect(configuration.replaceCounters(unknown, manager)).toMatchObject({
      status: 400,
      message: expect.stringMatching(/body\.0\.services\.0: unknown service nope/),
    });
    const noVip = DEMO_HALL.services.filter((s) => s.id !== 'vip');
    expect(configuration.replaceServices(noVip, manager)).toMatchObject({
      ok: false,
      status: 409,
      code: 'reference-conflict',
    });
    expect(configuration.view().version).toBe(1);
  });
});

describe('devices', () => {
  const keypad = { id: 'keypad-9', kind: 'keypad' as const, path: '/dev/ttyUSB3', counterId: '2' };
  const scanner = {
    id: 'scan-9',
    kind: 'scanner' as const,
    vendorId: '1a86',
    productId: '7523',
    kioskId: 'k1',
  };

  it('stores, audits (only the devices, before → after) and re-wires the new list', async () => {
    const { configuration, applied, audit, db, clock } = setup();
    const value = ok(await configuration.replaceDevices([keypad, scanner], manager));
    expect(value.devices).toEqual([keypad, scanner]);
    expect(value.version).toBe(2);
    expect(applied).toEqual([[keypad, scanner]]);
    expect(audit.latest({ from: '2026-11-25', to: '2026-11-25' }).entries[0]).toMatchObject({
      action: 'config.devices',
      before: { devices: [] },
      after: { devices: [keypad, scanner] },
    });
    // Kept across a restart with the same file.
    expect(bootConfiguration(db, DEMO_HALL, clock, audit).config.devices).toEqual([keypad, scanner]);
  });

  it('names each bad device field (400) and changes nothing', async () => {
    const { configuration, applied } = setup();
    const outcome = await configuration.replaceDevices(
      [
        { ...keypad, kioskId: 'k1', counterId: undefined },
        { ...scanner, id: 'keypad-9' },
        { ...keypad, id: 'led-9', kind: 'led', counterId: 'nope' },
        { ...scanner, id: 'printer', path: '/dev/ttyS0' },
      ],
      manager,
    );
    expect(outcome).toMatchObject({ ok: false, status: 400, code: 'invalid-request' });
    expect(!outcome.ok && outcome.fields).toEqual([
      expect.objectContaining({ path: 'body.0', message: expect.stringMatching(/serve a counter/) }),
      expect.objectContaining({ path: 'body.3', message: expect.stringMatching(/not both/) }),
      { path: 'body.1.id', message: 'device id keypad-9 is used twice (or is "printer")' },
      { path: 'body.2.counterId', message: 'unknown counter nope' },
      { path: 'body.3.id', message: 'device id printer is used twice (or is "printer")' },
    ]);
    expect(applied).toEqual([]);
    expect(configuration.view()).toMatchObject({ version: 1, devices: [] });
  });

  it('refuses a save made on an older version', async () => {
    const { configuration } = setup();
    ok(await configuration.replaceDevices([keypad], manager, 1));
    expect(await configuration.replaceDevices([scanner], manager, 1)).toMatchObject({
      status: 409,
      code: 'version-conflict',
    });
  });

  it('a counter with devices cannot be removed from under them', () => {
    const { configuration } = setup({ ...DEMO_HALL, devices: [keypad] });
    const without2 = DEMO_HALL.counters.filter((c) => c.id !== '2');
    expect(configuration.replaceCounters(without2, manager)).toMatchObject({
      status: 409,
      code: 'reference-conflict',
      message: expect.stringMatching(/devices\.0\.counterId: unknown counter 2/),
    });
  });
});

describe('the ticket printer', () => {
  it('connects another printer: stored, audited, applied; a bad connection is refused by name', async () => {
    const { configuration, applied, audit } = setup({ ...DEMO_HALL, printer: 'sim' });
    expect(configuration.view().printer).toBe('sim');
    const bad = await configuration.replacePrinter({ connection: 'tcp://' }, manager);
    expect(bad).toMatchObject({ status: 400, fields: [{ path: 'body.connection' }] });
    expect(applied).toEqual([]);
    const value = ok(await configuration.replacePrinter({ connection: 'tcp://10.0.0.7:9100' }, manager));
    expect(value.printer).toBe('tcp://10.0.0.7:9100');
    expect(applied).toEqual(['tcp://10.0.0.7:9100']);
    expect(audit.latest({ from: '2026-11-25', to: '2026-11-25' }).entries[0]).toMatchObject({
      action: 'config.printer',
      before: { printer: 'sim' },
      after: { printer: 'tcp://10.0.0.7:9100' },
    });
  });
});

describe('reconfigure (applied live)', () => {
  it('new routing weights and services route the next call without a restart', () => {
    const { hall, configuration } = setup();
    ok(hall.openCounter('1', staff1));
    ok(hall.issueTicket({ serviceId: 'devices' }));
    // Counter 1 no longer helps with devices: nothing it may call.
    const counters = DEMO_HALL.counters.map((c) => (c.id === '1' ? { ...c, services: ['general'] } : c));
    ok(configuration.replaceCounters(counters, manager));
    expect(hall.counterViews()[0]!.serviceIds).toEqual(['general']);
    expect(ok(hall.callNext('1', staff1))).toBeNull();
    // Now it serves devices first.
    const back = DEMO_HALL.counters.map((c) => (c.id === '1' ? { ...c, services: ['devices'] } : c));
    ok(configuration.replaceCounters(back, manager));
    expect(ok(hall.callNext('1', staff1))).toMatchObject({ ticket: { number: 'C001' } });
  });

  it('opening hours and enabled follow the new configuration', () => {
    const { hall, configuration } = setup();
    const closed = DEMO_HALL.services.map((s) =>
      s.id === 'payments'
        ? { ...s, hours: { open: '14:00', close: '18:00' } }
        : s.id === 'vip'
          ? { ...s, enabled: false }
          : s,
    );
    ok(configuration.replaceServices(closed, manager));
    const views = new Map(hall.serviceViews().map((s) => [s.id, s]));
    expect(views.get('payments')!.open).toBe(false); // 10:00 in Shanghai
    expect(views.get('vip')!.open).toBe(false);
    expect(hall.issueTicket({ serviceId: 'payments' })).toMatchObject({ ok: false, status: 409 });
  });

  it('a removed service leaves the hall but keeps its history; its prefix may be reused', () => {
    const { hall, configuration, db } = setup();
    const without = DEMO_HALL.services.filter((s) => s.id !== 'retention');
    const counters = DEMO_HALL.counters.map((c) =>
      c.id === '6' ? { ...c, services: ['complaints', 'business'] } : c,
    );
    ok(configuration.replaceCounters(counters, manager));
    ok(configuration.replaceServices(without, manager));
    expect(hall.serviceViews().map((s) => s.id)).not.toContain('retention');
    expect(hall.issueTicket({ serviceId: 'retention' })).toMatchObject({ ok: false, status: 404 });
    const reused = [
      ...without,
      { ...DEMO_HALL.services.at(-1)!, id: 'porting', name: { zh: '携号转网', en: 'Porting' } },
    ];
    ok(configuration.replaceServices(reused, manager));
    expect(ok(hall.issueTicket({ serviceId: 'porting' })).number).toBe('R001');
    expect(db.prepare("SELECT enabled FROM services WHERE id = 'retention'").get()).toEqual({ enabled: 0 });
  });

  it('statistics count the share within target against the target in force now', () => {
    const { hall, clock, configuration, db } = setup();
    const stats = createStats(db, configuration.current, clock);
    ok(hall.openCounter('1', staff1));
    ok(hall.issueTicket({ serviceId: 'general' }));
    clock.advance(10 * MINUTE);
    ok(hall.callNext('1', staff1));
    ok(hall.finish('1', staff1));
    const range = { from: '2026-11-25', to: '2026-11-25' };
    expect(stats.summary(range).withinTargetPct).toBe(100);
    ok(configuration.replaceServices(withTarget(DEMO_HALL, 'general', 5), manager));
    expect(stats.summary(range).withinTargetPct).toBe(0);
    expect(clock.now()).toBeLessThan(HALL_MORNING + HOUR);
  });

  it('a live view reads the configuration in force at each access', () => {
    let current = DEMO_HALL;
    const view = liveConfig(() => current);
    expect(view.services).toHaveLength(8);
    current = { ...DEMO_HALL, services: DEMO_HALL.services.slice(0, 2) };
    expect(view.services).toHaveLength(2);
    expect(view.timeZone).toBe('Asia/Shanghai');
    expect({ ...view }.services).toHaveLength(2);
  });
});
