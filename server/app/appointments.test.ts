import { describe, expect, it } from 'vitest';
import { HALL_MORNING, ok } from '../../tests/helpers/test-hall.ts';
import { databaseText, testKiosk } from '../../tests/helpers/test-kiosk.ts';
import { DEMO_HALL, parseHallConfig } from '../config.ts';
import { DAY, HOUR, MINUTE } from '../domain/clock.ts';
import { BOOKINGS_PER_SOURCE_PER_HOUR, UPCOMING_PER_PHONE } from './appointments.ts';

/** 2026-11-25 at a local Shanghai time, as the phone page sends it. */
const at = (hhmm: string, day = '2026-11-25') => `${day}T${hhmm}:00+08:00`;
const PHONE = '13800000001';

describe('booking', () => {
  it('books a slot and answers a 6-digit code, also sent by SMS, with the check-in window', async () => {
    const t = testKiosk();
    const answer = ok(
      await t.kiosk.appointments.book({ serviceId: 'general', slot: at('11:00'), phone: PHONE }, 'a'),
    );
    expect(answer).toEqual({
      id: expect.any(String),
      code: expect.stringMatching(/^\d{6}$/),
      serviceId: 'general',
      slot: '2026-11-25T03:00:00.000Z',
      maskedPhone: '138****0001',
      checkInFrom: '2026-11-25T02:30:00.000Z',
      checkInUntil: '2026-11-25T03:15:00.000Z',
    });
    expect(t.texts.at(-1)).toMatchObject({ to: PHONE, text: expect.stringContaining(answer.code) });
    // The text gives the same window as the answer (10:30–11:15 in the hall), not a rule of thumb.
    expect(t.texts.at(-1)!.text).toContain('请于 10:30–11:15 到自助机签到');
    expect(t.texts.at(-1)!.text).toContain('between 10:30 and 11:15');
    const stored = databaseText(t.db, ['sms_outbox']);
    expect(stored).not.toContain(PHONE);
    expect(stored).not.toContain(`"${answer.code}"`);
  });

  it('refuses a slot off the grid, in the past, too far ahead or outside opening hours', async () => {
    const config = parseHallConfig({ ...DEMO_HALL, hours: { open: '09:00', close: '18:00' } }, 'test');
    const t = testKiosk({ config });
    const book = (slot: string) =>
      t.kiosk.appointments.book({ serviceId: 'general', slot, phone: PHONE }, 'a');
    for (const slot of [
      at('11:05'),
      at('09:45'),
      '2026-12-25T11:00:00+08:00',
      at('18:00'),
      at('08:45', '2026-11-26'),
    ])
      expect(await book(slot)).toMatchObject({ status: 409, code: 'slot-unavailable' });
    ok(await book(at('17:45')));
    expect(
      await t.kiosk.appointments.book({ serviceId: 'nope', slot: at('11:00'), phone: PHONE }, 'a'),
    ).toMatchObject({
      status: 404,
      code: 'service-not-found',
    });
  });

  it('fills a slot at its capacity, and limits upcoming appointments per phone', async () => {
    const t = testKiosk();
    const perSlot = t.config.appointments.perSlot;
    for (let i = 0; i < perSlot; i++)
      ok(
        await t.kiosk.appointments.book(
          { serviceId: 'general', slot: at('12:00'), phone: `1390000000${i}` },
          `s${i}`,
        ),
      );
    expect(
      await t.kiosk.appointments.book({ serviceId: 'general', slot: at('12:00'), phone: PHONE }, 'x'),
    ).toMatchObject({ status: 409, code: 'slot-full' });
    // Not the demo appointments' phone: it already holds two.
    const phone = '13700000000';
    for (let i = 0; i < UPCOMING_PER_PHONE; i++)
      ok(await t.kiosk.appointments.book({ serviceId: 'general', slot: at(`1${3 + i}:00`), phone }, `p${i}`));
    expect(
      await t.kiosk.appointments.book({ serviceId: 'general', slot: at('17:00'), phone }, 'p9'),
    ).toMatchObject({
      status: 409,
      code: 'too-many-appointments',
    });
  });

  it('limits bookings from one address (429 with Retry-After)', async () => {
    const t = testKiosk();
    for (let i = 0; i < BOOKINGS_PER_SOURCE_PER_HOUR; i++)
      ok(
        await t.kiosk.appointments.book(
          {
            serviceId: 'general',
            slot: at(`${10 + i}:00`, '2026-11-26'),
            phone: `1390000${String(i).padStart(4, '0')}`,
          },
          'one-address',
        ),
      );
    expect(
      await t.kiosk.appointments.book(
        { serviceId: 'devices', slot: at('15:00'), phone: PHONE },
        'one-address',
      ),
    ).toMatchObject({ status: 429, code: 'too-many-requests', retryAfterSeconds: 3600 });
  });
});

