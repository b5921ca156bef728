import postgres from 'postgres';
import { startServerProcess } from './api';
import { fmt, type Report } from './lib/report';
import { createScratchDb } from './lib/scratch-db';
import { withMemory } from './lib/worker-proc';

const SMALL = 100_000;
const LARGE = 1_000_000;

/** `n` 5-minute candles of one symbol from 2015 on (1,000,000 reach into 2024), with nulls as stored series have. */
async function seedSeries(sql: postgres.Sql, symbol: string, n: number): Promise<void> {
  await sql`insert into symbols (symbol, asset_class, provider) values (${symbol}, 'crypto', 'synthetic')`;
  await sql`
    insert into candles (symbol, timeframe, ts, open, high, low, close, volume, vwap, trades, source)
    select ${symbol}, '5m', timestamptz '2015-01-01' + g * interval '5 minutes',
           100 + g % 7 + g / 1e6, 101 + g % 7, 99 + g % 7, 100.5 + g % 7, 1000.25 + g,
           case when g % 3 = 0 then null else 100.2 + g % 5 end, case when g % 4 = 0 then null else 50 + g % 100 end, 'synthetic'
    from generate_series(0, ${n - 1}) g`;
}

/** Reads a whole export as a script would, keeping nothing but the byte count. */
async function drain(url: string): Promise<{ bytes: number; firstByteMs: number; seconds: number }> {
  const started = performance.now();
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`${url}: ${res.status}`);
  let bytes = 0;
  let firstByteMs = -1;
  for await (const chunk of res.body) {
    if (firstByteMs < 0) firstByteMs = performance.now() - started;
    bytes += (chunk as Uint8Array).byteLength;
  }
  return { bytes, firstByteMs, seconds: (performance.now() - started) / 1000 };
}

/**
 * CSV and Parquet exports of 100,000 and 1,000,000 candles from a real server process: the
 * server's peak RSS over each (VmHWM, reset before it) must not follow the export's size.
 */
export async function benchExport(databaseUrl: string, report: Report): Promise<void> {
  const scratch = await createScratchDb(databaseUrl, 'export');
  const sql = postgres(scratch.url, { max: 1, onnotice: () => {} });
  let server: Awaited<ReturnType<typeof startServerProcess>> | undefined;
  try {
    server = await startServerProcess(scratch.url, { WORKER_ENABLED: 'false' });
    await seedSeries(sql, 'EXS-USD', SMALL);
    await seedSeries(sql, 'EXL-USD', LARGE);
    await sql`analyze`;
    const { child, url } = server;
    for (const format of ['csv', 'parquet'] as const) {
      const run = async (symbol: string) =>
        withMemory(child.pid, () =>
          drain(`${url}/api/v1/candles.${format}?symbols=${symbol}&timeframe=5m&adjust=none`),
        );
      // A first, unmeasured export warms the code paths, so neither figure carries start-up.
      await run('EXS-USD');
      const small = await run('EXS-USD');
      const large = await run('EXL-USD');
      report.add({
        name: `export_${format}_peak_rss_mb`,
        value: large.peakMb,
        unit: 'MB',
        baseline: `${fmt(SMALL)} candles: ${small.peakMb.toFixed(0)} MB, ${fmt(LARGE)}: ${large.peakMb.toFixed(0)} MB`,
        // Holding the million rows would cost over 200 MB (objects alone); the allocator's slack is less than half that.
        target: '1M within 100 MB of 100k',
        ok: large.peakMb <= small.peakMb + 100,
        note: `server process (VmHWM); 1M candles, ${(large.value.bytes / 1e6).toFixed(0)} MB in ${large.value.seconds.toFixed(1)} s (${fmt(LARGE / large.value.seconds)}/s), first byte after ${large.value.firstByteMs.toFixed(0)} ms`,
        detail: { small, large },
      });
    }
  } finally {
    await server?.child.stop();
    await sql.end({ timeout: 5 });
    await scratch.drop();
  }
}
