import {
  enrichmentCoverageInputSchema,
  enrichmentCoverageSchema,
  enrichmentFeaturesInputSchema,
  enrichmentFeaturesSchema,
  enrichmentFillGapsInputSchema,
  enrichmentFillGapsSchema,
} from '@candlebase/contracts';
import { analyseCoverage } from '../enrichment/coverage';
import { getFeatures } from '../enrichment/features';
import { fillGaps } from '../enrichment/fill-gaps';
import { mutationProcedure, publicProcedure, router } from '../trpc/trpc';

export const enrichmentRouter = router({
  /** The newest bars with their indicators and regimes, for the cards and the chart. */
  features: publicProcedure
    .input(enrichmentFeaturesInputSchema)
    .output(enrichmentFeaturesSchema)
    .query(({ ctx, input }) => getFeatures(ctx.app.database.db, input)),
  /** Stored against expected bars, with the missing runs told apart into gaps and quiet periods. */
  coverage: publicProcedure
    .input(enrichmentCoverageInputSchema)
    .output(enrichmentCoverageSchema)
    .query(async ({ ctx, input }) => (await analyseCoverage(ctx.app.database.db, input)).coverage),
  /** One backfill job for exactly the real gaps; `job` is null when there is nothing to fill. */
  fillGaps: mutationProcedure
    .input(enrichmentFillGapsInputSchema)
    .output(enrichmentFillGapsSchema)
    .mutation(({ ctx, input }) => fillGaps(ctx.app.database, (c) => ctx.app.providers.forAssetClass(c), input)),
});
