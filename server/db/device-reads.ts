/**
 * The rows of what a kiosk's ID card reader or code scanner read, each redeemable once under its
 * readId until it expires. Of an ID card only masked forms, a salted hash and the age are kept.
 */
import type { ScanKind } from '../contract/kiosk.ts';
import type { Db } from './open.ts';

export type DeviceReadRow = {
  id: string;
  kiosk_id: string;
  kind: 'id-card' | ScanKind;
  name_masked: string | null;
  id_number_masked: string | null;
  id_number_hash: string | null;
  age: number | null;
  customer_ref: string | null;
  appointment_id: string | null;
  created_at: number;
  expires_at: number;
};

export type DeviceReadRepository = ReturnType<typeof createDeviceReadRepository>;

export function createDeviceReadRepository(db: Db) {
  const st = {
    add: db.prepare<DeviceReadRow>(
      `INSERT INTO device_reads(id, kiosk_id, kind, name_masked, id_number_masked, id_number_hash, age,
         customer_ref, appointment_id, created_at, expires_at)
       VALUES (@id, @kiosk_id, @kind, @name_masked, @id_number_masked, @id_number_hash, @age,
         @customer_ref, @appointment_id, @created_at, @expires_at)`,
    ),
    get: db.prepare<[string], DeviceReadRow>('SELECT * FROM device_reads WHERE id = ?'),
    remove: db.prepare<[string]>('DELETE FROM device_reads WHERE id = ?'),
    purge: db.prepare<[number]>('DELETE FROM device_reads WHERE expires_at <= ?'),
  };

  return {
    add: (read: DeviceReadRow) => void st.add.run(read),
    get: (id: string): DeviceReadRow | undefined => st.get.get(id),
    remove: (id: string) => void st.remove.run(id),
    /** Drops the reads that expired by `at` (a read is good until just before its `expires_at`). */
    forgetExpired: (at: number) => void st.purge.run(at),
  };
}
