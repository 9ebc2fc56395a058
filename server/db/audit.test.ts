import { describe, expect, it } from 'vitest';
import { HALL_MORNING, ok, staff1, testHall } from '../../tests/helpers/test-hall.ts';
import { MINUTE } from '../domain/clock.ts';
import { createAuditRepository } from './audit.ts';

const change = (at: number, action: string) => ({
  at,
  user_id: 'manager',
  action,
  target: 'notices',
  before: null,
  after: '[]',
});

describe('the audit rows', () => {
  it('pages the changes of a range newest first, from the cursor down, with who made them', () => {
    const { db } = testHall();
    const rows = createAuditRepository(db);
    for (const [i, action] of ['a', 'b', 'c', 'd'].entries())
      rows.add(change(HALL_MORNING + i * MINUTE, action));
    rows.add(change(HALL_MORNING + 3 * MINUTE, 'e')); // the same millisecond as d, written after it
    const page = (at: number, id: number, limit = 10) =>
      rows.changes({ start: HALL_MORNING + MINUTE, at, id, limit }).map((r) => r.action);
    expect(page(HALL_MORNING + 10 * MINUTE, 0)).toEqual(['e', 'd', 'c', 'b']); // a is before the start
    const [newest] = rows.changes({ start: 0, at: HALL_MORNING + 10 * MINUTE, id: 0, limit: 1 });
    expect(newest).toMatchObject({
      action: 'e',
      user_id: 'manager',
      user_name: '王经理',
      before: null,
      after: '[]',
    });
    expect(page(newest!.at, newest!.id)).toEqual(['d', 'c', 'b']);
    expect(page(HALL_MORNING + 10 * MINUTE, 0, 2)).toEqual(['e', 'd']);
  });

  it('reads the counter actions people made, with the status a finished ticket had before', () => {
    const { db, hall, clock } = testHall();
    ok(hall.issueTicket({ serviceId: 'general', channel: 'reception' }));
    ok(hall.issueTicket({ serviceId: 'general', channel: 'reception' })); // the customer's: not listed
    ok(hall.openCounter('1', staff1));
    clock.advance(MINUTE);
    ok(hall.callNext('1', staff1));
    ok(hall.start('1', staff1));
    ok(hall.finish('1', staff1));
    ok(hall.callNext('1', staff1));
    ok(hall.finish('1', staff1)); // finished straight from called
    const actions = createAuditRepository(db).manualActions({
      start: 0,
      at: clock.now() + 1,
      id: 0,
      limit: 100,
    });
    expect(
      actions.map((a) => [a.type, a.type === 'counter.updated' ? a.reason : null, a.prior, a.user_name]),
    ).toEqual([
      ['ticket.finished', null, 'ticket.called', '营业员1'],
      ['ticket.called', null, null, '营业员1'],
      ['ticket.finished', null, 'ticket.serving', '营业员1'],
      ['ticket.serving', null, null, '营业员1'],
      ['ticket.called', null, null, '营业员1'],
      ['counter.updated', 'open', null, '营业员1'],
    ]);
  });
});
