import { describe, expect, it, vi } from 'vitest';
import type { HallSnapshot } from '../server/contract/api.ts';
import type { HallStreamHandlers } from '../server/contract/client.ts';
import type { HallEvent } from '../server/contract/events.ts';
import { createHallFeed } from './hall-feed.ts';

function fakeStream() {
  let handlers: HallStreamHandlers | null = null;
  const close = vi.fn(() => {
    handlers = null;
  });
  const open = vi.fn((h: HallStreamHandlers) => {
    handlers = h;
    return close;
  });
  return { open, close, emit: () => handlers };
}

const snapshot = { services: [], counters: [], recentCalls: [], lastEventId: 1 } as unknown as HallSnapshot;
const idCard = (kioskId: string): HallEvent => ({
  id: 2,
  type: 'kiosk.id-card',
  at: '2025-01-01T09:00:00Z',
  data: { kioskId, readId: 'r1' },
});

describe('hall feed', () => {
  it('opens one stream for all listeners, closes it with the last, and replays the latest snapshot', () => {
    const stream = fakeStream();
    const feed = createHallFeed(stream.open, 'k1');
    const first = { onSnapshot: vi.fn(), onConnection: vi.fn() };
    const stopFirst = feed.subscribe(first);
    stream.emit()?.onConnection?.('live');
    stream.emit()?.onSnapshot(snapshot);
    const late = { onSnapshot: vi.fn(), onConnection: vi.fn() };
    const stopLate = feed.subscribe(late);
    expect(stream.open).toHaveBeenCalledOnce();
    expect(late.onSnapshot).toHaveBeenCalledWith(snapshot);
    expect(late.onConnection).toHaveBeenCalledWith('live');
    stopFirst();
    expect(stream.close).not.toHaveBeenCalled();
    stopLate();
    expect(stream.close).toHaveBeenCalledOnce();
  });

  it('hands events addressed to this kiosk to kiosk listeners only, and drops those for other kiosks', () => {
    const stream = fakeStream();
    const feed = createHallFeed(stream.open, 'k1');
    const listener = { onEvent: vi.fn(), onKioskEvent: vi.fn() };
    feed.subscribe(listener);
    stream.emit()?.onEvent(idCard('k1'));
    stream.emit()?.onEvent(idCard('k2'));
    expect(listener.onKioskEvent).toHaveBeenCalledOnce();
    expect(listener.onKioskEvent).toHaveBeenCalledWith(idCard('k1'));
    expect(listener.onEvent).toHaveBeenCalledWith(idCard('k2'));
  });

  it('gives an event to the listeners there when it came, not to one a listener starts as it acts', () => {
    const stream = fakeStream();
    const feed = createHallFeed(stream.open, 'k1');
    const next = { onKioskEvent: vi.fn() };
    // The first screen's reader hands the card over to the identification step, which starts listening.
    const stop = feed.subscribe({
      onKioskEvent: () => {
        stop();
        feed.subscribe(next);
      },
    });
    stream.emit()?.onEvent(idCard('k1'));
    expect(next.onKioskEvent).not.toHaveBeenCalled();
    stream.emit()?.onEvent(idCard('k1'));
    expect(next.onKioskEvent).toHaveBeenCalledOnce();
  });
});
