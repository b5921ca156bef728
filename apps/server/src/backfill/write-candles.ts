import { countOf, type Executor } from '@candlebase/db';
import type { ProviderCandle } from '@candlebase/providers';
import { sql } from 'drizzle-orm';

export interface PageWrite {
  symbol: string;
  timeframe: string;
  source: string;
  candles: readonly ProviderCandle[];
}

/**
 * Upserts one page in one statement: unnest()ed column arrays, ON CONFLICT DO NOTHING. The
 * command tag's row count is exactly the number of new rows, so re-running a range counts 0.
 */
export async function insertCandles(tx: Executor, page: PageWrite): Promise<number> {
  const n = page.candles.length;
  if (n === 0) return 0;
  const ts = new Array<number>(n);
  const open = new Array<number>(n);
  const high = new Array<number>(n);
  const low = new Array<number>(n);
  const close = new Array<number>(n);
  const volume = new Array<number>(n);
  const vwap = new Array<number | null>(n);
  const trades = new Array<number | null>(n);
  for (let i = 0; i < n; i++) {
    const c = page.candles[i] as ProviderCandle;
    ts[i] = c.ts;
    open[i] = c.open;
    high[i] = c.high;
    low[i] = c.low;
    close[i] = c.close;
    volume[i] = c.volume;
    vwap[i] = c.vwap;
    trades[i] = c.trades === null ? null : Math.round(c.trades);
  }
  const result = await tx.execute(sql`
    insert into candles (symbol, timeframe, ts, open, high, low, close, volume, vwap, trades, source)
    select ${page.symbol}, ${page.timeframe}, to_timestamp(t / 1000.0), o, h, l, c, v, vw, n, ${page.source}
    from unnest(${sql.param(ts)}::float8[], ${sql.param(open)}::float8[], ${sql.param(high)}::float8[],
                ${sql.param(low)}::float8[], ${sql.param(close)}::float8[], ${sql.param(volume)}::float8[],
                ${sql.param(vwap)}::float8[], ${sql.param(trades)}::int[]) as u(t, o, h, l, c, v, vw, n)
    on conflict do nothing`);
  return countOf(result);
}

/** Keeps the per-series summary in step with a write: count, first and last bar. */
export async function addCoverage(
  tx: Executor,
  symbol: string,
  timeframe: string,
  inserted: number,
  firstTs: number,
  lastTs: number,
): Promise<void> {
  if (inserted === 0) return;
  await tx.execute(sql`
    insert into series_coverage (symbol, timeframe, first_ts, last_ts, count, updated_at)
    values (${symbol}, ${timeframe}, to_timestamp(${firstTs} / 1000.0), to_timestamp(${lastTs} / 1000.0), ${inserted}, now())
    on conflict (symbol, timeframe) do update set
      first_ts = least(series_coverage.first_ts, excluded.first_ts),
      last_ts = greatest(series_coverage.last_ts, excluded.last_ts),
      count = series_coverage.count + excluded.count,
      updated_at = now()`);
}
