import { expect, test } from './fixtures';
import { backfillViaApi, openDashboard, waitForJob } from './helpers';

// A symbol of this spec's own, sorting last so it crowds no other spec's rows.
const SYMBOL = 'ZZENRICH-USD';

test('Fill gaps in the Enrichment tab fetches exactly the gap, follows its job live and reads the mended series', async ({
  page,
  request,
}) => {
  // Two fixed spans of a 24x7 market with 4 and 5 January between them: one gap of 48 hourly bars.
  for (const [start, end] of [
    ['2024-01-01', '2024-01-03'],
    ['2024-01-06', '2024-01-08'],
  ] as const) {
    await waitForJob(request, await backfillViaApi(request, { symbols: [SYMBOL], timeframes: ['1h'], start, end }));
  }
  // The tab follows the job over its progress stream, as the progress dialog does: no status polls.
  const statusPolls: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('backfill.status')) statusPolls.push(r.url());
  });

  await openDashboard(page);
  await page.getByPlaceholder('Search symbols...').fill('ZZENRICH');
  await page.getByRole('button', { name: SYMBOL, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: SYMBOL });
  await dialog.getByRole('tab', { name: 'Enrichment' }).click();
  const coverage = dialog.getByRole('region', { name: /coverage/i });
  await expect(coverage).toContainText('144 of 192 expected bars');
  await expect(coverage).toContainText('1 gap (48 bars)');

  await dialog.getByRole('button', { name: 'Fill gaps' }).click();
  const status = dialog.getByRole('status').filter({ hasText: 'Filling' });
  await expect(status).toContainText(`Filling 1 gap (48 bars) of ${SYMBOL} 1h`);
  await expect(status.getByText('completed', { exact: true })).toBeVisible({ timeout: 30_000 });
  // The mended series is read again by itself.
  await expect(coverage).toContainText('192 of 192 expected bars');
  await expect(coverage).toContainText('0 gaps (0 bars)');
  await expect(dialog.getByRole('button', { name: 'Fill gaps' })).toBeDisabled();
  expect(statusPolls).toEqual([]);
});
