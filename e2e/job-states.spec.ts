import type { APIRequestContext } from '@playwright/test';
import type { BackfillStatus } from '../packages/contracts/src/backfill';
import { expectNoSeriousViolations } from './axe';
import { expect, test } from './fixtures';
import { backfillViaApi, isoDaysAgo, openDashboard, recentJob } from './helpers';

type Status = BackfillStatus;

async function statusOf(request: APIRequestContext, jobId: string): Promise<Status> {
  return (await (await request.get(`/api/v1/backfill/status/${jobId}`)).json()) as Status;
}

async function cancelViaTrpc(request: APIRequestContext, jobId: string): Promise<void> {
  const res = await request.post('/trpc/backfill.cancel', { data: { jobId } });
  expect(res.status(), await res.text()).toBe(200);
}

/**
 * 24 symbols of the seeded watchlist: 48 units with two timeframes. Seeded, since new ones would
 * crowd the table other specs read; and not ETH-USD or XRP-USD, whose 5m bars the asset and
 * chart-workspace specs count exactly on the same server, nor the ones specs expect without data
 * (BRK.B, KO, TSLA).
 */
const SYMBOLS = ['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'NVDA', 'META', 'UNH', 'AMD', 'NFLX', 'INTC', 'ORCL', 'IBM'];
const MORE = ['DIS', 'JNJ', 'XOM', 'JPM', 'V', 'WMT', 'BTC-USD', 'SPY', 'SOL-USD', 'ADA-USD', 'DOGE-USD', 'QQQ'];

test('a cancelled job shows what was done and what was not, and Resume finishes it', async ({ page, request }) => {
  // The resume runs all 48 units to the end: beside another spec that can pass the default 45 s.
  test.setTimeout(120_000);
  const symbols = [...SYMBOLS, ...MORE];
  const jobId = await backfillViaApi(request, {
    symbols,
    timeframes: ['5m', '1h'],
    start: isoDaysAgo(60),
    end: isoDaysAgo(0),
  });
  await cancelViaTrpc(request, jobId);
  await expect.poll(async () => (await statusOf(request, jobId)).status, { timeout: 30_000 }).toBe('cancelled');
  const status = await statusOf(request, jobId);
  const completed = status.details.filter((u) => u.status === 'completed').length;
  const cancelled = status.details.filter((u) => u.status === 'cancelled').length;
  expect(status.details).toHaveLength(48);
  expect(cancelled).toBeGreaterThan(0);
  // In bars: what the calendar expects in the ranges, and how far the runs got before the cancel.
  const expected = status.bars_expected ?? 0;
  const done = status.bars_done ?? 0;
  expect(expected).toBe(status.details.reduce((n, u) => n + (u.bars_expected ?? 0), 0));
  expect(done).toBeLessThan(expected);
  const barsText = `${done.toLocaleString('en-US')} of ${expected.toLocaleString('en-US')} bars (${Math.floor((100 * done) / expected)}%)`;

  await openDashboard(page);
  const item = recentJob(page, jobId);
  await expect(item).toContainText('Cancelled');
  await expect(item.getByRole('button', { name: 'Resume' })).toBeVisible();
  await item.getByRole('button', { name: /Open backfill job/ }).click();
  const progress = page.getByRole('dialog', { name: 'Backfill Progress' });
  const outcome = progress.getByRole('status');
  await expect(outcome).toContainText(`Backfill cancelled. ${completed} of 48 units completed, ${cancelled} cancelled`);
  await expect(outcome).toContainText('records stored');
  await expect(outcome).toContainText(barsText);
  await expect(progress.getByRole('progressbar', { name: 'Bars progress' })).toHaveAttribute(
    'aria-valuetext',
    barsText,
  );
  // Not a full bar: only the completed units count as progress.
  const bar = progress.getByRole('progressbar', { name: 'Backfill progress' });
  await expect(bar).toHaveAttribute('aria-valuenow', String(Math.floor((100 * completed) / 48)));
  await expect(bar).toHaveAttribute('aria-valuetext', `${completed} of 48 units completed, ${cancelled} cancelled`);
  await expect(progress.getByText('24 / 24')).toHaveCount(0);
  await expect(progress.getByRole('button', { name: 'Cancel Job' })).toHaveCount(0);
  await expectNoSeriousViolations(page);

  await progress.getByRole('button', { name: 'Resume' }).click();
  await expect(outcome).toContainText('Backfill complete', { timeout: 60_000 });
  await expect(bar).toHaveAttribute('aria-valuenow', '100');
  await expect(progress.getByText('24 / 24')).toBeVisible();
  expect((await statusOf(request, jobId)).status).toBe('completed');
});

/**
 * The first few messages of a live progress stream, read from the server and cut at a message
 * boundary, so the browser can be handed a real stream that then ends as a dropped one does.
 */
async function streamHead(url: string): Promise<string> {
  const abort = new AbortController();
  const res = await fetch(url, { signal: abort.signal, headers: { accept: 'text/event-stream' } });
  const reader = res.body?.getReader();
  if (!reader) throw new Error('The progress stream has no body');
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes('"type":"snapshot"') || !text.endsWith('\n\n')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  abort.abort();
  return text;
}

test('a progress dialog whose stream drops says so, stops its clock, and recovers', async ({ page, request }) => {
  const jobId = await backfillViaApi(request, {
    symbols: SYMBOLS,
    timeframes: ['5m'],
    start: isoDaysAgo(300),
    end: isoDaysAgo(0),
  });
  await expect.poll(async () => (await statusOf(request, jobId)).status, { intervals: [50] }).toBe('running');
  // The stream's head while the job runs: its snapshot says "running", whenever the page reads it.
  const input = encodeURIComponent(JSON.stringify({ jobId }));
  const head = await streamHead(`${test.info().project.use.baseURL}/trpc/backfill.onProgress?input=${input}`);
  expect(head).toContain('"status":"running"');

  // The page's first connection gets that head and then ends; reconnects fail until the network
  // is back, as when the server goes away mid-job.
  let down = true;
  let served = false;
  await page.route(
    (url) => url.pathname === '/trpc/backfill.onProgress',
    async (route) => {
      if (!served) {
        served = true;
        await route.fulfill({ status: 200, headers: { 'content-type': 'text/event-stream' }, body: head });
      } else if (down) await route.abort('connectionrefused');
      else await route.continue();
    },
  );

  await openDashboard(page);
  await recentJob(page, jobId)
    .getByRole('button', { name: /Open backfill job/ })
    .click();
  const progress = page.getByRole('dialog', { name: 'Backfill Progress' });
  await expect(progress.getByRole('alert')).toContainText('Connection lost, retrying…');
  await expect(progress.getByText('Running', { exact: true })).toHaveCount(0);
  const elapsed = progress.locator('dt', { hasText: 'Elapsed' }).locator('+ dd');
  const frozen = await elapsed.textContent();
  await page.waitForTimeout(2_100);
  await expect(elapsed).toHaveText(frozen ?? '');

  down = false;
  await expect(progress.getByRole('alert')).toHaveCount(0, { timeout: 20_000 });
  await expect(progress.getByText(/^(Running|Completed)$/)).toBeVisible();
  await cancelViaTrpc(request, jobId).catch(() => undefined);
});
