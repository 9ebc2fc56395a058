import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HALL_MORNING, manager, ok, staff1, staff2, testHall } from '../../tests/helpers/test-hall.ts';
import { DEMO_HALL, parseHallConfig } from '../config.ts';
import { HOUR, MINUTE } from '../domain/clock.ts';
import { createHall } from './hall.ts';

describe('numbering', () => {
  it('numbers each prefix on its own: A001, A002, B001', () => {
    const { hall } = testHall();
    const numbers = ['general', 'general', 'payments'].map(
      (serviceId) => ok(hall.issueTicket({ serviceId })).number,
    );
    expect(numbers).toEqual(['A001', 'A002', 'B001']);
  });

  it('restarts at local midnight in the hall’s time zone, not at UTC midnight', () => {
    const { hall, clock } = testHall({ start: Date.UTC(2026, 10, 24, 15, 50) }); // 23:50 in Shanghai
    expect(ok(hall.issueTicket({ serviceId: 'general' })).number).toBe('A001');
    expect(ok(hall.issueTicket({ serviceId: 'general' })).number).toBe('A002');
    clock.advance(15 * MINUTE); // 00:05 on the 25th in Shanghai, still the 24th in UTC
    expect(ok(hall.issueTicket({ serviceId: 'general' })).number).toBe('A001');
  });

  it('follows another time zone when the hall is configured with one', () => {
    const config = parseHallConfig({ ...DEMO_HALL, timeZone: 'America/New_York' }, 'test');
    const { hall, clock } = testHall({ config, start: Date.UTC(2026, 10, 25, 4, 50) }); // 23:50 in New York
    expect(ok(hall.issueTicket({ serviceId: 'general' })).number).toBe('A001');
    clock.advance(5 * HOUR); // 04:50 next day in New York
    expect(ok(hall.issueTicket({ serviceId: 'general' })).number).toBe('A001');
  });

  it('goes to four digits after A999 without repeating a number', () => {
    const { hall, db } = testHall();
    db.prepare("INSERT INTO daily_numbers(day, prefix, last) VALUES ('2026-11-25', 'A', 999)").run();
    expect(ok(hall.issueTicket({ serviceId: 'general' })).number).toBe('A1000');
  });
});

