/**
 * A test-only ESC/POS reader, written apart from hardware/printer so that a mistake in the encoder cannot
 * hide itself: it shares no code with it, reads text through ICU (`TextDecoder('gb18030')`) rather than
 * iconv-lite, and counts columns from the GB18030 byte structure rather than from Unicode properties.
 */
export type DecodedLine = {
  text: string;
  /** Printed columns: 1 per single-byte character, 2 per 2- or 4-byte GB18030 character, times width. */
  columns: number;
  bold: boolean;
  widthScale: number;
  heightScale: number;
  align: 'left' | 'center' | 'right';
};

export type DecodedEscPos = {
  lines: string[];
  details: DecodedLine[];
  /** Payloads stored with GS ( k (function 80), in order. */
  qr: string[];
  /** How many stored QR symbols were printed (GS ( k function 81). */
  qrPrinted: number;
  cut: boolean;
  cuts: number;
  initialised: boolean;
  /** FS & was in force at some point. */
  chineseMode: boolean;
  /** A byte ≥ 0x80 arrived while FS & was not in force: the printer would print it as a Latin glyph. */
  multibyteOutsideChineseMode: boolean;
  /** DLE EOT n status requests, by n. */
  statusRequests: number[];
  /** Anything this reader did not understand, or text that is not valid GB18030. */
  problems: string[];
};

const ALIGNS = ['left', 'center', 'right'] as const;

export function decodeEscPos(input: Uint8Array): DecodedEscPos {
  const bytes = input;
  const result: DecodedEscPos = {
    lines: [],
    details: [],
    qr: [],
    qrPrinted: 0,
    cut: false,
    cuts: 0,
    initialised: false,
    chineseMode: false,
    multibyteOutsideChineseMode: false,
    statusRequests: [],
    problems: [],
  };
  let chinese = false;
  let bold = false;
  let widthScale = 1;
  let heightScale = 1;
  let align: DecodedLine['align'] = 'left';
  let textBytes: number[] = [];
  let lineBold = false;
  let lineWidth = 1;
  let lineHeight = 1;

  const gb18030 = new TextDecoder('gb18030', { fatal: true });
  const endLine = () => {
    const raw = Uint8Array.from(textBytes);
    let text: string;
    try {
      text = gb18030.decode(raw);
    } catch {
      text = new TextDecoder('gb18030').decode(raw);
      result.problems.push(`invalid GB18030 in line ${JSON.stringify(text)}`);
    }
    result.lines.push(text);
    result.details.push({
      text,
      columns: gbColumns(raw) * lineWidth,
      bold: lineBold,
      widthScale: lineWidth,
      heightScale: lineHeight,
      align,
    });
    textBytes = [];
  };
  const at = (index: number): number => {
    const value = bytes[index];
    if (value === undefined) throw new Truncated();
    return value;
  };

  let i = 0;
  try {
    while (i < bytes.length) {
      const b = at(i);
      if (b === 0x0a) {
        endLine();
        i += 1;
      } else if (b === 0x0d) {
        i += 1;
      } else if (b === 0x1b) {
        const command = at(i + 1);
        if (command === 0x40) {
          result.initialised = true;
          chinese = false;
          bold = false;
          widthScale = 1;
          heightScale = 1;
          align = 'left';
          i += 2;
        } else if (command === 0x61) {
          const n = at(i + 2);
          align = ALIGNS[n % 48] ?? 'left';
          i += 3;
        } else if (command === 0x45) {
          bold = (at(i + 2) & 1) === 1;
          i += 3;
        } else if (command === 0x21) {
          const n = at(i + 2);
          bold = (n & 0x08) !== 0;
          widthScale = n & 0x20 ? 2 : 1;
          heightScale = n & 0x10 ? 2 : 1;
          i += 3;
        } else if (command === 0x64 || command === 0x4a || command === 0x74 || command === 0x4d) {
          i += 3; // feed n lines / feed n dots / code table / font: no text effect
        } else {
          result.problems.push(`unknown ESC 0x${command.toString(16)}`);
          i += 2;
        }
      } else if (b === 0x1d) {
        const command = at(i + 1);
        if (command === 0x21) {
          const n = at(i + 2);
          widthScale = (n >> 4) + 1;
          heightScale = (n & 0x0f) + 1;
          i += 3;
        } else if (command === 0x56) {
          const m = at(i + 2);
          result.cut = true;
          result.cuts += 1;
          i += m === 0x41 || m === 0x42 || m === 0x61 || m === 0x62 ? 4 : 3;
        } else if (command === 0x28 && at(i + 2) === 0x6b) {
          const length = at(i + 3) + at(i + 4) * 256;
          const end = i + 5 + length;
          if (end > bytes.length) throw new Truncated();
          const cn = at(i + 5);
          const fn = at(i + 6);
          if (cn === 0x31 && fn === 0x50) {
            result.qr.push(Buffer.from(bytes.subarray(i + 8, end)).toString('latin1'));
          } else if (cn === 0x31 && fn === 0x51) {
            result.qrPrinted += 1;
          }
          i = end;
        } else {
          result.problems.push(`unknown GS 0x${command.toString(16)}`);
          i += 2;
        }
      } else if (b === 0x1c) {
        const command = at(i + 1);
        if (command === 0x26) {
          chinese = true;
          result.chineseMode = true;
          i += 2;
        } else if (command === 0x2e) {
          chinese = false;
          i += 2;
        } else if (command === 0x21) {
          i += 3;
        } else {
          result.problems.push(`unknown FS 0x${command.toString(16)}`);
          i += 2;
        }
      } else if (b === 0x10 && at(i + 1) === 0x04) {
        result.statusRequests.push(at(i + 2));
        i += 3;
      } else if (b < 0x20) {
        result.problems.push(`control byte 0x${b.toString(16)}`);
        i += 1;
      } else {
        if (textBytes.length === 0) {
          lineBold = bold;
          lineWidth = widthScale;
          lineHeight = heightScale;
        }
        if (b >= 0x80 && !chinese) result.multibyteOutsideChineseMode = true;
        textBytes.push(b);
        i += 1;
      }
    }
  } catch (error) {
    if (!(error instanceof Truncated)) throw error;
    result.problems.push(`truncated command at byte ${i}`);
  }
  if (textBytes.length > 0) endLine();
  return result;
}

class Truncated extends Error {}

/** Columns from GB18030 structure: ASCII bytes are one column, a 2- or 4-byte sequence two. */
function gbColumns(raw: Uint8Array): number {
  let columns = 0;
  let i = 0;
  while (i < raw.length) {
    const b = raw[i]!;
    if (b < 0x80) {
      columns += 1;
      i += 1;
    } else {
      const second = raw[i + 1] ?? 0;
      i += second >= 0x30 && second <= 0x39 ? 4 : 2;
      columns += 2;
    }
  }
  return columns;
}
