import type { Request, Response } from 'express';
import { z } from 'zod';
import type { EventBus } from '../app/event-bus.ts';
import type { Hall } from '../app/hall.ts';
import type { HallEvent } from '../contract/events.ts';
import { HttpError, parseInput } from './errors.ts';

export const PING_MS = 15_000;
const RETRY_MS = 2_000;
/** A resume further back than this gets the snapshot alone: the snapshot is the truth. */
export const MAX_REPLAY_EVENTS = 10_000;
/** Events read from the log at a time while replaying; the next page waits for the socket to drain. */
const REPLAY_PAGE = 500;
/** A client with this much unsent is not reading: it is dropped (it reconnects and resumes if alive). */
export const MAX_UNSENT_BYTES = 1024 * 1024;
/** How long a client is told to wait when the streams are full. */
const FULL_RETRY_SECONDS = 10;

const resumeFrom = z.coerce.number().int().min(0);

/** One encoded event; the same string goes to every client. */
export function encodeEvent(event: HallEvent): string {
  const { at, committedAt, data } = event;
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify({ at, committedAt, data })}\n\n`;
}

export type StreamLimits = { max: number; perAddress: number };

/**
 * The live hall stream. Every connection gets a full snapshot first (no id, so it does not move the
 * client's resume point), then — when it names a last event id of today, at most 10,000 back — every
 * event after it from the log, a page at a time as the socket drains, then live events. Events that
 * commit during the replay wait and follow it, never lost or doubled. No client can stall the hall:
 * one that stops reading is dropped at about 1 MB unsent, and the number of streams is capped, in all
 * and per address.
 */
export function createEventStream(hall: Hall, bus: EventBus, limits: StreamLimits) {
  const open = new Set<Response>();
  const perAddress = new Map<string, number>();
  const encoded = new WeakMap<HallEvent, string>();
  const encode = (e: HallEvent) => {
    const text = encoded.get(e) ?? encodeEvent(e);
    encoded.set(e, text);
    return text;
  };

  function refuseIfFull(address: string): void {
    const full =
      open.size >= limits.max
        ? 'the hall has as many event streams open as it serves'
        : (perAddress.get(address) ?? 0) >= limits.perAddress
          ? 'this address has as many event streams open as it may'
          : null;
    if (full)
      throw new HttpError(503, 'too-many-streams', `${full}: try again shortly`, undefined, {
        'Retry-After': String(FULL_RETRY_SECONDS),
      });
  }

  function handle(req: Request, res: Response): void {
    const header = req.headers['last-event-id'];
    const query = (req.query as Record<string, unknown>).lastEventId;
    const raw = header ?? query;
    const lastEventId =
      raw === undefined || raw === '' ? null : parseInput(resumeFrom, raw, header ? 'header' : 'query');
    const address = req.ip ?? req.socket.remoteAddress ?? '?';
    refuseIfFull(address);

    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    req.socket.setNoDelay(true);

    open.add(res);
    perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(ping);
      unsubscribe();
      open.delete(res);
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
    };

    /** Writes, unless the client has stopped reading: then it is dropped. */
    const write = (text: string) => {
      if (closed) return;
      res.write(text);
      if (res.writableLength > MAX_UNSENT_BYTES) {
        close();
        res.destroy();
      }
    };

    // Events addressed to one kiosk (`kiosk.*`) go only to the stream that names it.
    const kioskQuery = (req.query as Record<string, unknown>).kioskId;
    const kioskId = typeof kioskQuery === 'string' ? kioskQuery : null;
    let sentUpTo = 0;
    const send = (e: HallEvent) => {
      if (e.id <= sentUpTo) return;
      sentUpTo = e.id;
      if (e.type.startsWith('kiosk.') && (e.data as { kioskId?: string }).kioskId !== kioskId) return;
      write(encode(e));
    };
    /** Live events that arrive while the replay is still being written, in order. */
    let held: HallEvent[] | null = null;
    let heldBytes = 0;
    const unsubscribe = bus.subscribe((e) => {
      if (!held) return send(e);
      held.push(e);
      heldBytes += encode(e).length;
      if (heldBytes > MAX_UNSENT_BYTES) {
        close();
        res.destroy();
      }
    });
    const ping = setInterval(() => write(': ping\n\n'), PING_MS);
    req.on('close', close);
    res.on('error', close);

    const snapshot = hall.snapshot();
    write(`retry: ${RETRY_MS}\nevent: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`);
    const replay =
      lastEventId !== null &&
      lastEventId < snapshot.lastEventId &&
      snapshot.lastEventId - lastEventId <= MAX_REPLAY_EVENTS &&
      hall.resumableAfter(lastEventId);
    if (!replay) {
      sentUpTo = snapshot.lastEventId;
      return;
    }
    held = [];
    void (async () => {
      let after = lastEventId;
      for (;;) {
        const page = hall.eventsAfter(after, REPLAY_PAGE);
        for (const e of page) send(e);
        if (page.length < REPLAY_PAGE || closed) break;
        after = page[page.length - 1]!.id;
        if (res.writableNeedDrain)
          await new Promise((resume) => res.once('drain', resume).once('close', resume));
      }
      const waiting = held ?? [];
      held = null;
      for (const e of waiting) send(e);
    })();
  }

  /** Ends every open stream so the server can shut down. */
  function closeAll(): void {
    for (const res of open) res.end();
    open.clear();
    perAddress.clear();
  }

  return {
    handle,
    closeAll,
    get clients() {
      return open.size;
    },
  };
}
