import type { Request, Response } from 'express';
import { z } from 'zod';
import type { EventBus } from '../app/event-bus.ts';
import type { Hall } from '../app/hall.ts';
import type { HallEvent } from '../contract/events.ts';
import { parseInput } from './errors.ts';

export const PING_MS = 15_000;
const RETRY_MS = 2_000;

const resumeFrom = z.coerce.number().int().min(0);

/** One encoded event; the same string goes to every client. */
export function encodeEvent(event: HallEvent): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify({ at: event.at, data: event.data })}\n\n`;
}

/**
 * The live hall stream. Every connection gets a full snapshot first (no id, so it does not move the
 * client's resume point), then — when it names a last event id — every event after it from the log,
 * then live events. Events that commit while the replay is read are buffered, never lost or doubled.
 */
export function createEventStream(hall: Hall, bus: EventBus) {
  const open = new Set<Response>();
  const encoded = new WeakMap<HallEvent, string>();
  const encode = (e: HallEvent) => {
    const text = encoded.get(e) ?? encodeEvent(e);
    encoded.set(e, text);
    return text;
  };

  function handle(req: Request, res: Response): void {
    const header = req.headers['last-event-id'];
    const query = (req.query as Record<string, unknown>).lastEventId;
    const raw = header ?? query;
    const lastEventId =
      raw === undefined || raw === '' ? null : parseInput(resumeFrom, raw, header ? 'header' : 'query');

    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    req.socket.setNoDelay(true);

    // Events addressed to one kiosk (`kiosk.*`) go only to the stream that names it.
    const kioskQuery = (req.query as Record<string, unknown>).kioskId;
    const kioskId = typeof kioskQuery === 'string' ? kioskQuery : null;
    let sentUpTo = 0;
    const send = (e: HallEvent) => {
      if (e.id <= sentUpTo) return;
      sentUpTo = e.id;
      if (e.type.startsWith('kiosk.') && (e.data as { kioskId?: string }).kioskId !== kioskId) return;
      res.write(encode(e));
    };
    const unsubscribe = bus.subscribe(send);
    const snapshot = hall.snapshot();
    res.write(`retry: ${RETRY_MS}\nevent: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`);
    if (lastEventId !== null && lastEventId < snapshot.lastEventId) {
      // Replay in pages; live events with higher ids can arrive only after this synchronous loop.
      let after = lastEventId;
      for (;;) {
        const page = hall.eventsAfter(after, 1000);
        for (const e of page) send(e);
        if (page.length < 1000) break;
        after = page[page.length - 1]!.id;
      }
    } else {
      sentUpTo = snapshot.lastEventId;
    }

    const ping = setInterval(() => res.write(': ping\n\n'), PING_MS);
    open.add(res);
    const close = () => {
      clearInterval(ping);
      unsubscribe();
      open.delete(res);
    };
    req.on('close', close);
    res.on('error', close);
  }

  /** Ends every open stream so the server can shut down. */
  function closeAll(): void {
    for (const res of open) res.end();
    open.clear();
  }

  return {
    handle,
    closeAll,
    get clients() {
      return open.size;
    },
  };
}
