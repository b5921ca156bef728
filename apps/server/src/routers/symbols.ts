import {
  guessAssetClass,
  symbolAddInputSchema,
  symbolGetInputSchema,
  symbolSummarySchema,
} from '@candlebase/contracts';
import { z } from 'zod';
import { addSymbol, getSymbol, listSymbols, removeSymbol } from '../queries/symbols';
import { mutationProcedure, publicProcedure, router } from '../trpc/trpc';

export const symbolsRouter = router({
  list: publicProcedure.output(symbolSummarySchema.array()).query(({ ctx }) => listSymbols(ctx.app.database.db)),
  get: publicProcedure
    .input(symbolGetInputSchema)
    .output(symbolSummarySchema)
    .query(({ ctx, input }) => getSymbol(ctx.app.database.db, input.symbol)),
  add: mutationProcedure
    .input(symbolAddInputSchema)
    .output(symbolSummarySchema)
    .mutation(({ ctx, input }) => addSymbol(ctx.app.database.db, input, guessAssetClass(input.symbol))),
  remove: mutationProcedure
    .input(symbolGetInputSchema)
    .output(z.object({ symbol: z.string(), candles_deleted: z.number().int() }))
    .mutation(({ ctx, input }) => removeSymbol(ctx.app.database.db, input.symbol)),
});
