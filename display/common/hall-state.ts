/**
 * The hall as a screen sees it: the snapshot, kept current by the events that follow it. Pure, so the
 * wall display and the tests share one set of rules.
 */
import type { CallNotice, CounterView, HallSnapshot, ServiceView } from '../../server/contract/api.ts';
import type { HallEvent } from '../../server/contract/events.ts';

export type HallState = {
  hall: HallSnapshot['hall'];
  services: ServiceView[];
  counters: CounterView[];
  /** Newest first, each call once. */
  calls: CallNotice[];
  /** The calls whose ticket is still called, newest first, one per number (the snapshot's `calling`). */
  calling: CallNotice[];
};

/** Enough for the wall's current call and its history, with room for a zone filter to pick from. */
const KEPT_CALLS = 40;

/** A call seen both in a snapshot's recentCalls and as a replayed event is one call. */
export function callKey(call: CallNotice): string {
  return `${call.number}|${call.counterId}|${call.at}`;
}

function mergeCalls(newer: readonly CallNotice[], older: readonly CallNotice[]): CallNotice[] {
  const seen = new Set<string>();
  const merged: CallNotice[] = [];
  for (const call of [...newer, ...older]) {
    const key = callKey(call);
    if (seen.has(key)) continue;
    seen.add(key);
    merged.push(call);
  }
  // Stable sort: calls with the same instant keep arrival order (newest first).
  merged.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  return merged.slice(0, KEPT_CALLS);
}

function mergeById<T extends { id: string }>(current: readonly T[], updates: readonly T[]): T[] {
  const byId = new Map(updates.map((item) => [item.id, item]));
  const merged = current.map((item) => byId.get(item.id) ?? item);
  for (const item of updates) if (!current.some((c) => c.id === item.id)) merged.push(item);
  return merged;
}

/**
 * A snapshot is the full current state, except for history: calls the screen already showed stay, so a
 * reconnect does not shorten the list, and the replayed events that follow do not repeat them.
 */
export function applySnapshot(previous: HallState | null, snapshot: HallSnapshot): HallState {
  return {
    hall: snapshot.hall,
    services: snapshot.services,
    counters: snapshot.counters,
    calls: mergeCalls(snapshot.recentCalls, previous?.calls ?? []),
    calling: snapshot.calling ?? [],
  };
}

/** The ticket left the call: served, finished, gone, moved to another line. */
const stillCalling = (calling: CallNotice[], number: string) => calling.filter((c) => c.number !== number);

export function applyEvent(state: HallState, event: HallEvent): HallState {
  switch (event.type) {
    case 'counter.updated':
      return { ...state, counters: mergeById(state.counters, [event.data.counter]) };
    case 'ticket.called':
    case 'ticket.recalled':
      return {
        ...state,
        services: mergeById(state.services, event.data.services),
        calls: mergeCalls([event.data.call], state.calls),
        calling: [event.data.call, ...stillCalling(state.calling, event.data.call.number)],
      };
    case 'ticket.issued':
    case 'ticket.rated':
      return { ...state, services: mergeById(state.services, event.data.services) };
    case 'ticket.serving':
    case 'ticket.finished':
    case 'ticket.no-show':
    case 'ticket.transferred':
    case 'ticket.cancelled':
      return {
        ...state,
        services: mergeById(state.services, event.data.services),
        calling: stillCalling(state.calling, event.data.ticket.number),
      };
    case 'hall.configured':
      return { ...state, services: event.data.services, counters: event.data.counters };
    case 'ticket.print-failed':
    case 'device.status':
    case 'kiosk.id-card':
    case 'kiosk.scan':
    case 'notices.updated':
      return state;
  }
}
