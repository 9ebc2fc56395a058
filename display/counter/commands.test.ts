import { describe, expect, it } from 'vitest';
import { counter } from '../common/test-data.ts';
import { availableCommands, commandRequest } from './commands.ts';
import { shortcutFor } from './shortcuts.ts';
import { detail, ticket } from './test-data.ts';

describe('counter commands', () => {
  it('turns each command into its request', () => {
    expect(commandRequest({ type: 'call' })).toEqual({ path: 'call' });
    expect(commandRequest({ type: 'no-show' })).toEqual({ path: 'no-show' });
    expect(commandRequest({ type: 'pause', reason: 'lunch' })).toEqual({
      path: 'pause',
      body: { reason: 'lunch' },
    });
    expect(commandRequest({ type: 'transfer', serviceId: 'vip', front: false })).toEqual({
      path: 'transfer',
      body: { serviceId: 'vip' },
    });
    expect(commandRequest({ type: 'transfer', serviceId: 'vip', front: true })).toEqual({
      path: 'transfer',
      body: { serviceId: 'vip', front: true },
    });
    expect(commandRequest({ type: 'finish', rating: null })).toEqual({ path: 'finish', body: {} });
    expect(commandRequest({ type: 'finish', rating: 4 })).toEqual({ path: 'finish', body: { rating: 4 } });
  });

  it('offers what the counter can do in its state', () => {
    const at = (status: 'closed' | 'open' | 'paused' | 'serving') =>
      detail({ counter: counter('1', ['general'], { status }) });
    expect([...availableCommands(null)]).toEqual([]);
    expect([...availableCommands(at('closed'))]).toEqual(['open']);
    expect([...availableCommands(at('paused'))]).toEqual(['resume', 'close']);
    expect([...availableCommands(at('open'))]).toEqual(['call', 'pause', 'close']);
    expect([...availableCommands({ ...at('serving'), ticket: ticket({ status: 'called' }) })]).toEqual([
      'recall',
      'start',
      'no-show',
      'transfer',
      'finish',
    ]);
    expect([...availableCommands({ ...at('serving'), ticket: ticket({ status: 'serving' }) })]).toEqual([
      'transfer',
      'finish',
    ]);
  });
});

describe('keyboard shortcuts', () => {
  const idle = availableCommands(detail());
  const called = availableCommands(detail({ ticket: ticket() }));
  const paused = availableCommands(detail({ counter: counter('1', ['general'], { status: 'paused' }) }));

  it('calls the next customer with F1 or Space', () => {
    expect(shortcutFor('F1', idle)).toBe('call');
    expect(shortcutFor(' ', idle)).toBe('call');
  });

  it('has a letter for each action on the customer, in either case', () => {
    expect(['r', 's', 'n', 't', 'f'].map((k) => shortcutFor(k, called))).toEqual([
      'recall',
      'start',
      'no-show',
      'transfer',
      'finish',
    ]);
    expect(shortcutFor('R', called)).toBe('recall');
  });

  it('pauses and resumes with P', () => {
    expect(shortcutFor('p', idle)).toBe('pause');
    expect(shortcutFor('p', paused)).toBe('resume');
  });

  it('ignores keys whose action is not possible now, and keys it does not know', () => {
    expect(shortcutFor('F1', called)).toBeNull();
    expect(shortcutFor('r', idle)).toBeNull();
    expect(shortcutFor('x', idle)).toBeNull();
    expect(shortcutFor('Enter', idle)).toBeNull();
  });
});
