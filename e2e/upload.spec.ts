import { expect, test } from './fixtures';
import { openDashboard } from './helpers';

// A symbol of this spec's own, on fixed past hours: crypto, so every hour is a slot.
const NAME = 'UPLD-USD_1h.csv';
const header = 'timestamp,open,high,low,close,volume';
const BROKEN = [
  header,
  '2024-02-05T10:00:00Z,100,102,99,101,1000',
  '2024-02-05T11:00:00Z,101,103,100,102,1100',
  // Line 4: a high below the close is not a candle.
  '2024-02-05T12:00:00Z,102,101,100,102.5,1200',
].join('\n');
const CLEAN = [
  header,
  '2024-02-05T10:00:00Z,100,102,99,101,1000',
  '2024-02-05T11:00:00Z,101,103,100,102,1100',
  '2024-02-05T12:00:00Z,102,104,101,103,1200',
].join('\n');

test('Import CSV: preview with a refused row by line, import, candles in the asset modal', async ({ page }) => {
  await openDashboard(page);
  await page.getByRole('button', { name: 'Import CSV…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import CSV' });
  await expect(dialog).toBeVisible();

  await dialog
    .getByLabel('CSV files', { exact: true })
    .setInputFiles({ name: NAME, mimeType: 'text/csv', buffer: Buffer.from(BROKEN) });
  await expect(dialog.getByText(/on the server/)).toBeVisible();
  // The file's name says its symbol and timeframe.
  await expect(dialog.getByLabel('Symbol')).toHaveValue('UPLD-USD');
  await expect(dialog.getByLabel('Timeframe')).toHaveValue('1h');
  await dialog.getByRole('button', { name: 'Preview' }).click();
  const refused = dialog.getByRole('list', { name: 'Refused rows' });
  await expect(refused).toContainText('Line 4:');
  await expect(dialog.getByText('1 row refused', { exact: false })).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Import', exact: true })).toBeDisabled();

  // The fixed file, as a second upload.
  await dialog
    .getByLabel('CSV files', { exact: true })
    .setInputFiles({ name: NAME, mimeType: 'text/csv', buffer: Buffer.from(CLEAN) });
  await expect(dialog.getByRole('list', { name: 'Files' }).getByRole('button')).toHaveCount(2);
  await expect(dialog.getByText(/on the server/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Preview' }).click();
  const rows = dialog.getByRole('table', { name: 'Preview rows' });
  await expect(rows.getByRole('row')).toHaveCount(4);
  await expect(dialog.getByText(/3 bars of UPLD-USD 1h/)).toBeVisible();
  await expect(dialog.getByRole('list', { name: 'Refused rows' })).toHaveCount(0);
  await page.screenshot({ path: 'test-results/import-csv-dialog.png' });

  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  const progress = page.getByRole('dialog', { name: 'Backfill Progress' });
  await expect(progress).toBeVisible();
  await expect(progress.getByRole('status')).toContainText('Backfill complete');
  await progress.getByRole('button', { name: 'Done' }).click();

  await page.getByPlaceholder('Search symbols...').fill('UPLD');
  await page.getByRole('button', { name: 'UPLD-USD', exact: true }).click();
  const asset = page.getByRole('dialog', { name: 'UPLD-USD' });
  await asset.getByRole('tab', { name: 'Candle Data' }).click();
  await expect(asset.getByText('3 of 3 loaded', { exact: true })).toBeVisible();
  await expect(asset.getByRole('table', { name: 'OHLCV' })).toContainText('103');
  // Imported bars are the file's, not demo data, whatever the symbol's own provider.
  await expect(asset.getByText('demo data', { exact: true })).toHaveCount(0);
  // The Overview says where the symbol's own backfills come from, and lets it change.
  await asset.getByRole('tab', { name: 'Overview' }).click();
  await expect(asset.getByLabel('Provider')).toHaveValue('synthetic');
  await page.screenshot({ path: 'test-results/asset-overview-provider.png' });
});
