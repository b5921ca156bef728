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
  await dialog.getByRole('button', { name: 'Clear all' }).click();
  const tooMany = Array.from({ length: 101 }, (_, i) => `T${i}`).join(', ');
  await dialog.getByLabel('Symbols').fill(tooMany);
  await start.click();
  await expect(alert).toHaveText('At most 100 symbols per backfill');

  // Nothing was sent: the dialog is still open and no progress view appeared.
  await expect(dialog).toBeVisible();
  await expect(page.getByRole('dialog', { name: 'Backfill Progress' })).toHaveCount(0);
});
