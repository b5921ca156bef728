import { z } from 'zod';
import { symbolSchema } from './symbols';

export const WATCHLIST_NAME_MAX = 60;
/** Symbols added to or removed from a list in one call: a whole selection of the table. */
export const WATCHLIST_BATCH_MAX = 10_000;

export const watchlistNameSchema = z
  .string({ error: 'List name must be text' })
  .trim()
  .min(1, 'List name must not be empty')
  .max(WATCHLIST_NAME_MAX, `List name must be at most ${WATCHLIST_NAME_MAX} characters`)
  .refine((s) => !s.includes('\u0000'), 'List name must not contain a NUL character');

// A serial: an int4, so larger ids are refused here rather than overflow in the database.
export const watchlistIdSchema = z
  .number({ error: 'List id must be a number' })
  .int('List id must be a whole number')
  .positive('List id must be positive')
  .max(2_147_483_647, 'No list has that id');

export const watchlistSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  /** Members, alphabetically. */
  symbols: z.array(z.string()),
});
export type Watchlist = z.infer<typeof watchlistSchema>;

export const watchlistCreateInputSchema = z.object({ name: watchlistNameSchema });
export const watchlistRenameInputSchema = z.object({ id: watchlistIdSchema, name: watchlistNameSchema });
export const watchlistDeleteInputSchema = z.object({ id: watchlistIdSchema });
export const watchlistMembersInputSchema = z.object({
  id: watchlistIdSchema,
  symbols: z
    .array(symbolSchema)
    .min(1, 'No symbols selected')
    .max(WATCHLIST_BATCH_MAX, `At most ${WATCHLIST_BATCH_MAX} symbols at once`),
});
export type WatchlistMembersInput = z.input<typeof watchlistMembersInputSchema>;
