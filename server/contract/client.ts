/**
 * A typed client for API v1: fetch for commands, Server-Sent Events for the live hall.
 * Browser-safe. The live stream resumes with the last event id and is watched: a stream that errors
 * or stays silent past the watchdog limit is recreated, and the server sends a fresh snapshot first.
 */
import type { ErrorBody, HallSnapshot } from './api.ts';
import { API_BASE } from './api.ts';
import type { ApiErrorCode, ErrorCode, HqErrorCode } from './error-codes.ts';
import { HALL_EVENT_NAMES, type HallEvent } from './events.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly fields: { path: string; message: string }[] = [],
    /** From `Retry-After` (a 429, a 503): when asking again may work. */
    readonly retryAfterSeconds: number | null = null,
    /** Values for the screen's own words (`ErrorBody.error.details`). */
    readonly details: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
  /** True when the server could not be reached at all (no HTTP answer). */
  get unreachable(): boolean {
    return this.status === 0;
  }
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * Calls `API_BASE + path` (or `base + path`: HQ's pages speak `/hq/v1`) with JSON in and out; throws
 * ApiError with the server's envelope.
 */
export async function api<T>(
  path: string,
  options: {
    method?: string;
    body?: unknown;
    headers?: Record<string, string>;
    fetch?: FetchLike;
    base?: string;
  } = {},
): Promise<T> {
  const doFetch = options.fetch ?? fetch;
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await doFetch((options.base ?? API_BASE) + path, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
    });
  } catch (cause) {
    throw new ApiError(0, 'unreachable', cause instanceof Error ? cause.message : 'server unreachable');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const parsed: unknown = text ? safeJson(text) : undefined;
  if (!res.ok) {
    const body = parsed as Partial<ErrorBody<ErrorCode | HqErrorCode>> | undefined;
    const retryAfter = Number(res.headers.get('retry-after'));
    throw new ApiError(
      res.status,
      body?.error?.code ?? 'http-error',
      body?.error?.message ?? `HTTP ${res.status}`,
      body?.error?.fields,
      retryAfter > 0 ? retryAfter : null,
      body?.error?.details,
    );
  }
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export type ConnectionState = 'connecting' | 'live' | 'lost';

export type HallStreamHandlers = {
  onSnapshot(snapshot: HallSnapshot): void;
  onEvent(event: HallEvent): void;
  onConnection?(state: ConnectionState): void;
};

export type HallStreamOptions = {
  /** Extra query parameters, e.g. `{ kioskId }` for events addressed to one kiosk. */
  query?: Record<string, string>;
  /** Recreate the stream after this long without a byte (the server sends a `: ping` comment every 15 s). */
  silenceMs?: number;
  /** Report "lost" after this long without a live stream. */
  lostAfterMs?: number;
  fetch?: FetchLike;
  timers?: Timers;
};

export type Timers = {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

const realTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** One parsed Server-Sent Event. */
export type SseMessage = { event: string; data: string; id: string | null };

/**
 * Splits an SSE byte stream (already decoded) into messages. Comment lines (`: ping`) yield nothing but
 * still count as life for the caller, which sees every chunk.
 */
export function createSseParser(onMessage: (m: SseMessage) => void): (chunk: string) => void {
  let buffer = '';
  let event = 'message';
  let data: string[] = [];
  let id: string | null = null;
  return (chunk) => {
    buffer += chunk;
    let nl = buffer.search(/\r\n|\r|\n/);
    while (nl >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + (buffer.startsWith('\r\n', nl) ? 2 : 1));
      if (line === '') {
        if (data.length > 0) onMessage({ event, data: data.join('\n'), id });
        event = 'message';
        data = [];
        id = null;
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
        else if (field === 'id') id = value;
      }
      nl = buffer.search(/\r\n|\r|\n/);
    }
  };
}

/**
 * Opens the live hall stream and keeps it open until the returned function is called. It reads the
 * stream with fetch rather than EventSource: EventSource hides the server's comment pings (so a quiet
 * hall would look dead) and gives up for good after one non-200 answer (a proxy's 502 during a restart).
 * A watchdog recreates the stream after an error or `silenceMs` without a byte; every new stream starts
 * with a snapshot and resumes after the last event delivered, so each event is delivered once, in order.
 */
export function openHallStream(handlers: HallStreamHandlers, options: HallStreamOptions = {}): () => void {
  const silenceMs = options.silenceMs ?? 30_000;
  const lostAfterMs = options.lostAfterMs ?? 10_000;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const timers = options.timers ?? realTimers;

  let lastEventId = 0;
  let controller: AbortController | null = null;
  let silenceTimer: unknown = null;
  let lostTimer: unknown = null;
  let retryTimer: unknown = null;
  let retryDelay = 1_000;
  let stopped = false;
  let state: ConnectionState | null = null;

  const setState = (next: ConnectionState) => {
    if (state === next) return;
    state = next;
    handlers.onConnection?.(next);
  };
  const clear = (t: unknown) => {
    if (t !== null) timers.clearTimeout(t);
  };
  const armLost = () => {
    if (lostTimer !== null) return;
    lostTimer = timers.setTimeout(() => {
      lostTimer = null;
      if (state !== 'live') setState('lost');
    }, lostAfterMs);
  };
  const heard = () => {
    clear(silenceTimer);
    silenceTimer = timers.setTimeout(() => restart(), silenceMs);
  };

  const deliver = (m: SseMessage) => {
    if (m.event === 'snapshot') {
      const snapshot = JSON.parse(m.data) as HallSnapshot;
      // A snapshot older than our resume point means the hall's database was replaced: start over from it.
      if (lastEventId === 0 || snapshot.lastEventId < lastEventId) lastEventId = snapshot.lastEventId;
      retryDelay = 1_000;
      clear(lostTimer);
      lostTimer = null;
      setState('live');
      handlers.onSnapshot(snapshot);
      return;
    }
    const id = Number(m.id);
    if (!(HALL_EVENT_NAMES as readonly string[]).includes(m.event) || !Number.isFinite(id)) return;
    if (id <= lastEventId) return; // delivered before a reconnect
    lastEventId = id;
    const payload = JSON.parse(m.data) as { at: string; data: never };
    handlers.onEvent({ id, type: m.event, at: payload.at, data: payload.data } as HallEvent);
  };

  const connect = async () => {
    if (stopped) return;
    const own = new AbortController();
    controller = own;
    if (state !== 'lost') setState('connecting');
    armLost();
    heard();
    const params = new URLSearchParams(options.query);
    const qs = params.toString();
    try {
      const res = await doFetch(`${API_BASE}/events${qs ? `?${qs}` : ''}`, {
        headers: {
          accept: 'text/event-stream',
          ...(lastEventId > 0 ? { 'last-event-id': String(lastEventId) } : {}),
        },
        signal: own.signal,
        credentials: 'same-origin',
      });
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      const parse = createSseParser(deliver);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        heard();
        parse(value);
      }
      throw new Error('stream ended');
    } catch {
      if (controller === own) restart();
    }
  };

  const restart = () => {
    if (stopped) return;
    controller?.abort();
    controller = null;
    clear(silenceTimer);
    silenceTimer = null;
    if (state === 'live') setState('connecting');
    armLost();
    if (retryTimer !== null) return;
    retryTimer = timers.setTimeout(() => {
      retryTimer = null;
      void connect();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 10_000);
  };

  void connect();
  return () => {
    stopped = true;
    controller?.abort();
    for (const t of [silenceTimer, lostTimer, retryTimer]) clear(t);
  };
}
