import { type BackfillCreated, type BackfillRequest, daysInclusive } from '@candlebase/contracts';
import type { AppContext } from '../context';
import { InputError } from '../errors';
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
  return createBackfill(app.database, req, {
    provider: req.provider,
    rule: (assetClass) => app.providers.forAssetClass(assetClass),
    maxActiveJobs: app.config.MAX_ACTIVE_JOBS,
  });
}
