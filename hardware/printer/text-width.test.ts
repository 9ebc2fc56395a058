import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayWidth, spreadToWidth, wrapToWidth } from './text-width.ts';

describe('displayWidth', () => {
  it('counts ASCII as one column and Chinese, rare and ambiguous characters as two', () => {
    expect(displayWidth('A001')).toBe(4);
    expect(displayWidth('营业大厅')).toBe(8);
    expect(displayWidth('䶮𠮷')).toBe(4);
    expect(displayWidth('·é￥')).toBe(6);
    expect(displayWidth('a\tb\u001b')).toBe(2);
  });
});

describe('wrapToWidth', () => {
  it('breaks English between words and Chinese between characters', () => {
    expect(wrapToWidth('If you miss your call, please take a new ticket', 16)).toEqual([
      'If you miss your',
      'call, please',
      'take a new',
      'ticket',
    ]);
    expect(wrapToWidth('过号请重新取号谢谢', 8)).toEqual(['过号请重', '新取号谢', '谢']);
  });

  it('cuts a word only when it is wider than a line', () => {
    expect(wrapToWidth('https://hall.example/track/abcdef', 12)).toEqual([
      'https://hall',
      '.example/tra',
      'ck/abcdef',
    ]);
  });

  it('never returns a line wider than the paper, and loses no visible character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.integer({ min: 2, max: 48 }), (text, columns) => {
        const lines = wrapToWidth(text, columns);
        for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(columns);
        // Any Unicode space (U+2007 figure space, U+3000 …) may go at a break, like the ASCII one.
        const visible = (s: string) => [...s].filter((c) => !/\s/u.test(c) && displayWidth(c) > 0).join('');
        expect(lines.map(visible).join('')).toBe(visible(text));
      }),
    );
  });
});

describe('spreadToWidth', () => {
  it('right-aligns the amount counting Chinese as two columns', () => {
    expect(spreadToWidth('话费充值', '50.00', 16)).toBe('话费充值   50.00');
    expect(spreadToWidth('话费充值话费充值', '50.00', 16)).toBeNull();
  });
});
