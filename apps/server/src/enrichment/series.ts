import { type CalendarName, calendarFor } from '@candlebase/calendar';
import type { AssetClass, SessionPolicy } from '@candlebase/contracts';
import { NotFoundError } from '@candlebase/contracts';
import { type Executor, queryRows, rebuildCandleDays } from '@candlebase/db';
import { sql } from 'drizzle-orm';

export interface SeriesRef {
  symbol: string;
  timeframe: string;
}

/** The symbol's asset class and market calendar; a symbol not in the watchlist is a 404. */
export async function calendarOfSymbol(
  db: Executor,
  symbol: string,
): Promise<{ assetClass: AssetClass; calendar: CalendarName }> {
  const rows = await queryRows<{ asset_class: AssetClass; session: SessionPolicy }>(
    db,
    sql`select asset_class, session from symbols where symbol = ${symbol}`,
  );
  const row = rows[0];
  if (!row) throw new NotFoundError(`Symbol ${symbol} is not in the watchlist`);
  return { assetClass: row.asset_class, calendar: calendarFor(row.asset_class, row.session) };
}

/**
 * Rebuilds a series' summaries from its candles. The writer keeps `series_coverage` and the gap
 * index `candle_days` in step with every insert; anything that deletes candles behind its back (a
 * manual clean-up) must call this, or the engine's skip-what-is-stored logic trusts a wrong count.
 */
export async function recomputeCoverage(db: Executor, series: SeriesRef): Promise<void> {
  await db.execute(sql`
    with s as (
      select min(ts) as first_ts, max(ts) as last_ts, count(*) as n from candles
      where symbol = ${series.symbol} and timeframe = ${series.timeframe})
    insert into series_coverage (symbol, timeframe, first_ts, last_ts, count, updated_at)
    select ${series.symbol}, ${series.timeframe}, s.first_ts, s.last_ts, s.n, now() from s
    on conflict (symbol, timeframe) do update set
      first_ts = excluded.first_ts, last_ts = excluded.last_ts, count = excluded.count, updated_at = now()`);
  // An emptied series has no summary at all, as after `symbols.remove`.
  await db.execute(sql`
    delete from series_coverage where symbol = ${series.symbol} and timeframe = ${series.timeframe} and count = 0`);
  await rebuildCandleDays(db, series);
}
