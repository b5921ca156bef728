import {
  type SymbolListSnapshot,
  type SymbolSummary,
  symbolAddInputSchema,
  symbolGetInputSchema,
  symbolLookupSchema,
  symbolRemoveInputSchema,
  symbolRemoveResultSchema,
  symbolRenameInputSchema,
  symbolSetProviderInputSchema,
  symbolSummarySchema,
  symbolsOnChangedInputSchema,
} from '@candlebase/contracts';
import { mutationProcedure, publicProcedure, router } from '../trpc';

export const symbolsRouter = router({
  // No output validation on the two lists: 10,000 rows of server-built data would cost more to re-check than to compute.
  /** Every symbol as objects: the form API clients have always had. The dashboard uses `snapshot` and `onChanged`. */
  list: publicProcedure.query(({ ctx }): Promise<SymbolSummary[]> => ctx.services.symbols.list()),
  /** The same rows column by column (symbolListSnapshotSchema, about a seventh of the bytes), with the position to follow changes from. */
  snapshot: publicProcedure.query(({ ctx }): Promise<SymbolListSnapshot> => ctx.services.symbols.snapshot()),
  /** Per-symbol changes after `lastEventId` (a snapshot's `seq`), each tracked by its position, then the live tail. */
  onChanged: publicProcedure
    .input(symbolsOnChangedInputSchema)
    .subscription(({ ctx, input, signal }) => ctx.services.symbols.changes(input.lastEventId, signal)),
  get: publicProcedure
    .input(symbolGetInputSchema)
    .output(symbolSummarySchema)
    .query(({ ctx, input }) => ctx.services.symbols.get(input.symbol)),
  add: mutationProcedure
    .input(symbolAddInputSchema)
    .output(symbolSummarySchema)
    .mutation(({ ctx, input }) => ctx.services.symbols.add(input)),
  /** Fetch the symbol from another configured provider from now on; an unknown or unconfigured one is refused in words. */
  setProvider: mutationProcedure
    .input(symbolSetProviderInputSchema)
    .output(symbolSummarySchema)
    .mutation(({ ctx, input }) => ctx.services.symbols.setProvider(input.symbol, input.provider)),
  /** Deletes its candles too unless `keep_candles`, in which case adding it again finds them. */
  remove: mutationProcedure
    .input(symbolRemoveInputSchema)
    .output(symbolRemoveResultSchema)
    .mutation(({ ctx, input }) => ctx.services.symbols.remove(input.symbol, input.keep_candles)),
  /** A ticker change (FB -> META), carrying candles, summaries, actions and unit history along. */
  rename: mutationProcedure
    .input(symbolRenameInputSchema)
    .output(symbolSummarySchema)
    .mutation(({ ctx, input }) => ctx.services.symbols.rename(input.symbol, input.to)),
  /** Whether the provider it would be fetched from has it, before `add`; a mutation as it spends a request. */
  lookup: mutationProcedure
    .input(symbolAddInputSchema.pick({ symbol: true, asset_class: true }))
    .output(symbolLookupSchema)
    .mutation(({ ctx, input }) => ctx.services.symbols.lookup(input.symbol, input.asset_class)),
});
