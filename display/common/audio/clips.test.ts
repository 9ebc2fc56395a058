import { describe, expect, it } from 'vitest';
import { ticketNumberClips } from './clips.ts';

describe('ticketNumberClips', () => {
  it('reads a ticket number letter by letter and digit by digit', () => {
    expect(ticketNumberClips('A001', 'zh')).toEqual(['zh/letter-a', 'zh/0', 'zh/0', 'zh/1']);
    expect(ticketNumberClips('b-12', 'en')).toEqual(['en/letter-b', 'en/one', 'en/two']);
  });
});
