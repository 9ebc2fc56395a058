import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Cable } from '../../hardware/serial/mock-cable.ts';
import type { RatingReport } from '../../hardware/serial/rating-pad/codec.ts';
import { RatingPadDriver } from '../../hardware/serial/rating-pad/driver.ts';
import { RatingPadSimulator } from '../../hardware/serial/rating-pad/simulator.ts';
import { byHand, deviceTargets, LineProbe, useTarget } from '../helpers/device-targets.ts';
import { allOpen, CABLES, cableEnds } from '../helpers/pty.ts';

// The rating pad's contract (PROTOCOLS.md §3), written once and run against the simulator over an
// in-memory cable and a socat pty pair, and against a real pad when HALLQ_TEST_RATING_PAD names its port.

const TARGETS = deviceTargets({
  kind: 'rating-pad',
  env: 'HALLQ_TEST_RATING_PAD',
  simulator: (connection) => new RatingPadSimulator(connection),
});

describe.each(TARGETS)('rating pad contract: $name', (target) => {
  const pad = useTarget(target);

  it('answers ASK with ACK under the same SEQ', async () => {
    const line = await pad.open((host) => new LineProbe(host));
    expect(await line.ask('20 ASK A007*2D')).toBe('20 ACK');
  });

  it('refuses a wrong checksum, an unknown verb, ASK without a ticket and a malformed line', async () => {
    const line = await pad.open((host) => new LineProbe(host));
    expect(await line.ask('21 ASK A007*2D')).toBe('21 NAK BAD-CHECKSUM');
    expect(await line.ask('22 RATE A007 4')).toBe('22 NAK UNKNOWN-VERB');
    expect(await line.ask('23 ASK')).toBe('23 NAK BAD-ARGS');
    expect(await line.ask('24 ask A007')).toBe('24 NAK BAD-SYNTAX');
  });

  it('reports the rating given for the ticket it was asked about', { timeout: 90_000 }, async ({ skip }) => {
    const driver = await pad.open((host) => new RatingPadDriver(host));
    const ratings: RatingReport[] = [];
    driver.onRating((rating) => ratings.push(rating));
    await driver.ask('T001');
    await byHand(pad.device, (d) => d.rate('T001', 4), 'rate ticket T001 with 4 on the rating pad', skip);
    await vi.waitFor(() => expect(ratings.length).toBeGreaterThan(0), { timeout: 30_000 });
    await new Promise((resolve) => setTimeout(resolve, 500)); // a second delivery would be here by now
    expect(ratings).toEqual([{ ticketNumber: 'T001', score: 4, dimensions: expect.any(Object) }]);
  });
});

// HallQ's rating pad driver with the simulator: dimensions, and ratings HallQ refuses.
describe.each(CABLES)('rating pad driver against the simulator over a $name', ({ connect }) => {
  let cable: Cable;
  let pad: RatingPadDriver;
  let customer: RatingPadSimulator;
  let ratings: RatingReport[];

  beforeEach(async () => {
    cable = await connect('rating');
    const ends = cableEnds(cable, 'rating-1');
    pad = new RatingPadDriver(ends.host);
    customer = new RatingPadSimulator(ends.simulator);
    ratings = [];
    pad.onRating((rating) => ratings.push(rating));
    await allOpen(pad, customer);
  });
  afterEach(async () => {
    await Promise.all([pad.close(), customer.close()]);
    await cable.close();
  });

  it('asks for a rating at finish and reports the score with SERVQUAL dimensions', async () => {
    await pad.ask('A007');
    expect(customer.askedFor()).toBe('A007');
    await customer.rate('A007', 4, { responsiveness: 5, tangibles: 3 });
    expect(ratings).toEqual([
      { ticketNumber: 'A007', score: 4, dimensions: { responsiveness: 5, tangibles: 3 } },
    ]);
  });

  it('NAKs a rating out of range or with an unknown dimension and reports nothing', async () => {
    await customer.sendRaw('30 RATE A007 9\r\n31 RATE A007 4 speed=5\r\n');
    await customer.waitFor(() => (customer.linesReceived().length >= 2 ? true : undefined));
    expect(customer.linesReceived().map((l) => l.replace(/\*..$/, ''))).toEqual([
      '30 NAK BAD-ARGS',
      '31 NAK BAD-ARGS',
    ]);
    expect(ratings).toEqual([]);
  });
});
