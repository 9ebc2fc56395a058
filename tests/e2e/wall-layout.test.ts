/**
 * The wall read from across the hall, at 1920×1080, 1280×720 and 1080×1920 portrait: every service's
 * name and wait fits its tile (wrapped, never cut), no text is under 18 px, and nothing leaves the
 * screen. Some services have a queue and an open counter (an estimate), the others none (a reason).
 */
import { describe, expect, it } from 'vitest';
import { browserHall } from '../helpers/e2e.ts';
import { Client } from '../helpers/http.ts';

const hall = browserHall();

describe('the wall display at every screen size', () => {
  it.each([
    ['1920×1080', { width: 1920, height: 1080 }],
    ['1280×720', { width: 1280, height: 720 }],
    ['1080×1920', { width: 1080, height: 1920 }],
  ])('fits every name and wait at %s, no text under 18 px', async (label, size) => {
    const anon = new Client(hall.url);
    const staff = new Client(hall.url);
    expect((await staff.login('staff1')).status).toBe(200);
    await staff.post('/api/v1/counters/1/open');
    for (const serviceId of ['general', 'general', 'payments', 'devices', 'retention'])
      expect((await anon.post('/api/v1/tickets', { serviceId })).status).toBe(201);

    const wall = await hall.open('/display/?voice=off', size);
    await wall.locator('.services li').first().waitFor();
    await hall.shot(wall, `wall-${label}`);
    const problems = await wall.evaluate(() => {
      const found: string[] = [];
      const screen = { width: innerWidth, height: innerHeight };
      for (const tile of document.querySelectorAll('.services li')) {
        const box = tile.getBoundingClientRect();
        if (box.right > screen.width + 0.5 || box.bottom > screen.height + 0.5)
          found.push(`tile off screen: ${tile.textContent}`);
        for (const part of tile.querySelectorAll<HTMLElement>('.zh, .en, .figure')) {
          // Cut text: wider than its box, or running past the tile's edge.
          const inner = part.getBoundingClientRect();
          if (
            part.scrollWidth > part.clientWidth + 1 ||
            inner.right > box.right + 0.5 ||
            inner.bottom > box.bottom + 0.5
          )
            found.push(`cut: "${part.textContent}"`);
        }
      }
      for (const element of document.querySelectorAll<HTMLElement>('.wall *')) {
        const own = [...element.childNodes].some((n) => n.nodeType === 3 && n.textContent?.trim());
        if (own && Number.parseFloat(getComputedStyle(element).fontSize) < 18)
          found.push(`small: "${element.textContent?.trim()}" ${getComputedStyle(element).fontSize}`);
      }
      return found;
    });
    expect(problems, label).toEqual([]);
  });
});
