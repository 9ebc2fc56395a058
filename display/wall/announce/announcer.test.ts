import { describe, expect, it } from 'vitest';
import { createAudioQueue } from '../../common/audio/audio-queue.ts';
import { call, calledEvent } from '../../common/test-data.ts';
import { createAnnouncer } from './announcer.ts';
import { createServerClock } from './server-clock.ts';

/** A display whose clock runs `skewMs` ahead of the server's, with a player that never finishes. */
function display(skewMs: number, inZone: (counterId: string) => boolean = () => true) {
  let localNow = Date.parse('2026-11-25T09:00:00Z') + skewMs;
  const now = () => localNow;
  const played: (readonly string[])[] = [];
  const queue = createAudioQueue({
    play: async (clips) => {
      played.push(clips);
    },
    now,
  });
  const clock = createServerClock(now);
  const announce = createAnnouncer({ queue, clock, langs: ['zh'], inZone });
  return {
    queue,
    played,
    announce,
    clock,
    wait: (ms: number) => {
      localNow += ms;
    },
  };
}

describe('announcer', () => {
  it('announces a call and a recall, each time', async () => {
    const d = display(0);
    d.announce(calledEvent(1, call('A001', '3', '2026-11-25T09:00:00Z')));
    d.announce(calledEvent(2, call('A001', '3', '2026-11-25T09:00:00.500Z', true)));
    await Promise.resolve();
    await Promise.resolve();
    expect(d.played).toHaveLength(2);
    expect(d.played[0]).toEqual(d.played[1]);
    expect(d.played[0]!.slice(0, 3)).toEqual(['chime', 'zh/qing', 'zh/letter-a']);
  });

  it('announces only the counters of its zone', () => {
    const d = display(0, (id) => id === '1' || id === '2');
    d.announce(calledEvent(1, call('A001', '3', '2026-11-25T09:00:00Z')));
    d.announce(calledEvent(2, call('A002', '2', '2026-11-25T09:00:00Z')));
    expect(d.played).toEqual([expect.arrayContaining(['zh/2'])]);
  });

  it('judges age on the server clock, so a screen whose clock is 10 minutes fast still speaks', () => {
    const d = display(10 * 60_000);
    d.announce(calledEvent(1, call('A001', '1', '2026-11-25T09:00:00Z')));
    expect(d.played).toHaveLength(1);
    expect(d.queue.state().dropped).toEqual([]);
  });

  it('drops replayed calls older than the maximum age once the clock offset is known', () => {
    const d = display(-3 * 60_000); // screen 3 minutes slow
    d.clock.observeHttpDate(new Date(Date.parse('2026-11-25T09:00:00Z')).toUTCString());
    d.wait(5 * 60_000);
    // Replayed after a 5-minute outage: one call from the start of it, one from 20 s ago.
    d.announce(calledEvent(7, call('A001', '1', '2026-11-25T09:00:10Z')));
    d.announce(calledEvent(8, call('A002', '1', '2026-11-25T09:04:40Z')));
    expect(d.queue.state().dropped).toEqual(['A001→1 #7']);
    expect(d.played).toHaveLength(1);
  });

  it('ignores events that are not calls', () => {
    const d = display(0);
    d.announce({
      id: 1,
      type: 'ticket.issued',
      at: '2026-11-25T09:00:00Z',
      data: {
        ticket: { number: 'A009', serviceId: 'general', tier: 'regular', counterId: null },
        services: [],
      },
    });
    expect(d.queue.state()).toEqual({ played: [], playing: [], queued: [], dropped: [] });
  });
});
