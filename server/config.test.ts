import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../tests/helpers/temp-dir.ts';
import { ConfigError, counterServiceWeights, DEMO_HALL, loadSettings, parseHallConfig } from './config.ts';

describe('configuration', () => {
  it('starts the demo hall when no configuration is named', () => {
    const s = loadSettings({}, '/srv/hallq');
    expect(s).toMatchObject({
      demo: true,
      port: 8080,
      printer: 'sim',
      dbPath: '/srv/hallq/data/demo.sqlite',
    });
    expect(s.hall.services.map((x) => x.prefix).join('')).toBe('ABCDEVFR');
    expect(s.hall.counters).toHaveLength(6);
  });

  it('names every wrong field of a bad configuration', () => {
    const bad = {
      ...DEMO_HALL,
      timeZone: 'Mars/Olympus',
      services: [...DEMO_HALL.services, { id: 'x', prefix: 'A', name: { zh: '重复', en: 'Duplicate' } }],
      counters: [{ id: '1', name: '1', services: ['nowhere'] }],
    };
    let message = '';
    try {
      parseHallConfig(bad, 'hall.json');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      message = (e as Error).message;
    }
    expect(message).toContain('timeZone: an IANA time zone');
    expect(message).toContain('services.8.prefix: duplicate prefix A');
    expect(message).toContain('counters.0.services.0: unknown service nowhere');
  });

  it('reads a hall file and devices file named by the environment', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'hall.json'),
      JSON.stringify({ ...DEMO_HALL, hours: { open: '09:00', close: '18:00' } }),
    );
    writeFileSync(
      join(dir, 'devices.json'),
      JSON.stringify([{ id: 'kp1', kind: 'keypad', path: '/dev/ttyUSB0', counterId: '1' }]),
    );
    const s = loadSettings(
      { HALLQ_CONFIG: 'hall.json', HALLQ_DB: 'hall.sqlite', HALLQ_DEVICES: 'devices.json', PORT: '9000' },
      dir,
    );
    expect(s).toMatchObject({ demo: false, port: 9000, dbPath: join(dir, 'hall.sqlite') });
    expect(s.devices).toEqual([{ id: 'kp1', kind: 'keypad', path: '/dev/ttyUSB0', counterId: '1' }]);
  });

  it('refuses a real hall without a database path, a bad port and an unreadable file', () => {
    expect(() => loadSettings({ HALLQ_CONFIG: 'hall.json' }, tempDir())).toThrow(ConfigError);
    expect(() => loadSettings({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadSettings({ HALLQ_DEVICES: '/nonexistent/devices.json' })).toThrow(/cannot be read/);
  });

  it('reads HTTPS from a certificate and key file, both or neither', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'hall.crt'), 'CERT');
    writeFileSync(join(dir, 'hall.key'), 'KEY');
    expect(loadSettings({}).tls).toBeNull();
    expect(loadSettings({ HALLQ_TLS_CERT: 'hall.crt', HALLQ_TLS_KEY: 'hall.key' }, dir).tls).toEqual({
      cert: 'CERT',
      key: 'KEY',
    });
    expect(() => loadSettings({ HALLQ_TLS_CERT: 'hall.crt' }, dir)).toThrow(
      /both HALLQ_TLS_CERT and HALLQ_TLS_KEY/,
    );
    expect(() => loadSettings({ HALLQ_TLS_CERT: 'hall.crt', HALLQ_TLS_KEY: 'nope.key' }, dir)).toThrow(
      /HALLQ_TLS_KEY nope.key cannot be read/,
    );
  });

  it('trusts only the reverse proxies it is told, by address, subnet or Express’s names', () => {
    expect(loadSettings({}).trustProxy).toEqual([]);
    expect(
      loadSettings({ HALLQ_TRUST_PROXY: 'loopback, 10.0.0.0/8,192.168.1.10, fd00::/8' }).trustProxy,
    ).toEqual(['loopback', '10.0.0.0/8', '192.168.1.10', 'fd00::/8']);
    // Trusting every sender (or a count of hops) would let anyone forge the address the sign-in rule counts.
    for (const bad of ['true', '1', '*', 'nginx.local', '10.0.0.0/33', '10.0.0.0/8/1'])
      expect(() => loadSettings({ HALLQ_TRUST_PROXY: bad }), bad).toThrow(/HALLQ_TRUST_PROXY/);
  });

  it('weighs a counter’s first service as its own', () => {
    expect(counterServiceWeights(DEMO_HALL.counters[0]!)).toEqual([
      { serviceId: 'general', weight: 2 },
      { serviceId: 'payments', weight: 1 },
      { serviceId: 'devices', weight: 1 },
    ]);
  });
});
