import { type Executor, queryRows } from '@candlebase/db';
import { sql } from 'drizzle-orm';

/**
 * Ends the open transactions of claims that another worker has since taken over. A worker frozen
 * in the middle of a page's COPY (SIGSTOP, a paused VM) keeps the page's candle keys locked, and
 * neither statement_timeout nor idle_in_transaction_session_timeout can end it: the server is
 * waiting for the client's data, where it does not act on a cancel. The taking-over worker's
 * writes would wait on those keys for as long as the freeze lasts. Such a transaction can never
 * commit (its claim's attempt no longer matches, so its fenced update fails): ending it loses
 * nothing. Returns the claims whose transactions were ended.
 */
export async function reapStaleClaims(exec: Executor): Promise<{ unit: number; attempt: number }[]> {
  const rows = await queryRows<{ unit: number; attempt: number }>(
    exec,
    sql`with open as (
          select pid, split_part(application_name, ':', 2)::bigint as unit,
                 split_part(application_name, ':', 3)::int as attempt
          from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid()
            and application_name ~ '^candlebase-unit:[0-9]+:[0-9]+$' and xact_start is not null
        )
        select o.unit::int as unit, o.attempt, pg_terminate_backend(o.pid) as ended
        from open o join backfill_job_progress u on u.id = o.unit
        where u.attempts <> o.attempt or u.status <> 'running'`,
  );
  return rows.map((r) => ({ unit: Number(r.unit), attempt: Number(r.attempt) }));
}
