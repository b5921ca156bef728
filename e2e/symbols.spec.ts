import { now } from './clock';
import { expect, test } from './fixtures';
import { mockProcedure, openDashboard, renderedSymbols, watchlist } from './helpers';

// KO and PG are never backfilled by the suite, so their status stays "no_data" whatever runs beside.
test('search, status filter and selection combine and survive a reload', async ({ page }) => {
  await openDashboard(page);
  const search = page.getByPlaceholder('Search symbols...');
  const status = page.getByLabel('Status', { exact: true });

  await search.fill('coca');
  await expect.poll(() => renderedSymbols(page)).toEqual(['KO']);
  await page.getByRole('checkbox', { name: 'Select KO' }).check();

  await search.fill('PROCTER');
  await expect.poll(() => renderedSymbols(page)).toEqual(['PG']);
  await page.getByRole('checkbox', { name: 'Select PG' }).check();
  await expect(page.getByText('2 selected')).toBeVisible();

  await status.selectOption('no_data');
  await expect.poll(() => renderedSymbols(page)).toEqual(['PG']);
  await status.selectOption('fresh');
  await expect(watchlist(page).getByText('No symbols match these filters.')).toBeVisible();
  await expect(page.getByText('2 selected')).toBeVisible();

  await page.reload();
  await expect(search).toHaveValue('PROCTER');
  await expect(status).toHaveValue('fresh');
  await expect(page.getByText('2 selected')).toBeVisible();

  await status.selectOption('all');
  await expect(page.getByRole('checkbox', { name: 'Select PG' })).toBeChecked();
  await search.fill('');
  await expect(page.getByRole('checkbox', { name: 'Select KO' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Select AAPL' })).not.toBeChecked();

  // "Select all" acts on the filtered rows only.
  await search.fill('-usd');
  await expect.poll(async () => (await renderedSymbols(page)).length).toBe(6);
  await expect(page.getByText(/^6 of [\d,]+ symbols$/)).toBeVisible();
  const selectAll = page.getByRole('checkbox', { name: 'Select all' });
  await selectAll.check();
  await expect(page.getByText('8 selected')).toBeVisible();
  await selectAll.uncheck();
  await expect(page.getByText('2 selected')).toBeVisible();

  await page.getByRole('button', { name: 'Clear Selection' }).click();
  await expect(page.getByText('0 selected')).toBeVisible();
  await page.reload();
  await expect(page.getByText('0 selected')).toBeVisible();
});

test('sorting by a column flips aria-sort and reorders the rows', async ({ page }) => {
  await openDashboard(page);
  const symbolHeader = watchlist(page).getByRole('columnheader', { name: 'Symbol' });
  const nameHeader = watchlist(page).getByRole('columnheader', { name: 'Name' });
  const asc = (xs: string[]) => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  await expect(symbolHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect(nameHeader).toHaveAttribute('aria-sort', 'none');
  const ascending = await renderedSymbols(page);
  expect(ascending.length).toBeGreaterThanOrEqual(20);
  expect(ascending).toEqual(asc(ascending));

  await symbolHeader.getByRole('button').click();
  await expect(symbolHeader).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(async () => (await renderedSymbols(page))[0]).toBe('XRP-USD');
  const descending = await renderedSymbols(page);
  expect(descending).toEqual(asc(descending).reverse());

  await nameHeader.getByRole('button').click();
  await expect(nameHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect(symbolHeader).toHaveAttribute('aria-sort', 'none');
  await expect.poll(async () => (await renderedSymbols(page))[0]).toBe('AMD');

  // The sort survives a reload.
  await page.reload();
  await expect(nameHeader).toHaveAttribute('aria-sort', 'ascending');
});

test('10,000 symbols stay a virtualized table with few rows in the DOM', async ({ page }) => {
  const many = Array.from({ length: 10_000 }, (_, i) => ({
    symbol: `SYM${String(i).padStart(5, '0')}`,
    name: `Synthetic ${i}`,
    asset_class: 'equity',
    exchange: 'TEST',
    currency: 'USD',
    provider: 'synthetic',
    active: true,
    status: 'no_data',
    coverage: [],
    last_candle_at: null,
    records: i,
    last_error: null,
    updated_at: new Date(now()).toISOString(),
  }));
  await mockProcedure(page, 'symbols.list', many);
  await page.goto('/');
  const table = watchlist(page);
  await expect(table.getByRole('button', { name: 'SYM00000', exact: true })).toBeVisible();
  await expect(table).toHaveAttribute('aria-rowcount', '10001');
  expect(await table.locator('tbody tr').count()).toBeLessThan(80);

  await table.locator('xpath=..').evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await expect(table.getByRole('button', { name: 'SYM09999', exact: true })).toBeVisible();
  expect(await table.locator('tbody tr').count()).toBeLessThan(80);
});

test('the watchlist is fetched as a plain GET with an ETag, and an unchanged refresh carries no body', async ({
  page,
}) => {
  const seen: { path: string; ifNoneMatch?: string; etag?: string; bodyBytes: number }[] = [];
  page.on('requestfinished', async (request) => {
    const url = new URL(request.url());
    if (!url.pathname.startsWith('/trpc/') || !url.pathname.includes('symbols.list')) return;
    const response = await request.response();
    seen.push({
      path: url.pathname + url.search,
      ifNoneMatch: (await request.allHeaders())['if-none-match'],
      etag: response?.headers().etag,
      bodyBytes: (await request.sizes()).responseBodySize,
    });
  });
  await openDashboard(page);
  // Other specs may change the watchlist meanwhile: a few refreshes find one with nothing new.
  await expect
    .poll(
      async () => {
        await page.getByRole('button', { name: 'Refresh Now' }).click();
        await page.waitForTimeout(300);
        return seen.some((s) => s.ifNoneMatch !== undefined && s.ifNoneMatch === s.etag && s.bodyBytes === 0);
      },
      { timeout: 20_000, intervals: [500] },
    )
    .toBe(true);
  expect(seen.length).toBeGreaterThanOrEqual(2);
  for (const s of seen) expect(s.path).toBe('/trpc/symbols.list');
  expect(seen.some((s) => s.bodyBytes > 1000)).toBe(true);
});
