import { lineFramer } from '../framer.ts';
import type { DeviceConnection } from '../line-device.ts';
import { SerialDevice } from '../line-device.ts';
import { SerialLink } from '../link.ts';
import { SCAN_MAX_BYTES, scanLine } from './codec.ts';

/** A scanner on the far end of a cable. It never reads, so its controls are what it sends. */
export class ScannerSimulator extends SerialDevice {
  protected readonly link: SerialLink<string>;

  constructor(connection: DeviceConnection) {
    super();
    this.link = new SerialLink({
      ...connection,
      baudRate: connection.baudRate ?? 9600,
      framer: lineFramer(SCAN_MAX_BYTES),
    }).start();
  }

  /** A customer scans a code; resolves once the bytes left the simulator. */
  scan(code: string): Promise<void> {
    return this.link.write(scanLine(code));
  }

  /** Bytes exactly as given: noise, partial lines. */
  sendRaw(bytes: string | Uint8Array): Promise<void> {
    return this.link.write(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
  }

  close(): Promise<void> {
    return this.link.close();
  }
}
