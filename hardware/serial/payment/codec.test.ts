import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLine } from '../line-protocol.ts';
import { decodeAny, overTheWire, protocolLines } from '../testing/arbitraries.ts';
import { type PaymentCommand, type PaymentReport, paymentCommands, paymentReports } from './codec.ts';

const decodeReport = (line: string) => {
  const parsed = parseLine(line);
  if (!parsed.ok) throw new Error(parsed.detail);
  return paymentReports.decode(parsed.message);
};

describe('payment terminal codec', () => {
  it('reads PAID with amount and reference, and DECLINED with a free-text reason', () => {
    expect(decodeReport('1 PAID ORD-77 5000 WX20261125001')).toEqual({
      ok: true,
      value: { kind: 'paid', orderId: 'ORD-77', amountFen: 5000, reference: 'WX20261125001' },
    });
    expect(decodeReport('2 DECLINED ORD-77 card expired')).toEqual({
      ok: true,
      value: { kind: 'declined', orderId: 'ORD-77', reason: 'card expired' },
    });
  });

  it('refuses amounts that are not positive whole fen, and missing fields', () => {
    for (const line of [
      '1 PAID O1 0 R',
      '1 PAID O1 -5 R',
      '1 PAID O1 12.50 R',
      '1 PAID O1 0050 R',
      '1 PAID O1 1e3 R',
      '1 PAID O1 500',
      '1 PAID O1 500 R extra',
      '1 DECLINED O1',
    ]) {
      expect(decodeReport(line)).toMatchObject({ ok: false, code: 'BAD-ARGS' });
    }
    expect(decodeReport('1 REFUND O1 500')).toMatchObject({ ok: false, code: 'UNKNOWN-VERB' });
  });

  it('round-trips commands and reports, and no line makes either direction throw', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/);
    const fen = fc.integer({ min: 1, max: 99_999_999 });
    const command: fc.Arbitrary<PaymentCommand> = fc.oneof(
      fc.record({ kind: fc.constant('pay' as const), orderId: token, amountFen: fen }),
      fc.record({ kind: fc.constant('cancel' as const), orderId: token }),
    );
    const report: fc.Arbitrary<PaymentReport> = fc.oneof(
      fc.record({ kind: fc.constant('paid' as const), orderId: token, amountFen: fen, reference: token }),
      fc.record({
        kind: fc.constant('declined' as const),
        orderId: token,
        reason: fc.stringMatching(/^\S{1,10}( \S{1,10})?$/),
      }),
    );
    fc.assert(
      fc.property(command, (value) => {
        expect(overTheWire(paymentCommands, value)).toEqual({ ok: true, value });
      }),
    );
    fc.assert(
      fc.property(report, (value) => {
        expect(overTheWire(paymentReports, value)).toEqual({ ok: true, value });
      }),
    );
    fc.assert(fc.property(protocolLines(['PAY', 'CANCEL']), (line) => decodeAny(paymentCommands, line)));
    fc.assert(fc.property(protocolLines(['PAID', 'DECLINED']), (line) => decodeAny(paymentReports, line)));
  });
});
