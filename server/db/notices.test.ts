import { describe, expect, it } from 'vitest';
import { createNoticesRepository } from './notices.ts';
import { openDatabase } from './open.ts';

const notice = (id: string) => ({ id, text_zh: `通知${id}`, text_en: `Notice ${id}`, image_url: null });

describe('the notice rows', () => {
  it('keeps the order they were given in, and a new list replaces the old one whole', () => {
    const notices = createNoticesRepository(openDatabase(':memory:'));
    notices.replace([notice('b'), notice('a'), { ...notice('c'), image_url: '/img/c.png' }]);
    expect(notices.all().map((n) => [n.id, n.image_url])).toEqual([
      ['b', null],
      ['a', null],
      ['c', '/img/c.png'],
    ]);
    notices.replace([notice('a')]);
    expect(notices.all()).toEqual([notice('a')]);
    notices.replace([]);
    expect(notices.all()).toEqual([]);
  });
});
