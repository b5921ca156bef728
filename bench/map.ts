import { chromium } from '@playwright/test';
import postgres from 'postgres';
import { chromiumLaunchOptions } from '../e2e/chromium';
import { createClient, startServerProcess } from './api';
import { fmt, median, percentile, type Report } from './lib/report';
import { createScratchDb } from './lib/scratch-db';
import { buildWeb } from './web';

const SYMBOLS = 10_000;
const FROM = '2023-01-01';
const TO = '2024-12-31';

/**
 * 10,000 symbols (a quarter crypto) with 24 months of the hourly gap index: every day a series
 * trades, full or (one day in fifty) short; failed units on some symbols, running ones on others.
 * The index is written directly: the map reads `candle_days`, never the candles.
 */
async function seed(sql: postgres.Sql): Promise<void> {
  await sql`
    insert into symbols (symbol, name, asset_class, exchange, currency, provider)
    select 'M' || lpad(i::text, 5, '0') || case when i % 4 = 0 then '-USD' else '' end, 'Map symbol ' || i,
           case when i % 4 = 0 then 'crypto' else 'equity' end, 'X', 'USD', 'synthetic'
    from generate_series(1, ${SYMBOLS}) i`;
  await sql`
    insert into candle_days (symbol, timeframe, day, source, bars)
    select s.symbol, '1h', d::date, 'synthetic',
           case when random() < 0.02 then 2 else case when s.asset_class = 'crypto' then 24 else 7 end end
    from symbols s
    cross join generate_series(${FROM}::date, ${TO}::date, interval '1 day') d
    where (s.asset_class = 'crypto' or extract(isodow from d) < 6)
      -- A tenth of the symbols start a year late: their first year is missing.
      and not (right(s.symbol, 1) = '3' and d < '2024-01-01')`;
  const [job] = await sql<{ id: string }[]>`
    insert into backfill_jobs (symbols, start_date, end_date, timeframes, provider, status)
    values (array['(map)'], ${FROM}, ${TO}, array['1h'], 'synthetic', 'running') returning id`;
  await sql`
    insert into backfill_job_progress (job_id, symbol, timeframe, range_start, range_end, status, lease_expires_at)
    select ${job?.id ?? ''}, symbol, '1h', '2024-06-01', '2024-07-01',
           case when symbol like '%7' then 'failed' else 'running' end, now() + interval '1 day'
    from symbols where symbol like '%7' or symbol like '%11'`;
  await sql`analyze`;
}

const PROBE = `(() => {
  window.__long = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); })
    .observe({ type: 'longtask', buffered: true });
})();`;

/** Scrolls `[role="application"]` through its height in 100 steps, a frame apart, as a fast wheel would. */
const SCROLL = `(async () => {
  const el = document.querySelector('[role="application"]');
  const out = [];
  let last = performance.now();
  for (let i = 1; i <= 100; i++) {
    el.scrollTop = (el.scrollHeight * i) / 100;
    await new Promise((r) => requestAnimationFrame(() => r(null)));
    const now = performance.now();
    out.push(now - last);
    last = now;
  }
  return out;
})()`;

/** The same scroll on a bare page (a 160,000 px scroller, no app): what the machine's load alone costs. */
const BARE = `<div role="application" style="height:700px;overflow:auto"><div style="height:160000px"></div></div>
  <script>${PROBE}</script>`;

