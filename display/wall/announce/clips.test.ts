import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { callClips, counterNumber } from './clips.ts';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');

describe('callClips', () => {
  it('says the chime, then the Chinese and the English sentence', () => {
    expect(callClips({ number: 'A001', counterId: '3' }, ['zh', 'en'])).toEqual([
      'chime',
      'zh/qing',
      'zh/letter-a',
      'zh/0',
      'zh/0',
      'zh/1',
      'zh/hao',
      'zh/dao',
      'zh/3',
      'zh/hao-chuangkou',
      'zh/banli',
      'en/ticket',
      'en/letter-a',
      'en/zero',
      'en/zero',
      'en/one',
      'en/please-go-to-counter',
      'en/three',
    ]);
  });

  it('speaks only the languages asked for, in their order', () => {
    const call = { number: 'B002', counterId: '1' };
    expect(callClips(call, ['en'])).toEqual([
      'chime',
      'en/ticket',
      'en/letter-b',
      'en/zero',
      'en/zero',
      'en/two',
      'en/please-go-to-counter',
      'en/one',
    ]);
    expect(callClips(call, ['en', 'zh'])[1]).toBe('en/ticket');
    expect(callClips(call, [])).toEqual(['chime']);
  });

  it.each(LETTERS)('reads prefix %s as its letter in both languages', (letter) => {
    const clips = callClips({ number: `${letter}123`, counterId: '2' }, ['zh', 'en']);
    const lower = letter.toLowerCase();
    expect(clips.slice(1, 6)).toEqual(['zh/qing', `zh/letter-${lower}`, 'zh/1', 'zh/2', 'zh/3']);
    expect(clips).toContain(`en/letter-${lower}`);
    expect(clips.slice(clips.indexOf('en/ticket'), clips.indexOf('en/ticket') + 5)).toEqual([
      'en/ticket',
      `en/letter-${lower}`,
      'en/one',
      'en/two',
      'en/three',
    ]);
  });

  it('reads every digit of a ticket one by one, four-digit numbers too', () => {
    const clips = callClips({ number: 'C1000', counterId: '5' }, ['zh', 'en']);
    expect(clips.slice(2, 7)).toEqual(['zh/letter-c', 'zh/1', 'zh/0', 'zh/0', 'zh/0']);
    expect(clips.slice(clips.indexOf('en/letter-c'), clips.indexOf('en/letter-c') + 5)).toEqual([
      'en/letter-c',
      'en/one',
      'en/zero',
      'en/zero',
      'en/zero',
    ]);
  });

  it('reads every digit 0–9 with its own clip', () => {
    const zh = callClips({ number: 'A0123456789', counterId: '1' }, ['zh']).slice(3, 13);
    const en = callClips({ number: 'A0123456789', counterId: '1' }, ['en']).slice(3, 13);
    expect(zh).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => `zh/${d}`));
    expect(en).toEqual(
      ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'].map((w) => `en/${w}`),
    );
  });

  it('accepts a lower-case number and skips characters that are not spoken', () => {
    expect(callClips({ number: 'v-07', counterId: '4' }, ['zh']).slice(1, 5)).toEqual([
      'zh/qing',
      'zh/letter-v',
      'zh/0',
      'zh/7',
    ]);
  });

  it.each([
    [1, ['zh/1'], ['en/one']],
    [9, ['zh/9'], ['en/nine']],
    [10, ['zh/10'], ['en/ten']],
    [11, ['zh/10', 'zh/1'], ['en/eleven']],
    [19, ['zh/10', 'zh/9'], ['en/nineteen']],
    [20, ['zh/2', 'zh/10'], ['en/twenty']],
    [21, ['zh/2', 'zh/10', 'zh/1'], ['en/twenty', 'en/one']],
    [30, ['zh/3', 'zh/10'], ['en/thirty']],
    [45, ['zh/4', 'zh/10', 'zh/5'], ['en/forty', 'en/five']],
    [99, ['zh/9', 'zh/10', 'zh/9'], ['en/ninety', 'en/nine']],
  ])('reads counter %i as a number', (n, zh, en) => {
    const zhClips = callClips({ number: 'A001', counterId: String(n) }, ['zh']);
    expect(zhClips.slice(zhClips.indexOf('zh/dao') + 1, zhClips.indexOf('zh/hao-chuangkou'))).toEqual(zh);
    const enClips = callClips({ number: 'A001', counterId: String(n) }, ['en']);
    expect(enClips.slice(enClips.indexOf('en/please-go-to-counter') + 1)).toEqual(en);
  });

  it('finds the counter number in its name when the id is not one, and leaves it out when there is none', () => {
    expect(counterNumber({ number: 'A001', counterId: 'vip', counterName: '4号窗口 贵宾' })).toBe(4);
    expect(counterNumber({ number: 'A001', counterId: '100', counterName: 'Window' })).toBeNull();
    expect(callClips({ number: 'A001', counterId: 'desk', counterName: '咨询台' }, ['zh', 'en'])).toEqual([
      'chime',
      'zh/qing',
      'zh/letter-a',
      'zh/0',
      'zh/0',
      'zh/1',
      'zh/hao',
      'zh/banli',
      'en/ticket',
      'en/letter-a',
      'en/zero',
      'en/zero',
      'en/one',
      'en/please-come-forward',
    ]);
  });

  it('has every clip it can ask for in the default voice pack', () => {
    const needed = new Set<string>();
    for (const letter of LETTERS) {
      for (let counter = 1; counter <= 99; counter += 1) {
        for (const clip of callClips({ number: `${letter}0123456789`, counterId: String(counter) }, [
          'zh',
          'en',
        ]))
          needed.add(clip);
      }
    }
    for (const clip of callClips({ number: 'A1', counterId: 'none' }, ['zh', 'en'])) needed.add(clip);
    const pack = join(import.meta.dirname, '..', 'voice');
    const missing = [...needed].filter((clip) => !existsSync(join(pack, `${clip}.wav`)));
    expect(missing).toEqual([]);
    expect(needed.size).toBe(1 + (5 + 11 + 26) + (3 + 20 + 8 + 26));
  });
});
