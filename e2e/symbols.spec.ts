import { encodeSymbolList } from '../packages/contracts/src/symbol-list';
import type { SymbolSummary } from '../packages/contracts/src/symbols';
import { now } from './clock';
import { expect, test } from './fixtures';
import { mockProcedure, openDashboard, renderedSymbols, watchlist } from './helpers';

// KO and BRK.B are never backfilled by the suite, so their status stays "no_data" whatever runs beside.
test('search, status filter and selection combine and survive a reload', async ({ page }) => {
  await openDashboard(page);
  const search = page.getByPlaceholder('Search symbols...');
  const status = page.getByLabel('Status', { exact: true });

  await search.fill('coca');
  await expect.poll(() => renderedSymbols(page)).toEqual(['KO']);
  await page.getByRole('checkbox', { name: 'Select KO' }).check();

  await search.fill('BERKSHIRE');
  await expect.poll(() => renderedSymbols(page)).toEqual(['BRK.B']);
  await page.getByRole('checkbox', { name: 'Select BRK.B' }).check();
  await expect(page.getByText('2 selected')).toBeVisible();

  await status.selectOption('no_data');
  await expect.poll(() => renderedSymbols(page)).toEqual(['BRK.B']);
  await status.selectOption('fresh');
  await expect(watchlist(page).getByText('No symbols match these filters.')).toBeVisible();
  await expect(page.getByText('2 selected')).toBeVisible();

  await page.reload();
  await expect(search).toHaveValue('BERKSHIRE');
  await expect(status).toHaveValue('fresh');
  await expect(page.getByText('2 selected')).toBeVisible();

  await status.selectOption('all');
  await expect(page.getByRole('checkbox', { name: 'Select BRK.B' })).toBeChecked();
  await search.fill('');
  await expect(page.getByRole('checkbox', { name: 'Select KO' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Select AAPL' })).not.toBeChecked();

  // "Select all" acts on the filtered rows only.
  // The six seeded pairs, and any other spec's (the server is shared).
  await search.fill('-usd');
  await expect.poll(async () => (await renderedSymbols(page)).length).toBeGreaterThanOrEqual(6);
  const pairs = (await renderedSymbols(page)).length;
  await expect(page.getByText(new RegExp(`^${pairs} of [\\d,]+ symbols$`))).toBeVisible();
  const selectAll = page.getByRole('checkbox', { name: 'Select all' });
  await selectAll.check();
  await expect(page.getByText(`${pairs + 2} selected`)).toBeVisible();
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
  // Other specs add symbols to the shared server: the order is checked, not which row comes first.
  await expect
    .poll(async () => {
      const rows = await renderedSymbols(page);
      return rows[0] !== ascending[0] && rows.join() === asc(rows).reverse().join();
    })
    .toBe(true);
  const descending = await renderedSymbols(page);
  expect(descending).toEqual(asc(descending).reverse());

  await nameHeader.getByRole('button').click();
  await expect(nameHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect(symbolHeader).toHaveAttribute('aria-sort', 'none');
  // By name: Advanced Micro Devices, Alphabet, Amazon.com, Apple.
  const seeded = ['AMD', 'GOOGL', 'AMZN', 'AAPL'];
  await expect.poll(async () => (await renderedSymbols(page)).filter((s) => seeded.includes(s))).toEqual(seeded);

  // The sort survives a reload.
  await page.reload();
  await expect(nameHeader).toHaveAttribute('aria-sort', 'ascending');
});

test('10,000 symbols stay a virtualized table with few rows in the DOM', async ({ page }) => {
  const many: SymbolSummary[] = Array.from({ length: 10_000 }, (_, i) => ({
    symbol: `SYM${String(i).padStart(5, '0')}`,
    name: `Synthetic ${i}`,
    asset_class: 'equity',
    exchange: 'TEST',
    currency: 'USD',
    provider: 'synthetic',
    session: 'regular',
    active: true,
    status: 'no_data',
    coverage: [],
    last_candle_at: null,
    records: i,
    last_error: null,
    updated_at: new Date(now()).toISOString(),
  }));
  await mockProcedure(page, 'symbols.snapshot', encodeSymbolList(many, 'e2e:0'));
  // The real server knows no such position: keep its "reload" from fetching the mock again and again.
  await page.route('**/trpc/symbols.onChanged**', (route) => route.abort());
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

test('the watchlist is fetched once, then a change arrives as that symbol alone over symbols.onChanged', async ({
  page,
  request,
}) => {
  const snapshots: number[] = [];
  page.on('requestfinished', async (request) => {
    if (!new URL(request.url()).pathname.includes('symbols.snapshot')) return;
    snapshots.push((await request.sizes()).responseBodySize);
  });
  await openDashboard(page);
  await page.getByPlaceholder('Search symbols...').fill('E2E-LIVE');
  await expect(watchlist(page).getByText('No symbols match these filters.')).toBeVisible();

  const add = await request.post('/trpc/symbols.add', { data: { symbol: 'E2E-LIVE', name: 'Live change' } });
  expect(add.status(), await add.text()).toBe(200);
  await expect(watchlist(page).getByRole('button', { name: 'E2E-LIVE', exact: true })).toBeVisible();
  const remove = await request.post('/trpc/symbols.remove', { data: { symbol: 'E2E-LIVE' } });
  expect(remove.status(), await remove.text()).toBe(200);
  await expect(watchlist(page).getByText('No symbols match these filters.')).toBeVisible();

  // One snapshot for the page; the two changes came over the subscription.
  expect(snapshots).toHaveLength(1);
  await page.getByPlaceholder('Search symbols...').fill('');
});
