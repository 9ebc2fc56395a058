/**
 * What a kiosk's ID card reader or code scanner read, kept for one minute under a one-time `readId`.
 * The event that tells the kiosk (`kiosk.id-card`, `kiosk.scan`) carries only the readId and the kiosk;
 * the kiosk redeems it over HTTP, once, as itself. Of an ID card only the masked name, the masked
 * number, a salted hash of the number and the age are kept: never the photo, never the full number.
 */
import type { ScanKind } from '../contract/kiosk.ts';
import { createDeviceReadRepository, type DeviceReadRow } from '../db/device-reads.ts';
import { localTime } from '../domain/hall-time.ts';
import { ageOn, hallSalt, hashIdNumber, maskIdNumber, maskName } from '../integrations/privacy.ts';
import { appendKioskEvent, type KioskDeps, newId } from './kiosk-common.ts';

export const READ_TTL_MS = 60_000;

/**
 * A read as a device driver reports it. Drivers pass only these fields: the photo and the address on
 * the card stay in the driver.
 */
export type DeviceRead =
  | {
      kind: 'id-card';
      name: string;
      /** 18 characters (17 digits and a digit or X); 15-digit first-generation numbers are accepted. */
      idNumber: string;
      /** YYYY-MM-DD; taken from the number when absent. */
      birthDate?: string;
    }
  /**
   * The ID card reader driver's `IdCardSummary` as is (the number never leaves the driver): `idHash`
   * must be `hashIdNumber(hallSalt(db), number)`, i.e. the driver made with the hall's salt.
   */
  | { kind: 'id-card'; name: string; maskedId: string; idHash: string; age: number | null }
  | { kind: 'scan'; code: string };

export type DeviceReads = ReturnType<typeof createDeviceReads>;

export function createDeviceReads(
  deps: Pick<KioskDeps, 'db' | 'clock' | 'commands' | 'log' | 'bss' | 'config'>,
  findAppointmentId: (code: string) => string | null,
) {
  const { db, clock } = deps;
  const salt = hallSalt(db);
  const rows = createDeviceReadRepository(db);

  /**
   * Stores a read and tells the kiosk. Resolves with the readId and what was recognised; a scan is
   * classified here (an appointment code, a member code the BSS knows, or unknown) so that the
   * event can say which. Rejects only for an ID number that is not one (a misread card).
   */
  async function record(
    kioskId: string,
    read: DeviceRead,
  ): Promise<{ readId: string; kind: 'id-card' | ScanKind }> {
    const id = newId();
    if (read.kind === 'id-card') {
      const now = clock.now();
      let card: { masked: string; hash: string; age: number | null };
      if ('idNumber' in read) {
        const idNumber = read.idNumber.trim().toUpperCase();
        if (!/^(\d{17}[\dX]|\d{15})$/.test(idNumber)) throw new RangeError('not an ID card number');
        const birth = read.birthDate ?? birthDateOf(idNumber);
        card = {
          masked: maskIdNumber(idNumber),
          hash: hashIdNumber(salt, idNumber),
          age: birth ? ageOn(birth, localTime(now, deps.config.timeZone).day) : null,
        };
      } else {
        if (!/^[0-9a-f]{64}$/.test(read.idHash)) throw new RangeError('not an ID number hash');
        card = { masked: read.maskedId, hash: read.idHash, age: read.age };
      }
      appendKioskEvent(deps, 'kiosk.id-card', { kioskId, readId: id }, () => {
        rows.forgetExpired(now);
        rows.add({
          id,
          kiosk_id: kioskId,
          kind: 'id-card',
          name_masked: maskName(read.name),
          id_number_masked: card.masked,
          id_number_hash: card.hash,
          age: card.age,
          customer_ref: null,
          appointment_id: null,
          created_at: now,
          expires_at: now + READ_TTL_MS,
        });
      });
      return { readId: id, kind: 'id-card' };
    }
    const code = read.code.trim();
    let kind: ScanKind = 'unknown';
    let appointmentId: string | null = null;
    let customerRef: string | null = null;
    if (/^\d{6}$/.test(code)) appointmentId = findAppointmentId(code);
    if (appointmentId) kind = 'appointment';
    else if (code.length > 0) {
      try {
        customerRef = (await deps.bss.findCustomer({ memberCode: code }))?.customerId ?? null;
      } catch (error) {
        deps.log({ msg: 'bss call failed', call: 'member code', error: String(error) });
      }
      if (customerRef) kind = 'member';
    }
    const now = clock.now();
    appendKioskEvent(deps, 'kiosk.scan', { kioskId, readId: id, kind }, () => {
      rows.forgetExpired(now);
      rows.add({
        id,
        kiosk_id: kioskId,
        kind,
        name_masked: null,
        id_number_masked: null,
        id_number_hash: null,
        age: null,
        customer_ref: customerRef,
        appointment_id: appointmentId,
        created_at: now,
        expires_at: now + READ_TTL_MS,
      });
    });
    return { readId: id, kind };
  }

  /**
   * Redeems a read: only the kiosk it was made at, only within its minute, only once, and only for a
   * purpose that fits its kind (a read of another kind stays redeemable for its own purpose).
   */
  function take(
    kioskId: string,
    readId: string,
    kinds: readonly DeviceReadRow['kind'][],
  ): DeviceReadRow | null {
    return db.transaction(() => {
      const row = rows.get(readId);
      if (!row || row.kiosk_id !== kioskId || row.expires_at <= clock.now() || !kinds.includes(row.kind))
        return null;
      rows.remove(readId);
      return row;
    })();
  }

  return { record, take };
}

/** The birth date inside an ID number: digits 7–14 (18-digit) or 7–12 after 19 (15-digit). */
export function birthDateOf(idNumber: string): string | null {
  const digits = idNumber.length === 18 ? idNumber.slice(6, 14) : `19${idNumber.slice(6, 12)}`;
  const date = `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
  return /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(date) ? date : null;
}
