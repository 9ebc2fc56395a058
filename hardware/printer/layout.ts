import { EscPosBuilder } from './escpos.ts';
import { spreadToWidth, wrapToWidth } from './text-width.ts';

/** 58 mm paper has 32 columns of Font A, 80 mm paper 48. */
export type Paper = { columns: 32 | 48 };

export type Bilingual = { zh: string; en: string };

export type TicketLayoutData = {
  hallName: Bilingual;
  serviceName: Bilingual;
  /** The ticket number as called, e.g. `A001`. */
  number: string;
  /**
   * What the holder is told about the wait, line by line, as the server words it for every screen
   * (the place in line, then the wait or why there is none): printed as given, Chinese then English.
   */
  wait: Bilingual[];
  /** A Date, an ISO instant or epoch milliseconds. */
  issuedAt: Date | string | number;
  /** IANA zone of the hall, e.g. `Asia/Shanghai`: the printed time is the hall's wall-clock time. */
  timeZone: string;
  /** Becomes the QR code; non-ASCII characters are percent-encoded. */
  trackUrl: string;
  /** Printed under the QR code; the missed-call rule (DEFAULT_NOTICE) when absent. */
  notice?: Bilingual;
};

export const DEFAULT_NOTICE: Bilingual = {
  zh: '过号请重新取号',
  en: 'If you miss your call, please take a new ticket',
};

export type ReceiptLayoutData = {
  title: string;
  lines: { label: string; amountFen: number }[];
  totalFen: number;
  reference: string;
  issuedAt: Date | string | number;
  timeZone: string;
};

/** A queue ticket as ESC/POS bytes (PROTOCOLS.md §1): pure, about 20 µs. */
export function ticketBytes(ticket: TicketLayoutData, paper: Paper): Uint8Array {
  const out = new EscPosBuilder().begin().align('center');
  const centred = (text: string) => {
    for (const line of wrapToWidth(text, paper.columns)) out.line(line);
  };
  out.bold(true);
  centred(ticket.hallName.zh);
  out.bold(false);
  centred(ticket.hallName.en);
  out.line();
  centred(ticket.serviceName.zh);
  centred(ticket.serviceName.en);
  out.size(2, 2).line(ticket.number).size(1, 1);
  out.line();
  for (const line of ticket.wait) {
    centred(line.zh);
    centred(line.en);
  }
  centred(`取号时间 Issued ${hallTime(ticket.issuedAt, ticket.timeZone)}`);
  out.line();
  out.qr(asciiUrl(ticket.trackUrl), paper.columns === 48 ? 6 : 4);
  out.line();
  const notice = ticket.notice ?? DEFAULT_NOTICE;
  centred(notice.zh);
  centred(notice.en);
  return out.cut(3).bytes();
}

/** A self-service receipt: amounts right-aligned, counting a Chinese character as two columns. */
export function receiptBytes(receipt: ReceiptLayoutData, paper: Paper): Uint8Array {
  const { columns } = paper;
  const out = new EscPosBuilder().begin().align('center').bold(true);
  for (const line of wrapToWidth(receipt.title, columns)) out.line(line);
  out.bold(false).align('left').line('-'.repeat(columns));
  const amountLine = (label: string, fen: number) => {
    const amount = yuan(fen);
    const together = spreadToWidth(label, amount, columns);
    if (together !== null) return out.line(together);
    // A label too long to share a line: wrapped above, amount alone on the right.
    for (const line of wrapToWidth(label, columns)) out.line(line);
    out.line(' '.repeat(columns - amount.length) + amount);
  };
  for (const line of receipt.lines) amountLine(line.label, line.amountFen);
  out.line('-'.repeat(columns)).bold(true);
  amountLine('合计 Total', receipt.totalFen);
  out.bold(false).line();
  for (const line of wrapToWidth(`参考号 Ref ${receipt.reference}`, columns)) out.line(line);
  out.line(hallTime(receipt.issuedAt, receipt.timeZone));
  return out.cut(3).bytes();
}

/** Fen (1/100 yuan, integers so sums are exact) as `12.50` or `-3.00`. */
export function yuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`amount in fen must be an integer, got ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** `YYYY-MM-DD HH:mm` on the hall's clock, whatever the zone of the machine that prints. */
function hallTime(at: Date | string | number, timeZone: string): string {
  let format = timeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    timeFormats.set(timeZone, format);
  }
  const date = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a time: ${String(at)}`);
  const part: Record<string, string> = {};
  for (const { type, value } of format.formatToParts(date)) part[type] = value;
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}`;
}

/** The QR store command carries bytes, so the URL must be ASCII: URL parsing percent-encodes the rest. */
function asciiUrl(url: string): string {
  if (/^[\x21-\x7e]+$/.test(url)) return url;
  return new URL(url).href;
}
