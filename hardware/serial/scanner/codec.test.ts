import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineFramer } from '../framer.ts';
import { SCAN_MAX_BYTES, scanLine, scannedCode } from './codec.ts';

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
