import { calendarFor, countBars } from '@candlebase/calendar';
import { type AssetClass, type SessionPolicy, type Timeframe, timeframeMs } from '@candlebase/contracts';
import { type Executor, queryRows } from '@candlebase/db';
import { sql } from 'drizzle-orm';
import { closedEnd } from '../enrichment/classify';

export interface RefreshUnit {
  symbol: string;
  timeframe: Timeframe;
  from: number;
  to: number;
}

/**
 * What a refresh fetches: for each series of an active symbol that already has data, in the given
 * timeframes, the bars after its last candle that have closed by `now`. A series with a pending or
 * running unit (any job's) is left to that job, so at most one refresh is ever in flight per series.
 */
export async function planRefresh(db: Executor, timeframes: readonly Timeframe[], now: number): Promise<RefreshUnit[]> {
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
            where u.symbol = c.symbol and u.timeframe = c.timeframe and u.status in ('pending', 'running')
              and j.cancel_requested_at is null)
        order by c.symbol, c.timeframe`,
  );
  const units: RefreshUnit[] = [];
  for (const r of rows) {
    const cal = calendarFor(r.asset_class, r.session);
    const from = Number(r.last) + timeframeMs(r.timeframe);
    const to = closedEnd(cal, r.timeframe, now);
    if (countBars(cal, r.timeframe, from, to) > 0) units.push({ symbol: r.symbol, timeframe: r.timeframe, from, to });
  }
  return units;
}
