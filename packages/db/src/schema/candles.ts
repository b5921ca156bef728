import { bigint, boolean, doublePrecision, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const candles = pgTable(
  'candles',
  {
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
  },
  // The primary key's index serves every read: (symbol, timeframe) equality with a ts range or order.
  (t) => [primaryKey({ columns: [t.symbol, t.timeframe, t.ts] })],
);

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
