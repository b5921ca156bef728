import { z } from 'zod';
import { isFxPair, splitPair } from './currencies';
import { timeframeSchema } from './timeframes';

/** 1 to 20 of A-Z, 0-9, `.`, `-`, `/`, `:`, starting with a letter or digit (after upper-casing). */
export const SYMBOL_PATTERN = /^[A-Z0-9][A-Z0-9.\-/:]{0,19}$/;

const SYMBOL_RULE = 'use 1 to 20 characters A-Z, 0-9, ".", "-", "/" or ":", starting with a letter or digit';

export function invalidSymbolMessage(s: string): string {
  return `Invalid symbol "${s.slice(0, 40)}": ${SYMBOL_RULE}`;
}

const MAX_NAMED = 10;

/** Names every bad symbol (the first ten, then how many more), so a form's user fixes them in one go. */
export function invalidSymbolsMessage(bad: readonly string[]): string {
  if (bad.length === 1 && bad[0] !== undefined) return invalidSymbolMessage(bad[0]);
  const named = bad.slice(0, MAX_NAMED).map((s) => `"${s.slice(0, 40)}"`);
  const more = bad.length > MAX_NAMED ? ` and ${bad.length - MAX_NAMED} more` : '';
  return `Invalid symbols ${named.join(', ')}${more}: ${SYMBOL_RULE}`;
}

export const symbolSchema = z
  .string({ error: 'Symbol must be text' })
  .trim()
  .toUpperCase()
  .check((ctx) => {
    if (!SYMBOL_PATTERN.test(ctx.value)) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: ctx.value.length === 0 ? 'Symbol must not be empty' : invalidSymbolMessage(ctx.value),
      });
    }
  });

export const ASSET_CLASSES = ['equity', 'etf', 'crypto', 'fx', 'index'] as const;
export const assetClassSchema = z.enum(ASSET_CLASSES);
export type AssetClass = z.infer<typeof assetClassSchema>;

const CRYPTO_QUOTES = ['-USD', '-USDT', '-USDC', '-EUR', '-BTC'];

/**
 * A guess until a provider that knows better corrects it: a pair of two ISO 4217 currencies
 * (metals included) is FX (EUR-USD, XAU-USD), other quoted pairs are crypto (BTC-USD, ETH-USDT),
 * the rest equities.
 */
export function guessAssetClass(symbol: string): AssetClass {
  const s = symbol.toUpperCase();
  const pair = splitPair(s);
  if (pair !== undefined && isFxPair(pair)) return 'fx';
  return CRYPTO_QUOTES.some((q) => s.endsWith(q) && s.length > q.length) ? 'crypto' : 'equity';
}

/** The quote currency of a pair (BTC-USDT -> USDT, EUR-USD -> USD), the currency its prices are in. */
export function guessCurrency(symbol: string): string | null {
  const pair = splitPair(symbol);
  if (pair === undefined) return null;
  return isFxPair(pair) || guessAssetClass(symbol) === 'crypto' ? pair.quote : null;
}

/**
 * Which trading hours an equity series keeps: `regular` (09:30-16:00 New York, the default) or
 * `extended` (04:00-20:00, pre-market and after-hours included). Other asset classes ignore it.
 */
export const SESSION_POLICIES = ['regular', 'extended'] as const;
export const sessionPolicySchema = z.enum(SESSION_POLICIES, {
  error: (i) => `Session must be regular or extended (got "${String(i.input)}")`,
});
export type SessionPolicy = z.infer<typeof sessionPolicySchema>;

export const SYMBOL_STATUSES = ['no_data', 'fresh', 'stale', 'backfilling', 'error'] as const;
export const symbolStatusSchema = z.enum(SYMBOL_STATUSES);
export type SymbolStatus = z.infer<typeof symbolStatusSchema>;

export const coverageSchema = z.object({
  timeframe: timeframeSchema,
  first: z.string().nullable(),
  last: z.string().nullable(),
  count: z.number().int(),
});
export type Coverage = z.infer<typeof coverageSchema>;

export const symbolSummarySchema = z.object({
  symbol: z.string(),
  name: z.string().nullable(),
  asset_class: assetClassSchema,
  exchange: z.string().nullable(),
  currency: z.string().nullable(),
  provider: z.string().nullable(),
  session: sessionPolicySchema,
  active: z.boolean(),
  status: symbolStatusSchema,
  coverage: z.array(coverageSchema),
  last_candle_at: z.string().nullable(),
  records: z.number().int(),
  last_error: z.string().nullable(),
  updated_at: z.string(),
});
export type SymbolSummary = z.infer<typeof symbolSummarySchema>;

export const symbolGetInputSchema = z.object({ symbol: symbolSchema });

export const symbolAddInputSchema = z.object({
  symbol: symbolSchema,
  // Postgres text cannot hold NUL: refused here in words rather than by the database as a 500.
  name: z
    .string()
    .trim()
    .max(200)
    .refine((s) => !s.includes('\u0000'), 'Name must not contain a NUL character')
    .optional(),
  asset_class: assetClassSchema.optional(),
  exchange: z.string().trim().max(50).optional(),
  currency: z.string().trim().max(10).optional(),
  /** Equities only: which hours the series keeps; regular unless said. */
  session: sessionPolicySchema.optional(),
  /** Add it even though its provider says it has no such symbol (a listing it does not know yet). */
  force: z.boolean().optional(),
});
export type SymbolAddInput = z.input<typeof symbolAddInputSchema>;

/** `symbols.setProvider`: fetch this symbol from another configured provider from now on. */
export const symbolSetProviderInputSchema = z.object({
  symbol: symbolSchema,
  provider: z
    .string({ error: 'Provider must be text' })
    .trim()
    .min(1, 'Choose a provider')
    .max(60, 'Provider must be at most 60 characters'),
});
export type SymbolSetProviderInput = z.input<typeof symbolSetProviderInputSchema>;

/** `symbols.remove`: candles (and their summaries) go too unless `keep_candles`, which a later add finds again. */
export const symbolRemoveInputSchema = z.object({ symbol: symbolSchema, keep_candles: z.boolean().optional() });
export type SymbolRemoveInput = z.input<typeof symbolRemoveInputSchema>;

export const symbolRemoveResultSchema = z.object({
  symbol: z.string(),
  candles_deleted: z.number().int(),
  candles_kept: z.number().int(),
});
export type SymbolRemoveResult = z.infer<typeof symbolRemoveResultSchema>;

/** `symbols.rename`: a ticker change (FB -> META) carrying the symbol's data along. */
export const symbolRenameInputSchema = z
  .object({ symbol: symbolSchema, to: symbolSchema })
  .refine((r) => r.symbol !== r.to, { message: 'The new name is the same as the old one', path: ['to'] });
export type SymbolRenameInput = z.input<typeof symbolRenameInputSchema>;

/**
 * What the symbol's provider says of it before it is added: `exists` is null when the provider
 * cannot tell; `demo` when it generates data for any name, so "exists" means only "well-formed".
 */
export const symbolLookupSchema = z.object({
  symbol: z.string(),
  provider: z.string(),
  exists: z.boolean().nullable(),
  demo: z.boolean(),
  name: z.string().nullable(),
  message: z.string(),
});
export type SymbolLookup = z.infer<typeof symbolLookupSchema>;
