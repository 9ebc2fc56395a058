/**
 * QR / barcode scanner: each scan is one raw text line (no SEQ, no ACK). A code is printable text;
 * a line with control characters is line noise, not a code.
 */
export type ScannedCode = { ok: true; code: string } | { ok: false; reason: string };

export const SCAN_MAX_BYTES = 512;

export function scannedCode(line: string): ScannedCode {
  const code = line.trim();
  if (code === '') return { ok: false, reason: 'empty line' };
  for (const char of code) {
    const point = char.codePointAt(0)!;
    if (point < 0x20 || (point >= 0x7f && point < 0xa0))
      return { ok: false, reason: 'control character in scan' };
  }
  return { ok: true, code };
}

/** The bytes a scanner sends for a code (its usual suffix is CR LF). */
export function scanLine(code: string): Buffer {
  return Buffer.from(`${code}\r\n`, 'utf8');
}
