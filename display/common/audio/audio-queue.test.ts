import { describe, expect, it, vi } from 'vitest';
import { type Announcement, createAudioQueue } from './audio-queue.ts';

/** A player whose announcements end when the test says so, with a clock the test moves. */
function harness(maxAgeMs?: number) {
  let time = 1_000_000;
  const plays: { clips: readonly string[]; finish: () => void }[] = [];
  const play = vi.fn(
    (clips: readonly string[]) =>
      new Promise<void>((resolve) => {
        plays.push({ clips, finish: resolve });
      }),
  );
  const queue = createAudioQueue({ play, now: () => time, maxAgeMs });
  const call = (id: string, ageMs = 0): Announcement => ({
    id,
    clips: ['chime', `${id}/1`, `${id}/2`],
    at: time - ageMs,
  });
  return {
    queue,
    play,
    plays,
    call,
    advance: (ms: number) => {
      time += ms;
    },
    /** Ends the announcement playing now and lets the queue move on. */
    finishCurrent: async () => {
      plays.at(-1)!.finish();
      await Promise.resolve();
      await Promise.resolve();
    },
  };
}

describe('audio queue', () => {
  it('plays one announcement at a time: the next waits for the end of the current one', async () => {
    const h = harness();
    h.queue.enqueue(h.call('A001'));
    h.queue.enqueue(h.call('A002'));
    expect(h.play).toHaveBeenCalledTimes(1);
    expect(h.queue.state()).toEqual({
      played: [],
      playing: ['chime', 'A001/1', 'A001/2'],
      queued: ['chime', 'A002/1', 'A002/2'],
      dropped: [],
    });

    await h.finishCurrent();
    expect(h.play).toHaveBeenCalledTimes(2);
    expect(h.plays[1]!.clips).toEqual(['chime', 'A002/1', 'A002/2']);
    await h.finishCurrent();
    expect(h.queue.state()).toEqual({
      played: ['chime', 'A001/1', 'A001/2', 'chime', 'A002/1', 'A002/2'],
      playing: [],
      queued: [],
      dropped: [],
    });
  });

  it('drops a call that waited past the maximum age, and plays the ones still fresh', async () => {
    const h = harness(60_000);
    h.queue.enqueue(h.call('A001'));
    h.queue.enqueue(h.call('A002'));
    h.advance(45_000);
    h.queue.enqueue(h.call('A003'));
    h.advance(20_000); // A001 played a long time; A002 is now 65 s old, A003 20 s
    await h.finishCurrent();
    expect(h.play).toHaveBeenCalledTimes(2);
    expect(h.plays[1]!.clips[1]).toBe('A003/1');
    expect(h.queue.state().dropped).toEqual(['A002']);
  });

  it('drops at once a call that was already too old when it arrived (a replay after a long outage)', () => {
    const h = harness(60_000);
    h.queue.enqueue(h.call('A001', 61_000));
    expect(h.play).not.toHaveBeenCalled();
    expect(h.queue.state()).toMatchObject({ dropped: ['A001'], queued: [], playing: [] });
  });

  it('uses 60 s as the default maximum age', () => {
    const h = harness();
    h.queue.enqueue(h.call('A001', 59_000));
    h.queue.enqueue(h.call('A002', 61_000));
    expect(h.play).toHaveBeenCalledTimes(1);
    expect(h.queue.state().queued).toEqual(['chime', 'A002/1', 'A002/2']);
  });

  it('announces a recall again, even of a number it has just played', async () => {
    const h = harness();
    h.queue.enqueue(h.call('A001'));
    await h.finishCurrent();
    h.queue.enqueue({ ...h.call('A001'), id: 'A001 recall' });
    expect(h.play).toHaveBeenCalledTimes(2);
    expect(h.plays[1]!.clips).toEqual(['chime', 'A001/1', 'A001/2']);
  });

  it('holds calls until sound can play, then plays those still fresh', async () => {
    let time = 0;
    let enableSound = () => {};
    const soundEnabled = new Promise<void>((resolve) => {
      enableSound = resolve;
    });
    const play = vi.fn(async () => {});
    const queue = createAudioQueue({ play, now: () => time, ready: () => soundEnabled });
    queue.enqueue({ id: 'A001', clips: ['chime', 'a'], at: 0 });
    time = 50_000;
    queue.enqueue({ id: 'A002', clips: ['chime', 'b'], at: 50_000 });
    await Promise.resolve();
    expect(play).not.toHaveBeenCalled();
    expect(queue.state().queued).toEqual(['chime', 'a', 'chime', 'b']);

    time = 70_000; // someone taps the screen 70 s after the first call
    enableSound();
    await vi.waitFor(() => expect(queue.state().played).toEqual(['chime', 'b']));
    expect(queue.state().dropped).toEqual(['A001']);
  });

  it('goes on with the next call when playing one fails', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const play = vi.fn().mockRejectedValueOnce(new Error('audio device gone')).mockResolvedValue(undefined);
    const queue = createAudioQueue({ play, now: () => 0 });
    queue.enqueue({ id: 'A001', clips: ['chime'], at: 0 });
    queue.enqueue({ id: 'A002', clips: ['chime', 'x'], at: 0 });
    await vi.waitFor(() => expect(play).toHaveBeenCalledTimes(2));
    await vi.waitFor(() => expect(queue.state().played).toEqual(['chime', 'chime', 'x']));
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });

  it('reports every change to its listener', async () => {
    const states: string[][] = [];
    let finish = () => {};
    const queue = createAudioQueue({
      play: () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
      now: () => 0,
      onChange: (s) => states.push(s.playing),
    });
    queue.enqueue({ id: 'A001', clips: ['chime'], at: 0 });
    finish();
    await vi.waitFor(() => expect(states.at(-1)).toEqual([]));
    expect(states).toContainEqual(['chime']);
  });

  it('clears: drops what waits, cuts what plays (the player is told to stop), then plays new ones', async () => {
    let time = 0;
    let finish = () => {};
    const play = vi.fn(
      () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
    );
    const stop = vi.fn(() => finish());
    const queue = createAudioQueue({ play, now: () => time, stop });
    queue.enqueue({ id: 'p1', clips: ['a'], at: 0 });
    queue.enqueue({ id: 'p2', clips: ['b'], at: 0 });
    queue.clear();
    expect(stop).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(queue.state().playing).toEqual([]));
    expect(queue.state()).toEqual({ played: [], playing: [], queued: [], dropped: ['p2', 'p1'] });
    time = 1_000;
    queue.enqueue({ id: 'p3', clips: ['c'], at: 1_000 });
    expect(play).toHaveBeenCalledTimes(2);
    finish();
    await vi.waitFor(() => expect(queue.state().played).toEqual(['c']));
  });

  it('clears calls held until sound can play', async () => {
    let enableSound = () => {};
    const soundEnabled = new Promise<void>((resolve) => {
      enableSound = resolve;
    });
    const play = vi.fn(async () => {});
    const queue = createAudioQueue({ play, now: () => 0, ready: () => soundEnabled });
    queue.enqueue({ id: 'p1', clips: ['a'], at: 0 });
    queue.clear();
    enableSound();
    await vi.waitFor(() => expect(queue.state().dropped).toEqual(['p1']));
    await Promise.resolve();
    expect(play).not.toHaveBeenCalled();
  });
});
