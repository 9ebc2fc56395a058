import iconv from 'iconv-lite';
import thermal from 'node-thermal-printer';

/**
 * The ESC/POS job builder: node-thermal-printer (the customer's stack) builds the commands — modes,
 * sizes, the QR symbol, the cut — and HallQ adds every piece of text itself, encoded as GB18030 after
 * `FS &`. The library's own text path is never used: its CHINA set is GBK (`?` outside GBK, sometimes
 * Big5), it never sends `FS &`, and its column layout counts a Chinese character as one (PROTOCOLS.md §1).
 * Only its buffer is used; the bytes go out through HallQ's transports (tcp/serial/file-printer.ts).
 */
const { ThermalPrinter, PrinterTypes } = thermal;

/** The library wants an interface even when only its buffer is read; this one is never executed. */
const bufferOnly = {
  getPrinterName: () => 'hallq-buffer',
  isPrinterConnected: async () => false,
  execute: async () => {
    throw new Error('escpos.ts builds bytes only; printing goes through HallQ transports');
  },
};

const FS_AMPERSAND = Buffer.from([0x1c, 0x26]);

export type Align = 'left' | 'center' | 'right';

export class EscPosBuilder {
  private readonly job = new ThermalPrinter({
    type: PrinterTypes.EPSON,
    // Its typings say a string; a custom interface object is accepted at run time (PROTOCOLS.md §1).
    interface: bufferOnly as unknown as string,
    removeSpecialCharacters: false,
  });

  /** ESC @ resets modes left by an earlier job; FS & lets the firmware read multibyte GB18030. */
  begin(): this {
    this.job.add(Buffer.from([0x1b, 0x40]));
    this.job.add(FS_AMPERSAND);
    return this;
  }

  align(align: Align): this {
    if (align === 'center') this.job.alignCenter();
    else if (align === 'right') this.job.alignRight();
    else this.job.alignLeft();
    return this;
  }

  bold(on: boolean): this {
    this.job.bold(on);
    return this;
  }

  /** Width and height multipliers 1–8 (GS !). */
  size(width: number, height: number): this {
    if (width === 1 && height === 1) this.job.setTextNormal();
    else this.job.setTextSize(height - 1, width - 1);
    return this;
  }

  line(text = ''): this {
    if (text) this.job.add(iconv.encode(printable(text), 'gb18030'));
    this.job.newLine();
    return this;
  }

  /** A QR code (model 2, error correction M). The library counts string length, so ASCII payloads only. */
  qr(payload: string, moduleSize: number): this {
    if (!/^[\x20-\x7e]*$/.test(payload)) throw new RangeError('QR payloads must be ASCII');
    this.job.printQR(payload, { cellSize: moduleSize, correction: 'M', model: 2 });
    return this;
  }

  /** Feeds past the cutter, then a partial cut. */
  cut(feedLines: number): this {
    this.job.add(Buffer.from([0x1b, 0x64, feedLines]));
    this.job.partialCut();
    return this;
  }

  bytes(): Uint8Array {
    return this.job.getBuffer();
  }
}

/**
 * Text as the printer may receive it: control characters would be read as commands (an ESC in a hall
 * name could reconfigure the printer), and a lone UTF-16 surrogate has no GB18030 form.
 */
function printable(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0)) continue;
    out += code >= 0xd800 && code <= 0xdfff ? '\ufffd' : char;
  }
  return out;
}
