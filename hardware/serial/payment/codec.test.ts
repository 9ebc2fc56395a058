import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLine } from '../line-protocol.ts';
import { decodeAny, protocolLines } from '../testing/arbitraries.ts';
import { fromTheWire, onTheWire, overTheWire } from '../testing/wire.ts';
import { type PaymentCommand, type PaymentReport, paymentCommands, paymentReports } from './codec.ts';

const decodeReport = (line: string) => {
  const parsed = parseLine(line);
  if (!parsed.ok) throw new Error(parsed.detail);
  return paymentReports.decode(parsed.message);
};

describe('payment terminal codec: known answers from PROTOCOLS.md §3', () => {
  const lines = {
    pay: '30 PAY ORD-77 5000*1A\r\n',
    cancel: '31 CANCEL ORD-77*70\r\n',
    paid: '32 PAID ORD-77 5000 WX20261125001*53\r\n',
    declined: '33 DECLINED ORD-77 card expired*1F\r\n',
  };
  const pay: PaymentCommand = { kind: 'pay', orderId: 'ORD-77', amountFen: 5000 };
  const cancel: PaymentCommand = { kind: 'cancel', orderId: 'ORD-77' };
  const paid: PaymentReport = {
    kind: 'paid',
    orderId: 'ORD-77',
    amountFen: 5000,
    reference: 'WX20261125001',
  };
  const declined: PaymentReport = { kind: 'declined', orderId: 'ORD-77', reason: 'card expired' };

  it('writes PAY, CANCEL, PAID and DECLINED byte for byte as the document does', () => {
    expect(onTheWire(paymentCommands, 30, pay)).toBe(lines.pay);
    expect(onTheWire(paymentCommands, 31, cancel)).toBe(lines.cancel);
    expect(onTheWire(paymentReports, 32, paid)).toBe(lines.paid);
    expect(onTheWire(paymentReports, 33, declined)).toBe(lines.declined);
  });

  it('reads the same lines, as the terminal and HallQ would', () => {
    expect(fromTheWire(paymentCommands, lines.pay)).toEqual({ ok: true, value: pay });
    expect(fromTheWire(paymentCommands, lines.cancel)).toEqual({ ok: true, value: cancel });
    expect(fromTheWire(paymentReports, lines.paid)).toEqual({ ok: true, value: paid });
    expect(fromTheWire(paymentReports, lines.declined)).toEqual({ ok: true, value: declined });
  });

  it('refuses a wrong checksum, an unknown verb and an amount that is not whole fen', () => {
    expect(fromTheWire(paymentCommands, lines.pay.replace('*1A', '*1B'))).toMatchObject({
      ok: false,
      code: 'BAD-CHECKSUM',
    });
    expect(fromTheWire(paymentReports, '1 REFUND O1 500\r\n')).toMatchObject({
      ok: false,
      code: 'UNKNOWN-VERB',
    });
    expect(fromTheWire(paymentCommands, '1 PAID O1 500 R\r\n')).toMatchObject({
      ok: false,
      code: 'UNKNOWN-VERB',
    });
    expect(fromTheWire(paymentReports, '1 PAID O1 12.50 R\r\n')).toMatchObject({
      ok: false,
      code: 'BAD-ARGS',
    });
    expect(fromTheWire(paymentCommands, '1 PAY O1 05000\r\n')).toMatchObject({ ok: false, code: 'BAD-ARGS' });
  });
});

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
