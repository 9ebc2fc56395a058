/**
 * What a job would print, as plain text, for the installer page in demo mode. Understands the commands
 * layout.ts sends and skips the rest by their usual lengths; not a validator (tests use their own
 * independent decoder, tests/helpers/escpos-decoder.ts).
 */
export function previewText(bytes: Uint8Array): string {
  const gb18030 = new TextDecoder('gb18030');
  let text = '';
  let run: number[] = [];
  const flush = () => {
    if (run.length > 0) text += gb18030.decode(Uint8Array.from(run));
    run = [];
  };
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b >= 0x20 || b === 0x0a) {
      run.push(b);
      i += 1;
      continue;
    }
    flush();
    const next = bytes[i + 1];
    if (b === 0x1d && next === 0x28) {
      const length = (bytes[i + 3] ?? 0) + (bytes[i + 4] ?? 0) * 256;
      if (bytes[i + 6] === 0x50) {
        text += `[QR ${String.fromCharCode(...bytes.subarray(i + 8, i + 5 + length))}]\n`;
      }
      i += 5 + length;
    } else if (b === 0x1d && next === 0x56) {
      i += bytes[i + 2]! >= 0x41 ? 4 : 3;
    } else if (b === 0x1b && next === 0x40) {
      i += 2;
    } else if (b === 0x1c && (next === 0x26 || next === 0x2e)) {
      i += 2;
    } else {
      i += 3; // ESC a/E/d/!, GS !, FS !, DLE EOT: one parameter byte
    }
  }
  flush();
  return text.replace(/\n+$/, '');
}
