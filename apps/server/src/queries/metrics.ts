import { JOB_STATUSES, type JobStatus } from '@candlebase/contracts';
import { type Db, queryRows } from '@candlebase/db';
import { iso } from '@candlebase/db/rows';
import { sql } from 'drizzle-orm';

export interface Counts {
  symbols: number;
  active_symbols: number;
  candles: number;
  jobs: Record<JobStatus, number>;
  latest_data: string | null;
}

/** From the coverage summary, never a count(*) over candles. */
export async function countEverything(db: Db): Promise<Counts> {
  const [totals, jobs] = await Promise.all([
    queryRows<{ symbols: number; active: number; candles: number; latest: unknown }>(
      db,
      sql`select (select count(*)::int from symbols) as symbols,
                 (select count(*)::int from symbols where active) as active,
                 (select coalesce(sum(count), 0)::float8 from series_coverage) as candles,
                 (select max(last_ts) from series_coverage) as latest`,
    ),
    queryRows<{ status: JobStatus; n: number }>(
      db,
      sql`select status, count(*)::int as n from backfill_jobs group by status`,
    ),
  ]);
  const t = totals[0];
  const byStatus = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
  for (const j of jobs) byStatus[j.status] = Number(j.n);
  return {
    symbols: Number(t?.symbols ?? 0),
    active_symbols: Number(t?.active ?? 0),
    candles: Number(t?.candles ?? 0),
    jobs: byStatus,
    latest_data: iso(t?.latest),
  };
}
