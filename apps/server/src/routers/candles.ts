import type { CandlesPage } from '@candlebase/contracts';
import { candlesListInputSchema } from '@candlebase/contracts';
import { listCandles } from '../queries/candles';
import { publicProcedure, router } from '../trpc/trpc';

export const candlesRouter = router({
  // No output validation: re-checking 5,000 server-built candles cost a third of the call.
  // queries/candles.test.ts holds the page to candlesPageSchema on both engines instead.
  list: publicProcedure
    .input(candlesListInputSchema)
    .query(({ ctx, input }): Promise<CandlesPage> => listCandles(ctx.app.database.db, input)),
});
