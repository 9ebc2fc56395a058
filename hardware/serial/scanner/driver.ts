import { lineFramer } from '../framer.ts';
import type { DeviceConnection } from '../line-device.ts';
import { SerialDevice } from '../line-device.ts';
import { SerialLink } from '../link.ts';
import { SCAN_MAX_BYTES, scannedCode } from './codec.ts';

/** A kiosk's QR / barcode scanner: reports each scanned code; noise is dropped with a warning. */
export class ScannerDriver extends SerialDevice {
  protected readonly link: SerialLink<string>;

  constructor(private readonly connection: DeviceConnection) {
    super();
    this.link = new SerialLink({
      ...connection,
      baudRate: connection.baudRate ?? 9600,
      framer: lineFramer(SCAN_MAX_BYTES),
    }).start();
  }

  onScan(listener: (code: string) => void): () => void {
    return this.link.onFrame((line) => {
      const scanned = scannedCode(line);
      if (scanned.ok) listener(scanned.code);
      else
        this.connection.logger.warn('scanner line dropped', {
          device: this.connection.name,
          reason: scanned.reason,
        });
    });
  }

  close(): Promise<void> {
    return this.link.close();
  }
}
