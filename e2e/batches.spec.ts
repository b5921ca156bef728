import { encodeSymbolList } from '../packages/contracts/src/symbol-list';
import type { SymbolSummary } from '../packages/contracts/src/symbols';
import { now } from './clock';
import { expect, test } from './fixtures';
import { isoDaysAgo, mockProcedure, watchlist } from './helpers';

/** A watchlist of `n` symbols without data. */
function symbols(n: number): SymbolSummary[] {
  return Array.from({ length: n }, (_, i) => ({
    symbol: `BAT${String(i).padStart(4, '0')}`,
    name: `Batch ${i}`,
    asset_class: 'equity',
    exchange: 'TEST',
    currency: 'USD',
    provider: 'synthetic',
    session: 'regular',
    active: true,
    status: 'no_data',
    coverage: [],
    last_candle_at: null,
    records: 0,
    last_error: null,
    updated_at: new Date(now()).toISOString(),
  }));
}

test('Backfill Selected with 250 symbols starts three jobs of at most 100; typed, 101 are still refused', async ({
  page,
}) => {
  await mockProcedure(page, 'symbols.snapshot', encodeSymbolList(symbols(250), 'e2e:0'));
  // The real server knows no such position: keep its "reload" from fetching the mock again and again.
  await page.route('**/trpc/symbols.onChanged**', (route) => route.abort());
  // The jobs themselves are staged: 250 new symbols would crowd the demo watchlist of later specs.
  const sent: string[][] = [];
  await page.route(
    (url) => url.pathname.startsWith('/trpc/backfill.create'),
    async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}') as Record<string, { symbols: string[] }>;
      const input = body['0'];
      sent.push(input?.symbols ?? []);
      const n = sent.length;
      await route.fulfill({
        json: [
          {
            result: {
              data: {
                job_id: `00000000-0000-4000-8000-00000000000${n}`,
                status: 'queued',
                symbols_count: input?.symbols.length ?? 0,
                symbols: input?.symbols ?? [],
                date_range: { start: isoDaysAgo(1), end: isoDaysAgo(0) },
                timeframes: ['1d'],
                timestamp: new Date(now()).toISOString(),
              },
            },
          },
        ],
      });
    },
  );
  await page.goto('/');
  await expect(watchlist(page).getByRole('button', { name: 'BAT0000', exact: true })).toBeVisible();
  await page.getByRole('checkbox', { name: 'Select all' }).check();
  await expect(page.getByText('250 selected')).toBeVisible();
  await page.getByRole('button', { name: 'Backfill Selected' }).click();

  const dialog = page.getByRole('dialog', { name: 'Backfill', exact: true });
  await expect(dialog.getByRole('note')).toHaveText(
    '250 symbols are more than one backfill takes: they start as 3 backfills of at most 100 symbols each.',
  );
  await dialog.getByRole('button', { name: 'Start Backfill' }).click();
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await expect(page.getByRole('dialog', { name: 'Backfill Progress' })).toBeVisible();
  expect(sent.map((s) => s.length)).toEqual([100, 100, 50]);
  expect(new Set(sent.flat()).size).toBe(250);
  expect(sent[0]?.[0]).toBe('BAT0000');
  await page.keyboard.press('Escape');

  // The typed form keeps the contract's refusal.
  await page.getByRole('button', { name: 'Manual Backfill…' }).click();
  await dialog.getByLabel('Symbols').fill(Array.from({ length: 101 }, (_, i) => `T${i}`).join(', '));
  await dialog.getByRole('button', { name: 'Start Backfill' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('At most 100 symbols per backfill');
  await expect(dialog.getByRole('note')).toHaveCount(0);
  expect(sent).toHaveLength(3);
});
