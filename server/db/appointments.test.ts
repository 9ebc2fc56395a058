import { describe, expect, it } from 'vitest';
import { HALL_MORNING, ok, testHall } from '../../tests/helpers/test-hall.ts';
import { createAppointmentRepository, type NewAppointment } from './appointments.ts';

const HOUR = 3_600_000;

/** An appointment for `general` booked from the phone page, with the same code unless told. */
const booking = (id: string, slotAt: number, code_hash = 'code-x'): NewAppointment => ({
  id,
  code_hash,
  service_id: 'general',
  slot_at: slotAt,
  phone_hash: 'phone-h',
  phone_masked: '138****0001',
  source: 'address:127.0.0.1',
  created_at: HALL_MORNING,
});

describe('the appointment rows', () => {
  function setup() {
    const h = testHall();
    const rows = createAppointmentRepository(h.db);
    /** Checks an appointment in with a real ticket, as a kiosk does. */
    const checkIn = (id: string, key: string | null = null) =>
      rows.checkIn({
        id,
        checked_in_at: HALL_MORNING,
        ticket_id: ok(h.hall.issueTicket({ serviceId: 'general' })).id,
        checkin_key: key,
      });
    return { ...h, rows, checkIn };
  }

  it('a code names its booked appointment first, else the latest checked in', () => {
    const { rows, checkIn } = setup();
    rows.book(booking('early', HALL_MORNING + HOUR));
    rows.book(booking('late', HALL_MORNING + 3 * HOUR));
    checkIn('late');
    expect(rows.byCode('code-x')?.id).toBe('early');
    checkIn('early');
    expect(rows.byCode('code-x')?.id).toBe('late');
    expect(rows.byCode('code-y')).toBeUndefined();
  });

  it('a check-in is found again by its Idempotency-Key', () => {
    const { rows, checkIn } = setup();
    rows.book(booking('a', HALL_MORNING + HOUR));
    checkIn('a', 'key-1');
    expect(rows.byCheckInKey('key-1')).toMatchObject({ id: 'a', status: 'checked-in', checkin_key: 'key-1' });
    expect(rows.byCheckInKey('key-2')).toBeUndefined();
  });

  it('a code stays in use while booked, or until its slot is older than the time asked about', () => {
    const { rows, checkIn } = setup();
    rows.book(booking('a', HALL_MORNING + HOUR));
    expect(rows.isCodeInUse('code-x', HALL_MORNING + 2 * HOUR)).toBe(true);
    checkIn('a');
    expect(rows.isCodeInUse('code-x', HALL_MORNING)).toBe(true);
    expect(rows.isCodeInUse('code-x', HALL_MORNING + HOUR)).toBe(false);
  });

  it('counts the appointments of a slot, per slot of a range, and the upcoming ones of a phone', () => {
    const { rows, checkIn } = setup();
    rows.book(booking('a', HALL_MORNING + HOUR, 'c1'));
    rows.book(booking('b', HALL_MORNING + HOUR, 'c2'));
    rows.book(booking('c', HALL_MORNING + 2 * HOUR, 'c3'));
    checkIn('b');
    expect(rows.bookedAt('general', HALL_MORNING + HOUR)).toBe(2);
    expect(rows.bookedAt('broadband', HALL_MORNING + HOUR)).toBe(0);
    expect(rows.bookedPerSlot('general', HALL_MORNING, HALL_MORNING + 2 * HOUR)).toEqual([
      { slot_at: HALL_MORNING + HOUR, n: 2 },
    ]);
    // Only booked appointments after the moment asked about are upcoming.
    expect(rows.upcomingForPhone('phone-h', HALL_MORNING)).toBe(2);
    expect(rows.upcomingForPhone('phone-h', HALL_MORNING + HOUR)).toBe(1);
    expect(rows.bookingTimesFromSource('address:127.0.0.1', HALL_MORNING - 1)).toEqual([
      HALL_MORNING,
      HALL_MORNING,
      HALL_MORNING,
    ]);
  });

  it('rebooking an appointment that was checked in makes it booked again, without its check-in', () => {
    const { rows, checkIn } = setup();
    rows.book(booking('demo', HALL_MORNING - HOUR, 'old'));
    checkIn('demo', 'key-1');
    rows.rebook(booking('demo', HALL_MORNING + HOUR, 'new'));
    expect(rows.byId('demo')).toMatchObject({
      code_hash: 'new',
      slot_at: HALL_MORNING + HOUR,
      status: 'booked',
      checked_in_at: null,
      ticket_id: null,
      checkin_key: null,
    });
  });
});