describe('issuing', () => {
  it('gives an unguessable id, a position, an ETA and a tracking URL', () => {
    const { hall } = testHall();
    ok(hall.issueTicket({ serviceId: 'general' }));
    const t = ok(hall.issueTicket({ serviceId: 'general' }));
    expect(t.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(t).toMatchObject({ status: 'waiting', position: 2, trackUrl: `/t/${t.id}` });
    expect(t.etaMinutes).toBe(5); // 1 ahead × 5 min default ÷ max(1, 0 counters open)
  });

  it('returns the same ticket for the same idempotency key and refuses the key for another request', () => {
    const { hall } = testHall();
    const first = ok(hall.issueTicket({ serviceId: 'general' }, { idempotencyKey: 'k1' }));
    const again = ok(hall.issueTicket({ serviceId: 'general' }, { idempotencyKey: 'k1' }));
    expect(again.id).toBe(first.id);
    expect(again.number).toBe('A001');
    const other = hall.issueTicket({ serviceId: 'payments' }, { idempotencyKey: 'k1' });
    expect(other).toMatchObject({ ok: false, status: 409, code: 'idempotency-key-reused' });
    expect(ok(hall.issueTicket({ serviceId: 'general' })).number).toBe('A002');
  });

  it('refuses an unknown service (404) and a closed one (409)', () => {
    const config = parseHallConfig(
      {
        ...DEMO_HALL,
        services: DEMO_HALL.services.map((s) =>
          s.id === 'business' ? { ...s, hours: { open: '13:00', close: '17:00' } } : s,
        ),
      },
      'test',
    );
    const { hall } = testHall({ config });
    expect(hall.issueTicket({ serviceId: 'nope' })).toMatchObject({ ok: false, status: 404 });
    expect(hall.issueTicket({ serviceId: 'business' })).toMatchObject({
      ok: false,
      status: 409,
      code: 'service-closed',
    });
  });

  it('stores a phone number only as a salted hash and a masked form', () => {
    const { hall, db } = testHall();
    const t = ok(hall.issueTicket({ serviceId: 'general', customer: { phone: '13812345678', tier: 'vip' } }));
    const row = db.prepare('SELECT * FROM tickets WHERE id = ?').get(t.id) as Record<string, unknown>;
    expect(JSON.stringify(row)).not.toContain('13812345678');
    expect(row.phone_masked).toBe('138****5678');
    expect(row.phone_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(t.tier).toBe('vip');
  });

  it('records every change as an event with an increasing id, and publishes it after commit', () => {
    const { hall, events, db } = testHall();
    ok(hall.issueTicket({ serviceId: 'general' }));
    ok(hall.openCounter('1', staff1));
    ok(hall.callNext('1', staff1));
    expect(events.map((e) => e.type)).toEqual([
      'ticket.issued',
      'counter.updated',
      'ticket.called',
      'counter.updated',
    ]);
    expect(events.map((e) => e.id)).toEqual([1, 2, 3, 4]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 4 });
    expect(JSON.stringify(events)).not.toMatch(/"id":"[A-Za-z0-9_-]{22}"/); // public events carry no ticket ids
  });
});

describe('group commit of tickets', () => {
  it('issues the tickets of one turn together: nothing is visible, published or printed before the commit', async () => {
    const printed: string[] = [];
    const { hall, events, db } = testHall({
      printTicket: async (d) => {
        printed.push(d.number);
        return { ok: true };
      },
    });
    // Another connection sees only what has been committed.
    const reader = new Database(db.name, { readonly: true });
    const committed = () => reader.prepare('SELECT number FROM tickets ORDER BY rowid').pluck().all();
    const asked = [
      hall.issueTicketSoon({ serviceId: 'general' }, { kioskId: 'k1' }),
      hall.issueTicketSoon({ serviceId: 'nope' }),
      hall.issueTicketSoon({ serviceId: 'payments' }, { idempotencyKey: 'key-1' }),
      hall.issueTicketSoon({ serviceId: 'general' }, { idempotencyKey: 'key-1' }),
      hall.issueTicketSoon({ serviceId: 'general', channel: 'reception' }),
    ];
    expect(committed()).toEqual([]);
    expect(events).toEqual([]);
    const answers = await Promise.all(asked);
    expect(answers.map((a) => (a.ok ? a.value.number : a.code))).toEqual([
      'A001',
      'service-not-found',
      'B001',
      'idempotency-key-reused',
      'A002',
    ]);
    // A refusal undid only itself; the others were committed at once, then announced and printed.
    expect(committed()).toEqual(['A001', 'B001', 'A002']);
    expect(events.map((e) => (e.type === 'ticket.issued' ? e.data.ticket.number : e.type))).toEqual([
      'A001',
      'B001',
      'A002',
    ]);
    expect(printed).toEqual(['A001', 'B001']); // kiosk tickets (the default channel), not reception's
    reader.close();
  });
});

describe('printing', () => {
  it('prints kiosk tickets after issuing and records a failure without losing the ticket', async () => {
    let resolvePrint: (r: { ok: false; problem: string }) => void = () => {};
    const { hall, events } = testHall({
      printTicket: () =>
        new Promise((resolve) => {
          resolvePrint = resolve;
        }),
    });
    const t = ok(hall.issueTicket({ serviceId: 'general' }, { kioskId: 'k1' }));
    expect(t.print).toBe('pending');
    resolvePrint({ ok: false, problem: 'paper-out' });
    await new Promise((r) => setTimeout(r, 0));
    expect(ok(hall.getTicket(t.id))).toMatchObject({
      status: 'waiting',
      print: 'failed',
      printProblem: 'paper-out',
    });
    const failed = events.find((e) => e.type === 'ticket.print-failed');
    expect(failed?.data).toMatchObject({ kioskId: 'k1', problem: 'paper-out', ticket: { number: 'A001' } });
  });

  it('does not print tickets issued at reception or for the phone', () => {
    const printed: string[] = [];
    const { hall } = testHall({
      printTicket: async (d) => {
        printed.push(d.number);
        return { ok: true };
      },
    });
    expect(ok(hall.issueTicket({ serviceId: 'general', channel: 'reception' })).print).toBe('none');
    expect(ok(hall.issueTicket({ serviceId: 'general', channel: 'mobile' })).print).toBe('none');
    expect(printed).toEqual([]);
  });
});

describe('counters', () => {
  it('seats one person at one counter', () => {
    const { hall } = testHall();
    ok(hall.openCounter('1', staff1));
    expect(hall.openCounter('2', staff1)).toMatchObject({ ok: false, status: 409, code: 'already-seated' });
    expect(hall.openCounter('1', staff2)).toMatchObject({ ok: false, status: 409 });
    expect(ok(hall.openCounter('1', staff1)).status).toBe('open'); // opening again is harmless
  });

  it('lets only the person seated there, or a manager, act at a counter', () => {
    const { hall } = testHall();
    ok(hall.issueTicket({ serviceId: 'general' }));
    ok(hall.openCounter('1', staff1));
    expect(hall.callNext('1', staff2)).toMatchObject({ ok: false, status: 403, code: 'not-seated' });
    expect(ok(hall.callNext('1', manager))?.ticket.number).toBe('A001');
  });

  it('refuses to call while a ticket is at the counter, and while paused or closed', () => {
    const { hall } = testHall();
    ok(hall.issueTicket({ serviceId: 'general' }));
    ok(hall.issueTicket({ serviceId: 'general' }));
    expect(hall.callNext('1', staff1)).toMatchObject({ ok: false, status: 409, code: 'counter-closed' });
    ok(hall.openCounter('1', staff1));
    ok(hall.callNext('1', staff1));
    expect(hall.callNext('1', staff1)).toMatchObject({ ok: false, status: 409, code: 'counter-serving' });
    expect(hall.pauseCounter('1', staff1, 'lunch')).toMatchObject({ ok: false, status: 409 });
    ok(hall.finish('1', staff1));
    expect(ok(hall.pauseCounter('1', staff1, 'lunch'))).toMatchObject({
      status: 'paused',
      pauseReason: 'lunch',
    });
    expect(hall.callNext('1', staff1)).toMatchObject({ ok: false, status: 409, code: 'counter-paused' });
    ok(hall.resumeCounter('1', staff1));
    expect(ok(hall.callNext('1', staff1))?.ticket.number).toBe('A002');
  });

  it('answers null (204) when nothing can be served at the counter', () => {
    const { hall } = testHall();
    ok(hall.issueTicket({ serviceId: 'vip' }));
    ok(hall.openCounter('1', staff1));
    expect(ok(hall.callNext('1', staff1))).toBeNull();
    expect(ok(hall.counterDetail('1', staff1)).detail.counter.status).toBe('open');
  });

  it('walks a ticket through call, recall, start and finish, with a rating', () => {
    const { hall, clock, events } = testHall();
    const t = ok(hall.issueTicket({ serviceId: 'general' }));
    ok(hall.openCounter('1', staff1));
    clock.advance(3 * MINUTE);
    expect(ok(hall.callNext('1', staff1))?.ticket).toMatchObject({
      id: t.id,
      status: 'called',
      counterId: '1',
    });
    expect(ok(hall.recall('1', staff1)).status).toBe('called');
    expect(events.at(-1)).toMatchObject({
      type: 'ticket.recalled',
      data: { call: { number: 'A001', recall: true } },
    });
    expect(ok(hall.start('1', staff1)).status).toBe('serving');
    clock.advance(4 * MINUTE);
    const done = ok(hall.finish('1', staff1, { score: 5, dimensions: { empathy: 4 } }));
    expect(done.status).toBe('done');
    expect(ok(hall.counterDetail('1', staff1)).detail).toMatchObject({
      counter: { status: 'open', currentTicket: null },
      ticket: null,
      customer: null,
    });
    // the finished service time now feeds the ETA: 4 min
    ok(hall.issueTicket({ serviceId: 'general' }));
    ok(hall.issueTicket({ serviceId: 'general' }));
    expect(hall.serviceViews().find((s) => s.id === 'general')?.etaMinutes).toBe(4 * 2);
  });

  it('refuses illegal ticket moves with a 409', () => {
    const { hall } = testHall();
    ok(hall.issueTicket({ serviceId: 'general' }));
    ok(hall.openCounter('1', staff1));
    expect(hall.recall('1', staff1)).toMatchObject({ ok: false, status: 409, code: 'no-current-ticket' });
    ok(hall.callNext('1', staff1));
    ok(hall.start('1', staff1));
    expect(hall.noShow('1', staff1)).toMatchObject({ ok: false, status: 409, code: 'illegal-transition' });
    expect(hall.start('1', staff1)).toMatchObject({ ok: false, status: 409 });
  });

  it('marks a no-show and frees the counter', () => {
    const { hall } = testHall();
    const t = ok(hall.issueTicket({ serviceId: 'general' }));
    ok(hall.openCounter('1', staff1));
    ok(hall.callNext('1', staff1));
    expect(ok(hall.noShow('1', staff1)).status).toBe('no-show');
    expect(ok(hall.getTicket(t.id)).status).toBe('no-show');
    expect(hall.counterViews()[0]).toMatchObject({ status: 'open', currentTicket: null });
  });
});

describe('transfer', () => {
  it('keeps the number and puts the ticket in the new service’s queue', () => {
    const { hall } = testHall();
    const t = ok(hall.issueTicket({ serviceId: 'general' }));
    ok(hall.openCounter('1', staff1));
    ok(hall.callNext('1', staff1));
    const moved = ok(hall.transfer('1', staff1, 'broadband'));
    expect(moved).toMatchObject({
      id: t.id,
      number: 'A001',
      serviceId: 'broadband',
      status: 'waiting',
      position: 1,
    });
    ok(hall.openCounter('3', staff2));
    expect(ok(hall.callNext('3', staff2))?.ticket).toMatchObject({ number: 'A001', serviceId: 'broadband' });
  });

  it('can put the ticket at the front of the new queue', () => {
    const { hall } = testHall();
    ok(hall.issueTicket({ serviceId: 'broadband', customer: { tier: 'vip' } }));
    ok(hall.issueTicket({ serviceId: 'general' }));
    ok(hall.openCounter('1', staff1));
    ok(hall.callNext('1', staff1));
    expect(ok(hall.transfer('1', staff1, 'broadband', true)).position).toBe(1);
    ok(hall.openCounter('3', staff2));
    const called = ok(hall.callNext('3', staff2))!;
    expect(called.ticket.number).toBe('A001');
    expect(called.explanation.rule).toBe('front');
  });

  it('refuses an unknown service and a transfer to the same service', () => {
    const { hall } = testHall();
    ok(hall.issueTicket({ serviceId: 'general' }));
    ok(hall.openCounter('1', staff1));
    ok(hall.callNext('1', staff1));
    expect(hall.transfer('1', staff1, 'nope')).toMatchObject({ ok: false, status: 404 });
    expect(hall.transfer('1', staff1, 'general')).toMatchObject({
      ok: false,
      status: 409,
      code: 'same-service',
    });
  });
});

describe('cancel and closing', () => {
  it('lets the holder cancel a waiting ticket, twice harmlessly, but not a called one', () => {
    const { hall } = testHall();
    const a = ok(hall.issueTicket({ serviceId: 'general' }));
    const b = ok(hall.issueTicket({ serviceId: 'general' }));
    expect(ok(hall.cancelTicket(a.id)).status).toBe('cancelled');
    expect(ok(hall.cancelTicket(a.id)).status).toBe('cancelled');
    ok(hall.openCounter('1', staff1));
    ok(hall.callNext('1', staff1));
    expect(hall.cancelTicket(b.id)).toMatchObject({ ok: false, status: 409 });
  });

  it('closes tickets left at closing as unserved, and frees their counters', () => {
    const config = parseHallConfig({ ...DEMO_HALL, hours: { open: '09:00', close: '18:00' } }, 'test');
    const { hall, clock, events } = testHall({ config });
    const waiting = ok(hall.issueTicket({ serviceId: 'general' }));
    const called = ok(hall.issueTicket({ serviceId: 'general' }));
    ok(hall.openCounter('1', staff1));
    expect(ok(hall.callNext('1', staff1))?.ticket.id).toBe(waiting.id);
    clock.set(Date.UTC(2026, 10, 25, 10, 1)); // 18:01 in Shanghai
    hall.sweepDay();
    for (const t of [waiting, called]) expect(ok(hall.getTicket(t.id)).status).toBe('cancelled');
    expect(events.filter((e) => e.type === 'ticket.cancelled').map((e) => e.data)).toEqual([
      expect.objectContaining({ reason: 'closing' }),
      expect.objectContaining({ reason: 'closing' }),
    ]);
    expect(hall.counterViews()[0]).toMatchObject({ status: 'open', currentTicket: null });
    expect(hall.issueTicket({ serviceId: 'general' })).toMatchObject({ ok: false, code: 'service-closed' });
  });

  it('closes yesterday’s leftovers on the first command of a new day', () => {
    const { hall, clock } = testHall();
    const old = ok(hall.issueTicket({ serviceId: 'general' }));
    clock.set(HALL_MORNING + 24 * HOUR);
    expect(ok(hall.issueTicket({ serviceId: 'general' })).number).toBe('A001');
    expect(ok(hall.getTicket(old.id)).status).toBe('cancelled');
  });
});

describe('snapshot and replay', () => {
  it('gives the current state and the latest calls, newest first', () => {
    const { hall } = testHall();
    for (let i = 0; i < 3; i++) ok(hall.issueTicket({ serviceId: 'general' }));
    ok(hall.openCounter('1', staff1));
    ok(hall.callNext('1', staff1));
    ok(hall.finish('1', staff1));
    ok(hall.callNext('1', staff1));
    const snap = hall.snapshot();
    expect(snap.recentCalls.map((c) => c.number)).toEqual(['A002', 'A001']);
    expect(snap.services.find((s) => s.id === 'general')?.waiting).toBe(1);
    expect(snap.counters[0]).toMatchObject({
      id: '1',
      status: 'serving',
      currentTicket: 'A002',
      staffName: '营业员1',
    });
    expect(snap.lastEventId).toBe(10); // 3 issued, 1 opened, 2 × (called + counter), 1 × (finished + counter)
  });

  it('replays the events after an id, in order, with queue figures attached', () => {
    const { hall, events } = testHall();
    for (let i = 0; i < 3; i++) ok(hall.issueTicket({ serviceId: 'general' }));
    const replay = hall.eventsAfter(1);
    expect(replay.map((e) => e.id)).toEqual([2, 3]);
    expect(replay.map((e) => e.type)).toEqual(events.slice(1).map((e) => e.type));
    expect(replay[0]?.data).toHaveProperty('services');
  });
});

describe('queue figures under any sequence of commands', () => {
  it('keep the waiting counts and places in line equal to the database’s', () => {
    const services = ['general', 'payments', 'vip', 'broadband'];
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('issue' as const),
        serviceId: fc.constantFrom(...services),
        tier: fc.constantFrom('regular' as const, 'vip' as const, 'elderly' as const),
      }),
      fc.record({ kind: fc.constant('call' as const), counter: fc.constantFrom('1', '2', '4') }),
      fc.record({
        kind: fc.constantFrom('finish' as const, 'no-show' as const),
        counter: fc.constantFrom('1', '2', '4'),
      }),
      fc.record({
        kind: fc.constant('transfer' as const),
        counter: fc.constantFrom('1', '2', '4'),
        serviceId: fc.constantFrom(...services),
        front: fc.boolean(),
      }),
      fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const { hall, db, clock } = testHall();
        const staff = { '1': staff1, '2': staff2, '4': manager };
        for (const [id, actor] of Object.entries(staff)) ok(hall.openCounter(id, actor));
        const issued: string[] = [];
        for (const o of ops) {
          clock.advance(1000);
          if (o.kind === 'issue') {
            const t = ok(
              hall.issueTicket({ serviceId: o.serviceId, channel: 'reception', customer: { tier: o.tier } }),
            );
            expect(t.position).toBe(ok(hall.getTicket(t.id)).position);
            issued.push(t.id);
          } else if (o.kind === 'call') hall.callNext(o.counter, staff[o.counter]);
          else if (o.kind === 'finish') hall.finish(o.counter, staff[o.counter]);
          else if (o.kind === 'no-show') hall.noShow(o.counter, staff[o.counter]);
          else if (o.kind === 'transfer') {
            const moved = hall.transfer(o.counter, staff[o.counter], o.serviceId, o.front);
            if (moved.ok) expect(moved.value.position).toBe(ok(hall.getTicket(moved.value.id)).position);
          } else if (o.kind === 'cancel' && issued.length > 0)
            hall.cancelTicket(issued[o.pick % issued.length]!);
          const truth = new Map(
            db
              .prepare<[], { service_id: string; n: number }>(
                "SELECT service_id, COUNT(*) AS n FROM tickets WHERE status = 'waiting' GROUP BY service_id",
              )
              .all()
              .map((r) => [r.service_id, r.n]),
          );
          for (const s of hall.serviceViews()) expect(s.waiting).toBe(truth.get(s.id) ?? 0);
        }
      }),
      { numRuns: 15 },
    );
  }, 30_000);
});

