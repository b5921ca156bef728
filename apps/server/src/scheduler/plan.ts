import { type CalendarName, calendarFor, countBars, lastBarBefore, latestClosedBar } from '@candlebase/calendar';
import { type AssetClass, isIntraday, type SessionPolicy, type Timeframe, timeframeMs } from '@candlebase/contracts';
import { type Executor, queryRows } from '@candlebase/db';
import { sql } from 'drizzle-orm';
import { closedEnd } from '../enrichment/classify';
import { UNIT_IS_BUSY } from '../queries/busy-series';

export interface RefreshUnit {
  symbol: string;
  timeframe: Timeframe;
  from: number;
  to: number;
}

/** How much of what a series already has a refresh reads again, to catch the provider's revisions. */
export interface Reread {
  /** Intraday bars that closed within this long before now. */
  intradayMs: number;
  /** The latest this many daily bars. */
  dailySessions: number;
}

export const NO_REREAD: Reread = { intradayMs: 0, dailySessions: 0 };

const DAILY_LOOKBACK_MS = 30 * 86_400_000;

/** The open of the oldest bar a refresh at `now` reads again; Infinity when it reads none. */
export function rereadFrom(cal: CalendarName, timeframe: Timeframe, now: number, reread: Reread): number {
  const step = timeframeMs(timeframe);
  if (isIntraday(timeframe)) {
    if (reread.intradayMs <= 0) return Number.POSITIVE_INFINITY;
    // Bars that closed within the window: their opens are at most one step earlier.
    return Math.ceil((now - reread.intradayMs - step) / step) * step;
  }
  let bar = latestClosedBar(cal, timeframe, now);
  if (bar === null || reread.dailySessions <= 0) return Number.POSITIVE_INFINITY;
  for (let i = 1; i < reread.dailySessions; i++) {
    const before = lastBarBefore(cal, timeframe, bar, bar - DAILY_LOOKBACK_MS);
    if (before === null) break;
    bar = before;
  }
  return bar;
}

/**
 * What a refresh fetches: for each series of an active symbol that already has data, in the given
 * timeframes, the bars after its last candle that have closed by `now`, and the trailing window
 * `reread` names again, so that a bar the provider revised after it was stored is corrected. A
 * series with a pending or running unit (any job's) is left to that job, so at most one refresh is
 * ever in flight per series.
 */
export async function planRefresh(
  db: Executor,
  timeframes: readonly Timeframe[],
  now: number,
  reread: Reread = NO_REREAD,
): Promise<RefreshUnit[]> {
  if (timeframes.length === 0) return [];
  const rows = await queryRows<{
    symbol: string;
    timeframe: Timeframe;
    asset_class: AssetClass;
    session: SessionPolicy;
    last: number;
  }>(
    db,
    sql`select c.symbol, c.timeframe, s.asset_class, s.session, (extract(epoch from c.last_ts) * 1000)::float8 as last
        from series_coverage c join symbols s on s.symbol = c.symbol
        where s.active and c.count > 0 and c.last_ts is not null
          and c.timeframe = any(${sql.param([...timeframes])}::text[])
          and not exists (
            select 1 from backfill_job_progress u join backfill_jobs j on j.id = u.job_id
            where u.symbol = c.symbol and u.timeframe = c.timeframe and ${UNIT_IS_BUSY})
        order by c.symbol, c.timeframe`,
  );
  const units: RefreshUnit[] = [];
  for (const r of rows) {
    const cal = calendarFor(r.asset_class, r.session);
    const from = Math.min(Number(r.last) + timeframeMs(r.timeframe), rereadFrom(cal, r.timeframe, now, reread));
    const to = closedEnd(cal, r.timeframe, now);
    if (countBars(cal, r.timeframe, from, to) > 0) units.push({ symbol: r.symbol, timeframe: r.timeframe, from, to });
  }
  return units;
}
