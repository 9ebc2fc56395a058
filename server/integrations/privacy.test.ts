import { describe, expect, it } from 'vitest';
import { ageOn, hashIdNumber, maskIdNumber, maskName, maskPhone } from './privacy.ts';

describe('masking and hashing', () => {
  it('masks phones, ID numbers and names so a screen can show them', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskIdNumber('11010519850315002x')).toBe('1101**********002X');
    expect(maskName('张伟')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('Zhang Wei')).toBe('Z*** Wei');
    expect(maskName('Wei')).toBe('W***');
  });

  it('hashes an ID number the same whatever the case of its check character, and per salt', () => {
    expect(hashIdNumber('s', '11010519850315002x')).toBe(hashIdNumber('s', '11010519850315002X'));
    expect(hashIdNumber('s', '110105198503150026')).not.toBe(hashIdNumber('t', '110105198503150026'));
  });

  it('counts age in whole years up to the birthday', () => {
    expect(ageOn('1954-04-12', '2026-04-11')).toBe(71);
    expect(ageOn('1954-04-12', '2026-04-12')).toBe(72);
  });
});
