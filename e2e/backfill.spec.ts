import type { Page } from '@playwright/test';
import { now as clockNow } from './clock';
import { expect, test } from './fixtures';
import { countIn, isoDaysAgo, mockProcedure, openDashboard, symbolRow } from './helpers';

async function watchToCompletion(page: Page, units: number): Promise<number> {
  const progress = page.getByRole('dialog', { name: 'Backfill Progress' });
  await expect(progress).toBeVisible();
  await expect(progress.getByRole('progressbar', { name: 'Backfill progress' })).toHaveAttribute(
    'aria-valuenow',
    '100',
    { timeout: 40_000 },
  );
  const outcome = progress.getByRole('status');
  await expect(outcome).toContainText(/Backfill complete: [\d,]+ records inserted/);
  const inserted = countIn(await outcome.textContent(), /([\d,]+) records inserted/);
  expect(inserted).toBeGreaterThan(0);
  // Every bar the calendar expects was passed: fetched, or found already stored.
  await expect(progress.getByTestId('bars-progress')).toHaveText(/^([\d,]+) of \1 bars \(100%\)$/);
  // The live log lists every finished unit.
  await expect(progress.getByRole('log', { name: 'Finished units' }).getByRole('listitem')).toHaveCount(units);
  // A finished job has nothing to cancel.
  await expect(progress.getByRole('button', { name: 'Cancel Job' })).toHaveCount(0);
  return inserted;
}

test('a manual backfill of AAPL and GOOGL runs to completion and fills the table', async ({ page }) => {
  await openDashboard(page);
  await page.getByRole('button', { name: 'Manual Backfill…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Backfill', exact: true });
  await expect(dialog).toBeVisible();

  await dialog.getByLabel('Symbols').fill('AAPL, googl');
  await dialog.getByLabel('Symbols').press('Enter');
  await expect(dialog.getByRole('button', { name: 'Remove AAPL' })).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Remove GOOGL' })).toBeVisible();

  // Defaults: the last 30 days and 1h.
  await expect(dialog.getByLabel('End date')).toHaveValue(isoDaysAgo(0));
  await expect(dialog.getByLabel('Start date')).toHaveValue(isoDaysAgo(30));
  await expect(dialog.getByLabel('1h', { exact: true })).toBeChecked();
  await expect(dialog.getByLabel('5m', { exact: true })).not.toBeChecked();

  await dialog.getByLabel('Start date').fill(isoDaysAgo(6));
  await dialog.getByLabel('5m', { exact: true }).check();
  await dialog.getByLabel('1d', { exact: true }).check();
  await dialog.getByRole('button', { name: 'Start Backfill' }).click();
  await expect(dialog).toBeHidden();

  const progress = page.getByRole('dialog', { name: 'Backfill Progress' });
  await expect(progress).toContainText('AAPL, GOOGL');
  await watchToCompletion(page, 6);
  await expect(progress.getByText(/^2 \/ 2$/)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(progress).toBeHidden();

  // The dashboard refreshed itself: both symbols now have data.
  for (const symbol of ['AAPL', 'GOOGL']) {
    const row = symbolRow(page, symbol);
    await expect(row.getByText('No data')).toHaveCount(0);
    await expect(row.getByRole('cell').last()).not.toHaveText('0');
  }

  // The job is in the recent list; opening it shows its progress view again.
  const recent = page.getByRole('list', { name: 'Recent jobs' });
  const job = recent.getByRole('listitem').filter({ hasText: 'AAPL, GOOGL' });
  await expect(job).toContainText('Completed');
  await job.getByRole('button', { name: /Open backfill job/ }).click();
  await expect(progress.getByRole('progressbar', { name: 'Backfill progress' })).toHaveAttribute(
    'aria-valuenow',
    '100',
  );
  await expect(progress.getByRole('status')).toContainText('Backfill complete');
});

test('Backfill Selected pre-fills the form with the checked symbols', async ({ page }) => {
  await openDashboard(page);
  for (const symbol of ['MSFT', 'NVDA', 'TSLA']) {
    await page.getByRole('checkbox', { name: `Select ${symbol}` }).check();
  }
  await expect(page.getByText('3 selected')).toBeVisible();
  await page.getByRole('button', { name: 'Backfill Selected' }).click();

  const dialog = page.getByRole('dialog', { name: 'Backfill', exact: true });
  for (const symbol of ['MSFT', 'NVDA', 'TSLA']) {
    await expect(dialog.getByRole('button', { name: `Remove ${symbol}` })).toBeVisible();
  }
  await dialog.getByRole('button', { name: 'Remove TSLA' }).click();
  await expect(dialog.getByRole('button', { name: 'Remove TSLA' })).toHaveCount(0);
  await dialog.getByLabel('Start date').fill(isoDaysAgo(10));
  await dialog.getByLabel('1d', { exact: true }).check();
  await dialog.getByRole('button', { name: 'Start Backfill' }).click();

  await watchToCompletion(page, 4);
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(symbolRow(page, 'MSFT').getByText('No data')).toHaveCount(0);
  await expect(symbolRow(page, 'TSLA').getByText('No data')).toBeVisible();

  await page.getByRole('button', { name: 'Clear Selection' }).click();
  await expect(page.getByText('0 selected')).toBeVisible();
});

test('a failed job in the recent list offers "Retry failed", which re-queues it and shows its progress', async ({
  page,
}) => {
  const jobId = '00000000-0000-4000-8000-00000000f00d';
  const now = new Date(clockNow()).toISOString();
  const failed = {
    job_id: jobId,
    status: 'failed',
    symbols: ['ZZFAIL'],
    start_date: isoDaysAgo(3),
    end_date: isoDaysAgo(0),
    timeframes: ['1h'],
    provider: 'synthetic',
    progress_pct: 100,
    symbols_completed: 1,
    symbols_total: 1,
    total_records_inserted: 0,
    total_records_updated: 0,
    current_symbol: 'ZZFAIL',
    error: '1 of 1 units failed',
    created_at: now,
    started_at: now,
    completed_at: now,
    cancel_requested_at: null,
  };
  // The synthetic provider never fails, so the failure and the retry's answer are staged.
  await mockProcedure(page, 'backfill.recent', [failed]);
  await mockProcedure(page, 'backfill.retry', { ...failed, status: 'queued', progress_pct: 0, error: null });
  await openDashboard(page);

  const job = page.getByRole('list', { name: 'Recent jobs' }).getByRole('listitem').filter({ hasText: 'ZZFAIL' });
  await expect(job).toContainText('Failed');
  await expect(job).toContainText('1 of 1 units failed');
  const retried = page.waitForRequest((r) => r.url().includes('backfill.retry') && r.method() === 'POST');
  await job.getByRole('button', { name: 'Retry failed' }).click();
  expect((await retried).postData()).toContain(jobId);
  await expect(page.getByRole('dialog', { name: 'Backfill Progress' })).toBeVisible();
});
