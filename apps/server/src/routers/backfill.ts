import {
  backfillCreatedSchema,
  backfillJobSchema,
  backfillRecentInputSchema,
  backfillRequestSchema,
  backfillStatusInputSchema,
  backfillStatusSchema,
  onProgressInputSchema,
} from '@candlebase/contracts';
import { MAX_UNIT_ATTEMPTS } from '../backfill/limits';
import { progressStream } from '../backfill/progress-stream';
import { cancelBackfill, getJob, getStatus, recentJobs, retryBackfill } from '../backfill/service';
import { submitBackfill } from '../backfill/submit';
import { mutationProcedure, publicProcedure, router } from '../trpc/trpc';

export const backfillRouter = router({
  create: mutationProcedure
    .input(backfillRequestSchema)
    .output(backfillCreatedSchema)
    .mutation(({ ctx, input }) => submitBackfill(ctx.app, input, ctx.client)),
  status: publicProcedure
    .input(backfillStatusInputSchema)
    .output(backfillStatusSchema)
    .query(({ ctx, input }) => getStatus(ctx.app.database.db, input.jobId)),
  recent: publicProcedure
    .input(backfillRecentInputSchema)
    .output(backfillJobSchema.array())
    .query(({ ctx, input }) => recentJobs(ctx.app.database.db, input.limit)),
  cancel: mutationProcedure
    .input(backfillStatusInputSchema)
    .output(backfillJobSchema)
    .mutation(({ ctx, input }) => cancelBackfill(ctx.app.database, input.jobId)),
  retry: mutationProcedure
    .input(backfillStatusInputSchema)
    .output(backfillJobSchema)
    .mutation(({ ctx, input }) => retryBackfill(ctx.app.database, input.jobId, MAX_UNIT_ATTEMPTS)),
  /** A snapshot, then every event after `lastEventId`, each tracked by its id; ends when the job ends. */
  onProgress: mutationProcedure.input(onProgressInputSchema).subscription(async ({ ctx, input, signal }) => {
    // Checked before the stream starts, so an unknown job is a NOT_FOUND, not a broken stream.
    await getJob(ctx.app.database.db, input.jobId);
    return progressStream(ctx.app, input, signal);
  }),
});
