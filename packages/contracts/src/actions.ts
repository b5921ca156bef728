import { z } from 'zod';
import { symbolSchema } from './symbols';

/**
 * How stored (raw) prices are adjusted when read: `none` as traded, `splits` (the default, what
 * charting platforms show) divides prices before each split by its ratio and multiplies volume,
 * `all` also applies the backward dividend factor (1 - dividend / previous close), for
 * total-return work. Computed at read time, so an action recorded later corrects all history.
 */
export const ADJUST_MODES = ['none', 'splits', 'all'] as const;
export const adjustSchema = z
  .enum(ADJUST_MODES, { error: 'adjust must be one of none, splits or all' })
  .default('splits');
export type Adjust = z.infer<typeof adjustSchema>;

export const ACTION_KINDS = ['split', 'dividend'] as const;
export const actionKindSchema = z.enum(ACTION_KINDS);
export type ActionKind = z.infer<typeof actionKindSchema>;

/**
 * A split or cash dividend as stored: `ratio` is new shares per old share (4 for 4:1, 0.1 for a
 * 1:10 reverse split), `amount` cash per share; the other is null.
 */
export const corporateActionSchema = z.object({
  ex_date: z.string(),
  kind: actionKindSchema,
  ratio: z.number().nullable(),
  amount: z.number().nullable(),
  source: z.string(),
});
export type CorporateAction = z.infer<typeof corporateActionSchema>;

export const actionsInputSchema = z.object({ symbol: symbolSchema });
export type ActionsInput = z.input<typeof actionsInputSchema>;

/** Oldest first. */
export const actionsListSchema = z.array(corporateActionSchema);
