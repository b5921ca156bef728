import {
  type BackfillCreated,
  type BackfillRequest,
  daysInclusive,
  futureRangeMessage,
  InputError,
  isoDate,
} from '@candlebase/contracts';
import type { Config } from '../config';
import type { SlidingWindowLimiter } from '../security/rate-limit';
import type { EngineDeps } from './engine-deps';
import { createBackfill } from './service';

/** What checking and starting a backfill reads: the engine's dependencies, the limits and the per-client rate. */
export interface SubmitDeps extends Pick<EngineDeps, 'database' | 'clock' | 'providers'> {
  config: Pick<Config, 'MAX_RANGE_DAYS' | 'MAX_ACTIVE_JOBS'>;
  limits: { backfillCreation: Pick<SlidingWindowLimiter, 'hit'> };
}

/**
 * The checks beyond the schema that a backfill and its preview share: a range that has begun,
 * the longest range per timeframe, a known provider.
 */
export function checkBackfillRequest(app: Omit<SubmitDeps, 'limits'>, req: BackfillRequest): void {
  // No bar of a range that starts after today can exist: refused rather than run to a green
  // "0 records". A range that only ends in the future is fine (only closed bars are stored).
  const today = isoDate(new Date(app.clock()));
  if (req.start_date > today) throw new InputError(futureRangeMessage(req.start_date, today), 'start_date');
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
}

/**
 * The one way a client starts a backfill, REST or tRPC: the shared checks above, the per-client
 * rate and the cap on active jobs, then the job is created.
 */
export async function submitBackfill(app: SubmitDeps, req: BackfillRequest, client: string): Promise<BackfillCreated> {
  checkBackfillRequest(app, req);
  app.limits.backfillCreation.hit(client);
  return createBackfill(app.database, req, {
    provider: req.provider,
    rule: (assetClass) => app.providers.forAssetClass(assetClass),
    maxActiveJobs: app.config.MAX_ACTIVE_JOBS,
  });
}
