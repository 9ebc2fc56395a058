import { createSseParser, type SseMessage } from '../../server/contract/client.ts';

// biome-ignore lint/suspicious/noExplicitAny: event payloads are read as untyped JSON; the assertions check their shape
export type ReadEvent = { event: string; id: number; data: any };

/**
 * Reads a Server-Sent Events stream with fetch (Node 20 has no EventSource) and hands out its
 * messages in order; `next(name)` skips to the next message of that name.
 */
export function readEvents(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const queue: SseMessage[] = [];
  const waiters: (() => void)[] = [];
  const done = (async () => {
    const res = await fetch(url, { headers, signal: controller.signal });
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
    const parse = createSseParser((m) => {
      queue.push(m);
      for (const w of waiters.splice(0)) w();
    });
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      parse(value);
    }
  })().catch(() => {});

  return {
    async next(event: string, timeoutMs = 5000): Promise<ReadEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const i = queue.findIndex((m) => m.event === event);
        if (i >= 0) {
          const [m] = queue.splice(0, i + 1).slice(-1);
          return { event: m!.event, id: Number(m!.id), data: JSON.parse(m!.data) };
        }
        if (Date.now() > deadline) throw new Error(`no ${event} event within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
    close() {
      controller.abort();
      return done;
    },
  };
}
