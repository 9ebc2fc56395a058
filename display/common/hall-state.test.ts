import { describe, expect, it } from 'vitest';
import { applyEvent, applySnapshot } from './hall-state.ts';
import { call, calledEvent, counter, demoServices, service, snapshot } from './test-data.ts';

describe('hall state', () => {
  it('takes a snapshot whole, calls newest first', () => {
    const state = applySnapshot(
      null,
      snapshot({
        recentCalls: [call('A002', '1', '2026-11-25T09:02:00Z'), call('A001', '3', '2026-11-25T09:01:00Z')],
      }),
    );
    expect(state.hall.name.zh).toBe('示范营业厅');
    expect(state.calls.map((c) => c.number)).toEqual(['A002', 'A001']);
  });

  it('counts a call once when it comes in a snapshot and again as a replayed event', () => {
    const first = call('A001', '1', '2026-11-25T09:01:00Z');
    const second = call('A002', '3', '2026-11-25T09:02:00Z');
    let state = applySnapshot(null, snapshot({ recentCalls: [first] }));
    // Reconnect: the new snapshot already holds A002, and the replay delivers both again.
    state = applySnapshot(state, snapshot({ recentCalls: [second, first] }));
    state = applyEvent(state, calledEvent(1, first));
    state = applyEvent(state, calledEvent(2, second));
    expect(state.calls.map((c) => c.number)).toEqual(['A002', 'A001']);
  });

  it('keeps a recall as a new call, so the display shows it again on top', () => {
    let state = applySnapshot(null, snapshot());
    state = applyEvent(state, calledEvent(1, call('A001', '1', '2026-11-25T09:01:00Z')));
    state = applyEvent(state, calledEvent(2, call('A002', '3', '2026-11-25T09:02:00Z')));
    state = applyEvent(state, calledEvent(3, call('A001', '1', '2026-11-25T09:03:00Z', true)));
    expect(state.calls.map((c) => `${c.number}${c.recall ? ' (recall)' : ''}`)).toEqual([
      'A001 (recall)',
      'A002',
      'A001',
    ]);
  });

  it('keeps the history a reconnect snapshot no longer lists', () => {
    let state = applySnapshot(null, snapshot({ recentCalls: [call('A001', '1', '2026-11-25T09:01:00Z')] }));
    state = applySnapshot(state, snapshot({ recentCalls: [] }));
    expect(state.calls).toHaveLength(1);
  });

  it('updates waiting figures from ticket events and counters from counter events', () => {
    let state = applySnapshot(null, snapshot());
    state = applyEvent(state, {
      id: 1,
      type: 'ticket.issued',
      at: '2026-11-25T09:00:00Z',
      data: {
        ticket: { number: 'B003', serviceId: 'payments', tier: 'regular', counterId: null },
        services: [service('payments', 'B', '缴费充值', 'Payments & top-up', 3)],
      },
    });
    state = applyEvent(state, {
      id: 2,
      type: 'counter.updated',
      at: '2026-11-25T09:00:00Z',
      data: { counter: counter('3', ['devices'], { status: 'paused', pauseReason: 'lunch' }) },
    });
    expect(state.services.find((s) => s.id === 'payments')?.waiting).toBe(3);
    expect(state.services.find((s) => s.id === 'general')).toEqual(demoServices[0]);
    expect(state.counters.find((c) => c.id === '3')?.status).toBe('paused');
  });
});
