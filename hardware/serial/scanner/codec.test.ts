import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineFramer } from '../framer.ts';
import { SCAN_MAX_BYTES, scanLine, scannedCode } from './codec.ts';

describe('scanner codec: known answers from PROTOCOLS.md §4', () => {
  it('takes the bytes of a scan, CR LF or LF, as the code', () => {
    const wire = Uint8Array.of(
      ...Buffer.from('https://hall.example/a/APPT-42', 'ascii'),
      0x0d,
      0x0a,
      ...Buffer.from('6901234567892', 'ascii'),
      0x0a,
    );
    const lines = lineFramer(SCAN_MAX_BYTES).push(wire).frames;
    expect(lines.map(scannedCode)).toEqual([
      { ok: true, code: 'https://hall.example/a/APPT-42' },
      { ok: true, code: '6901234567892' },
    ]);
    expect([...scanLine('6901234567892')]).toEqual([
      0x36, 0x39, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x32, 0x0d, 0x0a,
    ]);
  });

  it('drops line noise and a line longer than 512 bytes', () => {
    const framer = lineFramer(SCAN_MAX_BYTES);
    const noisy = framer.push(Uint8Array.of(0x41, 0x07, 0x42, 0x0d, 0x0a));
    expect(noisy.frames.map(scannedCode)).toEqual([{ ok: false, reason: 'control character in scan' }]);
    const long = framer.push(Buffer.from(`${'9'.repeat(513)}\r\nOK\r\n`, 'ascii'));
    expect(long.frames).toEqual(['OK']);
    expect(long.discarded).toEqual([{ reason: 'line longer than 512 bytes', bytes: 513 }]);
  });
});

describe('scanner codec', () => {
  it('takes a scanned line as the code, trimmed', () => {
    expect(scannedCode(' https://hall.example/a/APPT-42 ')).toEqual({
      ok: true,
      code: 'https://hall.example/a/APPT-42',
    });
  });

  it('rejects empty lines and lines with control characters as noise', () => {
    expect(scannedCode('   ')).toEqual({ ok: false, reason: 'empty line' });
    expect(scannedCode('AB\u0007C')).toEqual({ ok: false, reason: 'control character in scan' });
  });

  it('gets back what a scanner sends, and never throws on any bytes', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[!-~][ -~]{0,80}[!-~]$/), (code) => {
        const [line] = lineFramer(SCAN_MAX_BYTES).push(scanLine(code)).frames;
        expect(scannedCode(line!)).toEqual({ ok: true, code });
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        for (const line of lineFramer(SCAN_MAX_BYTES).push(bytes).frames) scannedCode(line);
      }),
    );
  });
});
