import { type DeviceConnection, LineSimulator } from '../line-device.ts';
import {
  type RatingReport,
  type RatingRequest,
  ratingReports,
  ratingRequests,
  type ServqualDimension,
} from './codec.ts';

/** A rating pad on the far end of a cable: the customer's taps on demand. */
export class RatingPadSimulator extends LineSimulator<RatingRequest, RatingReport> {
  constructor(connection: DeviceConnection) {
    super(connection, ratingRequests, ratingReports);
  }

  /** The ticket the pad was last asked about, or null. */
  askedFor(): string | null {
    return this.lastReceived()?.ticketNumber ?? null;
  }

  /** The customer rates; resolves when HallQ acknowledged it. */
  rate(
    ticketNumber: string,
    score: number,
    dimensions: Partial<Record<ServqualDimension, number>> = {},
  ): Promise<void> {
    return this.emit({ ticketNumber, score, dimensions });
  }
}
