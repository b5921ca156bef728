import { expectNoSeriousViolations } from './axe';
import { expect, test } from './fixtures';
import { backfillViaApi, openDashboard, waitForJob } from './helpers';

// Fixed past dates: the synthetic provider's one split is NVIDIA's 10-for-1 of 2024-06-10, and
// four weeks of 5-minute bars are several pages of 500. PG is compared with it over the same span.
const START = '2024-05-20';
const END = '2024-06-14';

test('the chart workspace pages back, goes to a date, compares, adds indicators, switches zone and marks a split', async ({
  page,
  request,
}) => {
  // Two backfills and a dozen steps: more than the default 45 s on a busy machine.
  test.setTimeout(150_000);
  const jobs = await Promise.all([
    backfillViaApi(request, { symbols: ['NVDA'], timeframes: ['5m', '1d'], start: START, end: END }),
    backfillViaApi(request, { symbols: ['PG'], timeframes: ['5m'], start: START, end: END }),
  ]);
  for (const job of jobs) await waitForJob(request, job);

  await openDashboard(page);
  await page.getByRole('button', { name: 'NVDA', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'NVDA' });
  await dialog.getByRole('tab', { name: 'Candle Data' }).click();
  // Other specs may have stored NVDA's hourly bars, which the tab would open on: pick 5m.
  await dialog.getByRole('radio', { name: '5m', exact: true }).check({ force: true });
  await expect(dialog.getByRole('radio', { name: '5m', exact: true })).toBeChecked();
  const loaded = dialog.getByText(/^[\d,]+ of [\d,]+ loaded$/);
  await expect(loaded).toHaveText(/^500 of /);

  // Dragging the chart to the right reaches back in time; near the oldest bar it fetches the page before.
  const chart = dialog.getByRole('img', { name: /Candlestick chart of NVDA/ });
  const box = await chart.boundingBox();
  if (!box) throw new Error('the chart has no box');
  await expect
    .poll(
      async () => {
        await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.4);
        await page.mouse.down();
        await page.mouse.move(box.x + box.width * 0.9, box.y + box.height * 0.4, { steps: 8 });
        await page.mouse.up();
        return loaded.textContent();
      },
      { timeout: 20_000 },
    )
    .toMatch(/^1,000 of /);

  // Go to a date: the newest bar held is that day's last, in New York time for an equity.
  const range = dialog.getByTestId('visible-range');
  await dialog.getByLabel('Go to date').fill('2024-06-07');
  await dialog.getByRole('button', { name: 'Go', exact: true }).click();
  await expect(loaded).toHaveText(/^500 of /);
  await expect(range).toHaveText(/to 2024-06-07 \d\d:\d\d New York time$/);
  // A picked span ends at the right edge: one day back from that day's last bar.
  await dialog.getByLabel('Visible span').selectOption('1 day');
  await expect(range).toHaveText(/^Showing 2024-06-06 \d\d:\d\d to 2024-06-07 \d\d:\d\d New York time$/);
  const newYork = (await range.textContent()) ?? '';
  // The candle table reads its times in the chart's zone: the day's last regular bar is 15:55 there.
  const ohlcv = dialog.getByRole('table', { name: 'OHLCV' });
  await expect(ohlcv.getByRole('columnheader').first()).toHaveText('Time (New York time)');
  await expect(ohlcv.getByRole('row').nth(1)).toContainText('Jun 07, 2024, 15:55');
  const zone = dialog.getByRole('radiogroup', { name: 'Time zone' });
  await zone.getByRole('radio', { name: 'UTC' }).check({ force: true });
  await expect(range).toHaveText(/to 2024-06-0[78] \d\d:\d\d UTC$/);
  await expect(ohlcv.getByRole('columnheader').first()).toHaveText('Time (UTC)');
  await expect(ohlcv.getByRole('row').nth(1)).toContainText('Jun 07, 2024, 19:55');
  // June in New York is UTC-4: the same bar reads four hours later in UTC.
  const hour = (text: string) => Number(text.match(/to \S+ (\d\d):\d\d/)?.[1]);
  expect((hour((await range.textContent()) ?? '') - hour(newYork) + 24) % 24).toBe(4);
  await zone.getByRole('radio', { name: 'New York' }).check({ force: true });
  await expect(range).toHaveText(/New York time$/);

  // Compare with a second symbol, both in % from the first visible bar (not with itself).
  await dialog.getByLabel('Compare with').fill('nvda');
  await dialog.getByRole('button', { name: 'Compare', exact: true }).click();
  await expect(dialog.getByText('Pick a symbol other than NVDA to compare with.')).toBeVisible();
  await dialog.getByLabel('Compare with').fill('pg');
  await dialog.getByRole('button', { name: 'Compare', exact: true }).click();
  await expect(dialog.getByText('NVDA and PG in % from the first visible bar')).toBeVisible();
  await expect(chart).toHaveAccessibleName(/compared with PG in percent/);

  // An indicator with a period of the user's choosing; a bad period is refused with a sentence.
  await dialog.getByLabel('Indicator', { exact: true }).selectOption('EMA');
  await dialog.getByLabel('Period').fill('1');
  await dialog.getByRole('button', { name: 'Add indicator' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Period must be a whole number from 2 to 500.');
  await dialog.getByLabel('Period').fill('10');
  await dialog.getByRole('button', { name: 'Add indicator' }).click();
  await dialog.getByLabel('Indicator', { exact: true }).selectOption('RSI');
  await dialog.getByLabel('Period').fill('7');
  await dialog.getByRole('button', { name: 'Add indicator' }).click();
  const legend = dialog.getByRole('list', { name: 'Indicators on the chart' });
  await expect(legend.getByRole('listitem')).toHaveText(['EMA 10×', 'RSI 7×']);
  await legend.getByRole('button', { name: 'Remove EMA 10' }).click();
  await expect(legend.getByRole('listitem')).toHaveText(['RSI 7×']);

  // The split is marked on the daily bars around it.
  await dialog.getByLabel('Go to date').fill('2024-06-14');
  await dialog.getByRole('button', { name: 'Go', exact: true }).click();
  await dialog.getByRole('radio', { name: '1d', exact: true }).check({ force: true });
  await expect(dialog.getByText('Marked: Split 10:1 on 2024-06-10')).toBeVisible();
  await expect(range).toHaveText(/to 2024-06-14 UTC$/);

  await expectNoSeriousViolations(page);
  // Latest leaves the date behind.
  await dialog.getByRole('button', { name: 'Latest' }).click();
  await expect(dialog.getByRole('button', { name: 'Latest' })).toBeDisabled();
});

test('paging back holds at most 20 pages: the newest are let go', async ({ page, request }) => {
  // 43 days of a 24x7 market: 43 x 288 = 12,384 five-minute bars, 25 pages of 500.
  const job = await backfillViaApi(request, {
    symbols: ['XRP-USD'],
    timeframes: ['5m'],
    start: '2024-01-01',
    end: '2024-02-12',
  });
  await waitForJob(request, job);
  test.setTimeout(150_000);
  await openDashboard(page);
  // The watchlist is virtualized: a symbol far down the list is found by searching for it.
  await page.getByPlaceholder('Search symbols...').fill('XRP');
  await page.getByRole('button', { name: 'XRP-USD', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'XRP-USD' });
  await dialog.getByRole('tab', { name: 'Candle Data' }).click();
  await dialog.getByRole('radio', { name: '5m', exact: true }).check({ force: true });
  const loaded = dialog.getByText(/^[\d,]+ of [\d,]+ loaded$/);
  await expect(loaded).toHaveText('500 of 12,384 loaded');
  // Crypto reads in UTC by default; the newest bar is the last of the range.
  const range = dialog.getByTestId('visible-range');
  await expect(range).toHaveText(/to 2024-02-12 23:55 UTC$/);
  const more = dialog.getByRole('button', { name: 'Load more' });
  for (let i = 2; i <= 20; i++) {
    await more.click();
    await expect(loaded).toHaveText(`${(i * 500).toLocaleString('en-US')} of 12,384 loaded`);
  }
  await more.click();
  await expect(more).toBeEnabled();
  await expect(loaded).toHaveText('10,000 of 12,384 loaded');
  // The first page (the newest 500 bars) is gone: the table now starts 500 bars back.
  const firstRow = dialog.getByRole('table', { name: 'OHLCV' }).getByRole('row').nth(1);
  await expect(firstRow).toContainText('Feb 11, 2024, 06:15');
});
