import { type Clock, type HardwareLogger, systemClock } from './common.ts';
import { createPrinter } from './printer/create-printer.ts';

export { type PrinterSpec, parsePrinterUri, printerUriProblem } from './printer/create-printer.ts';

import {
  type Paper,
  type ReceiptLayoutData,
  receiptBytes,
  type TicketLayoutData,
  ticketBytes,
} from './printer/layout.ts';
import {
  type PrinterHealth,
  type PrinterHealthStatus,
  type PrintOutcome,
  PrintQueue,
} from './printer/print-queue.ts';
import { SimulatedPrinter } from './printer/simulated-printer.ts';
import { type SerialBinding, systemSerialBinding } from './serial/binding.ts';
import { IdReaderDriver } from './serial/id-reader/driver.ts';
import { IdReaderSimulator } from './serial/id-reader/simulator.ts';
import { KeypadDriver } from './serial/keypad/driver.ts';
import { KeypadSimulator } from './serial/keypad/simulator.ts';
import { LedDriver } from './serial/led/driver.ts';
import { LedSimulator } from './serial/led/simulator.ts';
import type { DeviceConnection } from './serial/line-device.ts';
import type { LineProtocolOptions } from './serial/line-protocol.ts';
import type { LinkHealth, SerialLocation } from './serial/link.ts';
import { MockCable } from './serial/mock-cable.ts';
import { PaymentTerminalDriver } from './serial/payment/driver.ts';
import { PaymentTerminalSimulator } from './serial/payment/simulator.ts';
import { RatingPadDriver } from './serial/rating-pad/driver.ts';
import { RatingPadSimulator } from './serial/rating-pad/simulator.ts';
import { ScannerDriver } from './serial/scanner/driver.ts';
import { ScannerSimulator } from './serial/scanner/simulator.ts';

export type { HardwareLogger } from './common.ts';
export { PrinterEmulator } from './printer/emulator.ts';
export type { Bilingual, Paper, ReceiptLayoutData, TicketLayoutData } from './printer/layout.ts';
export type { PrinterHealth, PrintOutcome, PrintProblem } from './printer/print-queue.ts';
export type { PrinterStatus, PrintJob, TicketPrinter } from './printer/types.ts';
export { PrinterError } from './printer/types.ts';
export { DeviceError } from './serial/device-error.ts';
export type { IdCardSummary, IdReadResult } from './serial/id-reader/driver.ts';
export type { KeypadKey, KeypadPress } from './serial/keypad/codec.ts';
export { CANCELLED_REASON, type PaymentReport } from './serial/payment/codec.ts';
export type { PaymentResult } from './serial/payment/driver.ts';
export type { RatingReport, ServqualDimension } from './serial/rating-pad/codec.ts';
export type {
  IdReaderDriver,
  IdReaderSimulator,
  KeypadDriver,
  KeypadSimulator,
  LedDriver,
  LedSimulator,
  PaymentTerminalDriver,
  PaymentTerminalSimulator,
  RatingPadDriver,
  RatingPadSimulator,
  ScannerDriver,
  ScannerSimulator,
  SimulatedPrinter,
};

export const SERIAL_DEVICE_KINDS = [
  'id-reader',
  'scanner',
  'keypad',
  'led',
  'rating-pad',
  'payment',
] as const;
export type SerialDeviceKind = (typeof SERIAL_DEVICE_KINDS)[number];

/**
 * How to reach one serial device: `path` (prefer /dev/serial/by-id/…) or its adapter's USB ids; `path:
 * 'sim'` attaches the device's simulator through an in-memory cable (the demo default). The host's own
 * description of a device may say more (the counter or kiosk it serves): the hardware hands it back on
 * the attached device as it was given.
 */
export type SerialDeviceSpec = {
  id: string;
  kind: SerialDeviceKind;
  path?: string;
  vendorId?: string;
  productId?: string;
  baudRate?: number;
};

type Attached<K extends SerialDeviceKind, D, S, C> = {
  id: string;
  kind: K;
  config: C;
  driver: D;
  simulator: S | null;
};

