import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  doublePrecision,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

/** A bar's columns: the candles table's, and the quarantine's that holds rows it refused. */
const candleColumns = () => ({
  symbol: text('symbol').notNull(),
  timeframe: text('timeframe').notNull(),
  ts: timestamp('ts', { withTimezone: true }).notNull(),
  open: doublePrecision('open').notNull(),
  high: doublePrecision('high').notNull(),
  low: doublePrecision('low').notNull(),
  close: doublePrecision('close').notNull(),
  volume: doublePrecision('volume').notNull(),
  vwap: doublePrecision('vwap'),
  trades: integer('trades'),
  source: text('source').notNull(),
  /** When the stored values were fetched (or last changed); null for bars stored before this was kept. */
  fetchedAt: timestamp('fetched_at', { withTimezone: true }),
  /** A later fetch brought different values and they replaced the first ones. One byte a bar. */
  revised: boolean('revised').notNull().default(false),
});

export const candles = pgTable('candles', candleColumns(), (t) => [
  // The primary key's index serves every read: (symbol, timeframe) equality with a ts range or order.
  primaryKey({ columns: [t.symbol, t.timeframe, t.ts] }),
  // Every stored bar is a candle: enforced where it is written, so no check has to count the table.
  check(
    'candles_ohlc_sane',
    sql`${t.high} >= ${t.low} and ${t.high} >= greatest(${t.open}, ${t.close}) and ${t.low} <= least(${t.open}, ${t.close}) and ${t.volume} >= 0`,
  ),
]);

/**
 * Bars stored per series, UTC day and source, kept in step with every write like `series_coverage`:
 * the gap index. Coverage compares each day with the calendar's count and reads bars only on the
 * days that fall short, so a whole series costs its days (730 for two years), not its bars.
 */
export const candleDays = pgTable(
  'candle_days',
  {
    symbol: text('symbol').notNull(),
    timeframe: text('timeframe').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    source: text('source').notNull(),
    bars: integer('bars').notNull(),
  },
  (t) => [primaryKey({ columns: [t.symbol, t.timeframe, t.day, t.source] })],
);

/**
 * Rows an older release stored that are not candles (high below the body, negative volume…),
 * moved aside by the migration that added `candles_ohlc_sane`, so that nothing is lost.
 */
export const candlesQuarantine = pgTable('candles_quarantine', {
  ...candleColumns(),
  quarantinedAt: timestamp('quarantined_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A running summary of each series, kept in step with every write, so that the symbol table
 * never has to count millions of candles per request.
 */
export const seriesCoverage = pgTable(
  'series_coverage',
  {
    symbol: text('symbol').notNull(),
    timeframe: text('timeframe').notNull(),
    firstTs: timestamp('first_ts', { withTimezone: true }),
    lastTs: timestamp('last_ts', { withTimezone: true }),
    count: bigint('count', { mode: 'number' }).notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.symbol, t.timeframe] })],
);
