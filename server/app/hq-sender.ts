/**
 * The hall's side of the link to HQ: ships the append-only event log, oldest first, from the last
 * sequence number HQ acknowledged, in batches of up to 1 MiB, and pulls HQ's service catalogue.
 *
 * It never slows the command path: it runs on its own timer, reads the log through its own SQLite
 * connection (WAL: readers never wait for the writer), and reads a page of a few hundred rows at a time,
 * giving the event loop back between pages. Its cursor lives in the hall database (`hq_link`), written
 * through that connection without an fsync of its own: a cursor lost to a power cut only means events
 * are sent again, and HQ keeps each (hall, seq) once.
 *
 * What leaves the hall is public: each event type has an allow-list of fields (`publicData`), so a field
 * added to a payload later stays home until it is listed here. Ticket ids, phone numbers, ID numbers,
 * names of customers and staff, and hashes never travel.
 */
import type { ServerEvents } from '../contract/events.ts';
import {
  HQ_API_BASE,
  HQ_BATCH_MAX_BYTES,
  HQ_SCHEMA_VERSION,
  type HqCatalogue,
  type HqIngestAnswer,
  type HqLinkHealth,
  type HqTicketFacts,
} from '../contract/hq.ts';
import { createHqLinkRepository, type OutboundEventRow } from '../db/hq-link.ts';
import { openSideConnection } from '../db/open.ts';
import type { Clock } from '../domain/clock.ts';
import { localIso, localTime } from '../domain/hall-time.ts';

export type HqSenderOptions = {
  /** The hall database file; the sender opens its own connection to it. */
  dbPath: string;
  /** HQ's base address (`HALLQ_HQ_URL`) and this hall's token (`HALLQ_HQ_TOKEN`). */
  url: string;
  token: string;
  /** The hall's clock: events and `sentAt` are on it. */
  clock: Clock;
  /** Read on each batch: the manager may change them. */
  timeZone: () => string;
  waitTarget: (serviceId: string) => number;
  appVersion: string;
  /**
   * Applies a catalogue HQ published; called once a new opening day has begun since it was pulled.
   * Resolves to null when it is in force, or to what stopped it (the hall keeps its configuration).
   */
  applyCatalogue?: (catalogue: HqCatalogue) => Promise<string | null>;
  log: (line: Record<string, unknown>) => void;
  /** Pause between looks at the log while caught up (a hall sends within a few seconds of an event). */
  intervalMs?: number;
  /** An empty batch at least this often, so HQ knows the hall is there. */
  heartbeatMs?: number;
  /** Retries never wait longer than this while HQ is unreachable (hq/README.md: at least every 30 s). */
  maxBackoffMs?: number;
  catalogueEveryMs?: number;
  maxBatchBytes?: number;
  /** Jitter source in [0, 1). */
  random?: () => number;
  /** Each request is given up after this long. */
  requestTimeoutMs?: number;
};

/** Rows read per synchronous slice: a few milliseconds at most, then the event loop is given back. */
const PAGE = 250;

export type HqSender = ReturnType<typeof createHqSender>;

