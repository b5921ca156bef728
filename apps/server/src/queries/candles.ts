import type { Candle, CandlesPage, Timeframe } from '@candlebase/contracts';
import { type Db, queryRows } from '@candlebase/db';
import { sql } from 'drizzle-orm';
import type { Row } from '../backfill/rows';
import { isoFromPg } from './pg-time';

export interface CandlesQuery {
  symbol: string;
  timeframe: Timeframe;
  from?: string | undefined;
  to?: string | undefined;
  cursor?: string | null | undefined;
  limit: number;
}

/**
 * Newest first, keyset-paged on ts: `next_cursor` is the oldest ts returned and the next page
 * starts strictly before it. The primary key (symbol, timeframe, ts) serves it as a backward
 * index range scan.
 */
export async function listCandles(db: Db, q: CandlesQuery): Promise<CandlesPage> {
  const before = q.cursor ?? q.to;
  const rows = await queryRows<Row>(
    db,
    sql`select ts, open, high, low, close, volume, vwap, trades, source from candles
        where symbol = ${q.symbol} and timeframe = ${q.timeframe}
        ${q.from ? sql`and ts >= ${q.from}::timestamptz` : sql``}
        ${before ? sql`and ts < ${before}::timestamptz` : sql``}
        order by ts desc limit ${q.limit + 1}`,
  );
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const candles: Candle[] = page.map((r) => ({
    ts: isoFromPg(r.ts),
    open: Number(r.open),
    high: Number(r.high),
    low: Number(r.low),
    close: Number(r.close),
    volume: Number(r.volume),
    vwap: r.vwap == null ? null : Number(r.vwap),
    trades: r.trades == null ? null : Number(r.trades),
    source: String(r.source),
  }));
  const last = candles[candles.length - 1];
  return { symbol: q.symbol, timeframe: q.timeframe, candles, next_cursor: more && last ? last.ts : null };
}
