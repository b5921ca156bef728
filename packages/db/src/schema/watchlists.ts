import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { symbols } from './symbols';

/** A named set of symbols, for the dashboard's list picker. "All symbols" is no row: it is every symbol. */
export const watchlists = pgTable(
  'watchlists',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('watchlists_name_check', sql`length(${t.name}) between 1 and 60`)],
);

/**
 * A list's members. The symbol's key cascades: a removed symbol leaves every list, and a renamed
 * one (FB -> META) stays in its lists under the new name, in the rename's own transaction.
 */
export const watchlistSymbols = pgTable(
  'watchlist_symbols',
  {
    watchlistId: integer('watchlist_id')
      .notNull()
      .references(() => watchlists.id, { onDelete: 'cascade' }),
    symbol: text('symbol')
      .notNull()
      .references(() => symbols.symbol, { onDelete: 'cascade', onUpdate: 'cascade' }),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.watchlistId, t.symbol] }), index('watchlist_symbols_symbol_idx').on(t.symbol)],
);