describe('check-in', () => {
  async function booked(t: ReturnType<typeof testKiosk>, slot = at('11:00'), serviceId = 'general') {
    return ok(await t.kiosk.appointments.book({ serviceId, slot, phone: PHONE }, 'a'));
  }

  it('issues an appointment ticket inside the window, printed at that kiosk', async () => {
    const printed: (string | null)[] = [];
    const t = testKiosk({
      printTicket: async (data) => {
        printed.push(data.kioskId);
        return { ok: true };
      },
    });
    const { code } = await booked(t, at('10:15'));
    const ticket = ok(t.kiosk.appointments.checkIn('k1', { code, lang: 'en' }));
    expect(ticket).toMatchObject({
      tier: 'appointment',
      channel: 'appointment',
      serviceId: 'general',
      status: 'waiting',
      print: 'pending',
    });
    expect(t.events.find((e) => e.type === 'ticket.issued')?.data).toMatchObject({
      ticket: { tier: 'appointment' },
    });
    expect(printed).toEqual(['k1']);
  });

  it('opens 30 minutes before the slot and closes 15 minutes after it (configurable)', async () => {
    const t = testKiosk();
    const { code } = await booked(t, at('10:45')); // now 10:00
    t.clock.set(HALL_MORNING + 15 * MINUTE - 1000); // 10:14:59
    expect(t.kiosk.appointments.checkIn('k1', { code })).toMatchObject({
      status: 409,
      code: 'too-early',
      details: { slot: '10:45', from: '10:15', until: '11:00' },
    });
    t.clock.set(HALL_MORNING + 15 * MINUTE); // 10:15
    ok(t.kiosk.appointments.checkIn('k1', { code }));

    const late = await booked(t, at('11:00'));
    t.clock.set(HALL_MORNING + HOUR + 15 * MINUTE + 1000); // 11:15:01
    expect(t.kiosk.appointments.checkIn('k1', { code: late.code })).toMatchObject({
      status: 409,
      code: 'too-late',
    });

    const config = parseHallConfig(
      { ...DEMO_HALL, appointments: { earlyMinutes: 60, lateMinutes: 0 } },
      'test',
    );
    const wide = testKiosk({ config });
    const early = await booked(wide, at('11:00'));
    ok(wide.kiosk.appointments.checkIn('k1', { code: early.code }));
  });

  it('checks an appointment in once: a second try is already-checked-in, a retry under its key the same ticket', async () => {
    const t = testKiosk();
    const { code } = await booked(t, at('10:15'));
    const first = ok(t.kiosk.appointments.checkIn('k1', { code }, 'attempt-1'));
    expect(ok(t.kiosk.appointments.checkIn('k1', { code }, 'attempt-1')).id).toBe(first.id);
    expect(t.kiosk.appointments.checkIn('k1', { code }, 'attempt-2')).toMatchObject({
      status: 409,
      code: 'already-checked-in',
    });
    expect(t.kiosk.appointments.checkIn('k1', { code })).toMatchObject({ code: 'already-checked-in' });
    const other = await booked(t, at('10:30'));
    expect(t.kiosk.appointments.checkIn('k1', { code: other.code }, 'attempt-1')).toMatchObject({
      code: 'idempotency-key-reused',
    });
  });

  it('refuses an unknown code (404 unknown-appointment)', () => {
    const t = testKiosk();
    expect(t.kiosk.appointments.checkIn('k1', { code: '999999' })).toMatchObject({
      status: 404,
      code: 'unknown-appointment',
    });
  });

  it('checks in a scanned code at the kiosk that scanned it, once', async () => {
    const t = testKiosk();
    const { code } = await booked(t, at('10:15'));
    const scan = await t.kiosk.recordDeviceRead('k1', { kind: 'scan', code });
    expect(scan.kind).toBe('appointment');
    expect(t.kiosk.appointments.checkIn('k2', { readId: scan.readId })).toMatchObject({
      code: 'unknown-appointment',
    });
    const ticket = ok(t.kiosk.appointments.checkIn('k1', { readId: scan.readId }, 'scan-1'));
    // A retry of the same attempt answers the same ticket although the read is spent.
    expect(ok(t.kiosk.appointments.checkIn('k1', { readId: scan.readId }, 'scan-1')).id).toBe(ticket.id);
    expect(t.kiosk.appointments.checkIn('k1', { readId: scan.readId })).toMatchObject({
      code: 'unknown-appointment',
    });
  });

  it('passes on the hall’s refusal when the service is closed', async () => {
    const config = parseHallConfig(
      {
        ...DEMO_HALL,
        services: DEMO_HALL.services.map((s) =>
          s.id === 'general' ? { ...s, hours: { open: '11:00', close: '17:00' } } : s,
        ),
      },
      'test',
    );
    const t = testKiosk({ config });
    const { code } = await booked(t, at('11:00'));
    t.clock.set(HALL_MORNING + 45 * MINUTE); // 10:45, inside the window, before the service opens
    expect(t.kiosk.appointments.checkIn('k1', { code })).toMatchObject({
      status: 409,
      code: 'service-closed',
    });
    t.clock.set(HALL_MORNING + HOUR);
    ok(t.kiosk.appointments.checkIn('k1', { code }));
  });
});

