/**
 * The rows of appointments: booked from the phone page, checked in once at a kiosk. The check-in code
 * is kept as its hash, the phone as a salted hash and a masked form.
 */
import type { Db } from './open.ts';

export type AppointmentRow = {
  id: string;
  code_hash: string;
  service_id: string;
  slot_at: number;
  phone_hash: string;
  phone_masked: string;
  source: string;
  status: 'booked' | 'checked-in' | 'cancelled';
  created_at: number;
  checked_in_at: number | null;
  ticket_id: string | null;
  checkin_key: string | null;
};

/** What a booking writes: a new appointment is `booked`, not checked in. */
export type NewAppointment = Omit<AppointmentRow, 'status' | 'checked_in_at' | 'ticket_id' | 'checkin_key'>;

/** What a check-in writes besides the status. */
export type AppointmentCheckIn = Pick<AppointmentRow, 'id' | 'checked_in_at' | 'ticket_id' | 'checkin_key'>;

export type AppointmentRepository = ReturnType<typeof createAppointmentRepository>;

export function createAppointmentRepository(db: Db) {
  const st = {
    // A code names the current appointment that has it: a booked one first, else the latest.
    byCode: db.prepare<[string], AppointmentRow>(
      `SELECT * FROM appointments WHERE code_hash = ? AND status != 'cancelled'
       ORDER BY status = 'booked' DESC, slot_at DESC LIMIT 1`,
    ),
    codeInUse: db
      .prepare<[string, number], number>(
        `SELECT COUNT(*) FROM appointments WHERE code_hash = ? AND (status = 'booked' OR slot_at > ?)`,
      )
      .pluck(),
    byId: db.prepare<[string], AppointmentRow>('SELECT * FROM appointments WHERE id = ?'),
    byCheckInKey: db.prepare<[string], AppointmentRow>('SELECT * FROM appointments WHERE checkin_key = ?'),
    bookedPerSlot: db.prepare<[string, number, number], { slot_at: number; n: number }>(
      `SELECT slot_at, COUNT(*) AS n FROM appointments
       WHERE service_id = ? AND slot_at >= ? AND slot_at < ? AND status != 'cancelled' GROUP BY slot_at`,
    ),
    bookedAt: db
      .prepare<[string, number], number>(
        `SELECT COUNT(*) FROM appointments WHERE service_id = ? AND slot_at = ? AND status != 'cancelled'`,
      )
      .pluck(),
    upcomingForPhone: db
      .prepare<[string, number], number>(
        `SELECT COUNT(*) FROM appointments WHERE phone_hash = ? AND status = 'booked' AND slot_at > ?`,
      )
      .pluck(),
    bookingsFromSource: db
      .prepare<[string, number], number>(
        'SELECT created_at FROM appointments WHERE source = ? AND created_at > ? ORDER BY created_at',
      )
      .pluck(),
    book: db.prepare<NewAppointment>(
      `INSERT INTO appointments(id, code_hash, service_id, slot_at, phone_hash, phone_masked, source, status, created_at)
       VALUES (@id, @code_hash, @service_id, @slot_at, @phone_hash, @phone_masked, @source, 'booked', @created_at)`,
    ),
    rebook: db.prepare<NewAppointment>(
      `INSERT INTO appointments(id, code_hash, service_id, slot_at, phone_hash, phone_masked, source, status, created_at)
       VALUES (@id, @code_hash, @service_id, @slot_at, @phone_hash, @phone_masked, @source, 'booked', @created_at)
       ON CONFLICT(id) DO UPDATE SET code_hash = excluded.code_hash, service_id = excluded.service_id,
         slot_at = excluded.slot_at, status = 'booked', checked_in_at = NULL, ticket_id = NULL, checkin_key = NULL`,
    ),
    checkIn: db.prepare<AppointmentCheckIn>(
      `UPDATE appointments SET status = 'checked-in', checked_in_at = @checked_in_at, ticket_id = @ticket_id,
         checkin_key = @checkin_key WHERE id = @id`,
    ),
  };

  return {
    /** The current appointment with this code: a booked one first, else the latest not cancelled. */
    byCode: (codeHash: string): AppointmentRow | undefined => st.byCode.get(codeHash),
    /** Whether a booked appointment, or one with a slot after `since`, has this code. */
    isCodeInUse: (codeHash: string, since: number): boolean => st.codeInUse.get(codeHash, since)! > 0,
    byId: (id: string): AppointmentRow | undefined => st.byId.get(id),
    /** The appointment a check-in with this Idempotency-Key checked in. */
    byCheckInKey: (key: string): AppointmentRow | undefined => st.byCheckInKey.get(key),
    /** The appointments not cancelled of a service per slot in [from, until). */
    bookedPerSlot: (serviceId: string, from: number, until: number) =>
      st.bookedPerSlot.all(serviceId, from, until),
    /** How many appointments not cancelled a service has in one slot. */
    bookedAt: (serviceId: string, slotAt: number): number => st.bookedAt.get(serviceId, slotAt)!,
    /** How many booked appointments with slots after `now` a phone holds. */
    upcomingForPhone: (phoneHash: string, now: number): number => st.upcomingForPhone.get(phoneHash, now)!,
    /** When appointments were booked from this source after `since`, oldest first. */
    bookingTimesFromSource: (source: string, since: number): number[] =>
      st.bookingsFromSource.all(source, since),
    book: (appointment: NewAppointment) => void st.book.run(appointment),
    /** Books the appointment with this id afresh, whatever became of it (the demo's, at each start). */
    rebook: (appointment: NewAppointment) => void st.rebook.run(appointment),
    checkIn: (checkIn: AppointmentCheckIn) => void st.checkIn.run(checkIn),
  };
}