export function createHqSender(options: HqSenderOptions) {
  const intervalMs = options.intervalMs ?? 2_000;
  const heartbeatMs = options.heartbeatMs ?? 25_000;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const catalogueEveryMs = options.catalogueEveryMs ?? 5 * 60_000;
  const maxBatchBytes = options.maxBatchBytes ?? HQ_BATCH_MAX_BYTES;
  const random = options.random ?? Math.random;
  const base = options.url.replace(/\/+$/, '') + HQ_API_BASE;

  // Its own connection, off the command path: the acknowledged cursor it writes is HQ's to confirm again.
  const db = openSideConnection(options.dbPath);
  const rows = createHqLinkRepository(db);

  let link = rows.link();
  let connected = false;
  let problem: string | null = null;
  let failures = 0;
  /** HQ's Retry-After of the last refusal: the next try waits at least this long. */
  let retryAfterMs = 0;
  let lastSentAt = 0;
  let lastCataloguePull = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<void> | null = null;
  let stopped = true;
  const inFlight = new Set<AbortController>();

  /** The next batch: events after the cursor, oldest first, up to the size limit. Sliced across turns. */
  async function nextBatch(): Promise<{ body: string; lastSeq: number; count: number }> {
    const zone = options.timeZone();
    const head = `{"appVersion":${JSON.stringify(options.appVersion)},"schemaVersion":${HQ_SCHEMA_VERSION},"sentAt":"${localIso(options.clock.now(), zone)}","events":[`;
    const parts: string[] = [];
    let bytes = Buffer.byteLength(head) + 2;
    let after = link.acked_through;
    let full = false;
    while (!full) {
      const page = rows.eventsAfter(after, PAGE);
      for (const row of page) {
        const json = JSON.stringify(hqEvent(row, zone, options.waitTarget));
        const size = Buffer.byteLength(json) + 1;
        if (bytes + size > maxBatchBytes && parts.length > 0) {
          full = true;
          break;
        }
        parts.push(json);
        bytes += size;
        after = row.id;
      }
      if (page.length < PAGE) break;
      await yieldToCommands();
    }
    return { body: `${head}${parts.join(',')}]}`, lastSeq: after, count: parts.length };
  }

  /** A request to HQ that gives up after the timeout, or when the sender stops. */
  async function request(path: string, init: RequestInit = {}): Promise<Response> {
    const controller = new AbortController();
    inFlight.add(controller);
    const timeout = setTimeout(() => controller.abort(), options.requestTimeoutMs ?? 30_000);
    try {
      return await fetch(`${base}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${options.token}`, ...init.headers },
        signal: controller.signal,
      });
    } finally {
      clearTimeout(timeout);
      inFlight.delete(controller);
    }
  }

  /** One round: pull the catalogue when due, apply a pending one, send a batch or a heartbeat. */
  async function round(): Promise<'more' | 'idle' | 'retry'> {
    const now = Date.now();
    if (now - lastCataloguePull >= catalogueEveryMs) {
      lastCataloguePull = now;
      await pullCatalogue().catch(() => {});
    }
    await applyPendingCatalogue();
    const newest = rows.newestEvent();
    const behind = newest > link.acked_through;
    if (!behind && now - lastSentAt < heartbeatMs) return 'idle';
    const batch = await nextBatch();
    let res: Response;
    try {
      res = await request('/ingest', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: batch.body,
      });
    } catch (error) {
      connected = false;
      problem = `HQ unreachable: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`;
      return 'retry';
    }
    lastSentAt = Date.now();
    connected = true;
    if (res.status !== 200) {
      const text = await res.text().catch(() => '');
      problem = `HQ answered ${res.status}: ${text.slice(0, 200)}`;
      retryAfterMs = retryAfter(res.headers.get('retry-after'));
      if (res.status !== 429 && res.status !== 503)
        options.log({ msg: 'hq batch refused', level: 'warn', status: res.status, body: text.slice(0, 200) });
      return 'retry';
    }
    const answer = (await res.json()) as HqIngestAnswer;
    problem = answer.ackedThrough > newest ? 'HQ holds events this hall does not have' : null;
    if (answer.ackedThrough !== link.acked_through) {
      // HQ's word is the cursor: lower after HQ lost data (it is sent again), higher after a resend.
      rows.ack(answer.ackedThrough, options.clock.now());
      link = rows.link();
    }
    failures = 0;
    // HQ took the batch but not through its end: a fault on its side, so not at once again.
    if (batch.count > 0 && answer.ackedThrough < batch.lastSeq) return 'retry';
    // Behind still: more of the log waits, or HQ's answer to a heartbeat moved the cursor back.
    return answer.ackedThrough < newest ? 'more' : 'idle';
  }

  async function pullCatalogue(): Promise<void> {
    const running = link.catalogue_version === null ? '' : `?running=${link.catalogue_version}`;
    const res = await request(`/config${running}`);
    if (res.status !== 200) return;
    const catalogue = (await res.json()) as HqCatalogue;
    const pending = link.pending_catalogue ? (JSON.parse(link.pending_catalogue) as HqCatalogue) : null;
    if (catalogue.version === link.catalogue_version || catalogue.version === pending?.version) return;
    rows.holdCatalogue(JSON.stringify(catalogue), localTime(options.clock.now(), options.timeZone()).day);
    link = rows.link();
    options.log({ msg: 'hq catalogue pulled', version: catalogue.version, region: catalogue.region });
  }

  /** A pulled catalogue takes effect at the next opening day: once the day has turned, or before the first ticket of today. */
  async function applyPendingCatalogue(): Promise<void> {
    if (!link.pending_catalogue || !options.applyCatalogue) return;
    const today = localTime(options.clock.now(), options.timeZone()).day;
    if (today === link.pending_day && rows.anyTicketOn(today)) return;
    const catalogue = JSON.parse(link.pending_catalogue) as HqCatalogue;
    const refused = await options.applyCatalogue(catalogue);
    if (refused) {
      problem = `catalogue version ${catalogue.version} not applied: ${refused}`;
      return;
    }
    rows.catalogueApplied(catalogue.version);
    link = rows.link();
    lastCataloguePull = Number.NEGATIVE_INFINITY; // HQ hears the version now in force at the next round
    options.log({ msg: 'hq catalogue applied', version: catalogue.version });
  }

  function schedule(ms: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      running = loop().finally(() => {
        running = null;
      });
    }, ms);
    timer.unref?.();
  }

  async function loop(): Promise<void> {
    let outcome: Awaited<ReturnType<typeof round>>;
    try {
      outcome = await round();
    } catch (error) {
      connected = false;
      problem = error instanceof Error ? error.message : String(error);
      outcome = 'retry';
    }
    if (outcome === 'more') return schedule(0);
    if (outcome === 'idle') return schedule(intervalMs);
    failures++;
    const wait = retryDelay(failures, random(), retryAfterMs, maxBackoffMs);
    retryAfterMs = 0;
    schedule(wait);
  }

  return {
    start(): void {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      for (const c of inFlight) c.abort();
      await running?.catch(() => {});
      db.close();
    },
    /** Sends until HQ has everything (or a round fails): for tests and the demo. */
    async flush(): Promise<boolean> {
      for (;;) {
        lastSentAt = 0;
        const outcome = await round();
        if (outcome === 'retry') return false;
        if (outcome === 'idle') return true;
      }
    },
    health(): HqLinkHealth {
      const newest = rows.newestEvent();
      const oldest = rows.firstEventAfter(link.acked_through);
      const pending = link.pending_catalogue ? (JSON.parse(link.pending_catalogue) as HqCatalogue) : null;
      return {
        connected,
        url: options.url,
        lastAckedSeq: link.acked_through,
        lastAckedAt: link.acked_at === null ? null : new Date(link.acked_at).toISOString(),
        lagSeconds: oldest === undefined ? 0 : Math.max(0, Math.round((options.clock.now() - oldest) / 1000)),
        pendingEvents: Math.max(0, newest - link.acked_through),
        problem,
        catalogueVersion: link.catalogue_version,
        pendingCatalogueVersion: pending?.version ?? null,
      };
    },
  };
}

