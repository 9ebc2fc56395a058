import { expect, it } from 'vitest';
import { EventQueue } from './event-queue.ts';

it('hands out events earliest first, equal times in the order they were added', () => {
  const queue = new EventQueue<string>();
  const times = [5, 1, 3, 1, 9, 3, 0];
  for (const [i, at] of times.entries()) queue.add(at, `${at}:${i}`);
  const out: string[] = [];
  for (let e = queue.take(); e; e = queue.take()) out.push(e.event);
  expect(out).toEqual(['0:6', '1:1', '1:3', '3:2', '3:5', '5:0', '9:4']);
  expect(queue.size).toBe(0);
});
