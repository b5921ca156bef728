import type { CandlesPage, CorporateAction } from '@candlebase/contracts';
import { actionsInputSchema, candlesListInputSchema } from '@candlebase/contracts';
import { publicProcedure, router } from '../trpc';

export const candlesRouter = router({
  // No output validation: re-checking 5,000 server-built candles cost a third of the call.
  // queries/candles.test.ts holds the page to candlesPageSchema on both engines instead.
  list: publicProcedure
    .input(candlesListInputSchema)
    .query(({ ctx, input }): Promise<CandlesPage> => ctx.services.candles.list(input)),
  /** The splits and dividends that adjust the symbol's prices, oldest first; none for a symbol not stored. */
  actions: publicProcedure
    .input(actionsInputSchema)
    .query(({ ctx, input }): Promise<CorporateAction[]> => ctx.services.candles.actions(input.symbol)),
});