/**
 * The wait before try number `failures` + 1: exponential from a second with jitter (half to all of it),
 * never longer than the cap — unless HQ asked for longer with Retry-After, which is honoured.
 */
export function retryDelay(
  failures: number,
  random: number,
  retryAfterMs: number,
  maxBackoffMs: number,
): number {
  const backoff = Math.min(maxBackoffMs, 1000 * 2 ** (failures - 1)) * (0.5 + random / 2);
  return Math.max(backoff, retryAfterMs);
}

const yieldToCommands = () => new Promise<void>((resolve) => setImmediate(resolve));

/** `Retry-After` in seconds or as an HTTP date, in ms (0 when absent or unreadable). */
export function retryAfter(header: string | null, now = Date.now()): number {
  if (!header) return 0;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? 0 : Math.max(0, date - now);
}

/** One event as it leaves the hall: its id, its time with the hall's offset, and its public data. */
export function hqEvent(
  row: OutboundEventRow,
  timeZone: string,
  waitTarget: (serviceId: string) => number,
): { seq: number; at: string; type: string; data: Record<string, unknown> } {
  const data = publicData(row.type, JSON.parse(row.payload) as Record<string, unknown>);
  if (row.type.startsWith('ticket.') && row.day !== null && row.issued_at !== null && data.ticket)
    data.facts = ticketFacts(
      row,
      timeZone,
      waitTarget(String((data.ticket as { serviceId: string }).serviceId)),
    );
  return { seq: row.id, at: localIso(row.at, timeZone), type: row.type, data };
}

/** Ticket times travel only with the events after which they no longer change (see HqTicketFacts). */
const FIRST_CALL_KNOWN = new Set([
  'ticket.called',
  'ticket.recalled',
  'ticket.serving',
  'ticket.finished',
  'ticket.rated',
  'ticket.no-show',
  'ticket.transferred',
  'ticket.cancelled',
]);
const FINISH_KNOWN = new Set(['ticket.finished', 'ticket.rated']);

