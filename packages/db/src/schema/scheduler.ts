import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * One row per periodic task: the last slot it ran for. Processes claim a slot with a
 * compare-and-set on `slot_start`, so of several servers ticking together exactly one runs it,
 * even when their ticks are seconds apart and never overlap under the advisory lock.
 */
export const schedulerRuns = pgTable('scheduler_runs', {
  name: text('name').primaryKey(),
  /** The start of the interval the last run served. */
  slotStart: timestamp('slot_start', { withTimezone: true }).notNull(),
  ranAt: timestamp('ran_at', { withTimezone: true }).notNull().defaultNow(),
  /** Which process ran it (host:pid:id), for the logs. */
  ranBy: text('ran_by').notNull(),
});
