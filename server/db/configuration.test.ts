import { describe, expect, it } from 'vitest';
import { HALL_MORNING, ok, staff1, testHall } from '../../tests/helpers/test-hall.ts';
import { createConfigurationRepository } from './configuration.ts';

describe('the configuration rows', () => {
  it('keeps each version with the seed it descends from; the latest is in force', () => {
    const { db } = testHall();
    const versions = createConfigurationRepository(db);
    expect(versions.latest()).toBeUndefined();
    const first = { version: 1, config: '{"a":1}', seed_hash: 'seed', at: HALL_MORNING, user_id: null };
    versions.add(first);
    versions.add({ ...first, version: 2, config: '{}', user_id: 'manager' });
    expect(versions.latest()).toEqual({ ...first, version: 2, config: '{}', user_id: 'manager' });
    expect(versions.seedHashOf(1)).toBe('seed');
    expect(versions.seedHashOf(3)).toBeUndefined();
  });

  it('reads what a change must not break: open tickets of a service, open and seated counters', () => {
    const { db, hall } = testHall();
    const rows = createConfigurationRepository(db);
    const ticket = ok(hall.issueTicket({ serviceId: 'payments', channel: 'reception' }));
    expect(rows.openTicketsOf('payments')).toBe(1);
    expect(rows.openTicketsOf('general')).toBe(0);
    ok(hall.openCounter('1', staff1));
    expect(rows.counter('1')).toEqual({ status: 'open', staff_id: 'staff1' });
    expect(rows.seatOf('staff1')).toBe('1');
    expect(rows.seatOf('staff2')).toBeUndefined();
    ok(hall.cancelTicket(ticket.id));
    expect(rows.openTicketsOf('payments')).toBe(0);

    rows.removeClosedCounter('1'); // open: stays
    expect(rows.counter('1')?.status).toBe('open');
    ok(hall.closeCounter('1', staff1));
    rows.removeClosedCounter('1');
    expect(rows.counter('1')).toBeUndefined();
  });
});
