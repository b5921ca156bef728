import { z } from 'zod';
import { adjustSchema } from './actions';
import { symbolSchema } from './symbols';
import { timeframeSchema } from './timeframes';

export const MAX_CANDLES_PER_PAGE = 5000;

const EARLIEST = Date.UTC(1900, 0, 1);
const LATEST = Date.UTC(2200, 0, 1);

/** An ISO 8601 instant between 1900 and 2200, normalised to `toISOString()` form. */
const instant = (label: string) =>
  z.string().transform((s, ctx) => {
    const ms = Date.parse(s);
    if (Number.isNaN(ms) || ms < EARLIEST || ms >= LATEST) {
      ctx.addIssue({ code: 'custom', message: `${label} must be an ISO 8601 date or time between 1900 and 2200` });
      return z.NEVER;
    }
    return new Date(ms).toISOString();
  });

export const candleSchema = z.object({
  ts: z.string(),
  open: z.number(),
  high: z.number(),
  low: z.number(),
  close: z.number(),
  volume: z.number(),
  vwap: z.number().nullable(),
  trades: z.number().int().nullable(),
  /** The provider the values came from. */
  source: z.string(),
  /** When the values were fetched or last changed (ISO); null for bars stored before this was kept. */
  fetched_at: z.string().nullable().optional(),
  /** A later fetch changed the values first stored (a provider's revision). */
  revised: z.boolean().optional(),
});
export type Candle = z.infer<typeof candleSchema>;

/** Newest first; `cursor` is the `next_cursor` of the previous page and reaches further back. */
export const candlesListInputSchema = z.object({
  symbol: symbolSchema,
  timeframe: timeframeSchema,
  from: instant('from').optional(),
  to: instant('to').optional(),
  cursor: instant('cursor').nullish(),
  limit: z
    .number()
    .int()
    .min(1, 'Limit must be at least 1')
    .max(MAX_CANDLES_PER_PAGE, `Limit must be at most ${MAX_CANDLES_PER_PAGE}`)
    .default(500),
  adjust: adjustSchema,
});
export type CandlesListInput = z.input<typeof candlesListInputSchema>;

export const candlesPageSchema = z.object({
  symbol: z.string(),
  timeframe: timeframeSchema,
  candles: z.array(candleSchema),
  next_cursor: z.string().nullable(),
});
export type CandlesPage = z.infer<typeof candlesPageSchema>;
