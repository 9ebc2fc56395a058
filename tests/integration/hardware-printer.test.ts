import net from 'node:net';
import { SerialPortStream } from '@serialport/stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPrinter } from '../../hardware/printer/create-printer.ts';
import { PrinterEmulator } from '../../hardware/printer/emulator.ts';
import {
  type ReceiptLayoutData,
  receiptBytes,
  type TicketLayoutData,
  ticketBytes,
} from '../../hardware/printer/layout.ts';
import { PrintQueue } from '../../hardware/printer/print-queue.ts';
import { PrinterError, type TicketPrinter } from '../../hardware/printer/types.ts';
import { decodeEscPos } from '../helpers/escpos-decoder.ts';
import { CABLES } from '../helpers/pty.ts';

const ticket: TicketLayoutData = {
  hallName: { zh: 'HallQ 西单示范营业厅', en: 'HallQ Xidan Demo Hall' },
  serviceName: { zh: '实名登记', en: 'Real-name registration' },
  number: 'C027',
  wait: [{ zh: '前面还有 4 人，预计等候约 18 分钟', en: '4 people ahead, about 18 min' }],
  issuedAt: '2026-11-25T06:05:00Z',
  timeZone: 'Asia/Shanghai',
  trackUrl: 'https://hall.example/track/c027-5f1e',
  notice: {
    zh: '过号请重新取号。龚䶮、𠮷野请到3号窗口',
    en: 'If you miss your call, please take a new ticket',
  },
};

const receipt: ReceiptLayoutData = {
  title: '充值凭条 Top-up receipt',
  lines: [
    { label: '话费充值 Top-up', amountFen: 10000 },
    { label: '赠送 Bonus', amountFen: 0 },
  ],
  totalFen: 10000,
  reference: 'R-7781',
  issuedAt: '2026-11-25T06:06:00Z',
  timeZone: 'Asia/Shanghai',
};

const warnings = { warn: vi.fn() };
const emulator = new PrinterEmulator();
let printer: TicketPrinter;

beforeAll(async () => {
  await emulator.start(0);
  printer = createPrinter(`${emulator.uri}?timeout=2000`);
});
afterAll(async () => {
  await printer.close();
  await emulator.stop();
});
beforeEach(() => emulator.reset());

describe('printing through the TCP driver into a 9100 emulator', () => {
  it('delivers a ticket and a receipt that decode to FS &, GB18030 Chinese, the number, the QR and a cut', async () => {
    await printer.print({ label: 'ticket C027', bytes: ticketBytes(ticket, { columns: 48 }) });
    await printer.print({ label: 'receipt R-7781', bytes: receiptBytes(receipt, { columns: 32 }) });
    const [ticketJob, receiptJob] = await emulator.waitForJobs(2);

    const printed = decodeEscPos(ticketJob!.bytes);
    expect(printed.problems).toEqual([]);
    expect(printed.chineseMode).toBe(true);
    expect(printed.multibyteOutsideChineseMode).toBe(false);
    expect(printed.lines).toContain('实名登记');
    expect(printed.lines).toContain('过号请重新取号。龚䶮、𠮷野请到3号窗口');
    expect(printed.details.find((line) => line.text === 'C027')).toMatchObject({ widthScale: 2 });
    expect(printed.qr).toEqual(['https://hall.example/track/c027-5f1e']);
    expect(printed.cut).toBe(true);
    expect(ticketJob!.cut).toBe(true);

    const paid = decodeEscPos(receiptJob!.bytes);
    expect(paid.problems).toEqual([]);
    expect(paid.lines.filter((line) => line.endsWith('100.00'))).toEqual([
      '话费充值 Top-up           100.00',
      '合计 Total                100.00',
    ]);
    expect(paid.cut).toBe(true);
    // Before and after each job: DLE EOT 2 and 4.
    expect(emulator.statusRequestCount()).toBe(8);
  });

  it('sends nothing and rejects with paperOut when the printer is out of paper', async () => {
    emulator.set({ paperOut: true });
    const error = await printer
      .print({ label: 'ticket', bytes: ticketBytes(ticket, { columns: 48 }) })
      .catch((e) => e);
    expect(error).toBeInstanceOf(PrinterError);
    expect(error).toMatchObject({ paperOut: true, coverOpen: false, disconnected: false });
    expect(await printer.status()).toMatchObject({ online: true, paperOut: true });
    expect(emulator.jobs()).toEqual([]);
  });

  it('rejects with coverOpen when the cover is open, and reports paper near end while still printing', async () => {
    emulator.set({ coverOpen: true });
    await expect(
      printer.print({ label: 't', bytes: ticketBytes(ticket, { columns: 48 }) }),
    ).rejects.toMatchObject({
      coverOpen: true,
    });
    emulator.set({ coverOpen: false, paperNearEnd: true });
    expect(await printer.print({ label: 't', bytes: ticketBytes(ticket, { columns: 48 }) })).toMatchObject({
      paperNearEnd: true,
      paperOut: false,
    });
    expect(await emulator.waitForJobs(1)).toHaveLength(1);
  });

  it('reports the queue outcome and health without ever blocking or retrying', async () => {
    const queue = new PrintQueue(printer, { logger: warnings, pollIntervalMs: 0 });
    emulator.set({ paperOut: true });
    expect(await queue.enqueue({ label: 'C027', bytes: ticketBytes(ticket, { columns: 48 }) })).toMatchObject(
      {
        ok: false,
        problem: 'paper-out',
      },
    );
    expect(queue.health().status).toBe('paper-out');
    emulator.set({ paperOut: false });
    expect(emulator.jobs()).toEqual([]); // the failed ticket is not printed later
    expect(await queue.enqueue({ label: 'C028', bytes: ticketBytes(ticket, { columns: 48 }) })).toMatchObject(
      {
        ok: true,
      },
    );
    expect(queue.health().status).toBe('ok');
    expect(await emulator.waitForJobs(1)).toHaveLength(1);
    await queue.close();
  });

  it('rejects as disconnected while the printer is off, and prints again once it is restarted', async () => {
    await emulator.stop();
    await expect(
      printer.print({ label: 't', bytes: ticketBytes(ticket, { columns: 48 }) }),
    ).rejects.toMatchObject({
      disconnected: true,
    });
    expect(await printer.status()).toMatchObject({ online: false });
    await emulator.restart();
    await printer.print({ label: 't', bytes: ticketBytes(ticket, { columns: 48 }) });
    expect(decodeEscPos((await emulator.waitForJobs(1))[0]!.bytes).qr).toEqual([ticket.trackUrl]);
  });

  it('rejects as disconnected when the connection is refused or dropped mid-ticket', async () => {
    emulator.set({ refuseConnections: true });
    await expect(
      printer.print({ label: 't', bytes: ticketBytes(ticket, { columns: 48 }) }),
    ).rejects.toMatchObject({
      disconnected: true,
    });
    emulator.set({ refuseConnections: false, dropAfterBytes: 100 });
    await expect(
      printer.print({ label: 't', bytes: ticketBytes(ticket, { columns: 48 }) }),
    ).rejects.toMatchObject({
      disconnected: true,
    });
    expect(await emulator.waitForJobs(1)).toMatchObject([{ cut: false }]);
  });
});

