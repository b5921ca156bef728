import { expect, test } from './fixtures';
import { openDashboard, symbolRow } from './helpers';

// Sorted into the middle of the watchlist by symbol and by name, so other specs' orderings hold.
const NAME = 'Hostile & Co <img src=x onerror="window.__pwned=1">';
const TYPED = '<script>window.__pwned=2</script>';

test('hostile strings from the API and from the keyboard render as text, never as markup', async ({
  page,
  request,
}) => {
  // A name as a provider or a script could store it.
  const added = await request.post('/trpc/symbols.add', { data: { symbol: 'HOSTILE1', name: NAME } });
  expect([200, 409]).toContain(added.status());

  await openDashboard(page);
  await page.getByPlaceholder('Search symbols...').fill('HOSTILE1');
  const row = symbolRow(page, 'HOSTILE1');
  await expect(row).toContainText(NAME);
  await expect(row.locator('img')).toHaveCount(0);

  await page.getByRole('button', { name: 'Manual Backfill…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Backfill', exact: true });
  await dialog.getByLabel('Symbols').fill(TYPED);
  await dialog.getByRole('button', { name: 'Start Backfill' }).click();
  await expect(dialog.getByRole('alert')).toContainText(`Invalid symbol "${TYPED.toUpperCase()}"`);
  await expect(dialog.locator('script')).toHaveCount(0);

  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});
