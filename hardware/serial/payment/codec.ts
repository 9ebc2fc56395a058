import { accept, parseFen, refuse, TOKEN } from '../codecs.ts';
import { type LineCodec, NAK } from '../line-protocol.ts';

/** HallQ → payment terminal. Amounts are integer fen (1/100 yuan). */
export type PaymentCommand =
  | { kind: 'pay'; orderId: string; amountFen: number }
  | { kind: 'cancel'; orderId: string };

/** Payment terminal → HallQ: the outcome of a PAY. */
export type PaymentReport =
  | { kind: 'paid'; orderId: string; amountFen: number; reference: string }
  | { kind: 'declined'; orderId: string; reason: string };

const REASON_MAX = 128;

/**
 * The reason of the DECLINED that closes a payment the terminal abandoned on CANCEL (nothing taken).
 * Every PAY is closed by exactly one PAID or DECLINED; a CANCEL that comes too late is acknowledged and
 * the payment closes with its real outcome.
 */
export const CANCELLED_REASON = 'CANCELLED';

export const paymentCommands: LineCodec<PaymentCommand> = {
  decode(message) {
    const [orderId, amount, ...rest] = message.args;
    if (message.verb === 'PAY') {
      const amountFen = parseFen(amount);
      if (!orderId || !TOKEN.test(orderId) || amountFen === null || rest.length > 0) {
        return refuse(NAK.badArgs, 'PAY takes an order id and an amount in fen');
      }
      return accept({ kind: 'pay', orderId, amountFen });
    }
    if (message.verb === 'CANCEL') {
      if (!orderId || !TOKEN.test(orderId) || amount !== undefined) {
        return refuse(NAK.badArgs, 'CANCEL takes an order id');
      }
      return accept({ kind: 'cancel', orderId });
    }
    return refuse(NAK.unknownVerb, `unknown verb ${message.verb}`);
  },
  encode: (command) =>
    command.kind === 'pay'
      ? { verb: 'PAY', args: [command.orderId, String(command.amountFen)] }
      : { verb: 'CANCEL', args: [command.orderId] },
};

export const paymentReports: LineCodec<PaymentReport> = {
  decode(message) {
    const [orderId, second, ...rest] = message.args;
    if (message.verb === 'PAID') {
      const amountFen = parseFen(second);
      const [reference, ...extra] = rest;
      if (
        !orderId ||
        !TOKEN.test(orderId) ||
        amountFen === null ||
        !reference ||
        !TOKEN.test(reference) ||
        extra.length > 0
      ) {
        return refuse(NAK.badArgs, 'PAID takes an order id, an amount in fen and a reference');
      }
      return accept({ kind: 'paid', orderId, amountFen, reference });
    }
    if (message.verb === 'DECLINED') {
      // The reason is free text: everything after the order id.
      const reason = message.text.slice((orderId ?? '').length + 1).trim();
      if (!orderId || !TOKEN.test(orderId) || !reason || reason.length > REASON_MAX) {
        return refuse(NAK.badArgs, 'DECLINED takes an order id and a reason');
      }
      return accept({ kind: 'declined', orderId, reason });
    }
    return refuse(NAK.unknownVerb, `unknown verb ${message.verb}`);
  },
  encode: (report) =>
    report.kind === 'paid'
      ? { verb: 'PAID', args: [report.orderId, String(report.amountFen), report.reference] }
      : { verb: 'DECLINED', args: [report.orderId, report.reason.replace(/\s+/g, ' ').trim()] },
};
