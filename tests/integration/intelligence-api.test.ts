import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, MINUTE } from '../../server/domain/clock.ts';
import type { RunningHall } from '../../server/main.ts';
import { type Client, hallWithCallers } from '../helpers/http.ts';

let hall: RunningHall;
let anon: Client;
let staff: Client;
let manager: Client;
const clock = new ManualClock(Date.UTC(2026, 10, 25, 2, 0)); // Wednesday 10:00 in Shanghai
const DAY = '2026-11-25';

beforeAll(async () => {
  ({ hall, anon, staff, manager } = await hallWithCallers({ clock }));
});
afterAll(() => hall.close());

/** Tickets a floor guide issues: a tier is a person's word (a kiosk's is refused). */
const issue = async (serviceId: string, tier?: 'vip' | 'elderly') =>
  (
    await staff.post('/api/v1/tickets', {
      serviceId,
      channel: 'reception',
      ...(tier ? { customer: { tier } } : {}),
    })
  ).json;

describe('GET /routing/why and GET /stats/staffing', () => {
  it.each([`/api/v1/routing/why?day=${DAY}&number=A001`, `/api/v1/stats/staffing?from=${DAY}&to=${DAY}`])(
    '%s: 401 anonymous, 403 staff',
    async (path) => {
      expect((await anon.get(path)).status).toBe(401);
      expect((await staff.get(path)).status).toBe(403);
    },
  );

  it('tells why a ticket was called after another: the recorded rule, whom it passed over, when each was called', async () => {
    expect((await staff.post('/api/v1/counters/1/open')).status).toBe(200);
    const a1 = await issue('general');
    await issue('general');
    clock.advance(MINUTE);
    const elderly = await issue('general', 'elderly');
    clock.advance(MINUTE);
    const first = await staff.post('/api/v1/counters/1/call');
    expect(first.status).toBe(200);
    const called = first.json.ticket.number as string;
    const explanation = first.json.explanation;
    expect(called).toBe(elderly.number); // the elderly customer goes first

    const why = await manager.get(`/api/v1/routing/why?day=${DAY}&number=${called}&before=${a1.number}`);
    expect(why.status).toBe(200);
    expect(why.json.ticket).toMatchObject({
      number: called,
      tier: 'elderly',
      status: 'called',
      calls: [
        {
          counterId: '1',
          counterName: '1号窗口',
          rule: explanation.rule,
          zh: explanation.zh,
          en: explanation.en,
          passedOver: explanation.passedOver,
        },
      ],
    });
    expect(explanation.passedOver).toContain(a1.number);
    expect(why.json.before).toMatchObject({
      number: a1.number,
      status: 'waiting',
      calledAt: null,
      calledEarlier: false,
      passedOverByThisCall: true,
      passedOverCount: 1,
    });
    // What decided it, in words: the call that passed A001 over, and its rule.
    expect(why.json.verdict).toMatchObject({ first: called, rule: 'tier' });
    expect(why.json.verdict.en).toContain(`${called} was called at 10:02 by 1号窗口 ahead of ${a1.number}`);
    expect(why.json.verdict.en).toContain('the rule was priority customers first');
    expect(why.json.verdict.en).toContain(`${a1.number} is still waiting.`);
    expect(why.json.verdict.zh).toContain(`越过了 ${a1.number}`);
    expect(why.json.routing).toEqual({ maxPassOvers: 12, maxWaitFactor: 2 });

    // then A001, called after it: asked the other way round
    clock.advance(3 * MINUTE);
    expect((await staff.post('/api/v1/counters/1/finish')).status).toBe(200);
    const second = await staff.post('/api/v1/counters/1/call');
    expect(second.json.ticket.number).toBe(a1.number);
    const back = await manager.get(`/api/v1/routing/why?day=${DAY}&number=${a1.number}&before=${called}`);
    expect(back.json.ticket.calls).toHaveLength(1);
    expect(back.json.ticket.calls[0].rule).toBe(second.json.explanation.rule);
    expect(back.json.before).toMatchObject({
      number: called,
      calledEarlier: true,
      passedOverByThisCall: false,
    });
    expect(back.json.ticket.calledAt > back.json.before.calledAt).toBe(true);
    // Asked the other way round, the same call decided it.
    expect(back.json.verdict).toMatchObject({ first: called, rule: 'tier' });
    expect(back.json.verdict.en).toContain(`${a1.number} was called at 10:05.`);
    clock.advance(5 * MINUTE);
    expect((await staff.post('/api/v1/counters/1/finish')).status).toBe(200);
  });

  it('answers 404 for an unknown number and 400 for a malformed query', async () => {
    const unknown = await manager.get(`/api/v1/routing/why?day=${DAY}&number=Z999`);
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('ticket-not-found');
    expect((await manager.get(`/api/v1/routing/why?day=${DAY}&number=A001&before=A777`)).status).toBe(404);
    expect((await manager.get(`/api/v1/routing/why?day=2026-11-24&number=A001`)).status).toBe(404);
    for (const q of [
      'number=A001',
      `day=${DAY}`,
      `day=2026-13-01&number=A001`,
      `day=${DAY}&number=A-1`,
      `day=${DAY}&number=A001&x=1`,
    ])
      expect((await manager.get(`/api/v1/routing/why?${q}`)).status).toBe(400);
  });

  it('advises counters per weekday and opening hour from the range’s arrivals and service times', async () => {
    const res = await manager.get(`/api/v1/stats/staffing?from=${DAY}&to=${DAY}`);
    expect(res.status).toBe(200);
    const advice = res.json;
    expect(advice).toMatchObject({
      from: DAY,
      to: DAY,
      daysPerWeekday: [0, 0, 1, 0, 0, 0, 0],
      level: { waitMinutes: 15, sharePct: 80 },
      hallCounters: 6,
    });
    expect(advice.hours).toHaveLength(7 * 24); // the demo hall is open round the clock
    const wednesday10 = advice.hours.find(
      (h: { weekday: number; hour: number }) => h.weekday === 2 && h.hour === 10,
    );
    expect(wednesday10).toMatchObject({ arrivalsPerHour: 3, countersNeeded: 1, countersStaffed: 1 });
    expect(wednesday10.serviceMinutes).toBeGreaterThan(2);
    expect(wednesday10.expectedWithinPct).toBeGreaterThanOrEqual(80);
    const monday10 = advice.hours.find(
      (h: { weekday: number; hour: number }) => h.weekday === 0 && h.hour === 10,
    );
    expect(monday10).toMatchObject({ arrivalsPerHour: 0, countersNeeded: 0, countersStaffed: 0 });
    expect((await manager.get('/api/v1/stats/staffing?from=2026-11-26&to=2026-11-25')).status).toBe(400);
  });
});