describe('live ETA with an interval', () => {
  /** One ticket called, served for `minutes` and finished at counter 1, for each entry. */
  function serve(h: ReturnType<typeof testHall>, minutes: readonly number[]): void {
    for (const m of minutes) {
      ok(h.hall.issueTicket({ serviceId: 'general' }));
      ok(h.hall.callNext('1', staff1));
      ok(h.hall.start('1', staff1));
      h.clock.advance(m * MINUTE);
      ok(h.hall.finish('1', staff1));
    }
  }

  it('forecasts from the service times the hall has finished, and gives an interval', () => {
    const h = testHall();
    ok(h.hall.openCounter('1', staff1));
    serve(h, [4]);
    ok(h.hall.issueTicket({ serviceId: 'general' }));
    const second = ok(h.hall.issueTicket({ serviceId: 'general' }));
    expect(second).toMatchObject({ etaMinutes: 4, etaRange: { low: 4, high: 4 }, etaBasis: 'forecast' });
    expect(h.hall.serviceViews().find((s) => s.id === 'general')).toMatchObject({
      etaMinutes: 8,
      etaRange: { low: 8, high: 8 },
      etaBasis: 'forecast',
    });

    // Longer and varied services since: the estimate moves and the interval widens.
    const h2 = testHall();
    ok(h2.hall.openCounter('1', staff1));
    serve(h2, [2, 6, 10, 14, 18, 22, 4, 8, 12, 16, 20]);
    ok(h2.hall.issueTicket({ serviceId: 'general' }));
    const behind = ok(h2.hall.issueTicket({ serviceId: 'general' }));
    expect(behind.etaRange).not.toBeNull();
    expect(behind.etaRange!.low).toBeLessThan(behind.etaRange!.high);
    expect(behind.etaRange!.low).toBeLessThanOrEqual(behind.etaMinutes);
    expect(behind.etaMinutes).toBeLessThanOrEqual(behind.etaRange!.high);
    expect(behind.etaMinutes).toBeGreaterThan(4);
    // the phone page's read gives the same forecast while the queue does not move
    expect(ok(h2.hall.getTicket(behind.id))).toMatchObject({
      etaMinutes: behind.etaMinutes,
      etaRange: behind.etaRange,
    });
  });

  it('forecasts the tickets of a group commit together, each behind the one before', async () => {
    const h = testHall();
    ok(h.hall.openCounter('1', staff1));
    serve(h, [4]);
    const answers = await Promise.all([
      h.hall.issueTicketSoon({ serviceId: 'general' }),
      h.hall.issueTicketSoon({ serviceId: 'general' }),
      h.hall.issueTicketSoon({ serviceId: 'broadband' }), // no open counter serves it: naive
      h.hall.issueTicketSoon({ serviceId: 'general' }),
    ]);
    const [first, second, broadband, third] = answers.map((a) => ok(a));
    expect([first, second, third].map((t) => [t!.etaMinutes, t!.etaRange])).toEqual([
      [0, { low: 0, high: 0 }],
      [4, { low: 4, high: 4 }],
      [8, { low: 8, high: 8 }],
    ]);
    expect(broadband).toMatchObject({ etaRange: null, etaBasis: 'no-counter' });
    expect(first!.etaBasis).toBe('forecast');
    // The next to join general waits behind all three; a ticket's page reads the same forecast.
    expect(h.hall.serviceViews().find((s) => s.id === 'general')).toMatchObject({ etaMinutes: 12 });
    expect(ok(h.hall.getTicket(third!.id))).toMatchObject({ etaMinutes: 8, etaRange: { low: 8, high: 8 } });
  });

  it('says there is no basis for a wait when no open counter serves the service, with the naive figure', () => {
    const h = testHall();
    ok(h.hall.openCounter('1', staff1)); // serves general, payments, devices: not broadband
    ok(h.hall.issueTicket({ serviceId: 'broadband' }));
    const t = ok(h.hall.issueTicket({ serviceId: 'broadband' }));
    // 1 ahead × 5 min default ÷ max(1, 0)
    expect(t).toMatchObject({ etaMinutes: 5, etaRange: null, etaBasis: 'no-counter' });
    expect(h.hall.serviceViews().find((s) => s.id === 'broadband')).toMatchObject({
      etaRange: null,
      etaBasis: 'no-counter',
    });
    expect(h.hall.serviceViews().find((s) => s.id === 'general')?.etaBasis).toBe('forecast');
    ok(h.hall.callNext('1', staff1)); // nothing of its own: broadband stays
    expect(ok(h.hall.getTicket(t.id)).etaBasis).toBe('no-counter');
  });

  it('gives the naive estimate when the forecast cannot place the ticket before midnight', () => {
    const h = testHall({ start: Date.UTC(2026, 10, 25, 15, 58) }); // 23:58 in Shanghai: the demo hall is open
    ok(h.hall.openCounter('1', staff1));
    ok(h.hall.issueTicket({ serviceId: 'general' }));
    const t = ok(h.hall.issueTicket({ serviceId: 'general' })); // 5 min default after the first: past midnight
    expect(t).toMatchObject({ etaMinutes: 5, etaRange: null, etaBasis: 'estimate' });
  });

  it('reads its history from the tickets table at boot', () => {
    const h = testHall();
    ok(h.hall.openCounter('1', staff1));
    serve(h, [7]);
    const again = createHall({
      db: h.db,
      clock: h.clock,
      config: DEMO_HALL,
      commands: h.commands,
      demo: true,
      log: () => {},
    });
    ok(again.issueTicket({ serviceId: 'general' }));
    expect(again.serviceViews().find((s) => s.id === 'general')).toMatchObject({
      etaMinutes: 7,
      etaRange: { low: 7, high: 7 },
    });
  });

  it('re-forecasts a waiting ticket once the queue moves', () => {
    const h = testHall();
    ok(h.hall.openCounter('1', staff1));
    serve(h, [5]);
    ok(h.hall.issueTicket({ serviceId: 'general' }));
    ok(h.hall.issueTicket({ serviceId: 'general' }));
    const third = ok(h.hall.issueTicket({ serviceId: 'general' }));
    expect(third.etaMinutes).toBe(10);
    ok(h.hall.callNext('1', staff1));
    expect(ok(h.hall.getTicket(third.id)).etaMinutes).toBe(10); // the counter is now busy for ~5 min
    ok(h.hall.openCounter('2', staff2));
    // a second counter takes the one ahead now; the third goes when the first counter frees
    expect(ok(h.hall.getTicket(third.id)).etaMinutes).toBe(5);
  });
});

