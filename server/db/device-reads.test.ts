import { describe, expect, it } from 'vitest';
import { HALL_MORNING } from '../../tests/helpers/test-hall.ts';
import { createDeviceReadRepository, type DeviceReadRow } from './device-reads.ts';
import { openDatabase } from './open.ts';

const scan = (id: string, expiresAt: number): DeviceReadRow => ({
  id,
  kiosk_id: 'k1',
  kind: 'member',
  name_masked: null,
  id_number_masked: null,
  id_number_hash: null,
  age: null,
  customer_ref: 'C1001',
  appointment_id: null,
  created_at: HALL_MORNING,
  expires_at: expiresAt,
});

describe('the device read rows', () => {
  it('forgets the reads whose time is up, and keeps the others until redeemed', () => {
    const rows = createDeviceReadRepository(openDatabase(':memory:'));
    rows.add(scan('up', HALL_MORNING + 60_000));
    rows.add(scan('left', HALL_MORNING + 60_001));
    rows.forgetExpired(HALL_MORNING + 60_000);
    expect(rows.get('up')).toBeUndefined();
    expect(rows.get('left')).toEqual(scan('left', HALL_MORNING + 60_001));
    rows.remove('left');
    expect(rows.get('left')).toBeUndefined();
  });
});
