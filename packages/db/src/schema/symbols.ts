import { boolean, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const symbols = pgTable('symbols', {
  symbol: text('symbol').primaryKey(),
  name: text('name'),
  assetClass: text('asset_class').notNull().default('equity'),
  exchange: text('exchange'),
  currency: text('currency'),
  provider: text('provider'),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
