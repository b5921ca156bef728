import { type Browser, chromium, type Page } from '@playwright/test';
import type postgres from 'postgres';
import { chromiumLaunchOptions } from '../e2e/chromium';
import { SYMBOL_COUNT_TEXT } from './api';
import { fmt, type Report } from './lib/report';

const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 60);

/**
 * Bytes each request moved, from Chromium's own network events (CDP): a finished request counts
 * its `loadingFinished` total (headers included), a stream that is still open (the SSE
 * subscription) the bytes received so far. For an open stream Chromium's per-chunk network count
 * (`encodedDataLength`) lags the body: at 100,000 symbols a 788-byte message was counted as 44 B
 * when it arrived, so the body bytes (`dataLength`) are kept as well.
 */
async function meter(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const urls = new Map<string, string>();
  const bytes = new Map<string, number>();
  const body = new Map<string, number>();
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.dataReceived', (e) => {
    bytes.set(e.requestId, (bytes.get(e.requestId) ?? 0) + e.encodedDataLength);
    body.set(e.requestId, (body.get(e.requestId) ?? 0) + e.dataLength);
  });
  cdp.on('Network.loadingFinished', (e) => bytes.set(e.requestId, e.encodedDataLength));
  return {
    /** Bytes so far, by whether the request belongs to the symbol list (snapshot or onChanged). */
    totals() {
      let symbols = 0;
      let all = 0;
      for (const [id, n] of bytes) {
        all += n;
        const url = urls.get(id) ?? '';
        if (url.includes('symbols.snapshot') || url.includes('symbols.onChanged')) symbols += n;
      }
      return { symbols, all, changesBody: this.changesBody() };
    },
    /** Body bytes of the `symbols.onChanged` streams so far. */
    changesBody() {
      let n = 0;
      for (const [id, b] of body) if ((urls.get(id) ?? '').includes('symbols.onChanged')) n += b;
      return n;
    },
  };
}

/**
 * Figure 6: what the watchlist moves over the network with 10,000 symbols: the first load, an
 * idle minute, and one symbol changing. Beside them, `symbols.list` (the same rows as objects).
 */
export async function benchWebTraffic(url: string, sql: postgres.Sql, report: Report): Promise<void> {
  const browser: Browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const objects = (await (await fetch(`${url}/trpc/symbols.list`)).arrayBuffer()).byteLength;
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    let snapshotBytes = 0;
    page.on('requestfinished', async (r) => {
      if (r.url().includes('symbols.snapshot')) snapshotBytes = (await r.sizes()).responseBodySize;
    });
    const net = await meter(page);
    await page.goto(url);
    await page.getByRole('table', { name: 'Symbol watchlist' }).locator('tbody button').first().waitFor();
    // The subscription connects right after the snapshot lands.
    await page.waitForTimeout(1000);
    report.add({
      name: 'web_symbols_first_load_kb',
      value: snapshotBytes / 1024,
      unit: 'KB',
      baseline: `symbols.list (objects) ${fmt(objects / 1024)} KB`,
      target: '< 1024',
      ok: snapshotBytes > 0 && snapshotBytes < 1024 * 1024,
      note: `JSON body of symbols.snapshot on a cold load, ${SYMBOL_COUNT_TEXT} symbols x 4 timeframes (no HTTP compression)`,
    });

    const before = net.totals();
    await page.waitForTimeout(IDLE_SECONDS * 1000);
    const after = net.totals();
    const perMinute = (n: number) => (n / IDLE_SECONDS) * 60;
    const idle = perMinute(after.symbols - before.symbols) / 1024;
    report.add({
      name: 'web_idle_symbols_kb_per_min',
      value: idle,
      unit: 'KB/min',
      baseline: `the whole dashboard ${fmt(perMinute(after.all - before.all) / 1024)} KB/min (health, metrics, recent jobs poll every 10 s); a 10 s poll of symbols.list ${fmt((objects * 6) / 1024)} KB/min`,
      target: '< 10',
      ok: idle < 10,
      note: `snapshot + symbols.onChanged bytes over ${IDLE_SECONDS} s of an open, idle dashboard (Chromium CDP network events)`,
    });

    // One symbol's coverage moves, and its NOTIFY goes out, as a write by any process does.
    const [one] = await sql<{ symbol: string }[]>`select symbol from symbols order by symbol limit 1 offset 500`;
    const symbol = one?.symbol ?? '';
    const mark = net.totals();
    await sql`update series_coverage set count = count + 1 where symbol = ${symbol} and timeframe = '1d'`;
    await sql`select pg_notify('candlebase_symbols', ${symbol})`;
    // Until 1 s passes with nothing new after a row's worth came (at most 10 s): a status pass due
    // at the same moment may send its small frame first, and must not end the wait.
    const until = Date.now() + 10_000;
    let last = mark.changesBody;
    let quietSince = Date.now();
    while (Date.now() < until) {
      await page.waitForTimeout(100);
      const n = net.changesBody();
      if (n !== last) {
        last = n;
        quietSince = Date.now();
      } else if (n - mark.changesBody > 200 && Date.now() - quietSince > 1000) break;
    }
    const changeBytes = net.changesBody() - mark.changesBody;
    const counted = net.totals().symbols - mark.symbols;
    report.add({
      name: 'web_one_symbol_change_bytes',
      value: changeBytes,
      unit: 'B',
      baseline: `the snapshot ${fmt(snapshotBytes / 1024)} KB; Chromium's network count for the stream meanwhile ${fmt(counted)} B`,
      ok: changeBytes > 200 && changeBytes < 2048,
      target: '< 2048',
      note: `symbols.onChanged body bytes after ${symbol}'s coverage changed (one tracked SSE message with its row)`,
    });
    await context.close();
  } finally {
    await browser.close();
  }
}
