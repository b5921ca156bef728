import { test as base } from '@playwright/test';
import { clockOffsetMs, now } from './clock';

export { expect } from '@playwright/test';

/**
 * Playwright's `test`, with the page's clock on the specs' clock: under the clock guard the
 * browser starts at the same shifted instant as the server and time runs on from there. Route
 * handlers still running when a test ends are let go.
 */
export const test = base.extend({
  page: async ({ page }, use) => {
    if (clockOffsetMs !== 0) await page.clock.install({ time: now() });
    await use(page);
    // A staged answer still being put together when a test ends (its real half fetched from the
    // server) must not fail the test that is already done: Playwright would report the handler's
    // "Response has been disposed" against it.
    await page.unrouteAll({ behavior: 'ignoreErrors' });
  },
});