describe('GET /queue/breaches', () => {
  it('answers the manager only, with a line per service', async () => {
    expect((await anon.get('/api/v1/queue/breaches')).status).toBe(401);
    expect((await staff.get('/api/v1/queue/breaches')).status).toBe(403);
    const res = await manager.get('/api/v1/queue/breaches');
    expect(res.status).toBe(200);
    expect(res.json.find((b: { serviceId: string }) => b.serviceId === 'general')).toMatchObject({
      forecast: true,
      likely: expect.any(Number),
      atRisk: expect.any(Number),
    });
  });
});

describe('GET /routing/why: what decided the order', () => {
  it('says when a ticket came only after the call, or the counter does not serve its service', async () => {
    // A hall of its own: the other tests count this hall's tickets.
    const clock = new ManualClock(Date.UTC(2026, 10, 25, 2, 0));
    const { hall, anon, staff, manager } = await hallWithCallers({ clock });
    const issue = async (serviceId: string) =>
      (await anon.post('/api/v1/tickets', { serviceId, channel: 'reception' })).json;
    expect((await staff.post('/api/v1/counters/1/open')).status).toBe(200); // general, payments, devices
    const broadband = await issue('broadband');
    clock.advance(MINUTE);
    const general = await issue('general');
    clock.advance(MINUTE);
    const call = await staff.post('/api/v1/counters/1/call');
    expect(call.json.ticket.number).toBe(general.number);
    clock.advance(MINUTE);
    const later = await issue('general');
    const notServed = await manager.get(
      `/api/v1/routing/why?day=${DAY}&number=${broadband.number}&before=${general.number}`,
    );
    expect(notServed.json.verdict).toMatchObject({ first: general.number, rule: null });
    expect(notServed.json.verdict.en).toContain(
      `a counter that does not serve ${broadband.number}'s service (Broadband & landline)`,
    );
    expect(notServed.json.verdict.zh).toContain('宽带固话');
    const joinedAfter = await manager.get(
      `/api/v1/routing/why?day=${DAY}&number=${later.number}&before=${general.number}`,
    );
    expect(joinedAfter.json.verdict).toMatchObject({ first: general.number, rule: null });
    expect(joinedAfter.json.verdict.en).toContain(`before ${later.number} had joined the queue`);
    const neither = await manager.get(
      `/api/v1/routing/why?day=${DAY}&number=${later.number}&before=${broadband.number}`,
    );
    expect(neither.json.verdict).toMatchObject({ first: null, rule: null });
    expect(
      (await manager.get(`/api/v1/routing/why?day=${DAY}&number=${later.number}`)).json.verdict,
    ).toBeNull();
    hall.close();
  });
});
