import { type APIRequestContext, expect, type Locator, type Page, type Route } from '@playwright/test';

export { isoDaysAgo } from './clock';

export async function openDashboard(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'AAPL', exact: true })).toBeVisible();
}

export function watchlist(page: Page): Locator {
  return page.getByRole('table', { name: 'Symbol watchlist' });
}

/** The table row of one symbol. */
export function symbolRow(page: Page, symbol: string): Locator {
  return watchlist(page)
    .getByRole('row')
    .filter({ has: page.getByRole('button', { name: symbol, exact: true }) });
}

/** The symbols in the rows the table renders, top to bottom. */
export async function renderedSymbols(page: Page): Promise<string[]> {
  return watchlist(page).locator('tbody').getByRole('button').allTextContents();
}

/** Starts a backfill through the REST API (for tests that need data, not the form). */
export async function backfillViaApi(
  request: APIRequestContext,
  q: { symbols: string[]; timeframes: string[]; start: string; end: string },
): Promise<string> {
  const params = new URLSearchParams({
    symbols: q.symbols.join(','),
    timeframes: q.timeframes.join(','),
    start_date: q.start,
    end_date: q.end,
  });
  const res = await request.post(`/api/v1/backfill?${params}`);
  expect(res.status(), await res.text()).toBeLessThan(300);
  const body = (await res.json()) as { job_id: string };
  return body.job_id;
}

/**
 * A job's card in Recent Jobs, found by its id: other specs on the same server start jobs too, so
 * the newest card need not be this spec's. The list holds the newest 20, so open it soon after
 * the job starts.
 */
export function recentJob(page: Page, jobId: string): Locator {
  return page
    .getByRole('list', { name: 'Recent jobs' })
    .getByRole('listitem')
    .filter({ has: page.locator(`[id="job-${jobId}"]`) });
}

export async function waitForJob(request: APIRequestContext, jobId: string): Promise<void> {
  await expect
    .poll(
      async () => {
        const res = await request.get(`/api/v1/backfill/status/${jobId}`);
        return ((await res.json()) as { status: string }).status;
      },
      { timeout: 60_000, intervals: [250, 500, 1000] },
    )
    .toBe('completed');
}

/** The number in a text such as "Backfill complete: 1,234 records inserted". */
export function countIn(text: string | null, pattern: RegExp): number {
  const m = text?.match(pattern);
  return m?.[1] ? Number(m[1].replaceAll(',', '')) : Number.NaN;
}

/**
 * Answers one tRPC procedure with `data` wherever it travels: alone or inside an httpBatchLink
 * batch (the other procedures of the batch still reach the server).
 */
export async function mockProcedure(page: Page, path: string, data: unknown): Promise<void> {
  const matches = (url: string) => new URL(url).pathname.replace('/trpc/', '').split(',').includes(path);
  await page.route(
    (url) => url.pathname.startsWith('/trpc/') && matches(url.href),
    async (route: Route) => {
      const paths = new URL(route.request().url()).pathname.replace('/trpc/', '').split(',');
      const batched = new URL(route.request().url()).searchParams.get('batch') === '1';
      if (!batched) {
        await route.fulfill({ json: { result: { data } } });
        return;
      }
      const others = paths.filter((p) => p !== path);
      const real: unknown[] = others.length > 0 ? ((await (await route.fetch()).json()) as unknown[]) : [];
      await route.fulfill({ json: paths.map((p, i) => (p === path ? { result: { data } } : real[i])) });
    },
  );
}
