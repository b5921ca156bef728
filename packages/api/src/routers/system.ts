import { checksSchema, healthSchema, metricsSchema } from '@candlebase/contracts';
import { mutationProcedure, publicProcedure, router } from '../trpc';

export const systemRouter = router({
  health: publicProcedure.output(healthSchema).query(({ ctx }) => ctx.services.system.health(false)),
  /** Pings every configured provider now (each ping spends from its budget), then answers as `health`. */
  pingProviders: mutationProcedure.output(healthSchema).mutation(({ ctx }) => ctx.services.system.health(true)),
  metrics: publicProcedure.output(metricsSchema).query(({ ctx }) => ctx.services.system.metrics()),
  /** "Run Checks": database, migrations, OHLC sanity, gaps, stuck units, provider. */
  checks: publicProcedure.output(checksSchema).query(({ ctx }) => ctx.services.system.checks(ctx.client)),
});
