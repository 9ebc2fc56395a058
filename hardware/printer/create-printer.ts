import type { Clock } from '../common.ts';
import { type SerialBinding, systemSerialBinding } from '../serial/binding.ts';
import type { StatusPolicy } from './connection.ts';
import { FilePrinter } from './file-printer.ts';
import { SerialPrinter } from './serial-printer.ts';
import { SimulatedPrinter } from './simulated-printer.ts';
import { TcpPrinter } from './tcp-printer.ts';
import type { TicketPrinter } from './types.ts';

export type CreatePrinterOptions = { binding?: SerialBinding; clock?: Clock };

/**
 * The printer named by `HALLQ_PRINTER`:
 * - `sim` — the in-memory simulator (the demo default);
 * - `tcp://host[:port]` — raw TCP, port 9100 by default;
 * - `serial:/dev/ttyUSB0?baud=19200` — a serial line, 9600 baud by default;
 * - `/dev/usb/lp0` — a device file (no status).
 * TCP and serial take `status=off` for printers that do not answer DLE EOT, and `timeout=<ms>`.
 * Throws on anything else: a typo must stop the boot, not print nowhere.
 */
export function createPrinter(uri: string, options: CreatePrinterOptions = {}): TicketPrinter {
  const spec = parsePrinterUri(uri);
  switch (spec.kind) {
    case 'sim':
      return new SimulatedPrinter(options.clock);
    case 'file':
      return new FilePrinter(spec.path, 5000);
    case 'tcp':
      return new TcpPrinter(spec);
    case 'serial':
      return new SerialPrinter({ ...spec, binding: options.binding ?? systemSerialBinding });
  }
}

/** What is wrong with a printer URI, or null when createPrinter takes it. */
export function printerUriProblem(uri: string): string | null {
  try {
    parsePrinterUri(uri);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export type PrinterSpec =
  | { kind: 'sim' }
  | { kind: 'file'; path: string }
  | { kind: 'tcp'; host: string; port: number; status: StatusPolicy; timeoutMs: number }
  | { kind: 'serial'; path: string; baudRate: number; status: StatusPolicy; timeoutMs: number };

/** What a printer URI names: the simulator, a device file, a TCP host and port, or a serial line. Throws when it names nothing. */
export function parsePrinterUri(uri: string): PrinterSpec {
  if (uri === 'sim') return { kind: 'sim' };
  if (uri.startsWith('/')) return { kind: 'file', path: uri };
  const url = parseUri(uri);
  const timeoutMs = positiveInteger(url.searchParams.get('timeout') ?? '5000', 'timeout', uri);
  const status: StatusPolicy = {
    queries: url.searchParams.get('status') !== 'off',
    replyTimeoutMs: Math.min(timeoutMs, 2000),
  };
  if (url.protocol === 'tcp:') {
    if (!url.hostname) throw new Error(`printer URI ${uri} names no host`);
    const port = url.port ? positiveInteger(url.port, 'port', uri) : 9100;
    return { kind: 'tcp', host: url.hostname, port, status, timeoutMs };
  }
  if (url.protocol === 'serial:') {
    if (!url.pathname.startsWith('/')) throw new Error(`printer URI ${uri} names no device path`);
    const baudRate = positiveInteger(url.searchParams.get('baud') ?? '9600', 'baud', uri);
    return { kind: 'serial', path: url.pathname, baudRate, status, timeoutMs };
  }
  throw new Error(`unsupported printer URI ${uri}: use sim, tcp://host:port, serial:/dev/… or a device path`);
}

function parseUri(uri: string): URL {
  try {
    return new URL(uri);
  } catch {
    throw new Error(
      `unsupported printer URI ${uri}: use sim, tcp://host:port, serial:/dev/… or a device path`,
    );
  }
}

function positiveInteger(text: string, name: string, uri: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`printer URI ${uri}: ${name} must be a positive integer`);
  return value;
}
