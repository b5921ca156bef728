import { alertListSchema, alertsInputSchema } from '@candlebase/contracts';
import { publicProcedure, router } from '../trpc';

export const alertsRouter = router({
  /** The newest alerts (failed jobs, failed checks, stale series) and their webhook delivery. */
  recent: publicProcedure
    .input(alertsInputSchema)
    .output(alertListSchema)
    .query(({ ctx, input }) => ctx.services.alerts.recent(input.limit)),
});
