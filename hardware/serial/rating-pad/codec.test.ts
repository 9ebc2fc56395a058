import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLine } from '../line-protocol.ts';
import { decodeAny, protocolLines } from '../testing/arbitraries.ts';
import { fromTheWire, onTheWire, overTheWire } from '../testing/wire.ts';
import { type RatingReport, ratingReports, ratingRequests, SERVQUAL_DIMENSIONS } from './codec.ts';

const decode = (line: string) => {
  const parsed = parseLine(line);
  if (!parsed.ok) throw new Error(parsed.detail);
  return ratingReports.decode(parsed.message);
};

describe('rating pad codec: known answers from PROTOCOLS.md §3', () => {
  const rated = '21 RATE A007 4 responsiveness=5 tangibles=3*1F\r\n';

  it('writes ASK, and a rating with its dimensions in SERVQUAL order, as the document does', () => {
    expect(onTheWire(ratingRequests, 20, { ticketNumber: 'A007' })).toBe('20 ASK A007*2D\r\n');
    const rating = { ticketNumber: 'A007', score: 4, dimensions: { tangibles: 3, responsiveness: 5 } };
    expect(onTheWire(ratingReports, 21, rating)).toBe(rated);
  });

  it('reads the same lines, as HallQ and the pad would', () => {
    expect(fromTheWire(ratingRequests, '20 ASK A007*2D\r\n')).toEqual({
      ok: true,
      value: { ticketNumber: 'A007' },
    });
    expect(fromTheWire(ratingReports, rated)).toEqual({
      ok: true,
      value: { ticketNumber: 'A007', score: 4, dimensions: { responsiveness: 5, tangibles: 3 } },
    });
  });

  it('refuses a wrong checksum, an unknown verb and a score out of range with the documented codes', () => {
    expect(fromTheWire(ratingReports, rated.replace('*1F', '*1E'))).toMatchObject({
      ok: false,
      code: 'BAD-CHECKSUM',
    });
    expect(fromTheWire(ratingReports, '1 SCORE A007 4\r\n')).toMatchObject({
      ok: false,
      code: 'UNKNOWN-VERB',
    });
    expect(fromTheWire(ratingReports, '1 RATE A007 6\r\n')).toMatchObject({ ok: false, code: 'BAD-ARGS' });
    expect(fromTheWire(ratingRequests, '1 ASK\r\n')).toMatchObject({ ok: false, code: 'BAD-ARGS' });
  });
});

describe('rating pad codec', () => {
  it('reads an overall score with optional SERVQUAL dimension scores', () => {
    expect(decode('8 RATE A001 4')).toEqual({
      ok: true,
      value: { ticketNumber: 'A001', score: 4, dimensions: {} },
    });
    expect(decode('9 RATE A001 5 empathy=5 reliability=3')).toEqual({
      ok: true,
      value: { ticketNumber: 'A001', score: 5, dimensions: { empathy: 5, reliability: 3 } },
    });
  });

  it('refuses scores outside 1–5, unknown or repeated dimensions, and a missing ticket', () => {
    for (const line of [
      '1 RATE A001 6',
      '1 RATE A001 0',
      '1 RATE A001',
      '1 RATE A001 3 friendliness=4',
      '1 RATE A001 3 empathy=9',
      '1 RATE A001 3 empathy=4 empathy=5',
      '1 RATE A001 3 empathy=4=5',
      '1 RATE 号 3',
    ]) {
      expect(decode(line)).toMatchObject({ ok: false, code: 'BAD-ARGS' });
    }
  });

  it('round-trips ratings and requests, and no line makes either direction throw', () => {
    const score = fc.integer({ min: 1, max: 5 });
    const rating: fc.Arbitrary<RatingReport> = fc.record({
      ticketNumber: fc.stringMatching(/^[A-Z]\d{3,4}$/),
      score,
      dimensions: fc.record(Object.fromEntries(SERVQUAL_DIMENSIONS.map((d) => [d, score])), {
        requiredKeys: [],
      }),
    });
    fc.assert(
      fc.property(rating, (value) => {
        expect(overTheWire(ratingReports, value)).toEqual({ ok: true, value });
      }),
    );
    expect(overTheWire(ratingRequests, { ticketNumber: 'VIP012' })).toEqual({
      ok: true,
      value: { ticketNumber: 'VIP012' },
    });
    fc.assert(fc.property(protocolLines(['RATE']), (line) => decodeAny(ratingReports, line)));
    fc.assert(fc.property(protocolLines(['ASK']), (line) => decodeAny(ratingRequests, line)));
  });
});
