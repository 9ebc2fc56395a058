/**
 * The manager's queue intelligence in Chromium: the 叫号原因 / Routing tab answers why a ticket was called
 * after another, and the 排班建议 / Staffing tab shows the counters needed per weekday and hour.
 */
import { describe, expect, it } from 'vitest';
import { browserHall, signInOnPage, tap } from '../helpers/e2e.ts';
import { Client } from '../helpers/http.ts';

const hall = browserHall();

describe('manager intelligence in Chromium', () => {
  it('answers why a ticket was called after another, and shows the staffing table', async () => {
    const staff = new Client(hall.url);
    expect((await staff.login('staff1')).status).toBe(200);
    expect((await staff.post('/api/v1/counters/1/open')).status).toBe(200);
    const issue = async (customer?: { tier: 'elderly' }) =>
      (await staff.post('/api/v1/tickets', { serviceId: 'general', channel: 'reception', customer })).json;
    const first = await issue();
    const elderly = await issue({ tier: 'elderly' });
    const call = await staff.post('/api/v1/counters/1/call');
    expect(call.json.ticket.number).toBe(elderly.number);

    const page = await hall.open('/manager/#routing', { width: 1366, height: 900 });
    await signInOnPage(page);
    await page.locator('input[name="number"]').fill(elderly.number);
    await page.locator('input[name="before"]').fill(first.number);
    await tap(page, /查询/);
    await page.locator('.why-answer').waitFor();
    const text = (await page.locator('.why-answer').textContent()) ?? '';
    expect(text).toContain(call.json.explanation.zh);
    expect(text).toContain(`越过：${first.number}`);
    expect(text).toContain('此次叫号越过了它');
    await hall.shot(page, 'manager-routing-why');

    await page.getByRole('link', { name: /排班建议/ }).click();
    await page.locator('.staffing').waitFor();
    // A fresh hall has no past weeks: the tab says so rather than advising from nothing.
    await page.getByText('No tickets in this range').waitFor();
    // Up to tomorrow: today's tickets count.
    await page.locator('input[name="to"]').fill(new Date(Date.now() + 86_400_000).toISOString().slice(0, 10));
    await page.locator('input[name="to"]').dispatchEvent('change');
    await page.locator('table.staffing-table').waitFor();
    expect(await page.locator('table.staffing-table tbody tr').count()).toBeGreaterThan(0);
    await hall.shot(page, 'manager-staffing');
  });
});
