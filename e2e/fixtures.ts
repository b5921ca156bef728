import { test as base } from '@playwright/test';
import { clockOffsetMs, now } from './clock';

export { expect } from '@playwright/test';

/**
 * Playwright's `test`, with the page's clock on the specs' clock: under the clock guard the
 * browser starts at the same shifted instant as the server and time runs on from there.
 */
export const test = base.extend({
  page: async ({ page }, use) => {
    if (clockOffsetMs !== 0) await page.clock.install({ time: now() });
    await use(page);
  },
});
