import { describe, expect, it } from 'vitest';
import { ticketBytes } from '../../hardware/printer/layout.ts';
import { decodeEscPos } from '../../tests/helpers/escpos-decoder.ts';
import { ok, staff1, testHall } from '../../tests/helpers/test-hall.ts';
import type { TicketPrintData } from './hall.ts';
import { paperTicket } from './paper-ticket.ts';

/** A kiosk ticket issued in a test hall, and the lines its paper would carry. */
async function printed(openCounter: boolean, serviceId = 'complaints') {
  const jobs: TicketPrintData[] = [];
  const h = testHall({
    printTicket: async (data) => {
      jobs.push(data);
      return { ok: true };
    },
  });
  if (openCounter) ok(h.hall.openCounter('6', staff1));
  ok(h.hall.issueTicket({ serviceId, channel: 'kiosk' }, { kioskId: 'k1' }));
  await new Promise((resolve) => setTimeout(resolve, 0));
  return decodeEscPos(ticketBytes(paperTicket(jobs[0]!, h.hall), { columns: 48 })).lines;
}

describe('the paper ticket’s words', () => {
  it('with no open counter for the service: the place and why, never "you are next"', async () => {
    const lines = await printed(false);
    expect(lines).toContain('您排在第 1 位');
    expect(lines).toContain('You are first in line');
    expect(lines.join('\n')).toContain('该业务窗口暂未开放');
    expect(lines.join('\n')).not.toMatch(/下一位|分钟|next|min\b/);
  });

  it('with a counter open: "you are next" and the estimate', async () => {
    const lines = await printed(true);
    expect(lines).toContain('下一位就是您');
    expect(lines.join('\n')).toMatch(/预计等待：|即将叫号/);
  });
});
