/**
 * The one command path: every write of the hall — the queue, the configuration, notices, the kiosk's
 * use cases — goes through here, one at a time (better-sqlite3 is synchronous, so commands cannot
 * interleave). A command is validate → one transaction (its rows and its event rows) → publish the
 * events → side effects. Nothing is published and no side effect runs before the commit; a side effect
 * that fails never rolls a committed change back.
 *
 * Storage errors are handled here once: a full disk, an I/O error or a read-only file is a 503
 * `storage-unavailable` (never a 500, never a 201 a restart would lose), and the hall resumes by itself
 * when a write succeeds again; see storage.ts for what each fault means.
 */
import type { ErrorCode } from '../contract/error-codes.ts';
import type { HallEvent, HallEventName, ServerEvents } from '../contract/events.ts';
import { createEventRepository } from '../db/events.ts';
import { createHealthProbeRepository } from '../db/health-probe.ts';
import type { Db } from '../db/open.ts';
import type { Clock } from '../domain/clock.ts';
import type { EventBus } from './event-bus.ts';
import type { Storage } from './storage.ts';

/** An expected refusal: returned to the caller, mapped to its HTTP status at the edge. */
export type Refusal = {
  ok: false;
  status: 400 | 401 | 403 | 404 | 409 | 410 | 429 | 503;
  code: ErrorCode;
  message: string;
  /** A 400's offending fields, named as in the request (`body.3.id`). */
  fields?: { path: string; message: string }[];
  /** When to ask again (429, 503). */
  retryAfterSeconds?: number;
  /** Values a screen words itself (`ErrorBody.error.details`: the booked time of an early check-in, say). */
  details?: Record<string, string>;
};
export type Outcome<T> = { ok: true; value: T } | Refusal;

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });

export function refusal(
  status: Refusal['status'],
  code: ErrorCode,
  message: string,
  extra: Pick<Refusal, 'fields' | 'retryAfterSeconds' | 'details'> = {},
): Refusal {
  return { ok: false, status, code, message, ...extra };
}

/** Thrown inside a command to refuse it: its transaction (or savepoint) rolls back, nothing is published. */
export class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

export function refuse(
  status: Refusal['status'],
  code: ErrorCode,
  message: string,
  extra?: Pick<Refusal, 'fields' | 'retryAfterSeconds' | 'details'>,
): never {
  throw new Refused(refusal(status, code, message, extra));
}

/** Who and what an event row points at, for the audit view and statistics. */
export type EventRefs = { ticketId?: string; counterId?: string; staffId?: string; reason?: string };

/** An event as written in the log. Ticket events are sent with the queue figures of the moment. */
export type RecordedEvent = { type: HallEventName; id: number; at: number; data: unknown };

/** What an event row stores: a ticket event's payload without the figures attached when it is sent. */
export type StoredPayload<N extends HallEventName> = N extends `ticket.${string}`
  ? Omit<ServerEvents[N], 'services'>
  : ServerEvents[N];

/** What one command may do besides its own writes. */
export type Tx = {
  readonly name: string;
  /** Appends an event row in the command's transaction; it is published after the commit. */
  record<N extends HallEventName>(type: N, data: StoredPayload<N>, refs?: EventRefs): void;
  /** In-memory follow-ups (caches, forecasts): after the commit, before the events are published. */
  onCommit(effect: () => void): void;
  /** Side effects (printing): after the events are published. */
  afterCommit(effect: () => void): void;
};

type Frame = { events: RecordedEvent[]; onCommit: (() => void)[]; after: (() => void)[] };

export type CommandPathDeps = {
  db: Db;
  clock: Clock;
  bus: EventBus;
  storage: Storage;
  log: (line: Record<string, unknown>) => void;
};

/** After-commit writes waiting for the storage to come back; beyond this the oldest are dropped. */
const MAX_LATER = 10_000;

