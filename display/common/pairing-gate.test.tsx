// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyEvent, applySnapshot } from './hall-state.ts';
import { PairingGate } from './pairing-gate.tsx';
import { counter, service, snapshot } from './test-data.ts';

type Route = (init?: RequestInit) => [number, unknown];

/** A fake server by "METHOD path"; records every request with its headers. */
function fakeServer(routes: Record<string, Route>) {
  const seen: { key: string; auth: string | null }[] = [];
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    const key = `${init?.method ?? 'GET'} ${url.replace('/api/v1', '')}`;
    seen.push({ key, auth: new Headers(init?.headers).get('authorization') });
    const route = routes[key];
    const [status, body] = route ? route(init) : [404, { error: { code: 'not-found', message: key } }];
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  });
  return seen;
}

beforeEach(() => localStorage.clear());
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

const hall =
  (demo: boolean): Route =>
  () => [200, { demo, name: { zh: '厅', en: 'Hall' }, services: [] }];

describe('pairing gate', () => {
  it('opens at once in the demo', async () => {
    fakeServer({ 'GET /hall': hall(true) });
    render(
      <PairingGate kind="kiosk" storageKey="t">
        <p>kiosk</p>
      </PairingGate>,
    );
    await screen.findByText('kiosk');
  });

  it('opens for a token the server still knows, sent as a Bearer token', async () => {
    localStorage.setItem('t', 'tok');
    const seen = fakeServer({
      'GET /hall': hall(false),
      'GET /devices/me': () => [200, { kind: 'display', deviceId: 'wall-1' }],
    });
    render(
      <PairingGate kind="display" storageKey="t">
        <p>wall</p>
      </PairingGate>,
    );
    await screen.findByText('wall');
    expect(seen.find((s) => s.key === 'GET /devices/me')?.auth).toBe('Bearer tok');
  });

  it('shows only a code when unpaired (or revoked), then keeps the token it is given and starts', async () => {
    localStorage.setItem('t', 'revoked');
    let approved = false;
    fakeServer({
      'GET /hall': hall(false),
      'GET /devices/me': () => [401, { error: { code: 'unpaired', message: 'no' } }],
      'POST /pairing/requests': () => [201, { id: 'r1', code: 'ABC234', expiresAt: '2026-11-25T10:10:00Z' }],
      'GET /pairing/requests/r1': () =>
        approved
          ? [200, { status: 'paired', kind: 'kiosk', deviceId: 'k2', token: 'new-token' }]
          : [200, { status: 'pending', code: 'ABC234', expiresAt: '2026-11-25T10:10:00Z' }],
    });
    const onPaired = vi.fn();
    render(
      <PairingGate kind="kiosk" storageKey="t" onPaired={onPaired}>
        <p>kiosk</p>
      </PairingGate>,
    );
    expect((await screen.findByLabelText('pairing code')).textContent).toBe('ABC234');
    expect(screen.queryByText('kiosk')).toBeNull();
    expect(localStorage.getItem('t')).toBeNull();
    approved = true;
    await waitFor(() => expect(onPaired).toHaveBeenCalledWith({ deviceId: 'k2' }), { timeout: 5_000 });
    expect(localStorage.getItem('t')).toBe('new-token');
  });
});

describe('hall.configured', () => {
  it('replaces the services and counters whole: a removed one is gone, a new target shows', () => {
    const state = applySnapshot(
      null,
      snapshot({
        services: [service('general', 'A', '业务办理', 'General', 2), service('vip', 'V', '贵宾', 'VIP', 0)],
        counters: [counter('1', ['general']), counter('2', ['vip'])],
      }),
    );
    const general = { ...service('general', 'A', '业务办理', 'General', 2), waitTargetMinutes: 7 };
    const next = applyEvent(state, {
      id: 9,
      type: 'hall.configured',
      at: '2026-11-25T02:00:00Z',
      data: { version: 2, services: [general], counters: [counter('1', ['general'])] },
    });
    expect(next.services).toEqual([general]);
    expect(next.counters.map((c) => c.id)).toEqual(['1']);
  });
});
