/**
 * Appointments: booked from the phone page (a service, a slot, a phone number → a 6-digit code by SMS
 * and on screen), checked in at a kiosk by typing or scanning the code. Check-in inside the window
 * around the slot (configurable: 30 minutes early to 15 late by default) issues a ticket through the
 * hall's command path with channel and tier `appointment`; outside it, a clear refusal.
 *
 * One appointment gives at most one ticket: the ticket is issued under an idempotency key derived from
 * the appointment, so a crash between issuing and recording the check-in cannot give a second one.
 */
import { randomInt } from 'node:crypto';
import type { Lang, TicketView } from '../contract/api.ts';
import type {
  AppointmentAnswer,
  AppointmentSlots,
  AppointmentSlotsQuery,
  BookAppointmentRequest,
  CheckInRequest,
} from '../contract/kiosk.ts';
import { type AppointmentRow, createAppointmentRepository } from '../db/appointments.ts';
import { DAY, HOUR, MINUTE } from '../domain/clock.ts';
import { addDays, instantOf, localTime, parseClockTime } from '../domain/hall-time.ts';
import { hallSalt, hashPhone, maskPhone, sha256 } from '../integrations/privacy.ts';
import { type Outcome, ok, refusal } from './command-path.ts';
import type { DeviceReads } from './device-reads.ts';
import { type KioskDeps, newId } from './kiosk-common.ts';

export const UPCOMING_PER_PHONE = 3;
export const BOOKINGS_PER_SOURCE_PER_HOUR = 10;

const codeHash = (code: string) => sha256(`appointment:${code}`);

export type Appointments = ReturnType<typeof createAppointments>;

