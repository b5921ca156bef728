import type { BackfillRequest, Timeframe } from '@candlebase/contracts';
import { type Database, queryRows } from '@candlebase/db';
import { sql } from 'drizzle-orm';
import { createBackfill } from '../../apps/server/src/backfill/service';

export interface JobRun {
  jobId: string;
  status: string;
  inserted: number;
  fetched: number;
  /** completed_at - created_at, both from the database clock: independent of how often we poll. */
  seconds: number;
}

export function benchSymbols(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${i}-USD`);
}

/** Creates a backfill through the service (as the API does) and waits for it to end. */
export async function runJob(
  database: Database,
  req: { symbols: string[]; start: string; end: string; timeframes: Timeframe[]; refetch?: boolean },
  timeoutMs = 240_000,
): Promise<JobRun> {
  const request: BackfillRequest = {
    symbols: req.symbols,
    start_date: req.start,
    end_date: req.end,
    timeframes: req.timeframes,
    refetch: req.refetch ?? false,
  };
  const created = await createBackfill(database, request, { provider: 'synthetic' });
  return waitForJob(database, created.job_id, timeoutMs);
}

export async function waitForJob(database: Database, jobId: string, timeoutMs: number): Promise<JobRun> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const rows = await queryRows<{ status: string; inserted: number; fetched: number; secs: number | null }>(
      database.db,
      sql`select j.status, j.total_records_inserted::float8 as inserted,
                 (select coalesce(sum(records_fetched), 0)::float8 from backfill_job_progress where job_id = j.id) as fetched,
                 extract(epoch from j.completed_at - j.created_at)::float8 as secs
          from backfill_jobs j where j.id = ${jobId}`,
    );
    const row = rows[0];
    if (!row) throw new Error(`Job ${jobId} vanished`);
    if (['completed', 'failed', 'cancelled'].includes(row.status)) {
      return {
        jobId,
        status: row.status,
        inserted: Number(row.inserted),
        fetched: Number(row.fetched),
        seconds: Number(row.secs),
      };
    }
    if (Date.now() > until) throw new Error(`Job ${jobId} still ${row.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
