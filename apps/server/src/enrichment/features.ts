import type { Adjust, EnrichmentFeatures, Timeframe } from '@candlebase/contracts';
import { type Db, queryRows } from '@candlebase/db';
import { toMs } from '@candlebase/db/rows';
import { sql } from 'drizzle-orm';
import { applyAdjustment, loadAdjustment } from '../actions/adjust';
import { type Bar, computeFeatures, periodsPerYear, WARMUP_BARS } from './indicators';
import { calendarOfSymbol } from './series';

export interface FeaturesQuery {
  symbol: string;
  timeframe: Timeframe;
  limit: number;
  /** Indicators see the same prices as the chart: split-adjusted unless told otherwise. */
  adjust?: Adjust | undefined;
}

/**
 * The newest `limit` bars with their features. `WARMUP_BARS` more are read before them and
 * dropped after the pass, so the first point returned has settled indicators, not a cold start.
 */
export async function getFeatures(db: Db, q: FeaturesQuery): Promise<EnrichmentFeatures> {
  const { calendar } = await calendarOfSymbol(db, q.symbol);
  const rows = await queryRows<{ ts: unknown; open: number; high: number; low: number; close: number; volume: number }>(
    db,
    sql`select ts, open, high, low, close, volume from candles
        where symbol = ${q.symbol} and timeframe = ${q.timeframe}
        order by ts desc limit ${q.limit + WARMUP_BARS}`,
  );
  const bars: Bar[] = rows.reverse().map((r) => ({
    ts: toMs(r.ts),
    open: Number(r.open),
    high: Number(r.high),
    low: Number(r.low),
    close: Number(r.close),
    volume: Number(r.volume),
  }));
  applyAdjustment(bars, await loadAdjustment(db, q, q.adjust ?? 'splits'));
  const perYear = periodsPerYear(calendar, q.timeframe);
  const points = computeFeatures(bars, perYear);
  const series = points.slice(Math.max(0, points.length - q.limit));
  const latest = series[series.length - 1] ?? null;
  return {
    symbol: q.symbol,
    timeframe: q.timeframe,
    calendar,
    periods_per_year: perYear,
    warmup_bars: points.length - series.length,
    latest,
    regimes: { trend: latest?.trend ?? null, compression: latest?.compression ?? null },
    series,
  };
}
