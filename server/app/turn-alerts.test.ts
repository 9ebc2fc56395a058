import { describe, expect, it } from 'vitest';
import { ok, staff1, testHall } from '../../tests/helpers/test-hall.ts';

const SECOND = 1000;

import { createTurnAlerts } from './turn-alerts.ts';

describe('turn alerts', () => {
  it('says the text failed when the SMS gateway refuses it, and logs why without the number', async () => {
    const h = testHall();
    const logged: Record<string, unknown>[] = [];
    const alerts = createTurnAlerts({
      ...{ db: h.db, clock: h.clock, hall: h.hall, bus: h.bus, commands: h.commands },
      sms: { send: () => Promise.reject(new Error('gateway down')) },
      log: (line) => logged.push(line),
    });
    const tickets = [];
    for (let i = 0; i < 5; i++) {
      h.clock.advance(SECOND);
      tickets.push(ok(h.hall.issueTicket({ serviceId: 'general' })));
    }
    expect(ok(alerts.request(tickets[4]!.id, '13912345678')).state).toBe('armed');
    ok(h.hall.openCounter('1', staff1));
    ok(h.hall.callNext('1', staff1));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(ok(alerts.get(tickets[4]!.id))).toMatchObject({ state: 'failed', maskedPhone: '139****5678' });
    expect(logged).toEqual([{ msg: 'sms failed', purpose: 'turn-alert', error: 'Error: gateway down' }]);
    expect(JSON.stringify(logged)).not.toContain('13912345678');
    alerts.stop();
  });
});