describe('predicted breaches', () => {
  it('counts per service the waiting tickets forecast to miss the wait target, by median and p90', () => {
    const h = testHall();
    ok(h.hall.openCounter('1', staff1));
    // 6-minute services: of four waiting for general (target 15), the 4th is called at ~18 min
    for (let i = 0; i < 3; i++) {
      ok(h.hall.issueTicket({ serviceId: 'general' }));
      ok(h.hall.callNext('1', staff1));
      ok(h.hall.start('1', staff1));
      h.clock.advance(6 * MINUTE);
      ok(h.hall.finish('1', staff1));
    }
    for (let i = 0; i < 4; i++) ok(h.hall.issueTicket({ serviceId: 'general' }));
    ok(h.hall.issueTicket({ serviceId: 'broadband' })); // no open counter serves it
    const breaches = h.hall.predictedBreaches();
    expect(breaches.find((b) => b.serviceId === 'general')).toEqual({
      serviceId: 'general',
      waiting: 4,
      likely: 1,
      atRisk: 1,
      forecast: true,
    });
    expect(breaches.find((b) => b.serviceId === 'broadband')).toMatchObject({
      waiting: 1,
      likely: 0,
      forecast: false,
    });
    h.clock.advance(20 * MINUTE); // past its target without a counter: it misses
    expect(h.hall.predictedBreaches().find((b) => b.serviceId === 'broadband')).toMatchObject({
      likely: 1,
      atRisk: 1,
    });
  });
});
