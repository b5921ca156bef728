import { expect, test } from './fixtures';
import { openDashboard } from './helpers';

test('health turns red when the server stops answering, and green again when it is back', async ({ page }) => {
  await openDashboard(page);
  const health = page.getByRole('status', { name: /^Health: / });
  await expect(health).toHaveAccessibleName(/^Health: pglite · ok$/);

  // The server goes away: every API call fails at the network, as with a stopped process.
  const down = (url: URL) => url.pathname.startsWith('/trpc/') || url.pathname.startsWith('/api/');
  await page.route(down, (route) => route.abort('connectionrefused'));
  await page.getByRole('button', { name: 'Refresh Now' }).click();
  await expect(health).toHaveAccessibleName('Health: Server unreachable');
  // The last answer's latency no longer shows, as if it were current.
  await expect(health).not.toContainText(' ms');

  await page.unroute(down);
  await page.getByRole('button', { name: 'Refresh Now' }).click();
  await expect(health).toHaveAccessibleName(/^Health: pglite · ok$/);
});
