import iconv from 'iconv-lite';

/**
 * The ESC/POS subset HallQ sends, and a byte builder that encodes all text as GB18030 itself
 * (node-thermal-printer's CHINA set is GBK: `?` for characters outside GBK, sometimes Big5; STACK.md).
 */
const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const LF = 0x0a;

export type Align = 'left' | 'center' | 'right';
const ALIGN_CODE: Record<Align, number> = { left: 0, center: 1, right: 2 };

export class EscPosBuilder {
  private readonly chunks: Uint8Array[] = [];

  /** ESC @ resets modes left by an earlier job; FS & lets the firmware read multibyte GB18030. */
  begin(): this {
    return this.raw(ESC, 0x40, FS, 0x26);
  }

  align(align: Align): this {
    return this.raw(ESC, 0x61, ALIGN_CODE[align]);
  }

  bold(on: boolean): this {
    return this.raw(ESC, 0x45, on ? 1 : 0);
  }

  /** GS ! with width and height multipliers 1–8. */
  size(width: number, height: number): this {
    return this.raw(GS, 0x21, ((width - 1) << 4) | (height - 1));
  }

  line(text = ''): this {
    if (text) this.chunks.push(iconv.encode(printable(text), 'gb18030'));
    return this.raw(LF);
  }

  /** A QR code (model 2, error correction M) of an ASCII payload: the length field counts its bytes. */
  qr(payload: string, moduleSize: number): this {
    const data = Buffer.from(payload, 'latin1');
    const storeLength = data.length + 3;
    this.raw(GS, 0x28, 0x6b, 4, 0, 0x31, 0x41, 0x32, 0); // model 2
    this.raw(GS, 0x28, 0x6b, 3, 0, 0x31, 0x43, moduleSize);
    this.raw(GS, 0x28, 0x6b, 3, 0, 0x31, 0x45, 0x31); // error correction M (15 %)
    this.raw(GS, 0x28, 0x6b, storeLength & 0xff, storeLength >> 8, 0x31, 0x50, 0x30);
    this.chunks.push(data);
    return this.raw(GS, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30); // print the stored symbol
  }

  /** Feeds past the cutter, then a partial cut (GS V 66 0). */
  cut(feedLines: number): this {
    return this.raw(ESC, 0x64, feedLines, GS, 0x56, 0x42, 0);
  }

  bytes(): Uint8Array {
    return Buffer.concat(this.chunks);
  }

  private raw(...bytes: number[]): this {
    this.chunks.push(Uint8Array.from(bytes));
    return this;
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
