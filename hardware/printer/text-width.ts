/**
 * Column widths on a Chinese-firmware printer in `FS &` mode: printable ASCII takes one column, and every
 * other character is drawn in a double-width cell — CJK (including rare characters such as 䶮 or 𠮷), but
 * also East Asian "ambiguous" characters such as · or é, which a terminal would count as one.
 * Control characters take none (layout strips them before encoding).
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charWidth(char.codePointAt(0)!);
  return width;
}

function charWidth(codePoint: number): number {
  if (codePoint >= 0x20 && codePoint < 0x7f) return 1;
  if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0)) return 0;
  return 2;
}

/**
 * Breaks text into lines of at most `columns`: between words for Latin text, between any two characters
 * for Chinese, and inside a word only when the word alone is wider than a line.
 */
export function wrapToWidth(text: string, columns: number): string[] {
  if (displayWidth(text) <= columns) return [text.trim()];
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0;
  const flush = () => {
    lines.push(line.trimEnd());
    line = '';
    lineWidth = 0;
  };
  for (const token of tokens(text)) {
    if (token === ' ') {
      if (lineWidth > 0 && lineWidth < columns) {
        line += ' ';
        lineWidth += 1;
      }
      continue;
    }
    const width = displayWidth(token);
    if (lineWidth + width > columns && lineWidth > 0) flush();
    if (width <= columns) {
      line += token;
      lineWidth += width;
      continue;
    }
    for (const char of token) {
      const w = displayWidth(char);
      if (lineWidth + w > columns) flush();
      line += char;
      lineWidth += w;
    }
  }
  if (lineWidth > 0 || lines.length === 0) flush();
  return lines;
}

/** Words of printable ASCII, single wide characters, and single spaces. */
function* tokens(text: string): Generator<string> {
  let word = '';
  for (const char of text) {
    const codePoint = char.codePointAt(0)!;
    if (char === ' ') {
      if (word) yield word;
      word = '';
      yield ' ';
    } else if (charWidth(codePoint) === 1) {
      word += char;
    } else {
      if (word) yield word;
      word = '';
      if (charWidth(codePoint) === 2) yield char;
    }
  }
  if (word) yield word;
}

/** `left` and `right` on one line of `columns`, the gap filled with spaces; null when they do not fit. */
export function spreadToWidth(left: string, right: string, columns: number): string | null {
  const gap = columns - displayWidth(left) - displayWidth(right);
  return gap >= 1 ? left + ' '.repeat(gap) + right : null;
}