/** The coverage map at 10,000 symbols x 24 months: server time and payload, then render and scroll in Chromium. */
export async function benchMap(baseUrl: string, report: Report, screenshot?: string): Promise<void> {
  const scratch = await createScratchDb(baseUrl, 'map');
  const sql = postgres(scratch.url, { max: 2, onnotice: () => {} });
  const build = await buildWeb();
  let server: Awaited<ReturnType<typeof startServerProcess>> | null = null;
  try {
    if ('error' in build) throw new Error(build.error);
    server = await startServerProcess(scratch.url, { WEB_DIST: build.dir });
    const t0 = performance.now();
    await seed(sql);
    console.log(`map: seeded ${SYMBOLS} symbols x 24 months in ${fmt((performance.now() - t0) / 1000)} s`);
    const client = createClient(server.url);
    const input = { timeframe: '1h' as const, from: FROM, to: TO, bucket: 'month' as const, limit: 500 };
    await client.enrichment.coverageMap.query({ ...input, limit: 1 }); // warm the symbol list
    const times: number[] = [];
    let bytes = 0;
    for (let offset = 0; offset < SYMBOLS; offset += 500) {
      const started = performance.now();
      const res = await fetch(
        `${server.url}/trpc/enrichment.coverageMap?input=${encodeURIComponent(JSON.stringify({ ...input, offset }))}`,
      );
      bytes += (await res.arrayBuffer()).byteLength;
      times.push(performance.now() - started);
    }
    report.add({
      name: 'map_page_ms',
      value: median(times),
      unit: 'ms',
      note: `500 symbols x 24 months per page; p95 ${fmt(percentile(times, 95))} ms, all 20 pages ${fmt(times.reduce((a, b) => a + b, 0))} ms`,
    });
    report.add({
      name: 'map_payload_kb',
      value: bytes / 1024,
      unit: 'KiB',
      note: 'all 10,000 rows x 24 months, uncompressed JSON',
    });
    const dayStart = performance.now();
    await client.enrichment.coverageMap.query({ ...input, bucket: 'day', limit: 500 });
    report.add({
      name: 'map_day_page_ms',
      value: performance.now() - dayStart,
      unit: 'ms',
      note: '500 symbols x 731 days',
    });

    const browser = await chromium.launch(chromiumLaunchOptions);
    try {
      const bare = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await bare.setContent(BARE);
      const bareFrames = (await bare.evaluate(SCROLL)) as number[];
      const bareLong = (await bare.evaluate('window.__long')) as number[];
      await bare.close();
      const baseline = `bare page, same scroll: frame p95 ${fmt(percentile(bareFrames, 95))} ms, longest task ${fmt(bareLong.length ? Math.max(...bareLong) : 0)} ms`;
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.addInitScript({ content: PROBE });
      await page.goto(server.url);
      await page.getByRole('button', { name: 'Coverage Map' }).click();
      const dialog = page.getByRole('dialog', { name: 'Coverage Map' });
      await dialog.getByLabel('Timeframe', { exact: true }).selectOption('1h');
      await dialog.getByLabel('To', { exact: true }).fill(TO);
      const opened = await page.evaluate(() => performance.now());
      await dialog.getByLabel('From', { exact: true }).fill(FROM);
      const table = dialog.getByRole('table', { name: 'Coverage of the visible rows' });
      // The first column of the new range is drawn once its page has arrived.
      await table.getByRole('columnheader', { name: '2023-01-01 to 2023-01-31' }).waitFor({ timeout: 60_000 });
      const rendered = (await page.evaluate(() => performance.now())) - opened;
      report.add({
        name: 'map_render_ms',
        value: rendered,
        unit: 'ms',
        note: 'new range to the first rows drawn (one 500-row page fetched)',
      });
      await page.evaluate(() => {
        (window as unknown as { __long: number[] }).__long = [];
      });
      const frames = (await page.evaluate(SCROLL)) as number[];
      await table.getByRole('rowheader', { name: 'M10000-USD', exact: true }).waitFor({ timeout: 60_000 });
      const long = await page.evaluate(() => (window as unknown as { __long: number[] }).__long);
      const worst = long.length ? Math.max(...long) : 0;
      // The dashboard behind the dialog (10,000 symbols, polling its list) alone, for as long.
      await page.keyboard.press('Escape');
      await page.evaluate(() => {
        (window as unknown as { __long: number[] }).__long = [];
      });
      await page.waitForTimeout(frames.reduce((a, b) => a + b, 0));
      const idle = (await page.evaluate('window.__long')) as number[];
      const dashboard = `the dashboard alone for as long: longest task ${fmt(idle.length ? Math.max(...idle) : 0)} ms, ${idle.length} long tasks`;
      report.add({
        name: 'map_scroll_frame_p95_ms',
        value: percentile(frames, 95),
        unit: 'ms',
        baseline,
        note: `100 scroll steps over 10,000 rows; median ${fmt(median(frames))} ms, max ${fmt(Math.max(...frames))} ms`,
      });
      report.add({
        name: 'map_longest_task_ms',
        value: worst,
        unit: 'ms',
        baseline: `${baseline}; ${dashboard}`,
        target: '< 100',
        ok: worst < 100,
        note: `${long.length} long tasks (> 50 ms) while scrolling, pages loading as rows come into view`,
      });
      if (screenshot) {
        await page.getByRole('button', { name: 'Coverage Map' }).click();
        await dialog.getByLabel('Timeframe', { exact: true }).selectOption('1h');
        await dialog.getByLabel('To', { exact: true }).fill(TO);
        await dialog.getByLabel('From', { exact: true }).fill(FROM);
        await dialog.getByLabel('Search map', { exact: true }).fill('M0');
        await table.getByRole('rowheader', { name: 'M00001', exact: true }).waitFor({ timeout: 60_000 });
        await page.mouse.move(600, 330);
        await page.waitForTimeout(300);
        await page.screenshot({ path: screenshot });
      }
    } finally {
      await browser.close();
    }
  } finally {
    await sql.end();
    await server?.child.stop();
    if (!('error' in build)) build.cleanup();
    await scratch.drop();
  }
}
