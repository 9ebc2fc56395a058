import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parsePrinterUri } from '../../hardware/index.ts';
import { devicePathProblem, onHallNetwork, printerProblem } from './web-connections.ts';

const nic = (cidr: string, internal = false): NetworkInterfaceInfo => {
  const [address] = cidr.split('/') as [string];
  const v4 = address.includes('.');
  return v4
    ? { address, cidr, internal, family: 'IPv4', netmask: '255.255.255.0', mac: '02:00:00:00:00:01' }
    : {
        address,
        cidr,
        internal,
        family: 'IPv6',
        netmask: 'ffff:ffff:ffff:ffff::',
        mac: '02:00:00:00:00:01',
        scopeid: 0,
      };
};
/** A hall box: loopback, a LAN with IPv4 and a unique-local IPv6 prefix, and an IPv6 link-local address. */
const BOX = [
  nic('127.0.0.1/8', true),
  nic('::1/128', true),
  nic('192.168.10.5/24'),
  nic('fd00:1::5/64'),
  nic('fe80::1/64'),
];
const rule = { demo: false, interfaces: () => BOX };

describe('the hall’s network', () => {
  it.each([
    ['192.168.10.40', true],
    ['192.168.10.5', true], // the box’s own LAN address: no more than any machine of the hall can reach
    ['[fd00:1::40]', true],
    ['fd00:1:0:0:0:0:0:40', true],
    ['192.168.11.40', false],
    ['8.8.8.8', false],
    ['127.0.0.1', false],
    ['[::1]', false],
    ['[::ffff:127.0.0.1]', false],
    ['[::ffff:192.168.10.40]', false],
    ['169.254.169.254', false],
    ['[fe80::40]', false],
    ['[fd00:1::40%eth0]', false],
    ['0.0.0.0', false],
    ['printer.local', false],
    ['0x7f.1', false],
    ['192.168.010.040', false],
    ['localhost', false],
  ])('%s: %s', (host, on) => {
    expect(onHallNetwork(host, BOX)).toBe(on);
  });
});

describe('connections a manager may set through the web', () => {
  it.each([
    ['tcp://192.168.10.40:9100', null],
    ['tcp://192.168.10.40:9100?status=off&timeout=3000', null],
    ['/dev/usb/lp0', null],
    ['serial:/dev/ttyUSB0?baud=19200', null],
    ['serial:/dev/serial/by-id/usb-Prolific_Technology_Inc._USB-Serial_Controller-if00-port0', null],
    ['tcp://127.0.0.1:9100', 'refused'],
    ['tcp://printer.example:9100', 'refused'],
    ['tcp://10.1.2.3:9100', 'refused'],
    ['/tmp/tickets.bin', 'refused'],
    ['/etc/passwd', 'refused'],
    ['/var/lib/hallq/hall.sqlite', 'refused'],
    ['/dev/../etc/passwd', 'refused'],
    ['/dev/usb/../../etc/passwd', 'refused'],
    ['serial:/dev/../etc/passwd', 'refused'],
    ['serial:/dev/%2e%2e/etc/passwd', 'refused'],
    ['/dev/shm/x', 'refused'],
    ['/dev/fd/3', 'refused'],
    ['/dev/stdout', 'refused'],
    ['/dev/tty', 'refused'],
    ['/dev/tty1', 'refused'],
    ['/dev/pts/0', 'refused'],
    ['/dev/mem', 'refused'],
    ['/dev/sda', 'refused'],
    ['sim', 'refused'],
  ])('printer %s: %s', (uri, expected) => {
    const problem = printerProblem(parsePrinterUri(uri), rule);
    expect(problem === null ? null : 'refused').toBe(expected);
  });

  it('says the same thing whatever the path, so a refusal tells nothing about the box', () => {
    const messages = new Set(
      ['/etc/passwd', '/no/such/file', '/tmp', '/dev/null'].map((p) =>
        printerProblem(parsePrinterUri(p), rule),
      ),
    );
    expect(messages.size).toBe(1);
    expect([...messages][0]).toMatch(/installer/);
  });

  it('devices: serial ports under /dev/ by their names; the simulator only in the demo', () => {
    for (const path of [
      '/dev/ttyUSB0',
      '/dev/ttyACM1',
      '/dev/ttyS0',
      '/dev/rfcomm0',
      '/dev/serial/by-path/pci-0000:00:14.0-usb-0:2:1.0-port0',
    ])
      expect(devicePathProblem(path, rule)).toBeNull();
    for (const path of [
      '/tmp/pty-keypad',
      '/dev/pts/3',
      '/dev/ttyprintk',
      '/dev/kmsg',
      'sim',
      '/dev/serial/by-id/../../mem',
    ])
      expect(devicePathProblem(path, rule)).toMatch(/installer/);
    expect(devicePathProblem('sim', { ...rule, demo: true })).toBeNull();
  });
});
