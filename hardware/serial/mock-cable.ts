import type { MockBindingInterface, MockPortBinding } from '@serialport/binding-mock';
import { SerialPortMock } from 'serialport';
import type { SerialBinding, SerialBindingPort, SerialOpenOptions, SerialPortInfo } from './binding.ts';

/**
 * Two serial ports joined like a null-modem cable: the host opens one end, a device (or its simulator)
 * the other. Implemented by a socat pty pair in integration tests and by `MockCable` in memory.
 */
export interface Cable {
  readonly binding: SerialBinding;
  readonly hostPath: string;
  readonly devicePath: string;
  /** Pulls the cable: both ends see a disconnect and cannot be opened until `replug`. */
  unplug(): Promise<void>;
  replug(): Promise<void>;
  close(): Promise<void>;
}

/*
 * Built on @serialport/binding-mock through `SerialPortMock.binding`: its ESM entry point is a second
 * copy of the module with its own port registry (PROTOCOLS.md §5), so the CommonJS one from serialport is used.
 */
// The cast restores list/open, which the typings inherit from the unresolvable bindings-interface.
const mockBinding = SerialPortMock.binding as MockBindingInterface & {
  list(): Promise<SerialPortInfo[]>;
  open(options: SerialOpenOptions): Promise<MockPortBinding>;
};
let cables = 0;

/**
 * An in-memory cable over binding-mock: bytes written at one end arrive at the other end if it is
 * open, and are lost otherwise, as on a real line. Used by the demo (`path: 'sim'`) and by tests.
 */
export class MockCable implements Cable {
  readonly hostPath: string;
  readonly devicePath: string;
  readonly binding: SerialBinding;
  private plugged = true;
  private readonly ends = new Map<string, CableEnd>();

  /** `usb` gives the host end a USB vendor/product id, to test opening by id. */
  constructor(name = 'cable', usb?: { vendorId: string; productId: string }) {
    cables += 1;
    this.hostPath = `/dev/hallq-mock/${name}-${cables}-host`;
    this.devicePath = `/dev/hallq-mock/${name}-${cables}-device`;
    mockBinding.createPort(this.hostPath, usb);
    mockBinding.createPort(this.devicePath);
    this.binding = {
      list: async () => {
        if (!this.plugged) return [];
        const ours = (await mockBinding.list()).filter((port) => this.owns(port.path));
        return ours.map(({ path, vendorId, productId }) => ({ path, vendorId, productId }));
      },
      open: async (options: SerialOpenOptions) => {
        if (!this.owns(options.path)) throw new Error(`${options.path} is not an end of this cable`);
        if (!this.plugged) throw new Error(`ENOENT: ${options.path} is unplugged`);
        const end = new CableEnd(await mockBinding.open(options), (bytes) => this.carry(options.path, bytes));
        this.ends.set(options.path, end);
        return end;
      },
    };
  }

  async unplug(): Promise<void> {
    this.plugged = false;
    for (const end of this.ends.values()) end.unplug();
    this.ends.clear();
  }

  async replug(): Promise<void> {
    this.plugged = true;
  }

  async close(): Promise<void> {
    await this.unplug();
  }

  private owns(path: string): boolean {
    return path === this.hostPath || path === this.devicePath;
  }

  private carry(from: string, bytes: Buffer): void {
    const to = this.ends.get(from === this.hostPath ? this.devicePath : this.hostPath);
    if (to?.isOpen) to.inner.emitData(bytes);
  }
}

/** One open end: a binding-mock port whose writes travel down the cable and whose reads fail on unplug. */
class CableEnd implements SerialBindingPort {
  private failRead: ((error: Error) => void) | null = null;
  private unplugged = false;

  constructor(
    readonly inner: MockPortBinding,
    private readonly send: (bytes: Buffer) => void,
  ) {}

  /** Stays true after an unplug until serialport closes the port, as with a real device node. */
  get isOpen(): boolean {
    return this.inner.isOpen;
  }

  get openOptions() {
    return this.inner.openOptions;
  }

  /** A read error without `canceled` is how serialport learns of a disconnect. */
  unplug(): void {
    this.unplugged = true;
    this.failRead?.(new Error('EIO: cable unplugged'));
  }

  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    if (this.unplugged) return Promise.reject(new Error('EIO: cable unplugged'));
    return new Promise((resolve, reject) => {
      this.failRead = reject;
      this.inner.read(buffer, offset, length).then(resolve, reject);
    });
  }

  async write(buffer: Buffer): Promise<void> {
    if (this.unplugged) throw new Error('EIO: cable unplugged');
    await this.inner.write(buffer);
    this.send(Buffer.from(buffer));
  }

  async close(): Promise<void> {
    if (this.inner.isOpen) await this.inner.close();
  }

  update(options: { baudRate: number }): Promise<void> {
    return this.inner.update(options);
  }
  set(options: Record<string, boolean | undefined>): Promise<void> {
    return this.inner.set(options);
  }
  get(): Promise<{ cts: boolean; dsr: boolean; dcd: boolean }> {
    return this.inner.get();
  }
  getBaudRate(): Promise<{ baudRate: number }> {
    return this.inner.getBaudRate();
  }
  flush(): Promise<void> {
    return this.inner.flush();
  }
  drain(): Promise<void> {
    return this.inner.drain();
  }
}
