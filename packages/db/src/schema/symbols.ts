import { sql } from 'drizzle-orm';
import { boolean, check, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const symbols = pgTable(
  'symbols',
  {
    symbol: text('symbol').primaryKey(),
    name: text('name'),
    assetClass: text('asset_class').notNull().default('equity'),
    exchange: text('exchange'),
    currency: text('currency'),
    provider: text('provider'),
    /** Which trading hours an equity series keeps: regular (09:30-16:00 New York) or extended (04:00-20:00). */
    session: text('session').notNull().default('regular'),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('symbols_session_check', sql`${t.session} in ('regular', 'extended')`)],
);
