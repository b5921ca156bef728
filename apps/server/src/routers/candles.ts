import { candlesListInputSchema, candlesPageSchema } from '@candlebase/contracts';
import { listCandles } from '../queries/candles';
import { publicProcedure, router } from '../trpc/trpc';

export const candlesRouter = router({
  list: publicProcedure
    .input(candlesListInputSchema)
    .output(candlesPageSchema)
    .query(({ ctx, input }) => listCandles(ctx.app.database.db, input)),
});
