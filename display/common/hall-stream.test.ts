/**
 * The live stream every screen depends on (server/contract/client.ts), driven through a fake fetch whose
 * answers are real ReadableStreams, with fake timers for the watchdog.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HallSnapshot } from '../../server/contract/api.ts';
import { type ConnectionState, openHallStream } from '../../server/contract/client.ts';
import type { HallEvent } from '../../server/contract/events.ts';

type Connection = {
  url: string;
  lastEventId: string | null;
  send(text: string): void;
  end(): void;
  aborted(): boolean;
};

/** A fake server: each request gets the next planned status (200 by default) and a stream the test writes. */
function fakeServer() {
  const connections: Connection[] = [];
  const statuses: number[] = [];
  const encoder = new TextEncoder();
  const fetch = vi.fn(async (url: string, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    const status = statuses.shift() ?? 200;
    if (status !== 200) {
      connections.push({
        url,
        lastEventId: headers.get('last-event-id'),
        send: () => {},
        end: () => {},
        aborted: () => true,
      });
      return new Response(JSON.stringify({ error: { code: 'bad-gateway', message: 'restarting' } }), {
        status,
      });
    }
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    let open = true;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        controller = c;
      },
    });
    init?.signal?.addEventListener('abort', () => {
      if (!open) return;
      open = false;
      controller.error(new DOMException('aborted', 'AbortError'));
    });
    connections.push({
      url,
      lastEventId: headers.get('last-event-id'),
      send: (text) => open && controller.enqueue(encoder.encode(text)),
      end: () => {
        if (!open) return;
        open = false;
        controller.close();
      },
      aborted: () => !open,
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  });
  return {
    fetch,
    connections,
    /** The next requests answer these statuses instead of opening a stream. */
    answerNext: (...codes: number[]) => statuses.push(...codes),
    latest: () => connections[connections.length - 1]!,
  };
}

function snapshotText(lastEventId: number, name = '示范营业厅'): string {
  const snapshot: HallSnapshot = {
    hall: { name: { zh: name, en: 'Demo hall' }, demo: true, timeZone: 'Asia/Shanghai' },
    services: [],
    counters: [],
    recentCalls: [],
    calling: [],
    lastEventId,
  };
  return `event: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`;
}

function issuedText(id: number, number: string): string {
  const payload = {
    at: '2026-11-25T09:00:00.000Z',
    data: { ticket: { number, serviceId: 'general', tier: 'regular', counterId: null }, services: [] },
  };
  return `id: ${id}\nevent: ticket.issued\ndata: ${JSON.stringify(payload)}\n\n`;
}

function open(server: ReturnType<typeof fakeServer>) {
  const seen: string[] = [];
  const states: ConnectionState[] = [];
  const events: HallEvent[] = [];
  const stop = openHallStream(
    {
      onSnapshot: (s) => seen.push(`snapshot@${s.lastEventId}`),
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'ticket.issued') seen.push(`${e.id}:${e.data.ticket.number}`);
      },
      onConnection: (s) => states.push(s),
    },
    { fetch: server.fetch },
  );
  return { seen, states, events, stop };
}

