import { describe, expect, it } from 'vitest';
import { createPrinter } from './create-printer.ts';
import { FilePrinter } from './file-printer.ts';
import { SerialPrinter } from './serial-printer.ts';
import { SimulatedPrinter } from './simulated-printer.ts';
import { TcpPrinter } from './tcp-printer.ts';

describe('createPrinter', () => {
  it('picks the driver from the URI', () => {
    expect(createPrinter('sim')).toBeInstanceOf(SimulatedPrinter);
    const tcp = createPrinter('tcp://10.0.0.7');
    expect(tcp).toBeInstanceOf(TcpPrinter);
    expect(tcp.description).toBe('tcp://10.0.0.7:9100');
    expect(createPrinter('tcp://127.0.0.1:9101?status=off').description).toBe('tcp://127.0.0.1:9101');
    const serial = createPrinter('serial:/dev/ttyUSB0?baud=19200');
    expect(serial).toBeInstanceOf(SerialPrinter);
    expect(serial.description).toBe('serial:/dev/ttyUSB0?baud=19200');
    expect(createPrinter('/dev/usb/lp0')).toBeInstanceOf(FilePrinter);
  });

  it('refuses URIs it cannot honour, so a typo stops the boot', () => {
    expect(() => createPrinter('simulator')).toThrow(/unsupported printer URI/);
    expect(() => createPrinter('http://printer/')).toThrow(/unsupported printer URI/);
    expect(() => createPrinter('tcp://host:9100?timeout=soon')).toThrow(/timeout must be a positive integer/);
    expect(() => createPrinter('serial:/dev/ttyS0?baud=0')).toThrow(/baud must be a positive integer/);
  });
});
