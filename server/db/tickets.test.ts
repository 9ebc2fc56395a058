import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../tests/helpers/temp-dir.ts';
import type { Tier } from '../contract/api.ts';
import { openDatabase } from './open.ts';
import { createServiceRepository } from './services.ts';
import { createTicketRepository, type NewTicket } from './tickets.ts';

function ticketsOnDisk() {
  const db = openDatabase(join(tempDir(), 'hall.sqlite'));
  createServiceRepository(db).mirror([
    { id: 'general', prefix: 'A', name: { zh: '综合', en: 'General' }, waitTargetMinutes: 15, enabled: true },
    {
      id: 'broadband',
      prefix: 'B',
      name: { zh: '宽带', en: 'Broadband' },
      waitTargetMinutes: 20,
      enabled: true,
    },
  ]);
  const tickets = createTicketRepository(db);
  let n = 0;
  const issue = (tier: Tier, at: number, serviceId = 'general'): string => {
    n += 1;
    const ticket: NewTicket = {
      ...{ id: `t${n}`, day: '2026-11-25', hour: 10, weekday: 2, number: `A${String(n).padStart(3, '0')}` },
      ...{ serviceId, tier, channel: 'reception', lang: 'zh', issuedAt: at },
      ...{ phoneHash: null, phoneMasked: null, kioskId: null, printState: 'none' },
      ...{ customerRef: null, customerNameMasked: null },
    };
    tickets.insert(ticket);
    return ticket.id;
  };
  const place = (id: string) => tickets.placeInLine(tickets.get(id)!);
  return { tickets, issue, place };
}

const reason = { rule: 'tier', zh: '贵宾优先', en: 'VIP first' } as const;

describe('the tickets repository', () => {
  it('places a waiting ticket by front, then tier (vip, elderly, appointment, regular), then queue time', () => {
    const { tickets, issue, place } = ticketsOnDisk();
    // Issued lowest tier first, so that queue time alone would give the reverse order.
    const regular = issue('regular', 1_000);
    const appointment = issue('appointment', 2_000);
    const elderly = issue('elderly', 3_000);
    const vip = issue('vip', 4_000);
    const laterRegular = issue('regular', 5_000);
    expect([vip, elderly, appointment, regular, laterRegular].map(place)).toEqual([1, 2, 3, 4, 5]);

    // Called, then sent to the front of its line: ahead of every tier.
    tickets.change(laterRegular, 'called', {
      action: 'call',
      ...{ calledAt: 6_000, firstCalledAt: 6_000, counterId: '1', staffId: null, reason },
    });
    tickets.change(laterRegular, 'waiting', {
      action: 'transfer',
      ...{ serviceId: 'general', queuedAt: 7_000, front: true },
    });
    expect([laterRegular, vip, elderly, appointment, regular].map(place)).toEqual([1, 2, 3, 4, 5]);
  });

  it('writes each move of a ticket with its own columns', () => {
    const { tickets, issue } = ticketsOnDisk();
    const id = issue('regular', 1_000);
    tickets.passedOver(id);
    tickets.change(id, 'called', {
      action: 'call',
      ...{ calledAt: 2_000, firstCalledAt: 2_000, counterId: '1', staffId: null, reason },
    });
    expect(tickets.get(id)).toMatchObject({
      status: 'called',
      called_at: 2_000,
      first_called_at: 2_000,
      counter_id: '1',
      passed_over: 1,
      call_rule: 'tier',
      call_reason_zh: '贵宾优先',
      call_reason_en: 'VIP first',
    });
    tickets.change(id, 'serving', { action: 'start', servingAt: 3_000 });
    // A transfer queues it anew in the other service: no counter, no call, no pass-overs; its first
    // call (the wait it has had) and its number stay.
    tickets.change(id, 'waiting', {
      action: 'transfer',
      serviceId: 'broadband',
      queuedAt: 4_000,
      front: false,
    });
    expect(tickets.get(id)).toMatchObject({
      status: 'waiting',
      service_id: 'broadband',
      queued_at: 4_000,
      front: 0,
      passed_over: 0,
      counter_id: null,
      called_at: null,
      serving_at: null,
      first_called_at: 2_000,
      number: 'A001',
    });
  });

  it('ends a ticket cancelled by its holder, and one left at closing, each with its reason', () => {
    const { tickets, issue } = ticketsOnDisk();
    const cancelled = issue('regular', 1_000);
    const left = issue('regular', 1_000);
    tickets.change(cancelled, 'cancelled', { action: 'cancel', finishedAt: 2_000 });
    tickets.change(left, 'cancelled', { action: 'close-day', finishedAt: 3_000 });
    expect(tickets.get(cancelled)).toMatchObject({
      status: 'cancelled',
      end_reason: 'holder',
      finished_at: 2_000,
    });
    expect(tickets.get(left)).toMatchObject({
      status: 'cancelled',
      end_reason: 'closing',
      finished_at: 3_000,
    });
    expect(tickets.openOn('2026-11-25')).toEqual([]);
    expect(tickets.waitingGroups()).toEqual([]);
  });
});
