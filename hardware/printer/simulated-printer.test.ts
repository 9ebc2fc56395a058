import { describe, expect, it } from 'vitest';
import { ticketBytes } from './layout.ts';
import { SimulatedPrinter } from './simulated-printer.ts';
import { PrinterError } from './types.ts';

const bytes = ticketBytes(
  {
    hallName: { zh: '西单营业厅', en: 'Xidan Hall' },
    serviceName: { zh: '宽带业务', en: 'Broadband' },
    number: 'B012',
    wait: [{ zh: '前面还有 2 人，预计等候约 6 分钟', en: '2 people ahead, about 6 min' }],
    issuedAt: '2026-11-25T02:00:00Z',
    timeZone: 'Asia/Shanghai',
    trackUrl: 'https://hall.example/t/b012',
    notice: { zh: '过号请重新取号', en: 'If you miss your call, please take a new ticket' },
  },
  { columns: 48 },
);

describe('SimulatedPrinter', () => {
  it('keeps jobs and shows the newest first as text for the installer page', async () => {
    const printer = new SimulatedPrinter({ now: () => Date.parse('2026-11-25T02:00:01Z') });
    await printer.print({ label: 'ticket B011', bytes: Uint8Array.of(0x41, 0x0a) });
    await printer.print({ label: 'ticket B012', bytes });
    const [latest, earlier] = printer.recentTickets();
    expect(earlier?.text).toBe('A');
    expect(latest?.at).toBe('2026-11-25T02:00:01.000Z');
    expect(latest?.text).toContain('B012');
    expect(latest?.text).toContain('宽带业务');
    expect(latest?.text).toContain('[QR https://hall.example/t/b012]');
  });

  it('refuses jobs with the fault set, with the flags a real driver would set', async () => {
    const printer = new SimulatedPrinter();
    printer.setFaults({ coverOpen: true });
    const refused = await printer.print({ label: 'x', bytes }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PrinterError);
    expect(refused).toMatchObject({ coverOpen: true, paperOut: false });
    printer.setFaults({ coverOpen: false, offline: true });
    await expect(printer.print({ label: 'x', bytes })).rejects.toMatchObject({ disconnected: true });
    expect(await printer.status()).toMatchObject({ online: false });
    printer.reset();
    expect(await printer.status()).toMatchObject({ online: true, detail: 'ready' });
    expect(printer.printed()).toEqual([]);
  });
});