export type CommandPath = ReturnType<typeof createCommandPath>;

export function createCommandPath(deps: CommandPathDeps) {
  const { db, clock, bus, storage, log } = deps;
  const events = createEventRepository(db);
  const healthProbe = createHealthProbeRepository(db);

  /** How events are dressed when sent (the hall attaches its queue figures); plain by default. */
  let present = (events: readonly RecordedEvent[]): HallEvent[] =>
    events.map(
      (e) => ({ id: e.id, type: e.type, at: new Date(e.at).toISOString(), data: e.data }) as HallEvent,
    );

  /** The frame of the command (or group) in progress: nested commands add to it. */
  let current: Frame | null = null;

  function transaction(name: string, frame: Frame): Tx {
    return {
      name,
      record(type, data, refs = {}) {
        const at = clock.now();
        const id = events.append({
          at,
          type,
          ticketId: refs.ticketId ?? null,
          counterId: refs.counterId ?? null,
          staffId: refs.staffId ?? null,
          reason: refs.reason ?? null,
          payload: JSON.stringify(data),
        });
        frame.events.push({ type, id, at, data });
      },
      onCommit: (effect) => frame.onCommit.push(effect),
      afterCommit: (effect) => frame.after.push(effect),
    };
  }

  /** After a commit: in-memory follow-ups, then the events, then the side effects. */
  function finish(frame: Frame): void {
    // An event's `at` is stamped when its row is written, before the durable commit: the commit's own
    // time goes with the live events, so a reader can tell how long they took to reach it.
    const committedAt = new Date(clock.now()).toISOString();
    for (const effect of frame.onCommit) guarded('on-commit effect', effect);
    // Dressing events costs forecasts: with nobody listening (a simulated hall), there is no one to dress for.
    if (frame.events.length > 0 && bus.size > 0)
      for (const event of present(frame.events))
        bus.publish({ ...event, committedAt }, (error) =>
          log({ msg: 'event listener failed', level: 'error', event: event.type, error: String(error) }),
        );
    for (const effect of frame.after) guarded('after-commit effect', effect);
  }

  function guarded(what: string, effect: () => void): void {
    try {
      effect();
    } catch (error) {
      log({
        msg: `${what} failed`,
        level: 'error',
        error: error instanceof Error ? error.stack : String(error),
      });
    }
  }

  /**
   * Runs one command in a transaction. Inside another command (or a group commit) it is a savepoint:
   * a refusal undoes only it, and its events wait for the outer commit. A storage error is the
   * outermost command's to turn into a 503; any other error is a bug and is thrown.
   */
  function run<T>(name: string, body: (tx: Tx) => T): Outcome<T> {
    const outer = current;
    if (!outer) {
      const blocked = storage.blocked();
      if (blocked) return blocked;
    }
    const frame: Frame = { events: [], onCommit: [], after: [] };
    const started = performance.now();
    current = frame;
    let value: T;
    try {
      value = db.transaction(() => {
        const result = body(transaction(name, frame));
        if (!outer) storage.beforeCommit();
        return result;
      })();
    } catch (error) {
      if (error instanceof Refused) {
        log({ msg: 'command', command: name, ok: false, code: error.refusal.code });
        return error.refusal;
      }
      if (outer) throw error;
      const unavailable = storage.failed(error, name);
      if (unavailable) {
        log({ msg: 'command', command: name, ok: false, code: unavailable.code });
        return unavailable;
      }
      throw error;
    } finally {
      current = outer;
    }
    if (outer) {
      outer.events.push(...frame.events);
      outer.onCommit.push(...frame.onCommit);
      outer.after.push(...frame.after);
    } else {
      storage.succeeded();
      finish(frame);
    }
    // Counted, not written, by the operator log (operator-log.ts), which writes the slow ones.
    log({ msg: 'command', command: name, ok: true, ms: Math.round((performance.now() - started) * 10) / 10 });
    return { ok: true, value };
  }

  /**
   * Runs a command whose answer may be a refusal that still keeps what the command wrote (a wrong
   * one-time code is counted, then refused). A refusal thrown with `refuse` still undoes everything.
   */
  function runAnswer<T>(name: string, body: (tx: Tx) => Outcome<T>): Outcome<T> {
    const outcome = run(name, body);
    return outcome.ok ? outcome.value : outcome;
  }

  type Queued = {
    name: string;
    body: (tx: Tx) => unknown;
    settle: (o: Outcome<unknown>) => void;
    fail: (e: unknown) => void;
  };
  let queued: Queued[] = [];

  /**
   * Group commit for the busiest command (issuing tickets): the commands asked for in one turn of the
   * event loop run in one transaction, each its own savepoint, made durable by one commit instead of
   * one each. Nobody is answered, and no event published, before that commit.
   */
  function runSoon<T>(name: string, body: (tx: Tx) => T): Promise<Outcome<T>> {
    return new Promise((settle, fail) => {
      if (queued.length === 0) setImmediate(runQueued);
      queued.push({ name, body, settle: settle as Queued['settle'], fail });
    });
  }

  function runQueued(): void {
    const group = queued;
    queued = [];
    const results: ({ outcome: Outcome<unknown> } | { error: unknown })[] = [];
    let grouped: Outcome<void>;
    try {
      grouped = run('group-commit', () => {
        for (const item of group) {
          try {
            results.push({ outcome: run(item.name, item.body) });
          } catch (error) {
            // A storage error ends the whole group (SQLite may have rolled the transaction back); a
            // bug in one command undoes only its savepoint.
            if (storage.isStorageError(error)) throw error;
            results.push({ error });
          }
        }
      });
    } catch (error) {
      for (const item of group) item.fail(error); // the commit itself failed, and not for the storage
      return;
    }
    group.forEach((item, i) => {
      const result = results[i];
      if (!grouped.ok) item.settle(grouped);
      else if (result && 'outcome' in result) item.settle(result.outcome);
      else item.fail(result?.error);
    });
  }

  type Later = { name: string; body: (tx: Tx) => void };
  const waitingForStorage: Later[] = [];

  /**
   * A write that follows an answer already given (a print result, a device's status): it never
   * throws. When the storage is unavailable it waits and is retried once writes succeed again.
   */
  function later(name: string, body: (tx: Tx) => void): void {
    let outcome: Outcome<void>;
    try {
      outcome = run(name, body);
    } catch (error) {
      log({ msg: 'after-commit write failed', level: 'error', command: name, error: String(error) });
      return;
    }
    if (outcome.ok) return;
    if (outcome.code !== 'storage-unavailable') {
      log({ msg: 'after-commit write refused', level: 'warn', command: name, code: outcome.code });
      return;
    }
    log({ msg: 'write waits for storage', level: 'warn', command: name });
    if (waitingForStorage.length >= MAX_LATER) {
      const dropped = waitingForStorage.shift()!;
      log({ msg: 'after-commit write dropped', level: 'error', command: dropped.name });
    }
    waitingForStorage.push({ name, body });
  }

  storage.onRecovered(() => {
    const retry = waitingForStorage.splice(0);
    if (retry.length > 0) log({ msg: 'retrying after-commit writes', count: retry.length });
    for (const item of retry) later(item.name, item.body);
  });

  return {
    run,
    runAnswer,
    runSoon,
    later,
    /** A real write, for /health: it fails as a ticket would. */
    probe: (): Outcome<void> => run('health-probe', () => healthProbe.write(clock.now())),
    /** The hall dresses its events (queue figures) when they are sent: set once, by the hall. */
    presentWith(presenter: typeof present): void {
      present = presenter;
    },
    /** Writes that wait for the storage to come back. */
    get waitingWrites(): number {
      return waitingForStorage.length;
    },
  };
}