function ticketFacts(row: OutboundEventRow, timeZone: string, waitTargetMinutes: number): HqTicketFacts {
  const iso = (ms: number | null) => (ms === null ? null : localIso(ms, timeZone));
  return {
    day: row.day!,
    hour: row.hour!,
    issuedAt: localIso(row.issued_at!, timeZone),
    ...(FIRST_CALL_KNOWN.has(row.type) ? { firstCalledAt: iso(row.first_called_at) } : {}),
    ...(FINISH_KNOWN.has(row.type)
      ? { servingAt: iso(row.serving_at), finishedAt: iso(row.finished_at) }
      : {}),
    waitTargetMinutes,
  };
}

// ---------- the allow-lists ----------

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
/** Short strings only: names of services and counters, numbers of tickets, states. */
const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 80) : null);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const text = (v: unknown) => ({ zh: str(obj(v).zh), en: str(obj(v).en) });
const strings = (v: unknown) => (Array.isArray(v) ? v.map(str).filter((s) => s !== null) : []);

const publicTicket = (v: unknown) => {
  const t = obj(v);
  return {
    number: str(t.number),
    serviceId: str(t.serviceId),
    tier: str(t.tier),
    counterId: str(t.counterId),
  };
};

const ticketOnly = (d: Json) => ({ ticket: publicTicket(d.ticket) });

/** What HQ may see of each event type's payload; a type not listed travels with empty data. */
const ALLOWED: { [K in keyof ServerEvents]?: (d: Json) => Json } = {
  'ticket.issued': ticketOnly,
  'ticket.called': (d) => ({
    ticket: publicTicket(d.ticket),
    call: { counterId: str(obj(d.call).counterId), counterName: str(obj(d.call).counterName) },
    rule: str(obj(d.explanation).rule),
  }),
  'ticket.recalled': (d) => ({
    ticket: publicTicket(d.ticket),
    call: { counterId: str(obj(d.call).counterId), counterName: str(obj(d.call).counterName) },
  }),
  'ticket.serving': ticketOnly,
  'ticket.finished': (d) => ({ ticket: publicTicket(d.ticket), rating: num(d.rating) }),
  'ticket.rated': (d) => ({ ticket: publicTicket(d.ticket), rating: num(d.rating) }),
  'ticket.no-show': ticketOnly,
  'ticket.transferred': (d) => ({ ticket: publicTicket(d.ticket), fromServiceId: str(d.fromServiceId) }),
  'ticket.cancelled': (d) => ({ ticket: publicTicket(d.ticket), reason: str(d.reason) }),
  'ticket.print-failed': (d) => ({ ticket: publicTicket(d.ticket), kioskId: str(d.kioskId) }),
  'counter.updated': (d) => {
    const c = obj(d.counter);
    return {
      counter: {
        id: str(c.id),
        name: str(c.name),
        status: str(c.status),
        currentTicket: str(c.currentTicket),
        pauseReason: str(c.pauseReason),
      },
    };
  },
  'device.status': (d) => ({ id: str(d.id), kind: str(d.kind), status: str(d.status) }),
  'kiosk.id-card': (d) => ({ kioskId: str(d.kioskId) }),
  'kiosk.scan': (d) => ({ kioskId: str(d.kioskId), kind: str(d.kind) }),
  'notices.updated': (d) => ({ count: num(d.count) }),
  'hall.configured': (d) => ({
    version: num(d.version),
    services: (Array.isArray(d.services) ? d.services : []).map((s: unknown) => {
      const v = obj(s);
      return {
        id: str(v.id),
        prefix: str(v.prefix),
        name: text(v.name),
        waitTargetMinutes: num(v.waitTargetMinutes),
      };
    }),
    counters: (Array.isArray(d.counters) ? d.counters : []).map((c: unknown) => {
      const v = obj(c);
      return { id: str(v.id), name: str(v.name), serviceIds: strings(v.serviceIds) };
    }),
  }),
};

/** The public part of an event's stored payload, by its type's allow-list. */
export function publicData(type: string, payload: Json): Json {
  const pick = ALLOWED[type as keyof ServerEvents];
  return pick ? pick(payload) : {};
}
