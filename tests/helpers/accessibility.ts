/**
 * Accessibility checks for the browser tests: axe-core's rules in Chromium (serious and critical
 * violations fail, with what and where), and the size of touch targets on the touch screens.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** axe-core over the page as it stands: no serious or critical violation. */
export async function expectNoSeriousViolations(page: Page, label: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const grave = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(grave, label).toEqual([]);
}

/** Every visible control one touches (buttons, links, fields) is at least `min` px high and wide. */
export async function expectTouchTargets(page: Page, label: string, min = 44): Promise<void> {
  const small = await page
    .locator('button, a[href], input:not([type=hidden]), select, textarea, [role=button]')
    .evaluateAll(
      (elements, least) =>
        elements
          .map((e) => ({ e, box: e.getBoundingClientRect() }))
          .filter(
            ({ e, box }) => box.width > 0 && box.height > 0 && getComputedStyle(e).visibility !== 'hidden',
          )
          // A checkbox or radio is touched through its label: the label's box counts.
          .map(({ e, box }) => ({ e, box: e.closest('label')?.getBoundingClientRect() ?? box }))
          .filter(({ box }) => box.height < least || box.width < least)
          .map(
            ({ e, box }) =>
              `${e.tagName.toLowerCase()} "${(e.textContent ?? '').trim().slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`,
          ),
      min,
    );
  expect(small, label).toEqual([]);
}
