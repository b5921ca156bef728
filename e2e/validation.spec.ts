import { expect, test } from './fixtures';
import { isoDaysAgo, openDashboard } from './helpers';

test('the backfill form shows every validation message in its alert', async ({ page }) => {
  await openDashboard(page);
  await page.getByRole('button', { name: 'Manual Backfill…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Backfill', exact: true });
  const alert = dialog.getByRole('alert');
  const start = dialog.getByRole('button', { name: 'Start Backfill' });

  // Everything wrong at once: all four problems in one alert.
  await dialog.getByLabel('Start date').fill('');
  await dialog.getByLabel('End date').fill('');
  await dialog.getByLabel('1h', { exact: true }).uncheck();
  await start.click();
  await expect(alert).toContainText('No symbols selected');
  await expect(alert).toContainText('Start date is required');
  await expect(alert).toContainText('End date is required');
  await expect(alert).toContainText('Please select at least one timeframe');
  await expect(alert.getByRole('listitem')).toHaveCount(4);

  // Fixing fields clears their messages as you go.
  await dialog.getByLabel('Symbols').fill('AAPL');
  await dialog.getByLabel('1d', { exact: true }).check();
  await expect(alert).not.toContainText('No symbols selected');
  await expect(alert).not.toContainText('Please select at least one timeframe');

  await dialog.getByLabel('Start date').fill(isoDaysAgo(1));
  await dialog.getByLabel('End date').fill(isoDaysAgo(5));
  await start.click();
  await expect(alert).toHaveText('Start date must be before end date');

  await dialog.getByLabel('End date').fill(isoDaysAgo(0));
  // Every bad symbol is named, and its chip marked.
  await dialog.getByLabel('Symbols').fill('AAPL, BAD$1, MSFT, ZZ@2, ');
  await start.click();
  await expect(alert).toHaveText(
    'Invalid symbols "BAD$1", "ZZ@2": use 1 to 20 characters A-Z, 0-9, ".", "-", "/" or ":", starting with a letter or digit',
  );
  await expect(dialog.locator('[data-invalid]')).toHaveText(['BAD$1 (invalid)×', 'ZZ@2 (invalid)×']);
  await dialog.getByRole('button', { name: 'Clear all' }).click();
  const tooMany = Array.from({ length: 101 }, (_, i) => `T${i}`).join(', ');
  await dialog.getByLabel('Symbols').fill(tooMany);
  await start.click();
  await expect(alert).toHaveText('At most 100 symbols per backfill');

  // Nothing was sent: the dialog is still open and no progress view appeared.
  await expect(dialog).toBeVisible();
  await expect(page.getByRole('dialog', { name: 'Backfill Progress' })).toHaveCount(0);
});

test('a range that starts after today is refused with the server sentence; one that only ends after today is noted', async ({
  page,
}) => {
  await openDashboard(page);
  await page.getByRole('button', { name: 'Manual Backfill…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Backfill', exact: true });
  await dialog.getByLabel('Symbols').fill('AAPL');
  await dialog.getByLabel('1d', { exact: true }).check();

  // Ends after today: allowed, with a note about closed bars.
  await dialog.getByLabel('Start date').fill(isoDaysAgo(3));
  await dialog.getByLabel('End date').fill(isoDaysAgo(-10));
  await expect(
    dialog.getByText(/The range ends after today \(\d{4}-\d{2}-\d{2}, UTC\): only bars that have closed/),
  ).toBeVisible();

  // Starts after today: the server refuses it and says why, in the form's alert.
  await dialog.getByLabel('Start date').fill(isoDaysAgo(-2));
  await dialog.getByRole('button', { name: 'Start Backfill' }).click();
  await expect(dialog.getByRole('alert')).toHaveText(
    `Start date ${isoDaysAgo(-2)} is in the future (today is ${isoDaysAgo(0)}, UTC): there are no bars to fetch yet`,
  );
  await expect(page.getByRole('dialog', { name: 'Backfill Progress' })).toHaveCount(0);
});
