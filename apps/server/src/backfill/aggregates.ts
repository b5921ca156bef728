import type { JobStatus } from '@candlebase/contracts';
import { type Executor, queryRows } from '@candlebase/db';
import { sql } from 'drizzle-orm';
import { appendEvent } from './events';
import { JOB_COLUMNS, type Row, toJob } from './rows';

/** Locks the job row for the rest of the transaction; every writer of a job's events goes through here. */
export async function lockJob(
  tx: Executor,
  jobId: string,
): Promise<{ status: JobStatus; cancelRequested: boolean } | null> {
  const rows = await queryRows<{ status: JobStatus; cancel_requested_at: unknown }>(
    tx,
    sql`select status, cancel_requested_at from backfill_jobs where id = ${jobId} for update`,
  );
  const row = rows[0];
  return row ? { status: row.status, cancelRequested: row.cancel_requested_at != null } : null;
}

const FINISHED_UNIT = sql`('completed', 'failed', 'cancelled')`;

/**
 * Recomputes the job's aggregates from its units (so they are consistent at every commit) and,
 * when the last unit ends, moves the job to its final status and appends the final event.
 * Call with the job row locked (`lockJob`).
 */
export async function refreshJob(tx: Executor, jobId: string, previous: JobStatus): Promise<JobStatus> {
  const rows = await queryRows<Row>(
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
    returning ${sql.raw(JOB_COLUMNS.replace(/(\w+)/g, 'j.$1'))}`,
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
    } else if (job.status === 'cancelled') {
      await appendEvent(tx, { jobId, kind: 'job_cancelled', message: 'Job cancelled' });
    }
  }
  return job.status;
}
