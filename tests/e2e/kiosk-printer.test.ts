/**
 * Printer trouble never strands a customer: with the (simulated) ticket printer out of paper, the kiosk
 * still issues the ticket, says the paper did not come out, and shows the number with the phone QR.
 */
import { expect, it } from 'vitest';
import { browserHall, tap } from '../helpers/e2e.ts';
import { Client } from '../helpers/http.ts';

const hall = browserHall();

it('shows the ticket with its phone QR when the printer is out of paper', async () => {
  const manager = new Client(hall.url);
  await manager.login('manager');
  const paperOut = { action: 'printer', paperOut: true, paperNearEnd: false, coverOpen: false };
  expect((await manager.post('/api/v1/demo/devices/printer', paperOut)).status).toBe(200);

  const page = await hall.open('/kiosk/?kiosk=k1', { width: 1080, height: 1920 });
  await page.getByText('您好，欢迎光临').waitFor();
  await tap(page, /^业务办理/);
  await page.getByText('打印机未能出票，但您的号码有效', { exact: false }).waitFor();
  const number = await page.locator('.ticket-number').textContent();
  expect(number).toMatch(/^A\d{3}$/);
  const qr = await page.locator('svg.qr').getAttribute('data-value');
  expect(qr).toMatch(new RegExp(`^${hall.url}/t/[A-Za-z0-9_-]{22}$`));
  await hall.shot(page, 'kiosk-printer-out-of-paper');

  // The ticket exists and waits, and the printer's state is in the health answer.
  const ticket = await manager.get(`/api/v1/tickets/${qr!.split('/t/')[1]}`);
  expect(ticket.json).toMatchObject({
    number,
    status: 'waiting',
    print: 'failed',
    printProblem: 'paper-out',
  });
  const health = await manager.get('/api/v1/health');
  expect(health.json.devices).toContainEqual(expect.objectContaining({ id: 'printer', status: 'paper-out' }));
});
