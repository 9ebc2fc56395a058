/**
 * Many `/api/v1/events` readers in this process: each is a plain http.get stream, parsed frame by frame.
 * Only `ticket.called` frames are decoded; their arrival times are kept per ticket number.
 */
import { Agent, get, type IncomingMessage } from 'node:http';

export type SseClients = {
  /** Resolves when every client has received the `ticket.called` event for this number. */
  calledEverywhere(number: string, timeoutMs: number): Promise<number[]>;
  close(): void;
};

export async function connectSseClients(url: string, count: number, timeoutMs = 15_000): Promise<SseClients> {
  const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  const arrivals = new Map<string, number[]>();
  const waiters = new Map<string, () => void>();
  const responses: IncomingMessage[] = [];
  let snapshots = 0;

  const onCalled = (number: string, at: number) => {
    const list = arrivals.get(number) ?? [];
    list.push(at);
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
          const at = performance.now();
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
              const event = JSON.parse(data) as { data: { call: { number: string } } };
              onCalled(event.data.call.number, at);
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
    calledEverywhere(number, waitMs) {
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
    },
    close() {
      for (const res of responses) res.destroy();
      agent.destroy();
    },
  };
}
