import {
  watchlistCreateInputSchema,
  watchlistDeleteInputSchema,
  watchlistMembersInputSchema,
  watchlistRenameInputSchema,
  watchlistSchema,
} from '@candlebase/contracts';
import { z } from 'zod';
import { mutationProcedure, publicProcedure, router } from '../trpc';

/** Named lists of symbols for the dashboard's picker; "All symbols" is not one of them but every symbol. */
export const watchlistsRouter = router({
  list: publicProcedure.output(z.array(watchlistSchema)).query(({ ctx }) => ctx.services.watchlists.list()),
  create: mutationProcedure
    .input(watchlistCreateInputSchema)
    .output(watchlistSchema)
    .mutation(({ ctx, input }) => ctx.services.watchlists.create(input.name)),
  rename: mutationProcedure
    .input(watchlistRenameInputSchema)
    .output(watchlistSchema)
    .mutation(({ ctx, input }) => ctx.services.watchlists.rename(input.id, input.name)),
  remove: mutationProcedure
    .input(watchlistDeleteInputSchema)
    .output(z.object({ id: z.number().int() }))
    .mutation(({ ctx, input }) => ctx.services.watchlists.remove(input.id)),
  addSymbols: mutationProcedure
    .input(watchlistMembersInputSchema)
    .output(watchlistSchema)
    .mutation(({ ctx, input }) => ctx.services.watchlists.addSymbols(input.id, input.symbols)),
  removeSymbols: mutationProcedure
    .input(watchlistMembersInputSchema)
    .output(watchlistSchema)
    .mutation(({ ctx, input }) => ctx.services.watchlists.removeSymbols(input.id, input.symbols)),
});
