import { type BackfillCreated, type BackfillRequest, daysInclusive } from '@candlebase/contracts';
import { queryRows } from '@candlebase/db';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../context';
import { InputError, TooManyRequestsError } from '../errors';
import { createBackfill } from './service';

/**
 * The one way a client starts a backfill, REST or tRPC: the per-client rate, the cap on active
 * jobs and the longest range per timeframe are checked here, then the job is created.
 */
export async function submitBackfill(app: AppContext, req: BackfillRequest, client: string): Promise<BackfillCreated> {
  const days = daysInclusive(req.start_date, req.end_date);
  for (const tf of req.timeframes) {
    const max = app.config.MAX_RANGE_DAYS[tf];
    if (days > max) {
      throw new InputError(
        `A ${tf} backfill can cover at most ${max} days (this one covers ${days}); split the range`,
        'start_date',
      );
    }
  }
  // A named provider must be one this server has; each symbol's own is checked when its unit runs.
  if (req.provider !== undefined) app.providers.require(req.provider);
  app.limits.backfillCreation.hit(client);
  const active = await queryRows<{ n: number }>(
    app.database.db,
    sql`select count(*)::int as n from backfill_jobs where status in ('queued', 'running')`,
  );
  const n = active[0]?.n ?? 0;
  if (n >= app.config.MAX_ACTIVE_JOBS) {
    throw new TooManyRequestsError(
      `${n} backfill jobs are already queued or running (the limit is ${app.config.MAX_ACTIVE_JOBS}); wait for some to finish or cancel them`,
      30,
    );
  }
  return createBackfill(app.database, req, {
    provider: req.provider,
    rule: (assetClass) => app.providers.forAssetClass(assetClass),
  });
}
