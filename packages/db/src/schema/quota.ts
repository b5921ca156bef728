import { sql } from 'drizzle-orm';
import { bigint, check, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * One row per provider budget (an API key, or an IP for keyless APIs): the spends still inside
 * its window and any pause a 429 imposed. Every server and worker on the database takes from the
 * same row under a row lock, so a key's quota is counted once however many processes share it.
 * `key_hash` is a SHA-256 of the key; the key itself is never stored.
 */
export const providerQuota = pgTable(
  'provider_quota',
  {
    provider: text('provider').notNull(),
    keyHash: text('key_hash').notNull(),
    /** requests | weight */
    unit: text('unit').notNull(),
    /** Units allowed per window, as the last process to take configured it. */
    budget: integer('budget').notNull(),
    windowMs: integer('window_ms').notNull(),
    /** Epoch ms of each spend still inside the window, oldest first; `sent_cost` holds what each cost. */
    sentAt: bigint('sent_at', { mode: 'number' }).array().notNull().default(sql`'{}'::bigint[]`),
    sentCost: integer('sent_cost').array().notNull().default(sql`'{}'::integer[]`),
    /** Nobody sends before this, after the provider answered 429 (its Retry-After) or banned us. */
    pausedUntil: timestamp('paused_until', { withTimezone: true, mode: 'date' }),
    pauseReason: text('pause_reason'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.provider, t.keyHash] }),
    check('provider_quota_budget_positive', sql`${t.budget} > 0 and ${t.windowMs} > 0`),
    check('provider_quota_spends_paired', sql`cardinality(${t.sentAt}) = cardinality(${t.sentCost})`),
  ],
);