describe('demo appointments', () => {
  it('are made at start: 100001 checks in now, 100002 is too early, 100003 too late', () => {
    const t = testKiosk();
    expect(ok(t.kiosk.appointments.checkIn('k1', { code: '100001' }))).toMatchObject({
      serviceId: 'general',
    });
    expect(t.kiosk.appointments.checkIn('k1', { code: '100002' })).toMatchObject({ code: 'too-early' });
    expect(t.kiosk.appointments.checkIn('k1', { code: '100003' })).toMatchObject({ code: 'too-late' });
    t.clock.advance(DAY);
    t.kiosk.appointments.seedDemo();
    expect(ok(t.kiosk.appointments.checkIn('k1', { code: '100001' })).number).toMatch(/^A\d{3}$/);
  });
});

describe('free slots', () => {
  const hoursConfig = () =>
    parseHallConfig({ ...DEMO_HALL, hours: { open: '09:00', close: '18:00' } }, 'test');

  it('lists the bookable slots of a day, after now, inside opening hours, with the places left', async () => {
    const t = testKiosk({ config: hoursConfig() }); // 10:00 in Shanghai
    const { perSlot, daysAhead } = t.config.appointments;
    ok(await t.kiosk.appointments.book({ serviceId: 'general', slot: at('11:00'), phone: PHONE }, 'a'));
    const today = ok(t.kiosk.appointments.slots({ serviceId: 'general' }));
    expect(today.day).toBe('2026-11-25');
    expect(today.days).toHaveLength(daysAhead + 1);
    expect(today.days.slice(0, 2)).toEqual(['2026-11-25', '2026-11-26']);
    expect(today.slotMinutes).toBe(15);
    expect(today.slots[0]).toEqual({ slot: '2026-11-25T02:15:00.000Z', time: '10:15', remaining: perSlot });
    expect(today.slots.at(-1)?.time).toBe('17:45');
    expect(today.slots).toHaveLength(31);
    expect(today.slots.find((s) => s.time === '11:00')?.remaining).toBe(perSlot - 1);

    const tomorrow = ok(t.kiosk.appointments.slots({ serviceId: 'general', day: '2026-11-26' }));
    expect(tomorrow.slots[0]).toMatchObject({ slot: '2026-11-26T01:00:00.000Z', time: '09:00' });
    expect(tomorrow.slots).toHaveLength(36);
    // Every slot listed is one that can be booked.
    ok(
      await t.kiosk.appointments.book(
        { serviceId: 'general', slot: tomorrow.slots[0]!.slot, phone: '13700000001' },
        'b',
      ),
    );
  });

  it('leaves out full slots, and days outside the booking horizon have none', async () => {
    const t = testKiosk({ config: hoursConfig() });
    for (let i = 0; i < t.config.appointments.perSlot; i++)
      ok(
        await t.kiosk.appointments.book(
          { serviceId: 'general', slot: at('12:00'), phone: `1390000000${i}` },
          `s${i}`,
        ),
      );
    const today = ok(t.kiosk.appointments.slots({ serviceId: 'general', day: '2026-11-25' }));
    expect(today.slots.map((s) => s.time)).not.toContain('12:00');
    expect(today.slots.map((s) => s.time)).toContain('12:15');
    expect(ok(t.kiosk.appointments.slots({ serviceId: 'general', day: '2026-11-24' })).slots).toEqual([]);
    expect(ok(t.kiosk.appointments.slots({ serviceId: 'general', day: '2027-01-01' })).slots).toEqual([]);
    expect(t.kiosk.appointments.slots({ serviceId: 'nope' })).toMatchObject({
      status: 404,
      code: 'service-not-found',
    });
  });
});
