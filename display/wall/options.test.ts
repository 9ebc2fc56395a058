import { describe, expect, it } from 'vitest';
import { readWallOptions } from './options.ts';

describe('wall options from the URL', () => {
  it('covers the whole hall and speaks Chinese then English by default', () => {
    expect(readWallOptions('')).toEqual({ zone: null, voice: ['zh', 'en'], voiceMaxAgeMs: 60_000 });
  });

  it('reads a zone as comma-separated counter ids', () => {
    expect(readWallOptions('?zone=1,2, 3,').zone).toEqual(new Set(['1', '2', '3']));
    expect(readWallOptions('?zone=').zone).toBeNull();
  });

  it('reads the announced languages, and "off" for a silent screen', () => {
    expect(readWallOptions('?voice=en').voice).toEqual(['en']);
    expect(readWallOptions('?voice=en,zh').voice).toEqual(['en', 'zh']);
    expect(readWallOptions('?voice=off').voice).toEqual([]);
  });

  it('reads the maximum age of an announcement in seconds, ignoring nonsense', () => {
    expect(readWallOptions('?voiceMaxAge=90').voiceMaxAgeMs).toBe(90_000);
    expect(readWallOptions('?voiceMaxAge=soon').voiceMaxAgeMs).toBe(60_000);
    expect(readWallOptions('?voiceMaxAge=-5').voiceMaxAgeMs).toBe(60_000);
  });
});