export function createAppointments(deps: KioskDeps, reads: () => DeviceReads) {
  const { db, clock, config, hall } = deps;
  const rules = config.appointments;
  const salt = hallSalt(db);
  const rows = createAppointmentRepository(db);

  const window = (slotAt: number) => ({
    from: slotAt - rules.earlyMinutes * MINUTE,
    until: slotAt + rules.lateMinutes * MINUTE,
  });
  const hhmm = (ms: number) => {
    const t = localTime(ms, config.timeZone);
    return `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
  };

  /** A 6-digit code no current appointment has. */
  function newCode(now: number): string {
    for (;;) {
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      if (!rows.isCodeInUse(codeHash(code), now - DAY)) return code;
    }
  }

  function answerOf(row: AppointmentRow, code: string): AppointmentAnswer {
    const w = window(row.slot_at);
    return {
      id: row.id,
      code,
      serviceId: row.service_id,
      slot: new Date(row.slot_at).toISOString(),
      maskedPhone: row.phone_masked,
      checkInFrom: new Date(w.from).toISOString(),
      checkInUntil: new Date(w.until).toISOString(),
    };
  }

  async function book(request: BookAppointmentRequest, source: string): Promise<Outcome<AppointmentAnswer>> {
    const now = clock.now();
    const service = config.services.find((s) => s.id === request.serviceId);
    if (!service?.enabled) return refusal(404, 'service-not-found', `no service ${request.serviceId}`);
    const slotAt = Date.parse(request.slot);
    const local = localTime(slotAt, config.timeZone);
    const hours = service.hours ?? config.hours;
    if (slotAt % MINUTE !== 0 || local.minuteOfDay % rules.slotMinutes !== 0)
      return refusal(409, 'slot-unavailable', `slots start every ${rules.slotMinutes} minutes`);
    if (slotAt <= now) return refusal(409, 'slot-unavailable', 'this slot is in the past');
    if (slotAt > now + rules.daysAhead * DAY)
      return refusal(
        409,
        'slot-unavailable',
        `appointments can be booked ${rules.daysAhead} days ahead at most`,
      );
    if (local.minuteOfDay < parseClockTime(hours.open) || local.minuteOfDay >= parseClockTime(hours.close))
      return refusal(409, 'slot-unavailable', `${service.name.en} is open ${hours.open}–${hours.close}`);

    const phoneHash = hashPhone(salt, request.phone);
    const booked = db.transaction((): Outcome<{ row: AppointmentRow; code: string }> => {
      const recent = rows.bookingTimesFromSource(source, now - HOUR);
      if (recent.length >= BOOKINGS_PER_SOURCE_PER_HOUR) {
        const wait = recent[recent.length - BOOKINGS_PER_SOURCE_PER_HOUR]! + HOUR - now;
        return refusal(429, 'too-many-requests', 'too many bookings from here: try later', {
          retryAfterSeconds: Math.ceil(wait / 1000),
        });
      }
      if (rows.upcomingForPhone(phoneHash, now) >= UPCOMING_PER_PHONE)
        return refusal(
          409,
          'too-many-appointments',
          `a phone may hold ${UPCOMING_PER_PHONE} upcoming appointments`,
        );
      if (rows.bookedAt(service.id, slotAt) >= rules.perSlot)
        return refusal(409, 'slot-full', 'this slot is fully booked: choose another');
      const code = newCode(now);
      const id = newId();
      rows.book({
        id,
        code_hash: codeHash(code),
        service_id: service.id,
        slot_at: slotAt,
        phone_hash: phoneHash,
        phone_masked: maskPhone(request.phone),
        source,
        created_at: now,
      });
      return ok({ row: rows.byId(id)!, code });
    })();
    if (!booked.ok) return booked;
    const { row, code } = booked.value;
    const day = localTime(slotAt, config.timeZone).day;
    const w = window(slotAt);
    // The booking stands whether or not the text arrives: the phone page shows the code too. The text
    // gives the same check-in window as the page.
    await deps.sms
      .send({
        to: request.phone,
        text:
          `【营业厅】您已预约${day} ${hhmm(slotAt)}的${service.name.zh}，签到码 ${code}，请于 ${hhmm(w.from)}–${hhmm(w.until)} 到自助机签到。` +
          ` Appointment ${day} ${hhmm(slotAt)}, ${service.name.en}: check-in code ${code}; check in at a kiosk between ${hhmm(w.from)} and ${hhmm(w.until)}.`,
      })
      .catch((error: unknown) =>
        deps.log({ msg: 'sms failed', purpose: 'appointment', error: String(error) }),
      );
    return ok(answerOf(row, code));
  }

  /**
   * The free slots of a local day for the phone page: exactly the slots `book` would take now, with
   * the places left in each; full ones left out.
   */
  function slots(query: AppointmentSlotsQuery): Outcome<AppointmentSlots> {
    const now = clock.now();
    const service = config.services.find((s) => s.id === query.serviceId);
    if (!service?.enabled) return refusal(404, 'service-not-found', `no service ${query.serviceId}`);
    const today = localTime(now, config.timeZone).day;
    const days = Array.from({ length: rules.daysAhead + 1 }, (_, i) => addDays(today, i));
    const day = query.day ?? today;
    const answer: AppointmentSlots = {
      serviceId: service.id,
      day,
      days,
      slotMinutes: rules.slotMinutes,
      slots: [],
    };
    if (!days.includes(day)) return ok(answer);
    const hours = service.hours ?? config.hours;
    const open = parseClockTime(hours.open);
    const close = parseClockTime(hours.close);
    const from = instantOf(day, 0, config.timeZone);
    const until = instantOf(addDays(day, 1), 0, config.timeZone);
    const taken = new Map(rows.bookedPerSlot(service.id, from, until).map((r) => [r.slot_at, r.n]));
    const first = Math.ceil(open / rules.slotMinutes) * rules.slotMinutes;
    for (let minute = first; minute < close; minute += rules.slotMinutes) {
      const slotAt = instantOf(day, minute, config.timeZone);
      // A time a DST change skips is not on this day's grid.
      if (localTime(slotAt, config.timeZone).minuteOfDay !== minute) continue;
      if (slotAt <= now || slotAt > now + rules.daysAhead * DAY) continue;
      const remaining = rules.perSlot - (taken.get(slotAt) ?? 0);
      if (remaining > 0)
        answer.slots.push({ slot: new Date(slotAt).toISOString(), time: hhmm(slotAt), remaining });
    }
    return ok(answer);
  }

  /** The id of the current appointment a scanned code names (for the scanner's classification). */
  function findAppointmentId(code: string): string | null {
    return rows.byCode(codeHash(code))?.id ?? null;
  }

  function checkIn(kioskId: string, request: CheckInRequest, idempotencyKey?: string): Outcome<TicketView> {
    const now = clock.now();
    // A retried check-in (same key) answers with its ticket, even though a scanned read is spent.
    if (idempotencyKey) {
      const done = rows.byCheckInKey(idempotencyKey);
      if (done?.ticket_id) {
        if ('code' in request && done.code_hash !== codeHash(request.code))
          return refusal(409, 'idempotency-key-reused', 'this Idempotency-Key was used for another check-in');
        return hall.getTicket(done.ticket_id);
      }
    }
    let row: AppointmentRow | undefined;
    if ('code' in request) row = rows.byCode(codeHash(request.code));
    else {
      const read = reads().take(kioskId, request.readId, ['appointment']);
      row = read?.appointment_id ? rows.byId(read.appointment_id) : undefined;
    }
    if (!row || row.status === 'cancelled')
      return refusal(404, 'unknown-appointment', 'no appointment with this code');
    if (row.status === 'checked-in')
      return refusal(409, 'already-checked-in', 'this appointment has already been checked in');
    const w = window(row.slot_at);
    // The kiosk says the booked time and the window in its own words.
    const booked = { slot: hhmm(row.slot_at), from: hhmm(w.from), until: hhmm(w.until) };
    if (now < w.from)
      return refusal(
        409,
        'too-early',
        `check-in opens at ${booked.from}, ${rules.earlyMinutes} minutes before ${booked.slot}`,
        { details: booked },
      );
    if (now > w.until)
      return refusal(
        409,
        'too-late',
        `check-in closed at ${booked.until}, ${rules.lateMinutes} minutes after ${booked.slot}`,
        { details: booked },
      );
    const lang: Lang = request.lang ?? 'zh';
    const issued = hall.issueTicket(
      { serviceId: row.service_id, channel: 'appointment', lang },
      { kioskId, idempotencyKey: `appointment:${row.id}:${row.slot_at}`, tier: 'appointment' },
    );
    if (!issued.ok) return issued;
    rows.checkIn({
      id: row.id,
      checked_in_at: now,
      ticket_id: issued.value.id,
      checkin_key: idempotencyKey ?? null,
    });
    return issued;
  }

  /**
   * The demo's appointments, made again at every start relative to that moment: 100001 can be checked
   * in now (general, in 10 minutes), 100002 is too early (broadband, in 3 hours), 100003 too late
   * (devices, 2 hours ago). All for 13800000001.
   */
  function seedDemo(): void {
    const now = clock.now();
    const phone = '13800000001';
    const minute = (ms: number) => ms - (ms % MINUTE);
    const demo = [
      { id: 'demo-appointment-1', code: '100001', serviceId: 'general', slotAt: minute(now + 10 * MINUTE) },
      { id: 'demo-appointment-2', code: '100002', serviceId: 'broadband', slotAt: minute(now + 3 * HOUR) },
      { id: 'demo-appointment-3', code: '100003', serviceId: 'devices', slotAt: minute(now - 2 * HOUR) },
    ].filter((a) => config.services.some((s) => s.id === a.serviceId));
    db.transaction(() => {
      for (const a of demo)
        rows.rebook({
          id: a.id,
          code_hash: codeHash(a.code),
          service_id: a.serviceId,
          slot_at: a.slotAt,
          phone_hash: hashPhone(salt, phone),
          phone_masked: maskPhone(phone),
          source: 'demo',
          created_at: now,
        });
    })();
  }

  return { book, slots, checkIn, findAppointmentId, seedDemo };
}
