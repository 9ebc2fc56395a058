import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEscPos } from '../../tests/helpers/escpos-decoder.ts';
import {
  DEFAULT_NOTICE,
  type ReceiptLayoutData,
  receiptBytes,
  type TicketLayoutData,
  ticketBytes,
  yuan,
} from './layout.ts';

const ticket: TicketLayoutData = {
  hallName: { zh: 'HallQ 北京西单示范营业厅', en: 'HallQ Xidan Demo Hall' },
  serviceName: { zh: '话费充值', en: 'Top-up' },
  number: 'A001',
  wait: [
    { zh: '前面还有 3 人', en: '3 people ahead of you' },
    { zh: '预计等候约 12 分钟', en: 'Estimated wait: about 12 min' },
  ],
  issuedAt: '2026-11-25T01:30:00Z',
  timeZone: 'Asia/Shanghai',
  trackUrl: 'https://hall.example/t/8f3a',
  notice: { zh: '过号请重新取号，䶮𠮷女士请留意', en: 'If you miss your call, please take a new ticket' },
};

const receipt: ReceiptLayoutData = {
  title: '自助缴费凭条 Payment receipt',
  lines: [
    { label: '话费充值 Top-up', amountFen: 5000 },
    { label: '优惠 Discount', amountFen: -250 },
    { label: '国际漫游流量包（30天，亚太地区多国通用）Roaming pack', amountFen: 12800 },
  ],
  totalFen: 17550,
  reference: 'PAY-20261125-0042',
  issuedAt: new Date('2026-11-25T01:31:00Z'),
  timeZone: 'Asia/Shanghai',
};

describe('ticketBytes', () => {
  it.each([32, 48] as const)(
    'prints every part of the ticket on %i-column paper, decoded independently',
    (columns) => {
      const decoded = decodeEscPos(ticketBytes(ticket, { columns }));
      expect(decoded.problems).toEqual([]);
      expect(decoded.chineseMode).toBe(true);
      expect(decoded.multibyteOutsideChineseMode).toBe(false);
      expect(decoded.lines).toEqual(
        expect.arrayContaining([
          'HallQ 北京西单示范营业厅',
          'HallQ Xidan Demo Hall',
          '话费充值',
          'Top-up',
          'A001',
          '前面还有 3 人',
          '3 people ahead of you',
          '预计等候约 12 分钟',
          'Estimated wait: about 12 min',
          '取号时间 Issued 2026-11-25 09:30',
          '过号请重新取号，䶮𠮷女士请留意',
        ]),
      );
      expect(decoded.details.find((l) => l.text === 'A001')).toMatchObject({ widthScale: 2, heightScale: 2 });
      expect(decoded.qr).toEqual(['https://hall.example/t/8f3a']);
      expect(decoded.qrPrinted).toBe(1);
      expect(decoded.cuts).toBe(1);
      for (const line of decoded.details) expect(line.columns).toBeLessThanOrEqual(columns);
    },
  );

  it('prints the wait as worded, wrapping a long line on narrow paper', () => {
    const wait = [
      { zh: '您排在第 1 位', en: 'You are first in line' },
      {
        zh: '该业务窗口暂未开放，预计 明天 09:00 开始办理',
        en: 'No counter for this is open yet; expected from tomorrow 09:00',
      },
    ];
    const decoded = decodeEscPos(ticketBytes({ ...ticket, wait }, { columns: 32 }));
    expect(decoded.lines).toContain('您排在第 1 位');
    const unbroken = decoded.lines.join('').replaceAll(' ', '');
    expect(unbroken).toContain('该业务窗口暂未开放，预计明天09:00开始办理');
    for (const line of decoded.details) expect(line.columns).toBeLessThanOrEqual(32);
  });

  it('takes the time as epoch milliseconds and prints the missed-call notice by default', () => {
    const { notice: _, ...withoutNotice } = ticket;
    const lines = decodeEscPos(
      ticketBytes({ ...withoutNotice, issuedAt: Date.parse(ticket.issuedAt as string) }, { columns: 48 }),
    ).lines;
    expect(lines).toContain('取号时间 Issued 2026-11-25 09:30');
    expect(lines).toEqual(expect.arrayContaining([DEFAULT_NOTICE.zh, DEFAULT_NOTICE.en]));
  });

  it('keeps control characters out of the byte stream so data cannot inject printer commands', () => {
    const hostile = { ...ticket, hallName: { zh: '厅\u001b@\u001dV', en: 'Hall\n\u0010\u0004\u0002' } };
    const decoded = decodeEscPos(ticketBytes(hostile, { columns: 48 }));
    expect(decoded.problems).toEqual([]);
    expect(decoded.cuts).toBe(1);
    expect(decoded.statusRequests).toEqual([]);
    expect(decoded.lines).toContain('厅@V');
  });

  it('percent-encodes a non-ASCII tracking URL so the QR length field stays right', () => {
    const decoded = decodeEscPos(
      ticketBytes({ ...ticket, trackUrl: 'https://厅.example/票/1' }, { columns: 32 }),
    );
    expect(decoded.qr).toEqual([new URL('https://厅.example/票/1').href]);
    expect(decoded.problems).toEqual([]);
  });

  it('produces bytes the independent decoder reads without problems for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string(), (zh, en) => {
        const bytes = ticketBytes(
          { ...ticket, hallName: { zh, en }, notice: { zh: en, en: zh } },
          { columns: 32 },
        );
        const decoded = decodeEscPos(bytes);
        expect(decoded.problems).toEqual([]);
        expect(decoded.cuts).toBe(1);
        for (const line of decoded.details) expect(line.columns).toBeLessThanOrEqual(32);
      }),
      { numRuns: 200 },
    );
  });
});

describe('receiptBytes', () => {
  it.each([32, 48] as const)('right-aligns every amount at column %i, counting Chinese as two', (columns) => {
    const decoded = decodeEscPos(receiptBytes(receipt, { columns }));
    expect(decoded.problems).toEqual([]);
    expect(decoded.multibyteOutsideChineseMode).toBe(false);
    const amountLines = decoded.details.filter((l) => /\d+\.\d\d$/.test(l.text));
    expect(amountLines.map((l) => l.text.match(/-?\d+\.\d\d$/)?.[0])).toEqual([
      '50.00',
      '-2.50',
      '128.00',
      '175.50',
    ]);
    for (const line of amountLines) expect(line.columns).toBe(columns);
    expect(decoded.details.find((l) => l.text.startsWith('合计'))?.bold).toBe(true);
    expect(decoded.lines).toContain('参考号 Ref PAY-20261125-0042');
    expect(decoded.lines).toContain('2026-11-25 09:31');
    expect(decoded.cuts).toBe(1);
  });
});

describe('yuan', () => {
  it('formats fen exactly and refuses fractions', () => {
    expect([yuan(0), yuan(5), yuan(1999), yuan(-250)]).toEqual(['0.00', '0.05', '19.99', '-2.50']);
    expect(() => yuan(1.5)).toThrow(RangeError);
  });
});
