import type { QuotaWaitInfo } from '@candlebase/contracts';
import { type Db, type Executor, queryRows } from '@candlebase/db';
import type { Row } from '@candlebase/db/rows';
import { isoRequired } from '@candlebase/db/rows';
import { type SQL, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { QuotaWaitListener } from '../quota/quota-wait';
import type { ClaimedUnit } from './claim';

/**
 * Records on the unit, fenced by its claim like a page write, that it waits for its provider's
 * quota (since when, until about when), and clears it when the request goes. One short update
 * per wait: a wait is at least one window of the quota, so these are rare next to the pages.
 * A failed write is only logged: showing the wait must never hold up the fetch.
 */
export function unitQuotaWaits(db: Db, unit: ClaimedUnit, log: Logger): QuotaWaitListener {
  const fence = sql`id = ${unit.id} and attempts = ${unit.attempt} and status = 'running'`;
  const quietly = (what: Promise<unknown>) =>
    what.then(
      () => undefined,
      (err: unknown) => log.warn({ unit: unit.id, err: String(err) }, 'recording a quota wait failed'),
    );
  return {
    waiting: (_provider, since, until) =>
      quietly(
        db.execute(sql`update backfill_job_progress
          set quota_wait_since = coalesce(quota_wait_since, ${new Date(since).toISOString()}::timestamptz),
              quota_wait_until = ${new Date(until).toISOString()}::timestamptz
          where ${fence}`),
      ),
    done: () =>
      quietly(
        db.execute(sql`update backfill_job_progress set quota_wait_since = null, quota_wait_until = null
          where ${fence} and quota_wait_since is not null`),
      ),
  };
}

/**
 * For each of these jobs that has a live claim waiting for quota, the longest-waiting one: its
 * provider, since when, and until about when. Reads the job's units by the unit index.
 */
export async function quotaWaitsOf(exec: Executor, jobIds: string[]): Promise<Map<string, QuotaWaitInfo>> {
  if (jobIds.length === 0) return new Map();
  const rows = await queryRows<{ job_id: string; provider: string; since: unknown; until: unknown }>(
    exec,
    sql`select distinct on (u.job_id) u.job_id, coalesce(u.provider, j.provider) as provider,
               u.quota_wait_since as since, u.quota_wait_until as until
        from backfill_job_progress u join backfill_jobs j on j.id = u.job_id
        where u.job_id = any(${sql.param(jobIds)}::uuid[]) and u.status = 'running'
          and u.quota_wait_until is not null and u.lease_expires_at > now()
        order by u.job_id, u.quota_wait_since`,
  );
  return new Map(
    rows.map((r) => [
      String(r.job_id),
      { provider: String(r.provider), since: isoRequired(r.since), until: isoRequired(r.until) },
    ]),
  );
}

/** Read beside a job's units: the wait of a live claim, if it has one. */
export const QUOTA_WAIT_COLUMNS: SQL = sql`quota_wait_since, quota_wait_until,
  (status = 'running' and quota_wait_until is not null and lease_expires_at > now()) as quota_waiting`;

/** The longest-waiting live claim among a job's units read with QUOTA_WAIT_COLUMNS. */
export function quotaWaitOfUnits(units: Row[], jobProvider: string): QuotaWaitInfo | null {
  let found: QuotaWaitInfo | null = null;
  for (const u of units) {
    if (u.quota_waiting !== true && u.quota_waiting !== 't') continue;
    const since = isoRequired(u.quota_wait_since);
    if (found === null || since < found.since) {
      found = {
        provider: u.provider == null ? jobProvider : String(u.provider),
        since,
        until: isoRequired(u.quota_wait_until),
      };
    }
  }
  return found;
}
