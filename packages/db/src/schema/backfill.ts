import { JOB_STATUSES, UNIT_STATUSES } from '@candlebase/contracts';
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** `status in ('a', 'b', …)` from the contracts' one list, so a new status is one line there. */
const oneOf = (statuses: readonly string[]) => sql.raw(`status in (${statuses.map((s) => `'${s}'`).join(', ')})`);

export const backfillJobs = pgTable(
  'backfill_jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    symbols: text('symbols').array().notNull(),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }).notNull(),
    timeframes: text('timeframes').array().notNull(),
    provider: text('provider').notNull(),
    refetch: boolean('refetch').notNull().default(false),
    origin: text('origin').notNull().default('manual'),
    status: text('status').notNull().default('queued'),
    progressPct: doublePrecision('progress_pct').notNull().default(0),
    symbolsCompleted: integer('symbols_completed').notNull().default(0),
    symbolsTotal: integer('symbols_total').notNull().default(0),
    totalRecordsInserted: bigint('total_records_inserted', { mode: 'number' }).notNull().default(0),
    /** Stored bars whose values a later fetch changed (revisions), apart from the new rows above. */
    totalRecordsUpdated: bigint('total_records_updated', { mode: 'number' }).notNull().default(0),
    currentSymbol: text('current_symbol'),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    cancelRequestedAt: timestamp('cancel_requested_at', { withTimezone: true }),
  },
  (t) => [
    index('backfill_jobs_created_at_idx').on(t.createdAt.desc()),
    index('backfill_jobs_active_idx').on(t.status).where(sql`status in ('queued', 'running')`),
    check('backfill_jobs_status_known', oneOf(JOB_STATUSES)),
  ],
);

export const backfillJobProgress = pgTable(
  'backfill_job_progress',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    jobId: uuid('job_id')
      .notNull()
      .references(() => backfillJobs.id, { onDelete: 'cascade' }),
    symbol: text('symbol').notNull(),
    timeframe: text('timeframe').notNull(),
    /**
     * The provider this unit fetches from: the job's named one, else its symbol's, fixed when the
     * job is created. Null on units from before several providers (their job's provider served them).
     */
    provider: text('provider'),
    /** The UTC instants this unit covers, [range_start, range_end). */
    rangeStart: timestamp('range_start', { withTimezone: true }).notNull(),
    rangeEnd: timestamp('range_end', { withTimezone: true }).notNull(),
    status: text('status').notNull().default('pending'),
    recordsFetched: bigint('records_fetched', { mode: 'number' }).notNull().default(0),
    recordsInserted: bigint('records_inserted', { mode: 'number' }).notNull().default(0),
    recordsUpdated: bigint('records_updated', { mode: 'number' }).notNull().default(0),
    durationSeconds: doublePrecision('duration_seconds'),
    errorMessage: text('error_message'),
    attempts: integer('attempts').notNull().default(0),
    /** Claims allowed before the unit fails for good; `retry` raises it. */
    attemptLimit: integer('attempt_limit').notNull().default(5),
    workerId: text('worker_id'),
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true }),
    /** Resume point inside the range: the bar after the last page written. */
    cursorTs: timestamp('cursor_ts', { withTimezone: true }),
    startedAt: timestamp('started_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /**
     * Claim order: 0 for a scheduled refresh (recent bars of tracked series), 1 for everything
     * else (history); lower goes first, except on a worker's history turn (see claim.ts).
     */
    priority: smallint('priority').notNull().default(1),
    /** While the running claim waits for its provider's shared quota: since when, and until about when. */
    quotaWaitSince: timestamp('quota_wait_since', { withTimezone: true }),
    quotaWaitUntil: timestamp('quota_wait_until', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('backfill_job_progress_unit_idx').on(t.jobId, t.symbol, t.timeframe, t.rangeStart),
    index('backfill_job_progress_claim_idx')
      .on(t.status, t.leaseExpiresAt)
      .where(sql`status in ('pending', 'running')`),
    // The claim walks one of these in order and stops at the first runnable unit it can lock:
    // refreshes first, then history by age; and on a history turn, history first.
    index('backfill_job_progress_claim_order_idx').on(t.priority, t.id).where(sql`status in ('pending', 'running')`),
    index('backfill_job_progress_history_turn_idx')
      .on(t.priority.desc(), t.id)
      .where(sql`status in ('pending', 'running')`),
    index('backfill_job_progress_symbol_idx').on(t.symbol, t.completedAt),
    // symbols.list looks for symbols whose latest unit failed among those with any failed unit.
    index('backfill_job_progress_failed_idx').on(t.symbol).where(sql`status = 'failed'`),
    check('backfill_job_progress_status_known', oneOf(UNIT_STATUSES)),
  ],
);

export const backfillJobEvents = pgTable(
  'backfill_job_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    jobId: uuid('job_id')
      .notNull()
      .references(() => backfillJobs.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    kind: text('kind').notNull(),
    symbol: text('symbol'),
    timeframe: text('timeframe'),
    message: text('message').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>(),
  },
  (t) => [index('backfill_job_events_job_idx').on(t.jobId, t.id)],
);
