import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../tests/helpers/temp-dir.ts';
import { openDatabase } from './open.ts';
import { createPlayedHistoryRepository } from './played-history.ts';

const service = {
  id: 'general',
  prefix: 'A',
  nameZh: '综合',
  nameEn: 'General',
  waitTargetMinutes: 15,
  enabled: true,
};

describe('the rows of a played history', () => {
  it('writes services, accounts, tickets, events and last numbers in one go, and leaves the file in WAL', () => {
    const db = openDatabase(join(tempDir(), 'history.sqlite'));
    const rows = createPlayedHistoryRepository(db);
    expect(rows.hasTickets()).toBe(false);
    rows.inBulk(() => {
      rows.addService(service);
      rows.addService({ ...service, nameEn: 'Other' }); // a service the hall has keeps its row
      rows.addAccount({ id: 'staff1', username: 'staff1', name: '营业员1', role: 'staff' }, 5);
      rows.addTicket({
        ...{ id: 't1', day: '2026-11-20', hour: 9, weekday: 4, number: 'A001', serviceId: 'general' },
        ...{ tier: 'regular', channel: 'kiosk', lang: 'zh', status: 'done', issuedAt: 100, passedOver: 0 },
        ...{ calledAt: 200, servingAt: 300, finishedAt: 400, counterId: '1', staffId: 'staff1' },
        ...{ endReason: null, printState: 'printed', rule: null, reasonZh: null, reasonEn: null },
        ...{ rating: 5, dimensions: '{"empathy":5}' },
      });
      rows.addEvent({
        ...{ at: 100, type: 'ticket.issued', ticketId: 't1', counterId: null, staffId: null },
        ...{ reason: null, payload: '{}' },
      });
      rows.lastNumber('2026-11-20', 'A', 1);
    });
    expect(rows.hasTickets()).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT name_en FROM services').pluck().all()).toEqual(['General']);
    expect(db.prepare('SELECT password_hash, created_at FROM users').get()).toEqual({
      password_hash: 'none$generated',
      created_at: 5,
    });
    expect(
      db
        .prepare(
          `SELECT service_id, issued_service_id, issued_at, queued_at, first_called_at, called_at, rating_dimensions
             FROM tickets`,
        )
        .get(),
    ).toEqual({
      service_id: 'general',
      issued_service_id: 'general',
      issued_at: 100,
      queued_at: 100,
      first_called_at: 200,
      called_at: 200,
      rating_dimensions: '{"empathy":5}',
    });
    expect(db.prepare('SELECT type, ticket_id FROM events').get()).toEqual({
      type: 'ticket.issued',
      ticket_id: 't1',
    });
    expect(db.prepare('SELECT day, prefix, last FROM daily_numbers').get()).toEqual({
      day: '2026-11-20',
      prefix: 'A',
      last: 1,
    });
  });
});
