import { sql } from 'drizzle-orm';
import { check, date, doublePrecision, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Splits and cash dividends, as their source publishes them. Candles stay raw (as traded); reads
 * adjust them from these rows, so an action recorded today corrects all stored history at once.
 * One row per (symbol, ex_date, kind, source): two sources may disagree, and each keeps its word.
 */
export const corporateActions = pgTable(
  'corporate_actions',
  {
    symbol: text('symbol').notNull(),
    exDate: date('ex_date', { mode: 'string' }).notNull(),
    kind: text('kind').notNull(),
    /** New shares per old share, for a split: 4 for 4:1, 0.1 for a 1:10 reverse split. */
    ratio: doublePrecision('ratio'),
    /** Cash per share, for a dividend, in the symbol's currency. */
    amount: doublePrecision('amount'),
    source: text('source').notNull(),
    fetchedAt: timestamp('fetched_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The key's leading symbol serves every read: one symbol's few actions, in date order.
    primaryKey({ columns: [t.symbol, t.exDate, t.kind, t.source] }),
    // coalesce: a check that evaluates to null passes, so a missing value must be false, not unknown.
    check(
      'corporate_actions_value_check',
      sql`coalesce((${t.kind} = 'split' and ${t.ratio} > 0 and ${t.amount} is null)
          or (${t.kind} = 'dividend' and ${t.amount} >= 0 and ${t.ratio} is null), false)`,
    ),
  ],
);

/**
 * Close-to-close moves of more than 35% in equity and ETF series: what a split the store does not
 * know of looks like. Found where candles are written (over the page and its neighbours), so the
 * "Unrecorded splits" check reads these few rows, never the candles.
 */
export const splitSuspects = pgTable(
  'split_suspects',
  {
    symbol: text('symbol').notNull(),
    timeframe: text('timeframe').notNull(),
    ts: timestamp('ts', { withTimezone: true }).notNull(),
    prevTs: timestamp('prev_ts', { withTimezone: true }).notNull(),
    prevClose: doublePrecision('prev_close').notNull(),
    close: doublePrecision('close').notNull(),
  },
  (t) => [primaryKey({ columns: [t.symbol, t.timeframe, t.ts] })],
);
