import { sql } from 'drizzle-orm';
import type { Executor } from './client';

/** A close-to-close move larger than this, in either direction, looks like a split. */
export const SPLIT_MOVE = 0.35;

/**
 * Finds again the split-like moves of one series over [fromMs, toMs] and its neighbours on both
 * sides (the bar before the first and the one after the last), after a write there. Equities and
 * ETFs only: crypto and currencies have no splits, and a 35% crypto hour is not a data error.
 * Costs the written span, read along the primary key.
 */
export async function recordSplitSuspects(
  tx: Executor,
  series: { symbol: string; timeframe: string },
  fromMs: number,
  toMs: number,
): Promise<void> {
  const { symbol, timeframe } = series;
  const lo = sql`coalesce((select max(ts) from candles where symbol = ${symbol} and timeframe = ${timeframe}
                           and ts < to_timestamp(${fromMs} / 1000.0)), to_timestamp(${fromMs} / 1000.0))`;
  const hi = sql`coalesce((select min(ts) from candles where symbol = ${symbol} and timeframe = ${timeframe}
                           and ts > to_timestamp(${toMs} / 1000.0)), to_timestamp(${toMs} / 1000.0))`;
  await tx.execute(sql`
    delete from split_suspects where symbol = ${symbol} and timeframe = ${timeframe}
      and ts > to_timestamp(${fromMs} / 1000.0) and ts <= ${hi}`);
  await tx.execute(sql`
    insert into split_suspects (symbol, timeframe, ts, prev_ts, prev_close, close)
    select ${symbol}, ${timeframe}, m.ts, m.prev_ts, m.prev_close, m.close
    from (select 1 from symbols where symbol = ${symbol} and asset_class in ('equity', 'etf')) as eq
    cross join lateral (
      select ts, close, lag(close) over (order by ts) as prev_close, lag(ts) over (order by ts) as prev_ts
      from candles where symbol = ${symbol} and timeframe = ${timeframe} and ts >= ${lo} and ts <= ${hi}) as m
    where m.prev_close > 0 and abs(m.close / m.prev_close - 1) > ${SPLIT_MOVE}
    on conflict (symbol, timeframe, ts) do update set
      prev_ts = excluded.prev_ts, prev_close = excluded.prev_close, close = excluded.close`);
}
