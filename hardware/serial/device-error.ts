/** Why a serial device did not do what was asked: flags a caller can act on, like PrinterError's. */
export class DeviceError extends Error {
  /** The link is down and did not come back in time: the bytes were not sent. */
  readonly disconnected: boolean;
  /** Sent, but no answer after every retry: the device may or may not have acted. */
  readonly timeout: boolean;
  /** The device answered NAK with this code. */
  readonly nak: string | null;

  constructor(message: string, flags: { disconnected?: boolean; timeout?: boolean; nak?: string }) {
    super(message);
    this.name = 'DeviceError';
    this.disconnected = flags.disconnected ?? false;
    this.timeout = flags.timeout ?? false;
    this.nak = flags.nak ?? null;
  }
}
