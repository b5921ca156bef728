import { type Executor, queryRows } from '@candlebase/db';
import { sql } from 'drizzle-orm';

/**
 * Ends the open transactions of claims whose lease has run out or that another worker has since
 * taken over. A worker frozen (SIGSTOP, a paused VM) in the middle of sending a statement, a
 * page's COPY data or its ledger's event insert, leaves its backend active and waiting for the
 * client: neither statement_timeout nor idle_in_transaction_session_timeout acts there. Frozen
 * after the page's unit update, it holds the unit's row and then the job's, so no other worker
 * can even claim the unit (the claim locks the job row too) and the takeover never starts; frozen
 * in the COPY, it holds the page's candle keys, which the taking-over worker's writes would wait
 * on. A live worker renews its lease every third of it, so a run-out lease means its worker has
 * stopped answering: ending the transaction loses only that page, fetched again from the
 * cursor, and a taken-over claim's transaction could never commit anyway (its fenced update
 * fails). Returns the claims whose transactions were ended.
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
        where u.attempts <> o.attempt or u.status <> 'running' or u.lease_expires_at < now()`,
  );
  return rows.map((r) => ({ unit: Number(r.unit), attempt: Number(r.attempt) }));
}
