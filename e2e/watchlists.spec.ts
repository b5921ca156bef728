import type { APIRequestContext } from '@playwright/test';
import { expectNoSeriousViolations } from './axe';
import { expect, test } from './fixtures';
import { backfillViaApi, isoDaysAgo, openDashboard, renderedSymbols, symbolRow, waitForJob } from './helpers';

/** The candles stored for a symbol, as `symbols.get` counts them; null once it is no symbol. */
async function records(request: APIRequestContext, symbol: string): Promise<number | null> {
  const res = await request.get(`/trpc/symbols.get?input=${encodeURIComponent(JSON.stringify({ symbol }))}`);
  if (res.status() === 404) return null;
  return ((await res.json()) as { result: { data: { records: number } } }).result.data.records;
}

async function stored(request: APIRequestContext, symbols: string[]): Promise<void> {
  const jobId = await backfillViaApi(request, {
    symbols,
    timeframes: ['1d'],
    start: isoDaysAgo(40),
    end: isoDaysAgo(1),
  });
  await waitForJob(request, jobId);
}

// Each test runs axe over several dialogs, which is slow on a loaded machine.
test.describe.configure({ timeout: 120_000 });

// The symbols here are the spec's own (WL...): other specs never see them come and go.
test('removal asks whether the candles stay: kept ones come back with the symbol, deleted ones do not', async ({
  page,
  request,
}) => {
  await stored(request, ['WLKEEP', 'WLDROP']);
  const kept = await records(request, 'WLKEEP');
  expect(kept).toBeGreaterThan(0);
  await openDashboard(page);
  await page.getByPlaceholder('Search symbols...').fill('WL');
  await expect.poll(() => renderedSymbols(page)).toEqual(expect.arrayContaining(['WLDROP', 'WLKEEP']));

  await page.getByRole('checkbox', { name: 'Select WLKEEP' }).check();
  await page.getByRole('button', { name: 'Remove Symbols' }).click();
  const confirm = page.getByRole('dialog', { name: 'Remove WLKEEP' });
  await expect(confirm.getByRole('group')).toContainText(`WLKEEP has ${kept?.toLocaleString('en-US')} candles stored`);
  // Nothing is chosen for the user: the removal waits for an answer.
  await expect(confirm.getByRole('button', { name: 'Remove' })).toBeDisabled();
  await expectNoSeriousViolations(page);
  await confirm.getByRole('radio', { name: /Keep candles/ }).check();
  await confirm.getByRole('button', { name: 'Remove, keep candles' }).click();
  await expect(confirm).toBeHidden();
  await expect(symbolRow(page, 'WLKEEP')).toHaveCount(0);
  await expect(page.getByText('0 selected')).toBeVisible();
  expect(await records(request, 'WLKEEP')).toBeNull();

  // Added again from the dialog, after the provider's lookup, it reads its candles as before.
  await page.getByRole('button', { name: 'Add Symbol' }).click();
  const add = page.getByRole('dialog', { name: 'Add symbol' });
  await add.getByLabel('Symbol', { exact: true }).fill('wlkeep');
  await add.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(add.getByRole('status')).toContainText('Added WLKEEP. Demo data:');
  await expectNoSeriousViolations(page);
  await add.getByRole('button', { name: 'Done' }).click();
  await expect(symbolRow(page, 'WLKEEP')).toHaveCount(1);
  expect(await records(request, 'WLKEEP')).toBe(kept);

  await page.getByRole('checkbox', { name: 'Select WLDROP' }).check();
  await page.getByRole('button', { name: 'Remove Symbols' }).click();
  const drop = page.getByRole('dialog', { name: 'Remove WLDROP' });
  await drop.getByRole('radio', { name: /Delete candles/ }).check();
  await drop.getByRole('button', { name: 'Remove and delete candles' }).click();
  await expect(drop).toBeHidden();
  await expect(symbolRow(page, 'WLDROP')).toHaveCount(0);
  const res = await request.post('/trpc/symbols.add', { data: { symbol: 'WLDROP' } });
  expect(res.status()).toBe(200);
  expect(await records(request, 'WLDROP')).toBe(0);
});

