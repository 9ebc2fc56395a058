/**
 * What a manager may connect through the web (`PUT /config/printer`, `PUT /config/devices`): a serial
 * port or printer device under /dev/ by its usual names, USB ids, and a network printer at an address
 * on the hall's network. Anything else — a file elsewhere, a host name, loopback, another network, the
 * simulator outside the demo — is the installer's word (the hall file, HALLQ_PRINTER, HALLQ_DEVICES);
 * a connection already in force (one the installer seeded) may be kept as it is.
 *
 * The rule reads only the text it is given, never the file system: its refusal is the same for a file
 * that exists and one that does not, so it cannot be used to probe the box.
 */
import { isIP } from 'node:net';
import type { NetworkInterfaceInfo } from 'node:os';
import type { PrinterSpec } from '../../hardware/index.ts';

/** Serial ports and printers as Linux names them; not terminals, consoles, memory or disks. */
const DEVICE_PATHS = [
  /^\/dev\/tty(S|USB|ACM|AMA|THS|mxc)\d{1,3}$/,
  /^\/dev\/rfcomm\d{1,3}$/,
  /^\/dev\/(usb\/)?lp\d{1,3}$/,
  /^\/dev\/serial\/by-(id|path)\/[A-Za-z0-9][A-Za-z0-9_.:+-]{0,200}$/,
];

export const isWebDevicePath = (path: string): boolean => DEVICE_PATHS.some((p) => p.test(path));

export type WebConnectionRule = {
  demo: boolean;
  /** The box's network interfaces now (os.networkInterfaces): their subnets are the hall's network. */
  interfaces: () => NetworkInterfaceInfo[];
};

const DEVICE_HINT =
  'a device under /dev/ (ttyUSB0, ttyACM0, ttyS0, usb/lp0, serial/by-id/…; other paths are the installer’s: HALLQ_DEVICES or the hall file)';
const PRINTER_HINT =
  'a printer device under /dev/ (/dev/usb/lp0, serial:/dev/ttyUSB0) or tcp://<an address on the hall’s network>:9100; other connections are the installer’s: HALLQ_PRINTER or the hall file';

/** The problem with a serial device's path set through the web, or null. */
export function devicePathProblem(path: string, rule: WebConnectionRule): string | null {
  if (isWebDevicePath(path) || (rule.demo && path === 'sim')) return null;
  return `through the web a device is ${DEVICE_HINT}`;
}

/** The problem with a printer connection set through the web, or null. */
export function printerProblem(spec: PrinterSpec, rule: WebConnectionRule): string | null {
  const allowed =
    (spec.kind === 'sim' && rule.demo) ||
    ((spec.kind === 'file' || spec.kind === 'serial') && isWebDevicePath(spec.path)) ||
    (spec.kind === 'tcp' && onHallNetwork(spec.host, rule.interfaces()));
  return allowed ? null : `through the web the printer is ${PRINTER_HINT}`;
}

/**
 * Whether a host is an IP address (written out; a name could resolve anywhere) inside the subnet of one
 * of the box's own network interfaces, loopback and link-local excluded.
 */
export function onHallNetwork(host: string, interfaces: NetworkInterfaceInfo[]): boolean {
  const address = host.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(address);
  if (family === 0 || address.includes('%')) return false; // not an address, or one with a zone
  const bits = toBits(address, family);
  return interfaces.some((i) => {
    if (i.internal || i.cidr === null || (i.family === 'IPv4' ? 4 : 6) !== family) return false;
    if (family === 4 ? i.address.startsWith('169.254.') : /^fe[89ab]/i.test(i.address)) return false;
    const prefix = Number(i.cidr.split('/')[1]);
    const size = family === 4 ? 32 : 128;
    const mask = ((1n << BigInt(prefix)) - 1n) << BigInt(size - prefix);
    return (toBits(i.address, family) & mask) === (bits & mask);
  });
}

/** An IPv4 or IPv6 address as its number. */
function toBits(address: string, family: number): bigint {
  if (family === 4) return address.split('.').reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n);
  const [head = '', tail = ''] = address.split('::');
  const words = (s: string) => (s ? s.split(':') : []);
  // An IPv4 tail (::ffff:1.2.3.4) is two words.
  const expand = (ws: string[]) =>
    ws.flatMap((w) =>
      w.includes('.') ? [(toBits(w, 4) >> 16n).toString(16), (toBits(w, 4) & 0xffffn).toString(16)] : [w],
    );
  const left = expand(words(head));
  const right = expand(words(tail));
  const all = address.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return all.reduce((n, w) => (n << 16n) | BigInt(`0x${w}`), 0n);
}
