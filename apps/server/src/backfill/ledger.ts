import type { JobStatus } from '@candlebase/contracts';
import { type Executor, queryRows } from '@candlebase/db';
import { type JobRow, jobColumns, type PgTimestamp, toJob } from '@candlebase/db/rows';
import { sql } from 'drizzle-orm';
import { raiseAlert } from '../alerts/store';
import { appendEvent, type NewEvent } from './events';

/**
 * The ledger: the one place that writes a job's events and aggregates. Lock order, for every
 * transaction that touches a unit and its job: the unit row first (the caller's fenced update or
 * `select ... for update`), then the job row (`recordOnJob` takes it), never the other way round,
 * so two transactions never wait on each other in a cycle. The job row lock also keeps one job's
 * event ids committing in id order (see `appendEvent`).
 */

/** Locks the job row for the rest of the transaction; every writer of a job's events goes through here. */
export async function lockJob(
  tx: Executor,
  jobId: string,
): Promise<{ status: JobStatus; cancelRequested: boolean } | null> {
  const rows = await queryRows<{ status: JobStatus; cancel_requested_at: PgTimestamp | null }>(
    tx,
    sql`select status, cancel_requested_at from backfill_jobs where id = ${jobId} for update`,
  );
  const row = rows[0];
  return row ? { status: row.status, cancelRequested: row.cancel_requested_at != null } : null;
}

/** "AAPL, MSFT" or "AAPL, MSFT, … and 98 more": an alert's line stays a line. */
const namedSymbols = (symbols: readonly string[]) =>
  symbols.length <= 5 ? symbols.join(', ') : `${symbols.slice(0, 5).join(', ')} and ${symbols.length - 5} more`;

const FINISHED_UNIT = sql`('completed', 'failed', 'cancelled')`;

/**
 * Recomputes the job's aggregates from its units (so they are consistent at every commit) and,
 * when the last unit ends, moves the job to its final status and appends the final event.
 * Call with the job row locked (`lockJob`).
 */
export async function refreshJob(tx: Executor, jobId: string, previous: JobStatus): Promise<JobStatus> {
  const rows = await queryRows<JobRow>(
    tx,
    sql`
    with units as (
      select symbol, status, records_inserted, records_updated from backfill_job_progress where job_id = ${jobId}
    ), agg as (
      select count(*)::int as total,
             count(*) filter (where status in ${FINISHED_UNIT})::int as finished,
             count(*) filter (where status = 'failed')::int as failed,
             count(*) filter (where status <> 'pending')::int as touched,
             coalesce(sum(records_inserted), 0)::float8 as inserted,
             coalesce(sum(records_updated), 0)::float8 as updated,
             (select count(*)::int from (select symbol from units group by symbol
                having bool_and(status in ${FINISHED_UNIT})) s) as symbols_done
      from units
    )
    update backfill_jobs j set
      progress_pct = case when agg.total = 0 then 100 else agg.finished * 100.0 / agg.total end,
      symbols_completed = agg.symbols_done,
      total_records_inserted = agg.inserted,
      total_records_updated = agg.updated,
      status = case
        when agg.finished = agg.total then
          case when j.cancel_requested_at is not null then 'cancelled'
               when agg.failed > 0 then 'failed' else 'completed' end
        when agg.touched > 0 or j.status = 'running' then 'running'
        else 'queued' end,
      started_at = case when agg.touched > 0 then coalesce(j.started_at, now()) else j.started_at end,
      completed_at = case when agg.finished = agg.total then coalesce(j.completed_at, now()) else null end,
      error = case when agg.failed > 0 then agg.failed || ' of ' || agg.total || ' units failed' else null end
    from agg where j.id = ${jobId}
    returning ${sql.raw(jobColumns('j'))}`,
  );
  const row = rows[0];
  if (!row) return previous;
  const job = toJob(row);
  if (job.status !== previous) {
    if (job.status === 'running' && previous === 'queued') {
      await appendEvent(tx, { jobId, kind: 'job_started', message: 'Job started' });
    } else if (job.status === 'completed') {
      await appendEvent(tx, {
        jobId,
        kind: 'job_completed',
        message: `Job completed: ${job.total_records_inserted} records inserted${job.total_records_updated > 0 ? `, ${job.total_records_updated} updated` : ''}`,
        data: { total_records_inserted: job.total_records_inserted, total_records_updated: job.total_records_updated },
      });
    } else if (job.status === 'failed') {
      await appendEvent(tx, { jobId, kind: 'job_failed', message: `Job failed: ${job.error ?? 'a unit failed'}` });
      // In the same transaction: the job is failed exactly when its alert exists, whoever settles it.
      await raiseAlert(tx, {
        kind: 'job_failed',
        key: `job_failed:${jobId}`,
        subject: jobId,
        message: `Backfill of ${namedSymbols(job.symbols)} (${job.timeframes.join(', ')}) failed: ${job.error ?? 'a unit failed'}`,
        data: { job_id: jobId, symbols: job.symbols, timeframes: job.timeframes, error: job.error },
        resolved: true,
      });
    } else if (job.status === 'cancelled') {
      await appendEvent(tx, { jobId, kind: 'job_cancelled', message: 'Job cancelled' });
    }
  }
  return job.status;
}

export type LockedJob = NonNullable<Awaited<ReturnType<typeof lockJob>>>;

/**
 * Locks the job, lets `write` do its part (checks, updates of the job row) and name the event to
 * append (null: none), appends it, then refreshes the aggregates (`refresh: false` for events that
 * change no unit). Null when the job is gone; then nothing is written.
 */
export async function recordOnJob(
  tx: Executor,
  jobId: string,
  write: (job: LockedJob) => Omit<NewEvent, 'jobId'> | null | Promise<Omit<NewEvent, 'jobId'> | null>,
  options: { refresh?: boolean; previous?: JobStatus } = {},
): Promise<LockedJob | null> {
  const job = await lockJob(tx, jobId);
  if (!job) return null;
  const event = await write(job);
  if (event === null) return job;
  await appendEvent(tx, { jobId, ...event });
  if (options.refresh !== false) await refreshJob(tx, jobId, options.previous ?? job.status);
  return job;
}
