import { describe, expect, it } from 'vitest';
import { decodeEscPos } from './escpos-decoder.ts';

// Hand-written bytes, so the decoder is checked against the ESC/POS manual rather than against our encoder.
const bytes = (...parts: (number[] | string)[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));

describe('decodeEscPos', () => {
  it('reads GB18030 text after FS &, including 2- and 4-byte characters, and counts their columns', () => {
    // 中 = D6 D0, 𠮷 (U+20BB7) = 95 34 B2 35 (index 0x10BB7 counted in the 4-byte range from 90 30 81 30), A = 41
    const decoded = decodeEscPos(
      bytes([0x1b, 0x40, 0x1c, 0x26], [0xd6, 0xd0, 0x95, 0x34, 0xb2, 0x35, 0x41, 0x0a]),
    );
    expect(decoded.initialised).toBe(true);
    expect(decoded.chineseMode).toBe(true);
    expect(decoded.multibyteOutsideChineseMode).toBe(false);
    expect(decoded.lines).toEqual(['中𠮷A']);
    expect(decoded.details[0]?.columns).toBe(5);
    expect(decoded.problems).toEqual([]);
  });

  it('flags multibyte text sent without FS &, and FS & cancelled by ESC @', () => {
    expect(decodeEscPos(bytes([0xd6, 0xd0, 0x0a])).multibyteOutsideChineseMode).toBe(true);
    const reset = decodeEscPos(bytes([0x1c, 0x26, 0x1b, 0x40, 0xd6, 0xd0, 0x0a]));
    expect(reset.multibyteOutsideChineseMode).toBe(true);
  });

  it('extracts the QR payload from the GS ( k store command and counts prints', () => {
    const url = 'https://q.example/t/7';
    const length = url.length + 3;
    const decoded = decodeEscPos(
      bytes(
        [0x1d, 0x28, 0x6b, 4, 0, 0x31, 0x41, 0x32, 0],
        [0x1d, 0x28, 0x6b, length, 0, 0x31, 0x50, 0x30],
        url,
        [0x1d, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30],
      ),
    );
    expect(decoded.qr).toEqual([url]);
    expect(decoded.qrPrinted).toBe(1);
    expect(decoded.lines).toEqual([]);
  });

  it('notes the size, bold and alignment of each line and the cut', () => {
    const decoded = decodeEscPos(
      bytes([0x1b, 0x61, 1, 0x1d, 0x21, 0x11], 'A001', [0x0a, 0x1d, 0x21, 0, 0x1b, 0x45, 1], 'x', [0x0a]),
      // GS V 66 0: feed and partial cut (4 bytes)
    );
    expect(decoded.details[0]).toMatchObject({ text: 'A001', widthScale: 2, heightScale: 2, columns: 8 });
    expect(decoded.details[0]?.align).toBe('center');
    expect(decoded.details[1]).toMatchObject({ text: 'x', bold: true, widthScale: 1 });
    expect(decodeEscPos(bytes([0x1d, 0x56, 0x42, 0])).cuts).toBe(1);
    expect(decodeEscPos(bytes([0x1d, 0x56, 1], 'after')).lines).toEqual(['after']);
  });

  it('records status requests and reports unknown, truncated and invalid input instead of guessing', () => {
    expect(decodeEscPos(bytes([0x10, 0x04, 2, 0x10, 0x04, 4])).statusRequests).toEqual([2, 4]);
    expect(decodeEscPos(bytes([0x1b, 0x7f])).problems).toEqual(['unknown ESC 0x7f']);
    expect(decodeEscPos(bytes([0x1d, 0x28, 0x6b, 20, 0, 0x31])).problems[0]).toMatch(/truncated/);
    expect(decodeEscPos(bytes([0x1c, 0x26, 0xff, 0x0a])).problems[0]).toMatch(/invalid GB18030/);
  });
});