/** Lets the fetch promise, the stream reads and the parser run. */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('openHallStream', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('delivers the snapshot first, then each event once, in id order', async () => {
    const server = fakeServer();
    const hall = open(server);
    await settle();
    expect(server.connections).toHaveLength(1);
    expect(server.latest().url).toBe('/api/v1/events');
    expect(server.latest().lastEventId).toBeNull();

    server.latest().send(snapshotText(4));
    server.latest().send(issuedText(5, 'A001'));
    // A message split across chunks, and a duplicate id, as a proxy or a replay might produce.
    const split = issuedText(6, 'A002');
    server.latest().send(split.slice(0, 20));
    server.latest().send(split.slice(20));
    server.latest().send(issuedText(6, 'A002'));
    server.latest().send(issuedText(3, 'A000'));
    await settle();

    expect(hall.seen).toEqual(['snapshot@4', '5:A001', '6:A002']);
    expect(hall.events[0]).toMatchObject({ id: 5, type: 'ticket.issued', at: '2026-11-25T09:00:00.000Z' });
    expect(hall.states).toEqual(['connecting', 'live']);
    hall.stop();
  });

  it('ignores comment pings and unknown event names', async () => {
    const server = fakeServer();
    const hall = open(server);
    await settle();
    server.latest().send(`${snapshotText(0)}: ping\n\nid: 1\nevent: something.new\ndata: {}\n\n`);
    server.latest().send(issuedText(2, 'A001'));
    await settle();
    expect(hall.seen).toEqual(['snapshot@0', '2:A001']);
    hall.stop();
  });

  it('resumes after the stream ends with the last delivered event id, skipping what it already had', async () => {
    const server = fakeServer();
    const hall = open(server);
    await settle();
    server.latest().send(snapshotText(4) + issuedText(5, 'A001') + issuedText(6, 'A002'));
    await settle();
    server.latest().end();
    await settle();
    expect(hall.states.at(-1)).toBe('connecting');

    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.connections).toHaveLength(2);
    expect(server.latest().lastEventId).toBe('6');

    // The new stream starts with a fresh snapshot, then replays from after 6 (a 6 that slips in is dropped).
    server
      .latest()
      .send(snapshotText(8) + issuedText(6, 'A002') + issuedText(7, 'A003') + issuedText(8, 'A004'));
    await settle();
    expect(hall.seen).toEqual(['snapshot@4', '5:A001', '6:A002', 'snapshot@8', '7:A003', '8:A004']);
    expect(hall.states).toEqual(['connecting', 'live', 'connecting', 'live']);
    hall.stop();
  });

  it('resumes from the snapshot position when no event came before the drop', async () => {
    const server = fakeServer();
    const hall = open(server);
    await settle();
    server.latest().send(snapshotText(12));
    await settle();
    server.latest().end();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.latest().lastEventId).toBe('12');
    hall.stop();
  });

  it('retries after a non-200 answer, backing off, until a stream opens', async () => {
    const server = fakeServer();
    server.answerNext(502, 502);
    const hall = open(server);
    await settle();
    expect(server.connections).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(999);
    expect(server.connections).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.connections).toHaveLength(2); // second 502

    await vi.advanceTimersByTimeAsync(1_999);
    expect(server.connections).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.connections).toHaveLength(3);

    server.latest().send(snapshotText(0));
    await settle();
    expect(hall.seen).toEqual(['snapshot@0']);
    expect(hall.states.at(-1)).toBe('live');
    hall.stop();
  });

  it('recreates a stream that stays silent for 30 s, but not one that keeps pinging', async () => {
    const server = fakeServer();
    const hall = open(server);
    await settle();
    server.latest().send(snapshotText(3));
    await settle();

    // Pings every 15 s keep the first stream.
    for (let i = 0; i < 4; i += 1) {
      await vi.advanceTimersByTimeAsync(15_000);
      server.latest().send(': ping\n\n');
      await settle();
    }
    expect(server.connections).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(29_999);
    expect(server.connections[0]!.aborted()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.connections[0]!.aborted()).toBe(true);
    expect(hall.states.at(-1)).toBe('connecting');

    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.connections).toHaveLength(2);
    expect(server.latest().lastEventId).toBe('3');
    server.latest().send(snapshotText(3));
    await settle();
    expect(hall.states.at(-1)).toBe('live');
    hall.stop();
  });

  it('reports "lost" only after 10 s without a live stream, and "live" again once one answers', async () => {
    const server = fakeServer();
    const hall = open(server);
    await settle();
    server.latest().send(snapshotText(0));
    await settle();

    server.answerNext(502, 502, 502, 502);
    server.latest().end();
    await settle();
    await vi.advanceTimersByTimeAsync(9_999);
    expect(hall.states).toEqual(['connecting', 'live', 'connecting']);
    await vi.advanceTimersByTimeAsync(1);
    expect(hall.states).toEqual(['connecting', 'live', 'connecting', 'lost']);

    // Retries continue while lost, backing off 1, 2, 4, 8, then 10 s: the sixth request opens a stream.
    await vi.advanceTimersByTimeAsync(15_000);
    expect(server.connections).toHaveLength(6);
    server.latest().send(snapshotText(0));
    await settle();
    expect(hall.states.at(-1)).toBe('live');
    hall.stop();
  });

  it('reports "lost" when the very first stream never answers', async () => {
    const server = fakeServer();
    server.fetch.mockImplementationOnce(() => new Promise<Response>(() => {}));
    const hall = open(server);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(hall.states).toEqual(['connecting', 'lost']);
    hall.stop();
  });

  it('stops for good when closed: the stream is aborted and nothing reconnects', async () => {
    const server = fakeServer();
    const hall = open(server);
    await settle();
    server.latest().send(snapshotText(0));
    await settle();
    hall.stop();
    await settle();
    expect(server.latest().aborted()).toBe(true);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(server.connections).toHaveLength(1);
  });
});