test('a named list: created, filled from the selection, shown, emptied, renamed and deleted', async ({ page }) => {
  await openDashboard(page);
  const picker = page.getByLabel('List', { exact: true });
  await expect(picker).toHaveValue('');
  await expect(picker.locator('option:checked')).toHaveText('All symbols');

  await page.getByRole('button', { name: 'New List' }).click();
  const create = page.getByRole('dialog', { name: 'New list' });
  await expectNoSeriousViolations(page);
  await create.getByLabel('List name').fill('Big Tech');
  await create.getByRole('button', { name: 'Create list' }).click();
  await expect(create).toBeHidden();
  // The new list is picked, and empty.
  await expect(picker.locator('option:checked')).toHaveText('Big Tech (0)');
  await expect.poll(() => renderedSymbols(page)).toEqual([]);

  await picker.selectOption({ label: 'All symbols' });
  await page.getByRole('checkbox', { name: 'Select AAPL' }).check();
  await page.getByRole('checkbox', { name: 'Select MSFT' }).check();
  await page.getByRole('button', { name: 'Add to List' }).click();
  const addTo = page.getByRole('dialog', { name: 'Add to list' });
  await expectNoSeriousViolations(page);
  await addTo.getByLabel('Add to').selectOption({ label: 'Big Tech' });
  await addTo.getByRole('button', { name: 'Add to list' }).click();
  await expect(addTo).toBeHidden();

  await picker.selectOption({ label: 'Big Tech (2)' });
  await expect.poll(() => renderedSymbols(page)).toEqual(['AAPL', 'MSFT']);
  await page.getByRole('checkbox', { name: 'Select MSFT' }).uncheck();
  await page.getByRole('button', { name: 'Remove from List' }).click();
  await expect.poll(() => renderedSymbols(page)).toEqual(['MSFT']);
  // Out of the list, not out of the database.
  await page.reload();
  await expect(picker.locator('option:checked')).toHaveText('Big Tech (1)');
  await picker.selectOption({ label: 'All symbols' });
  await expect(symbolRow(page, 'AAPL')).toHaveCount(1);

  await picker.selectOption({ label: 'Big Tech (1)' });
  await page.getByRole('button', { name: 'Rename List' }).click();
  const rename = page.getByRole('dialog', { name: 'Rename list Big Tech' });
  await rename.getByLabel('List name').fill('Megacaps');
  await rename.getByRole('button', { name: 'Rename list' }).click();
  await expect(picker.locator('option:checked')).toHaveText('Megacaps (1)');

  await page.getByRole('button', { name: 'Delete List' }).click();
  const remove = page.getByRole('dialog', { name: 'Delete list Megacaps' });
  await expectNoSeriousViolations(page);
  await remove.getByRole('button', { name: 'Delete list' }).click();
  await expect(picker.locator('option:checked')).toHaveText('All symbols');
  await expect(picker.locator('option')).toHaveText(['All symbols']);
  await expect(symbolRow(page, 'MSFT')).toHaveCount(1);
});

test('a rename (a ticker change) carries the candles to the new name; a taken name is refused', async ({
  page,
  request,
}) => {
  await stored(request, ['WLOLD']);
  const before = await records(request, 'WLOLD');
  await openDashboard(page);
  await page.getByPlaceholder('Search symbols...').fill('WLOLD');
  await page.getByRole('checkbox', { name: 'Select WLOLD' }).check();
  await page.getByRole('button', { name: 'Rename Symbol' }).click();
  const rename = page.getByRole('dialog', { name: 'Rename WLOLD' });
  await expectNoSeriousViolations(page);
  await rename.getByLabel('New symbol').fill('AAPL');
  await rename.getByRole('button', { name: 'Rename' }).click();
  await expect(rename.getByRole('alert')).toHaveText('Symbol AAPL is already in the watchlist');
  await rename.getByLabel('New symbol').fill('wlnew');
  await rename.getByRole('button', { name: 'Rename' }).click();
  await expect(rename).toBeHidden();
  await page.getByPlaceholder('Search symbols...').fill('WLNEW');
  await expect.poll(() => renderedSymbols(page)).toEqual(['WLNEW']);
  await expect(page.getByRole('checkbox', { name: 'Select WLNEW' })).toBeChecked();
  expect(await records(request, 'WLNEW')).toBe(before);
  expect(await records(request, 'WLOLD')).toBeNull();
});
