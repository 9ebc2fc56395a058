/**
 * An identified customer reaches the counter: an ID card placed on kiosk k1's (simulated) reader, the
 * kiosk redeems the read, takes a ticket for the customer, and the counter that calls it sees the masked
 * customer and their account summary from the BSS — never the full number or name.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningHall } from '../../server/main.ts';
import { Client, startTestServer } from '../helpers/http.ts';
import { readEvents } from '../helpers/sse.ts';

let hall: RunningHall;

beforeAll(async () => {
  hall = await startTestServer();
});
afterAll(() => hall.close());

it('shows the counter the masked customer and their account, from an ID card read at the kiosk', async () => {
  const manager = new Client(hall.url);
  await manager.login('manager');
  const kiosk = new Client(hall.url);
  const stream = readEvents(`${hall.url}/api/v1/events?kioskId=k1`);
  await stream.next('snapshot');

  const card = { name: '李娜', idNumber: '110105198503150026', birthDate: '1985-03-15', sexCode: '2' };
  expect((await manager.post('/api/v1/demo/devices/k1-id-reader', { action: 'card', card })).status).toBe(
    200,
  );
  const read = await stream.next('kiosk.id-card');
  await stream.close();
  const identified = await kiosk.post(
    '/api/v1/identify/device',
    { readId: read.data.data.readId },
    { 'X-Kiosk-Id': 'k1' },
  );
  expect(identified.status).toBe(200);
  const { token, maskedName } = identified.json.customer;
  expect(identified.json.customer.tier).toBe('vip');

  const ticket = await kiosk.post(
    '/api/v1/tickets',
    { serviceId: 'vip' },
    { 'X-Kiosk-Id': 'k1', 'X-Customer-Token': token },
  );
  expect(ticket.json).toMatchObject({ status: 'waiting', tier: 'vip' });

  const staff = new Client(hall.url);
  await staff.login('staff4');
  await staff.post('/api/v1/counters/4/open');
  expect((await staff.post('/api/v1/counters/4/call')).json.ticket.id).toBe(ticket.json.id);
  const current = await staff.get('/api/v1/counters/4/current');
  expect(current.json.customer).toEqual({
    maskedName,
    maskedPhone: '138****0002',
    account: {
      plan: expect.objectContaining({ zh: expect.any(String) }),
      balanceFen: 88_800,
      billDueFen: null,
    },
  });
  expect(current.text).not.toContain('李娜');
  expect(current.text).not.toContain('13800000002');
  expect(current.text).not.toContain('110105198503150026');
});
