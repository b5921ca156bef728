import { expect, test } from './fixtures';
import { backfillViaApi, openDashboard, waitForJob } from './helpers';

// The map's geometry (see apps/web/src/features/coverage-map/draw.ts): a 22 px column header,
// 16 px rows, symbols in the first 112 px.
const rowLabel = (row: number) => ({ x: 20, y: 22 + row * 16 + 8 });

test('the coverage map: a partial row selected, previewed and backfilled fills its cells', async ({
  page,
  request,
}) => {
  // Fixed past dates on the synthetic provider (deterministic); crypto trades 24x7.
  await waitForJob(
    request,
    await backfillViaApi(request, {
      symbols: ['MAPE1-USD'],
      timeframes: ['1h'],
      start: '2024-01-01',
      end: '2024-03-31',
    }),
  );
  await waitForJob(
    request,
    await backfillViaApi(request, {
      symbols: ['MAPE2-USD'],
      timeframes: ['1h'],
      start: '2024-03-10',
      end: '2024-03-31',
    }),
  );

  await openDashboard(page);
  await page.getByRole('button', { name: 'Coverage Map' }).click();
  const dialog = page.getByRole('dialog', { name: 'Coverage Map' });
  await dialog.getByLabel('Timeframe', { exact: true }).selectOption('1h');
  await dialog.getByLabel('Zoom', { exact: true }).selectOption('month');
  await dialog.getByLabel('From', { exact: true }).fill('2024-01-01');
  await dialog.getByLabel('To', { exact: true }).fill('2024-03-31');
  await dialog.getByLabel('Search map', { exact: true }).fill('MAPE');

  const table = dialog.getByRole('table', { name: 'Coverage of the visible rows' });
  const row = (symbol: string) => table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: symbol }) });
  await expect(row('MAPE1-USD')).toContainText('complete 744/744');
  // March from the 10th: 22 days of 31 stored; January and February never asked for.
  await expect(row('MAPE2-USD').getByRole('cell')).toHaveText(['missing 0/744', 'missing 0/696', 'partial 528/744']);

  // Hovering a cell tells its figures.
  const canvas = dialog.getByTestId('coverage-canvas');
  await canvas.hover({ position: { x: 112 + 5, y: rowLabel(1).y } });
  await expect(page.getByRole('tooltip')).toContainText('MAPE2-USD');
  await expect(page.getByRole('tooltip')).toContainText('missing: 0 of 744 bars stored, 744 missing');

  // Clicking a cell opens its span's gaps.
  const box = await canvas.boundingBox();
  const colW = Math.floor(((box?.width ?? 0) - 112) / 3);
  await canvas.click({ position: { x: 112 + 2 * colW + 5, y: rowLabel(1).y } });
  const gaps = dialog.getByRole('region', { name: 'Gaps of MAPE2-USD' });
  await expect(gaps).toContainText('528 of 744 bars stored, 216 missing');
  await expect(gaps.getByRole('listitem')).toHaveText(['gap 2024-03-01 to 2024-03-10 (216)']);

  // The row: select it by its label, preview, start.
  await canvas.click({ position: rowLabel(1) });
  await expect(dialog.getByRole('status').first()).toHaveText('3 cells selected');
  // What the selected cells hold, exported: the streamed CSV of the row's span.
  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.url()).toMatch(
    /\/api\/v1\/candles\.csv\?symbols=MAPE2-USD&timeframe=1h&start_date=2024-01-01&end_date=2024-03-31/,
  );
  expect(file.suggestedFilename()).toMatch(/\.csv$/);
  await dialog.getByRole('button', { name: 'Preview' }).click();
  const preview = dialog.getByRole('region', { name: 'Backfill preview' });
  await expect(preview).toContainText('1,656 bars to fetch');
  await expect(preview.getByRole('row', { name: /MAPE2-USD 1h/ })).toContainText('2024-01-01 to 2024-03-10 (1,656)');
  await dialog.getByRole('button', { name: 'Start Backfill' }).click();
  await expect(dialog.getByText('Started 1 backfill job')).toBeVisible();

  // The cells fill as the job runs; the map polls.
  await expect(row('MAPE2-USD').getByRole('cell')).toHaveText(
    ['complete 744/744', 'complete 696/696', 'complete 744/744'],
    {
      timeout: 30_000,
    },
  );
});
