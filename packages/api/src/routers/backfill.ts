import {
  backfillCreatedSchema,
  backfillJobSchema,
  backfillPreviewSchema,
  backfillRecentInputSchema,
  backfillRequestSchema,
  backfillStatusInputSchema,
  backfillStatusSchema,
  onProgressInputSchema,
} from '@candlebase/contracts';
import { mutationProcedure, publicProcedure, router } from '../trpc';

export const backfillRouter = router({
  create: mutationProcedure
    .input(backfillRequestSchema)
    .output(backfillCreatedSchema)
    .mutation(({ ctx, input }) => ctx.services.backfill.create(input, ctx.client)),
  /** What `create` would fetch (ranges, bars, requests, time), creating nothing: a read. */
  preview: publicProcedure
    .input(backfillRequestSchema)
    .output(backfillPreviewSchema)
    .query(({ ctx, input }) => ctx.services.backfill.preview(input)),
  status: publicProcedure
    .input(backfillStatusInputSchema)
    .output(backfillStatusSchema)
    .query(({ ctx, input }) => ctx.services.backfill.status(input.jobId)),
  recent: publicProcedure
    .input(backfillRecentInputSchema)
    .output(backfillJobSchema.array())
    .query(({ ctx, input }) => ctx.services.backfill.recent(input.limit)),
  cancel: mutationProcedure
    .input(backfillStatusInputSchema)
    .output(backfillJobSchema)
    .mutation(({ ctx, input }) => ctx.services.backfill.cancel(input.jobId)),
  retry: mutationProcedure
    .input(backfillStatusInputSchema)
    .output(backfillJobSchema)
    .mutation(({ ctx, input }) => ctx.services.backfill.retry(input.jobId)),
  /** A snapshot, then every event after `lastEventId`, each tracked by its id; ends when the job ends. */
  onProgress: mutationProcedure.input(onProgressInputSchema).subscription(async ({ ctx, input, signal }) => {
    // Checked before the stream starts, so an unknown job is a NOT_FOUND, not a broken stream.
    await ctx.services.backfill.assertJob(input.jobId);
    return ctx.services.backfill.progress(input, signal);
  }),
});
