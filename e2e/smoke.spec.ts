import { expect, test } from './fixtures';
import { openDashboard, watchlist } from './helpers';

test('the dashboard loads with health, metrics and the demo watchlist', async ({ page }) => {
  await openDashboard(page);
  await expect(page).toHaveTitle('Candlebase');
  await expect(page.getByRole('heading', { name: 'Candlebase', level: 1 })).toBeVisible();
  await expect(page.getByRole('status', { name: /^Health: pglite · ok$/ })).toBeVisible();
  await expect(page.getByText('demo data', { exact: true })).toBeVisible();
  await expect(page.getByRole('definition').first()).toHaveText(/^\d+$/);

  const table = watchlist(page);
  await expect(table).toBeVisible();
  for (const symbol of ['AAPL', 'BTC-USD', 'MSFT']) {
    await expect(table.getByRole('button', { name: symbol, exact: true })).toBeVisible();
  }
  await expect(table.getByRole('checkbox', { name: 'Select BTC-USD' })).toBeVisible();
  await expect(page.getByText(/^Last refresh \d\d:\d\d:\d\d$/)).toBeVisible();
  await page.getByRole('button', { name: 'Refresh Now' }).click();
  await expect(page.getByRole('button', { name: 'Refresh Now' })).toBeEnabled();
});

test('API Docs opens the docs page in a new tab', async ({ page, context }) => {
  await openDashboard(page);
  const popup = context.waitForEvent('page');
  await page.getByRole('button', { name: 'API Docs' }).click();
  const docs = await popup;
  await expect(docs).toHaveURL(/\/docs$/);
  await docs.close();
});

test('Run Checks lists each check with pass or fail', async ({ page }) => {
  await openDashboard(page);
  await page.getByRole('button', { name: 'Run Checks' }).click();
  const panel = page.getByRole('region', { name: 'System checks' });
  const results = panel.getByRole('list', { name: 'Check results' });
  await expect(results.getByRole('listitem').first()).toBeVisible();
  await expect(results.getByRole('listitem').filter({ hasText: 'Database' })).toContainText('pass');
  await expect(panel.getByText(/All checks passed|Some checks failed/)).toBeVisible();
  await panel.getByRole('button', { name: 'Hide checks' }).click();
  await expect(panel).toBeHidden();
});

test('keyboard: / focuses search, b opens the backfill form, ? lists shortcuts, Esc closes', async ({ page }) => {
  await openDashboard(page);
  const search = page.getByPlaceholder('Search symbols...');

  await page.keyboard.press('/');
  await expect(search).toBeFocused();
  // Typing in a field never triggers shortcuts.
  await page.keyboard.type('btc');
  await expect(search).toHaveValue('btc');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(watchlist(page).getByRole('button', { name: 'BTC-USD', exact: true })).toBeVisible();
  await expect(watchlist(page).getByRole('button', { name: 'AAPL', exact: true })).toHaveCount(0);
  await search.fill('');
  await search.blur();

  const trigger = page.getByRole('button', { name: 'Manual Backfill…' });
  await trigger.focus();
  await trigger.blur();
  await page.keyboard.press('b');
  const dialog = page.getByRole('dialog', { name: 'Backfill', exact: true });
  await expect(dialog).toBeVisible();
  // It opens ready to type: focus in Symbols (not on Close, where a space would close it).
  await expect(dialog.getByLabel('Symbols')).toBeFocused();
  await page.keyboard.type('MSFT ');
  await expect(dialog.getByRole('button', { name: 'Remove MSFT' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // With symbols selected, `b` starts from them, as "Backfill Selected" does.
  await page.getByRole('checkbox', { name: 'Select IBM' }).check();
  await page.getByRole('checkbox', { name: 'Select IBM' }).blur();
  await page.keyboard.press('b');
  await expect(dialog.getByRole('button', { name: 'Remove IBM' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'Clear Selection' }).click();

  await page.keyboard.press('?');
  const shortcuts = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(shortcuts).toContainText('Focus the symbol search');
  await page.keyboard.press('Escape');
  await expect(shortcuts).toBeHidden();

  // Focus returns to the trigger when a dialog closes.
  await trigger.click();
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(trigger).toBeFocused();
});

test('API errors show in a dismissable banner with the HTTP status, gone by itself after 5 s', async ({ page }) => {
  await openDashboard(page);
  const failAll = async () =>
    page.route('**/trpc/**', async (route) => {
      const paths = new URL(route.request().url()).pathname.replace('/trpc/', '').split(',');
      const error = {
        error: { message: 'boom', code: -32603, data: { code: 'INTERNAL_SERVER_ERROR', httpStatus: 500 } },
      };
      await route.fulfill({ status: 500, json: paths.length > 1 ? paths.map(() => error) : error });
    });
  const banner = page.getByRole('alert').filter({ hasText: 'HTTP 500' });

  await failAll();
  await page.getByRole('button', { name: 'Refresh Now' }).click();
  await expect(banner.first()).toBeVisible({ timeout: 15_000 });
  await expect(banner.first()).toContainText('The server had a problem');
  await page.unroute('**/trpc/**');
  await banner.first().getByRole('button', { name: 'Dismiss' }).click();
  await expect(banner).toHaveCount(0);

  await failAll();
  await page.getByRole('button', { name: 'Refresh Now' }).click();
  await expect(banner.first()).toBeVisible({ timeout: 15_000 });
  await page.unroute('**/trpc/**');
  await expect(banner).toHaveCount(0, { timeout: 7_000 });
});
