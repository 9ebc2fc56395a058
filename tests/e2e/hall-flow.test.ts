/**
 * The hall end to end, through the three screens a visit touches, in Chromium against the real server:
 * a customer takes a ticket at the kiosk, staff at counter 2 call it from the counter terminal, and the
 * wall display shows the number going to that counter.
 */
import { expect, it } from 'vitest';
import { browserHall, takeWalkInTicket } from '../helpers/e2e.ts';

const hall = browserHall();

it('a ticket taken at the kiosk is called at a counter and shown on the wall display', async () => {
  const wall = await hall.open('/display/?voice=off', { width: 1920, height: 1080 });
  await wall.locator('.clock, .hall-name').first().waitFor();

  const kiosk = await hall.open('/kiosk/?kiosk=k1', { width: 1080, height: 1920 });
  await takeWalkInTicket(kiosk);
  await kiosk.getByText('请留意叫号').waitFor();
  const number = (await kiosk.locator('.ticket-number').textContent())?.trim() ?? '';
  expect(number).toMatch(/^A\d{3}$/);

  const counter = await hall.open('/counter/', { width: 1366, height: 768 });
  await counter.getByLabel('工号').fill('staff2');
  await counter.getByLabel('密码').fill('demo-staff');
  await counter.getByRole('button', { name: '登录' }).click();
  await counter.getByRole('button', { name: /^2号窗口/ }).click();
  await counter.locator('.action').first().waitFor();
  await counter.keyboard.press('o');
  await counter.locator('.action.call').click();
  await counter.locator('.customer .number', { hasText: number }).waitFor();

  await wall.locator('.current-number', { hasText: number }).waitFor({ timeout: 5_000 });
  expect(await wall.locator('.current').textContent()).toContain('2号窗口');
  await hall.shot(wall, 'hall-flow-wall');

  // Finished: the wall no longer calls it; it stays among the recent calls.
  await counter.locator('.action.finish').click();
  await counter.getByRole('button', { name: /不评价，直接完成/ }).click();
  await wall.locator('.current.idle').waitFor({ timeout: 5_000 });
  expect(await wall.locator('.recent').textContent()).toContain(number);
  await hall.shot(wall, 'hall-flow-wall-after-finish');
});
