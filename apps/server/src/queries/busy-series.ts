import { sql } from 'drizzle-orm';

/**
 * "A backfill is working on this series", over `backfill_job_progress u join backfill_jobs j`:
 * a running unit (it may store one more page even after a cancel, which it sees at the page's
 * end), or a pending one of a job nobody cancelled (a pending unit of a cancelled job is claimed
 * only to be settled, and fetches nothing). The symbol list, symbol removal, the scheduler's plan
 * and gap filling all ask this one question.
 */
export const UNIT_IS_BUSY = sql.raw(
  `(u.status in ('pending', 'running') and (u.status = 'running' or j.cancel_requested_at is null))`,
);