/** A configured device with its typed driver, and its simulator when it is simulated (`path: 'sim'`). */
export type AttachedDevice<C extends SerialDeviceSpec = SerialDeviceSpec> =
  | Attached<'keypad', KeypadDriver, KeypadSimulator, C>
  | Attached<'led', LedDriver, LedSimulator, C>
  | Attached<'rating-pad', RatingPadDriver, RatingPadSimulator, C>
  | Attached<'payment', PaymentTerminalDriver, PaymentTerminalSimulator, C>
  | Attached<'scanner', ScannerDriver, ScannerSimulator, C>
  | Attached<'id-reader', IdReaderDriver, IdReaderSimulator, C>;

/** A serial link's state as a device's health: `removed` once when it is taken out of the list. */
export type SerialHealthStatus = 'ok' | 'connecting' | 'offline' | 'closed' | 'removed';

/** One device's health: the printer's (id `printer`) or a serial device's. */
export type DeviceHealth = {
  id: string;
  kind: SerialDeviceKind | 'printer';
  status: PrinterHealthStatus | SerialHealthStatus;
  detail: string;
};

export type HardwareOptions<C extends SerialDeviceSpec = SerialDeviceSpec> = {
  /** HALLQ_PRINTER: `sim`, `tcp://host:port`, `serial:/dev/…?baud=…` or a device file (see createPrinter). */
  printer: string;
  paper?: Paper;
  devices: C[];
  logger: HardwareLogger;
  /** The serial binding for real devices; the operating system's by default. */
  bindings?: { serial?: SerialBinding };
  clock?: Clock;
  /** The hall's IANA time zone, for ID card ages. */
  timeZone?: string;
  /** Secret for ID number hashes; required when an ID reader is configured. */
  idHashSalt?: string;
  printQueue?: { maxAgeMs?: number; pollIntervalMs?: number };
  protocol?: LineProtocolOptions;
};

export type Hardware<C extends SerialDeviceSpec = SerialDeviceSpec> = {
  /** The printer's connection (see createPrinter), as configured now. */
  readonly printerUri: string;
  /** The simulator when the printer is `sim`: faults and the last tickets as text for the installer page. */
  readonly printerSimulator: SimulatedPrinter | null;
  paper: Paper;
  /** Lays the ticket out and queues it; never rejects for printer trouble (see PrintOutcome). */
  printTicket(ticket: TicketLayoutData): Promise<PrintOutcome>;
  printReceipt(receipt: ReceiptLayoutData): Promise<PrintOutcome>;
  devices: ReadonlyMap<string, AttachedDevice<C>>;
  devicesOf<K extends SerialDeviceKind>(kind: K): Extract<AttachedDevice<C>, { kind: K }>[];
  health(): DeviceHealth[];
  /**
   * Connects another ticket printer while running: jobs waiting for the old one fail as `offline` (the
   * kiosk shows the number instead), the new one starts empty. Throws, changing nothing, on a bad URI.
   */
  setPrinter(uri: string): Promise<void>;
  /**
   * Replaces the serial device list while running: removed and re-connected devices are closed first
   * (reported as `removed` when gone), new ones attached; unchanged connections stay open. Throws, and
   * changes nothing, on a list that cannot work.
   */
  reconfigure(devices: C[]): Promise<void>;
  /** Every change of any device's status. Returns the unsubscribe function. */
  onStatus(listener: (health: DeviceHealth) => void): () => void;
  close(): Promise<void>;
};

