import { expect, test } from './fixtures';
import { openDashboard } from './helpers';

test('the backfill modal previews ranges, bars, requests and time before Start Backfill', async ({ page }) => {
  await openDashboard(page);
  await page.getByRole('button', { name: 'Manual Backfill…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Backfill', exact: true });

  // The preview is refused for what Start Backfill refuses, in the same words.
  await dialog.getByRole('button', { name: 'Preview' }).click();
  await expect(dialog.getByRole('alert')).toContainText('No symbols selected');

  await dialog.getByLabel('Symbols').fill('prev-usd');
  await dialog.getByLabel('Symbols').press('Enter');
  // A fixed range in the past: crypto trades 24x7, so four days hold 96 hourly bars and 4 daily ones.
  await dialog.getByLabel('Start date').fill('2024-03-04');
  await dialog.getByLabel('End date').fill('2024-03-07');
  await dialog.getByLabel('1d', { exact: true }).check();
  await dialog.getByRole('button', { name: 'Preview' }).click();

  const preview = dialog.getByRole('region', { name: 'Backfill preview' });
  await expect(preview).toContainText('100 bars to fetch in 2 requests');
  const table = preview.getByRole('table');
  await expect(table.getByRole('row', { name: /PREV-USD 1h/ })).toContainText('2024-03-04 to 2024-03-08 (96)');
  await expect(table.getByRole('row', { name: /PREV-USD 1d/ })).toContainText('(4)');

  // A change to the form drops the preview: it described another request.
  await dialog.getByLabel('1d', { exact: true }).uncheck();
  await expect(preview).toBeHidden();

  await dialog.getByRole('button', { name: 'Start Backfill' }).click();
  await expect(page.getByRole('dialog', { name: 'Backfill Progress' })).toBeVisible();
});
