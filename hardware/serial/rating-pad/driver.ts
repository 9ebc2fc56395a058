import { type DeviceConnection, LineDriver } from '../line-device.ts';
import { type RatingReport, type RatingRequest, ratingReports, ratingRequests } from './codec.ts';

/** A counter's rating pad (评价器): asked at finish, reports the customer's rating. */
export class RatingPadDriver extends LineDriver<RatingReport, RatingRequest> {
  constructor(connection: DeviceConnection) {
    super(connection, ratingReports, ratingRequests);
  }

  ask(ticketNumber: string): Promise<void> {
    return this.send({ ticketNumber });
  }

  onRating(listener: (rating: RatingReport) => void): () => void {
    return this.onReport(listener);
  }
}
