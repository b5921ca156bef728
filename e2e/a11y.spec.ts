import { expectNoSeriousViolations } from './axe';
import { expect, test } from './fixtures';
import { backfillViaApi, isoDaysAgo, openDashboard, recentJob, waitForJob, watchlist } from './helpers';

test('dashboard', async ({ page }) => {
  await openDashboard(page);
  await expectNoSeriousViolations(page);
});

test('backfill modal', async ({ page }) => {
  await openDashboard(page);
  await page.getByRole('button', { name: 'Manual Backfill…' }).click();
  await expect(page.getByRole('dialog', { name: 'Backfill', exact: true })).toBeVisible();
  await expectNoSeriousViolations(page);
});

test('progress dialog', async ({ page, request }) => {
  const jobId = await backfillViaApi(request, {
    symbols: ['AAPL'],
    timeframes: ['1h', '1d'],
    start: isoDaysAgo(5),
    end: isoDaysAgo(0),
  });
  await waitForJob(request, jobId);
  await openDashboard(page);
  await recentJob(page, jobId)
    .getByRole('button', { name: /Open backfill job/ })
    .click();
  const progress = page.getByRole('dialog', { name: 'Backfill Progress' });
  await expect(progress.getByRole('status')).toContainText('Backfill complete');
  await expectNoSeriousViolations(page);
});

test('asset modal: Overview, Candle Data, Enrichment', async ({ page, request }) => {
  const jobId = await backfillViaApi(request, {
    symbols: ['MSFT'],
    timeframes: ['1d'],
    start: isoDaysAgo(90),
    end: isoDaysAgo(0),
  });
  await waitForJob(request, jobId);
  await openDashboard(page);
  await page.getByRole('button', { name: 'MSFT', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'MSFT' });
  await expect(dialog.getByRole('tab', { name: 'Overview' })).toHaveAttribute('aria-selected', 'true');
  await expectNoSeriousViolations(page);
  for (const tab of ['Candle Data', 'Enrichment']) {
    await dialog.getByRole('tab', { name: tab }).click();
    await expect(dialog.getByRole('tab', { name: tab })).toHaveAttribute('aria-selected', 'true');
    await expect(dialog.getByRole('tabpanel')).not.toContainText('Loading');
    await expectNoSeriousViolations(page);
  }
});

test('Import CSV dialog', async ({ page }) => {
  await openDashboard(page);
  await page.getByRole('button', { name: 'Import CSV…' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectNoSeriousViolations(page);
});

test('checks panel', async ({ page }) => {
  await openDashboard(page);
  await page.getByRole('button', { name: 'Run Checks' }).click();
  await expect(page.getByRole('region', { name: /checks/i })).toBeVisible();
  await expectNoSeriousViolations(page);
});

test('keyboard: a skip link to the symbols, one Tab stop per row, arrows reach the checkbox', async ({ page }) => {
  await openDashboard(page);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to symbols' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await expect(page.getByPlaceholder('Search symbols...')).toBeFocused();

  const aapl = page.getByRole('button', { name: 'AAPL', exact: true });
  await aapl.focus();
  await page.keyboard.press('Tab');
  // The next row's symbol, not this row's or the next row's checkbox. Read at once: other specs
  // change symbols on the shared server, and a live update may re-render the rows a moment later.
  const next = await page.evaluate(() => ({
    type: document.activeElement?.getAttribute('type') ?? null,
    text: document.activeElement?.textContent?.trim() ?? '',
    inTable: document.activeElement?.closest('table')?.getAttribute('aria-label') ?? null,
  }));
  expect(next).toMatchObject({ type: 'button', inTable: 'Symbol watchlist' });
  expect(next.text).not.toBe('AAPL');
  expect(next.text).not.toBe('');
  await aapl.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('checkbox', { name: 'Select AAPL' })).toBeFocused();
  await page.keyboard.press('Space');
  await expect(page.getByText('1 selected')).toBeVisible();
});

test('keyboard focus stays on its row while a live update changes the table', async ({ page, request }) => {
  await openDashboard(page);
  await page.getByPlaceholder('Search symbols...').fill('AAPL');
  const aapl = page.getByRole('button', { name: 'AAPL', exact: true });
  await aapl.focus();
  // A symbol added elsewhere arrives over symbols.onChanged and lands in the rows on screen (its
  // name matches the search; its symbol sorts last, so it crowds no other spec's rows).
  const add = await request.post('/trpc/symbols.add', {
    data: { symbol: 'ZZFOCUS', name: 'AAPL focus probe', force: true },
  });
  expect(add.status(), await add.text()).toBe(200);
  try {
    await expect(watchlist(page).getByRole('button', { name: 'ZZFOCUS', exact: true })).toBeVisible();
    await expect(aapl).toBeFocused();
    // And the keys still work from there.
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByRole('checkbox', { name: 'Select AAPL', exact: true })).toBeFocused();
  } finally {
    const remove = await request.post('/trpc/symbols.remove', { data: { symbol: 'ZZFOCUS' } });
    expect(remove.status(), await remove.text()).toBe(200);
  }
});

test('390 px wide with 200% text: the filters fit and the symbol column stays pinned', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openDashboard(page);
  await page.evaluate(() => {
    document.documentElement.style.fontSize = '200%';
  });
  const status = page.getByLabel('Status');
  const box = await status.boundingBox();
  expect(box && box.x + box.width).toBeLessThanOrEqual(390);
  // Text in rem grows with the root size: the search box's text is twice 14 px.
  const searchFont = await page
    .getByPlaceholder('Search symbols...')
    .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
  expect(searchFont).toBe(28);

  const aapl = page.getByRole('button', { name: 'AAPL', exact: true });
  const before = await aapl.boundingBox();
  await page.getByRole('table', { name: 'Symbol watchlist' }).evaluate((t) => {
    const scroller = t.parentElement;
    if (scroller) scroller.scrollLeft = 400;
  });
  await expect.poll(async () => (await aapl.boundingBox())?.x).toBe(before?.x);
  await expectNoSeriousViolations(page);
});

test('keyboard shortcuts dialog', async ({ page }) => {
  await openDashboard(page);
  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectNoSeriousViolations(page);
});

test('API docs page', async ({ page }) => {
  await page.goto('/docs');
  await expect(page.getByRole('heading').first()).toBeVisible();
  await expectNoSeriousViolations(page);
});
