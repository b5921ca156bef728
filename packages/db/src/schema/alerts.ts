import { sql } from 'drizzle-orm';
import { bigserial, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * One row per alert, with its webhook delivery: a restart loses none, and the processes sharing
 * the database claim due rows with SKIP LOCKED so each alert is sent by one of them.
 */
export const alerts = pgTable(
  'alerts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** job_failed | check_failed | series_stale */
    kind: text('kind').notNull(),
    /** What the condition is about, e.g. `series_stale:AAPL:5m`: at most one open alert per key. */
    dedupeKey: text('dedupe_key').notNull(),
    subject: text('subject').notNull(),
    message: text('message').notNull(),
    data: jsonb('data'),
    raisedAt: timestamp('raised_at', { withTimezone: true }).notNull().defaultNow(),
    /** The condition ended; an event (a job's failure) is resolved when raised. */
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    /** pending | delivered | failed */
    delivery: text('delivery').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** Not before this (a backoff or the receiver's Retry-After); null: at once. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    /** A process is sending it until then; past it (that process died) another may. */
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    lastError: text('last_error'),
  },
  (t) => [
    uniqueIndex('alerts_open_key').on(t.dedupeKey).where(sql`${t.resolvedAt} is null`),
    index('alerts_pending').on(t.id).where(sql`${t.delivery} = 'pending'`),
    index('alerts_raised').on(t.raisedAt),
    check('alerts_delivery_known', sql`${t.delivery} in ('pending', 'delivered', 'failed')`),
  ],
);
