import { SerialPort } from 'serialport';

/*
 * The binding contract of @serialport/bindings-interface, as far as HallQ uses it. Written out here
 * because that package's typings do not resolve under `moduleResolution: bundler` (its exports map has
 * no `types` condition), which would leave every binding typed `any`.
 */

export type SerialPortInfo = { path: string; vendorId?: string | undefined; productId?: string | undefined };

export type SerialOpenOptions = { path: string; baudRate: number; lock?: boolean };

/** One open port. Reads pending at close fail with `canceled: true`; any other read error is an unplug. */
export interface SerialBindingPort {
  readonly isOpen: boolean;
  readonly openOptions: Required<SerialOpenOptions> & Record<string, unknown>;
  close(): Promise<void>;
  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }>;
  write(buffer: Buffer): Promise<void>;
  update(options: { baudRate: number }): Promise<void>;
  set(options: Record<string, boolean | undefined>): Promise<void>;
  get(): Promise<{ cts: boolean; dsr: boolean; dcd: boolean }>;
  getBaudRate(): Promise<{ baudRate: number }>;
  flush(): Promise<void>;
  drain(): Promise<void>;
}

/**
 * How serialport reaches ports: the operating system's binding in production, a mock or a cable
 * simulation in tests and the demo. Always passed in: the caller chooses the implementation.
 */
export interface SerialBinding {
  list(): Promise<SerialPortInfo[]>;
  open(options: SerialOpenOptions): Promise<SerialBindingPort>;
}

export const systemSerialBinding: SerialBinding = SerialPort.binding;