/** What is wrong with a device list, as messages; empty when it is usable. */
export function deviceConfigProblems(devices: readonly SerialDeviceSpec[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>(['printer']);
  for (const device of devices) {
    const name = `device ${device.id || '(no id)'}`;
    if (!device.id) problems.push(`${name}: needs an id`);
    else if (seen.has(device.id)) problems.push(`${name}: the id is used twice (or is "printer")`);
    seen.add(device.id);
    if (!SERIAL_DEVICE_KINDS.includes(device.kind)) problems.push(`${name}: unknown kind ${device.kind}`);
    const usb = device.vendorId !== undefined || device.productId !== undefined;
    if (!device.path && !(device.vendorId && device.productId)) {
      problems.push(`${name}: needs a path, or a vendorId and a productId`);
    } else if (device.path && usb) {
      problems.push(`${name}: give a path or USB ids, not both`);
    }
    if (device.baudRate !== undefined && !(Number.isInteger(device.baudRate) && device.baudRate > 0)) {
      problems.push(`${name}: baudRate must be a positive integer`);
    }
  }
  return problems;
}

/**
 * Opens the printer and every configured device. Returns at once: serial devices connect in the
 * background and keep reconnecting; their state shows in `health()` and `onStatus`. Throws on a
 * configuration that cannot work (unknown printer URI, bad device list, ID reader without a salt).
 */
export function createHardware<C extends SerialDeviceSpec>(options: HardwareOptions<C>): Hardware<C> {
  const problems = configurationProblems(options.devices, options);
  if (problems.length > 0) throw new Error(`hardware configuration: ${problems.join('; ')}`);

  const { logger } = options;
  const clock = options.clock ?? systemClock;
  const paper = options.paper ?? { columns: 48 };
  const listeners = new Set<(health: DeviceHealth) => void>();
  const notify = (health: DeviceHealth) => {
    for (const listener of listeners) listener(health);
  };
  const openPrinter = (uri: string) => {
    const printer = createPrinter(uri, {
      clock,
      ...(options.bindings?.serial && { binding: options.bindings.serial }),
    });
    const queue = new PrintQueue(printer, { logger, clock, ...options.printQueue });
    queue.onStatus((health) => notify(printerStatus(health)));
    return { uri, printer, queue };
  };
  let printing = openPrinter(options.printer);

  /** Each device with its in-memory cable when simulated, and what stops its status reports. */
  const devices = new Map<string, AttachedDevice<C>>();
  const parts = new Map<string, { cable: MockCable | null; unsubscribe: () => void }>();
  const add = (config: C) => {
    const cable = config.path === 'sim' ? new MockCable(config.id) : null;
    const connection = (end: 'host' | 'device'): DeviceConnection => ({
      name: end === 'host' ? config.id : `${config.id} (simulator)`,
      binding: cable?.binding ?? options.bindings?.serial ?? systemSerialBinding,
      location: cable ? { path: end === 'host' ? cable.hostPath : cable.devicePath } : locationOf(config),
      logger,
      clock,
      ...(config.baudRate && { baudRate: config.baudRate }),
      ...(options.protocol && { protocol: options.protocol }),
    });
    const device = attach(config, connection, cable !== null, options);
    devices.set(config.id, device);
    const unsubscribe = device.driver.onHealth((health) => notify(serialStatus(config, health)));
    parts.set(config.id, { cable, unsubscribe });
  };
  const shut = async (id: string) => {
    const device = devices.get(id);
    const cable = parts.get(id)?.cable;
    await Promise.all([device?.driver.close(), device?.simulator?.close()]);
    await cable?.close();
  };
  /** Out of the configuration: no more status reports, closed, forgotten. */
  const remove = async (id: string) => {
    parts.get(id)?.unsubscribe();
    const closing = shut(id);
    devices.delete(id);
    parts.delete(id);
    await closing;
  };
  for (const config of options.devices) add(config);
  let changing = Promise.resolve();

  const closePrinter = async ({ printer, queue }: typeof printing) => {
    await queue.close();
    await printer.close();
  };

  return {
    get printerUri() {
      return printing.uri;
    },
    get printerSimulator() {
      return printing.printer instanceof SimulatedPrinter ? printing.printer : null;
    },
    paper,
    printTicket: (ticket) =>
      printing.queue.enqueue({ label: `ticket ${ticket.number}`, bytes: ticketBytes(ticket, paper) }),
    printReceipt: (receipt) =>
      printing.queue.enqueue({ label: `receipt ${receipt.reference}`, bytes: receiptBytes(receipt, paper) }),
    devices,
    devicesOf: <K extends SerialDeviceKind>(kind: K) =>
      [...devices.values()].filter((d): d is Extract<AttachedDevice<C>, { kind: K }> => d.kind === kind),
    health: () => [
      printerStatus(printing.queue.health()),
      ...[...devices.values()].map((d) => serialStatus(d.config, d.driver.health())),
    ],
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reconfigure(next) {
      const problems = configurationProblems(next, options);
      if (problems.length > 0)
        return Promise.reject(new Error(`hardware configuration: ${problems.join('; ')}`));
      // One change at a time: a second waits until the first has closed and opened its devices.
      const run = changing.then(() => replaceDevices(next));
      changing = run.catch(() => {});
      return run;
    },
    async setPrinter(uri) {
      const old = printing;
      printing = openPrinter(uri);
      await closePrinter(old);
      notify(printerStatus(printing.queue.health()));
    },
    async close() {
      await changing;
      await closePrinter(printing);
      await Promise.all([...devices.keys()].map(shut));
    },
  };

  async function replaceDevices(next: C[]): Promise<void> {
    const wanted = new Map(next.map((config) => [config.id, config]));
    // A device whose connection is unchanged keeps its open link; only what it serves may change.
    const reopened = [...devices.values()].filter((d) => {
      const config = wanted.get(d.id);
      return !config || !sameConnection(d.config, config);
    });
    // Closed before anything is opened: a changed device may reopen the same port.
    await Promise.all(reopened.map((d) => remove(d.id)));
    for (const config of next) {
      const kept = devices.get(config.id);
      if (kept) devices.set(config.id, { ...kept, config });
      else add(config);
    }
    for (const d of reopened)
      if (!wanted.has(d.id)) notify({ id: d.id, kind: d.kind, status: 'removed', detail: '' });
  }
}

function configurationProblems(
  devices: readonly SerialDeviceSpec[],
  options: HardwareOptions<SerialDeviceSpec>,
): string[] {
  const problems = deviceConfigProblems(devices);
  if (devices.some((d) => d.kind === 'id-reader') && !options.idHashSalt)
    problems.push('an ID reader needs idHashSalt, the secret for ID number hashes');
  return problems;
}

function sameConnection(a: SerialDeviceSpec, b: SerialDeviceSpec): boolean {
  return (
    a.kind === b.kind &&
    a.path === b.path &&
    a.vendorId === b.vendorId &&
    a.productId === b.productId &&
    a.baudRate === b.baudRate
  );
}

function attach<C extends SerialDeviceSpec>(
  config: C,
  connection: (end: 'host' | 'device') => DeviceConnection,
  simulated: boolean,
  options: HardwareOptions<C>,
): AttachedDevice<C> {
  const base = { id: config.id, config };
  const host = connection('host');
  // Simulators start after their driver so both ends exist; they share nothing but the cable.
  const sim = <S>(make: (c: DeviceConnection) => S): S | null =>
    simulated ? make(connection('device')) : null;
  switch (config.kind) {
    case 'keypad':
      return {
        ...base,
        kind: 'keypad',
        driver: new KeypadDriver(host),
        simulator: sim((c) => new KeypadSimulator(c)),
      };
    case 'led':
      return {
        ...base,
        kind: 'led',
        driver: new LedDriver(host),
        simulator: sim((c) => new LedSimulator(c)),
      };
    case 'rating-pad':
      return {
        ...base,
        kind: 'rating-pad',
        driver: new RatingPadDriver(host),
        simulator: sim((c) => new RatingPadSimulator(c)),
      };
    case 'payment':
      return {
        ...base,
        kind: 'payment',
        driver: new PaymentTerminalDriver(host),
        simulator: sim((c) => new PaymentTerminalSimulator(c)),
      };
    case 'scanner':
      return {
        ...base,
        kind: 'scanner',
        driver: new ScannerDriver(host),
        simulator: sim((c) => new ScannerSimulator(c)),
      };
    case 'id-reader':
      return {
        ...base,
        kind: 'id-reader',
        driver: new IdReaderDriver(host, {
          salt: options.idHashSalt!,
          timeZone: options.timeZone ?? 'Asia/Shanghai',
          ...(options.clock && { clock: options.clock }),
        }),
        simulator: sim((c) => new IdReaderSimulator(c)),
      };
  }
}

function locationOf(config: SerialDeviceSpec): SerialLocation {
  return config.path ? { path: config.path } : { vendorId: config.vendorId!, productId: config.productId! };
}

function printerStatus(health: PrinterHealth): DeviceHealth {
  return { id: 'printer', kind: 'printer', status: health.status, detail: health.detail };
}

const SERIAL_STATUS: Record<LinkHealth['state'], SerialHealthStatus> = {
  open: 'ok',
  connecting: 'connecting',
  down: 'offline',
  closed: 'closed',
};

function serialStatus(config: SerialDeviceSpec, health: LinkHealth): DeviceHealth {
  return { id: config.id, kind: config.kind, status: SERIAL_STATUS[health.state], detail: health.detail };
}