describe('a printer that accepts the connection but never answers status queries', () => {
  it('times out before sending the job', async () => {
    const received: number[] = [];
    const silent = net.createServer((socket) => socket.on('data', (data) => received.push(...data)));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const mute = createPrinter(`tcp://127.0.0.1:${port}?timeout=300`);
    await expect(
      mute.print({ label: 't', bytes: ticketBytes(ticket, { columns: 48 }) }),
    ).rejects.toMatchObject({
      timeout: true,
    });
    expect(received).toEqual([0x10, 0x04, 0x02]);
    await new Promise((resolve) => silent.close(resolve));
  });
});

describe.each(CABLES)('printing through the serial driver over a $name', ({ connect }) => {
  it('checks status, prints a decodable ticket, and refuses when the paper is out', async () => {
    const cable = await connect('printer');
    const serialEmulator = new PrinterEmulator();
    const device = new SerialPortStream({
      binding: cable.binding,
      path: cable.devicePath,
      baudRate: 19200,
      autoOpen: false,
    });
    await new Promise<void>((resolve, reject) => device.open((error) => (error ? reject(error) : resolve())));
    serialEmulator.serve(device);
    const serial = createPrinter(`serial:${cable.hostPath}?baud=19200&timeout=2000`, {
      binding: cable.binding,
    });
    try {
      await serial.print({ label: 'ticket C027', bytes: ticketBytes(ticket, { columns: 32 }) });
      const [job] = await serialEmulator.waitForJobs(1);
      const printed = decodeEscPos(job!.bytes);
      expect(printed.problems).toEqual([]);
      expect(printed.qr).toEqual([ticket.trackUrl]);
      expect(printed.lines).toContain('C027');
      serialEmulator.set({ paperOut: true });
      await expect(
        serial.print({ label: 't', bytes: ticketBytes(ticket, { columns: 32 }) }),
      ).rejects.toMatchObject({
        paperOut: true,
      });
      expect(await serial.status()).toMatchObject({ online: true, paperOut: true });
      expect(serialEmulator.jobs()).toHaveLength(1);
    } finally {
      await serial.close();
      await serialEmulator.stop();
      await new Promise<void>((resolve) => (device.isOpen ? device.close(() => resolve()) : resolve()));
      await cable.close();
    }
  });
});
