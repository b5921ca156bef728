import {
  guessAssetClass,
  type SymbolSummary,
  symbolAddInputSchema,
  symbolGetInputSchema,
  symbolSetProviderInputSchema,
  symbolSummarySchema,
} from '@candlebase/contracts';
import { z } from 'zod';
import { addSymbol, getSymbol, removeSymbol, setSymbolProvider } from '../queries/symbols';
import { mutationProcedure, publicProcedure, router } from '../trpc/trpc';

export const symbolsRouter = router({
  // No output validation here: 10,000 rows of server-built data would cost more to re-check than to compute.
  list: publicProcedure.query(({ ctx }): Promise<SymbolSummary[]> => ctx.app.symbolList.get()),
  get: publicProcedure
    .input(symbolGetInputSchema)
    .output(symbolSummarySchema)
    .query(({ ctx, input }) => getSymbol(ctx.app.database.db, input.symbol)),
  add: mutationProcedure
    .input(symbolAddInputSchema)
    .output(symbolSummarySchema)
    .mutation(async ({ ctx, input }) => {
      const added = await addSymbol(ctx.app.database.db, input, guessAssetClass(input.symbol), (c) =>
        ctx.app.providers.forAssetClass(c),
      );
      ctx.app.symbolList.invalidate();
      return added;
    }),
  /** Fetch the symbol from another configured provider from now on; an unknown or unconfigured one is refused in words. */
  setProvider: mutationProcedure
    .input(symbolSetProviderInputSchema)
    .output(symbolSummarySchema)
    .mutation(async ({ ctx, input }) => {
      ctx.app.providers.require(input.provider);
      const updated = await setSymbolProvider(ctx.app.database.db, input.symbol, input.provider);
      ctx.app.symbolList.invalidate();
      return updated;
    }),
  remove: mutationProcedure
    .input(symbolGetInputSchema)
    .output(z.object({ symbol: z.string(), candles_deleted: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      const removed = await removeSymbol(ctx.app.database.db, input.symbol);
      ctx.app.symbolList.invalidate();
      return removed;
    }),
});
