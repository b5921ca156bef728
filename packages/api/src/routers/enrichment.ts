import {
  coverageMapInputSchema,
  coverageMapSchema,
  enrichmentCoverageInputSchema,
  enrichmentCoverageSchema,
  enrichmentFeaturesInputSchema,
  enrichmentFeaturesSchema,
  enrichmentFillGapsInputSchema,
  enrichmentFillGapsSchema,
} from '@candlebase/contracts';
import { mutationProcedure, publicProcedure, router } from '../trpc';

export const enrichmentRouter = router({
  /** The newest bars with their indicators and regimes, for the cards and the chart. */
  features: publicProcedure
    .input(enrichmentFeaturesInputSchema)
    .output(enrichmentFeaturesSchema)
    .query(({ ctx, input }) => ctx.services.enrichment.features(input)),
  /** Stored against expected bars, with the missing runs told apart into gaps and quiet periods. */
  coverage: publicProcedure
    .input(enrichmentCoverageInputSchema)
    .output(enrichmentCoverageSchema)
    .query(({ ctx, input }) => ctx.services.enrichment.coverage(input)),
  /** Symbols x time spans, each cell's stored and expected bars and its state, for the coverage map. */
  coverageMap: publicProcedure
    .input(coverageMapInputSchema)
    .output(coverageMapSchema)
    .query(({ ctx, input }) => ctx.services.enrichment.coverageMap(input)),
  /** One backfill job for exactly the real gaps; `job` is null when there is nothing to fill. */
  fillGaps: mutationProcedure
    .input(enrichmentFillGapsInputSchema)
    .output(enrichmentFillGapsSchema)
    .mutation(({ ctx, input }) => ctx.services.enrichment.fillGaps(input)),
});
