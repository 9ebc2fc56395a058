/**
 * Many `/api/v1/events` readers in this process: each is a plain http.get stream, parsed frame by frame.
 * Only `ticket.called` frames are decoded: per ticket number, when each client received it (the wall
 * clock, read first thing when its bytes arrive) and when the hall committed the call (`committedAt`,
 * stamped in the live event). Both are the machine's wall clock in milliseconds, so their difference is
 * exact to a millisecond.
 */
import { Agent, get, type IncomingMessage } from 'node:http';

/** One client's receipt of a call: when the hall committed it and when it arrived, ms since the epoch. */
export type Arrival = { committedAt: number; receivedAt: number };

export type SseClients = {
  /** Resolves when every client has received the `ticket.called` event for this number. */
  calledEverywhere(number: string, timeoutMs: number): Promise<Arrival[]>;
  close(): void;
};

export async function connectSseClients(url: string, count: number, timeoutMs = 15_000): Promise<SseClients> {
  const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  const arrivals = new Map<string, Arrival[]>();
  const waiters = new Map<string, () => void>();
  const responses: IncomingMessage[] = [];
  let snapshots = 0;

  const onCalled = (number: string, arrival: Arrival) => {
    const list = arrivals.get(number) ?? [];
    list.push(arrival);
    arrivals.set(number, list);
    if (list.length === count) waiters.get(number)?.();
  };

  const open = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = get(`${url}/api/v1/events`, { agent, headers: { accept: 'text/event-stream' } }, (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`/events answered ${res.statusCode}`));
          res.resume();
          return;
        }
        responses.push(res);
        res.setEncoding('utf8');
        let buffer = '';
        let gotSnapshot = false;
        res.on('data', (chunk: string) => {
          const receivedAt = Date.now();
          buffer += chunk;
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (!gotSnapshot && frame.includes('event: snapshot\n')) {
              gotSnapshot = true;
              snapshots++;
              resolve();
            } else if (frame.includes('\nevent: ticket.called\n')) {
              const data = frame.slice(frame.indexOf('\ndata: ') + 7);
              const event = JSON.parse(data) as { committedAt?: string; data: { call: { number: string } } };
              // NaN when missing: calledEverywhere refuses such a call.
              onCalled(event.data.call.number, {
                committedAt: Date.parse(event.committedAt ?? ''),
                receivedAt,
              });
            }
          }
        });
        res.on('error', () => undefined);
      });
      req.on('error', reject);
    });

  // Connect in waves of 50 so the accept queue never overflows.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`only ${snapshots} of ${count} SSE clients got a snapshot`)),
      timeoutMs,
    );
  });
  try {
    for (let i = 0; i < count; i += 50)
      await Promise.race([Promise.all(Array.from({ length: Math.min(50, count - i) }, open)), timeout]);
  } finally {
    clearTimeout(timer);
  }

  return {
    async calledEverywhere(number, waitMs) {
      const all = await everywhere(number, waitMs);
      if (all.some((a) => Number.isNaN(a.committedAt)))
        throw new Error(`${number}: the live ticket.called came without its committedAt`);
      return all;
    },
    close() {
      for (const res of responses) res.destroy();
      agent.destroy();
    },
  };

  function everywhere(number: string, waitMs: number): Promise<Arrival[]> {
    const done = () => arrivals.get(number) ?? [];
    if (done().length >= count) return Promise.resolve(done());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(number);
        reject(
          new Error(`${number}: the call reached ${done().length} of ${count} clients within ${waitMs} ms`),
        );
      }, waitMs);
      waiters.set(number, () => {
        clearTimeout(timer);
        waiters.delete(number);
        resolve(done());
      });
    });
  }
}
