/**
 * The hall's devices as API v1 names them: their kinds, their configuration and their health, on
 * `/health`, `GET /devices`, `GET /config`, `GET /kiosks/:id` and the `device.status` events. Browser-safe:
 * types and constants only; the configuration's schema is in schemas.ts. The hardware layer (hardware/,
 * which never imports the server) has its own words for what it drives; the server hands this
 * configuration to it and its reports back, and the compiler checks that each fits the other.
 */
import type { z } from 'zod';
import type * as schemas from './schemas.ts';

export const SERIAL_DEVICE_KINDS = [
  'keypad',
  'led',
  'rating-pad',
  'id-reader',
  'scanner',
  'payment',
] as const;
export type SerialDeviceKind = (typeof SERIAL_DEVICE_KINDS)[number];
/** Keypads, LED screens and rating pads serve a counter; the others a kiosk. */
export const COUNTER_DEVICE_KINDS: readonly SerialDeviceKind[] = ['keypad', 'led', 'rating-pad'];

/** Every device the hall drives: the ticket printer (id `printer`) and the serial devices. */
export const DEVICE_KINDS = ['printer', ...SERIAL_DEVICE_KINDS] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/**
 * A device's health. The printer: `ok`, `paper-near-end` (it still prints), `paper-out`, `cover-open`,
 * `offline`. A serial device: `ok`, `connecting`, `offline`, `closed`, and `removed` once when it is
 * taken out of the configuration.
 */
export const DEVICE_STATUSES = [
  'ok',
  'paper-near-end',
  'paper-out',
  'cover-open',
  'connecting',
  'offline',
  'closed',
  'removed',
] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];
/** The statuses in which a device does its job. */
export const DEVICE_USABLE_STATUSES: readonly DeviceStatus[] = ['ok', 'paper-near-end'];

/**
 * A serial device of the hall, in the configuration file (`devices`, HALLQ_DEVICES), on `GET /config`
 * and in `PUT /config/devices` (the whole list): connected by `path` (`/dev/serial/by-id/…`, or `sim`
 * for a simulator) or by USB `vendorId` and `productId` (4 hex digits each), serving a counter or a kiosk.
 */
export type DeviceConfig = z.infer<typeof schemas.deviceConfig>;
