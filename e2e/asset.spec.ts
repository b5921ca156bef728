import { readFile } from 'node:fs/promises';
import { expect, test } from './fixtures';
import { backfillViaApi, openDashboard, waitForJob } from './helpers';

test('the asset modal shows overview, candles (chart, Load more, CSV) and enrichment', async ({ page, request }) => {
  // A fixed range in the past, so the counts are the same whenever the suite runs: crypto trades
  // 24x7, so four days hold 4 x 288 = 1,152 five-minute candles (more than two pages of 500).
  const jobId = await backfillViaApi(request, {
    symbols: ['ETH-USD'],
    timeframes: ['5m', '1d'],
    start: '2024-03-04',
    end: '2024-03-07',
  });
  await waitForJob(request, jobId);

  await openDashboard(page);
  await page.getByRole('button', { name: 'ETH-USD', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'ETH-USD' });
  await expect(dialog).toBeVisible();

  await expect(dialog.getByRole('tab', { name: 'Overview' })).toHaveAttribute('aria-selected', 'true');
  await expect(dialog.getByText('Ethereum').first()).toBeVisible();
  const coverage = dialog.getByRole('table', { name: 'Coverage by timeframe' });
  await expect(coverage.getByRole('row', { name: /^5m / })).not.toContainText('—');
  await expect(coverage.getByRole('row', { name: /^15m / })).toContainText('—');
  // Crypto has no splits or dividends; the section says so rather than staying empty.
  await expect(dialog.getByRole('region', { name: 'Corporate actions' })).toContainText(
    'No splits or dividends recorded',
  );

  await dialog.getByRole('tab', { name: 'Candle Data' }).click();
  await expect(dialog.getByRole('radio', { name: '5m', exact: true })).toBeChecked();
  await expect(dialog.locator('canvas').first()).toBeVisible();
  const ohlcv = dialog.getByRole('table', { name: 'OHLCV' });
  await expect(ohlcv.getByRole('row').nth(1)).toBeVisible();
  await expect(dialog.getByText('500 of 1,152 loaded', { exact: true })).toBeVisible();
  await dialog.getByRole('button', { name: 'Load more' }).click();
  await expect(dialog.getByText('1,000 of 1,152 loaded', { exact: true })).toBeVisible();

  // The export holds the whole stored range, not just the rows loaded on screen, and says so first.
  await dialog.getByRole('button', { name: 'Export' }).click();
  const exportPanel = dialog.getByRole('region', { name: 'Export candles' });
  await expect(exportPanel).toContainText('ETH-USD · 5m · 2024-03-04 to 2024-03-07 · split-adjusted');
  const download = page.waitForEvent('download');
  await exportPanel.getByRole('button', { name: 'Download CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('candles_ETH-USD_5m_2024-03-04_2024-03-07.csv');
  const path = await file.path();
  const lines = (await readFile(path, 'utf8')).trim().split('\r\n');
  expect(lines[0]).toBe('symbol,timeframe,ts,open,high,low,close,volume,vwap,trades,source');
  expect(lines).toHaveLength(1153);
  const parquet = page.waitForEvent('download');
  await exportPanel.getByRole('button', { name: 'Download Parquet' }).click();
  expect((await parquet).suggestedFilename()).toBe('candles_ETH-USD_5m_2024-03-04_2024-03-07.parquet');

  // Unadjusted prices are a choice of their own, and so named in the download.
  await dialog.getByRole('radiogroup', { name: 'Adjust' }).getByRole('radio', { name: 'None' }).check({ force: true });
  await expect(dialog.getByRole('radio', { name: 'None' })).toBeChecked();
  await expect(exportPanel).toContainText('ETH-USD · 5m · 2024-03-04 to 2024-03-07 · as traded');
  const rawDownload = page.waitForEvent('download');
  await exportPanel.getByRole('button', { name: 'Download CSV' }).click();
  expect((await rawDownload).suggestedFilename()).toBe('candles_ETH-USD_5m_2024-03-04_2024-03-07_none.csv');
  await dialog.getByRole('button', { name: 'Export' }).click();

  await dialog.getByRole('radio', { name: '1d', exact: true }).check({ force: true });
  await expect(dialog.getByText('4 of 4 loaded', { exact: true })).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Load more' })).toBeDisabled();

  await dialog.getByRole('tab', { name: 'Enrichment' }).click();
  await expect(dialog.getByRole('tab', { name: 'Enrichment' })).toHaveAttribute('aria-selected', 'true');
  await expect(dialog.getByRole('tabpanel')).toContainText('RSI');

  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('a symbol without data offers a backfill from its Candle Data tab', async ({ page }) => {
  await openDashboard(page);
  await page.getByRole('button', { name: 'KO', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'KO' });
  await dialog.getByRole('tab', { name: 'Candle Data' }).click();
  await expect(dialog.getByText('No 1h candles for KO yet.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Backfill this symbol…' }).click();
  const form = page.getByRole('dialog', { name: 'Backfill', exact: true });
  await expect(form.getByRole('button', { name: 'Remove KO' })).toBeVisible();
});
