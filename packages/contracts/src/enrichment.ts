import { z } from 'zod';
import { adjustSchema } from './actions';
import { backfillCreatedSchema } from './backfill';
import { symbolSchema } from './symbols';
import { timeframeSchema } from './timeframes';

export const MAX_FEATURE_POINTS = 2000;
export const DEFAULT_FEATURE_POINTS = 300;

const instant = (label: string) =>
  z.string().refine((s) => !Number.isNaN(Date.parse(s)), `${label} must be an ISO 8601 date or time`);

export const enrichmentFeaturesInputSchema = z.object({
  symbol: symbolSchema,
  timeframe: timeframeSchema,
  limit: z
    .number()
    .int()
    .min(1, 'Limit must be at least 1')
    .max(MAX_FEATURE_POINTS, `Limit must be at most ${MAX_FEATURE_POINTS}`)
    .default(DEFAULT_FEATURE_POINTS),
  adjust: adjustSchema,
});
export type EnrichmentFeaturesInput = z.input<typeof enrichmentFeaturesInputSchema>;

/** close > EMA20 > EMA50: uptrend; close < EMA20 < EMA50: downtrend; anything else: ranging. */
export const TREND_REGIMES = ['uptrend', 'downtrend', 'ranging'] as const;
export const trendRegimeSchema = z.enum(TREND_REGIMES);
export type TrendRegime = z.infer<typeof trendRegimeSchema>;

/** Compressed: the Bollinger width is in the lowest 20% of its trailing 120 values. */
export const COMPRESSION_REGIMES = ['compressed', 'expanded'] as const;
export const compressionRegimeSchema = z.enum(COMPRESSION_REGIMES);
export type CompressionRegime = z.infer<typeof compressionRegimeSchema>;

const value = z.number().nullable();

/** One bar with its features; a feature is null until enough bars precede it. */
export const featurePointSchema = z.object({
  ts: z.string(),
  open: z.number(),
  high: z.number(),
  low: z.number(),
  close: z.number(),
  volume: z.number(),
  log_return: value,
  /** Standard deviation of log returns, annualised (see `periods_per_year`). */
  volatility_20: value,
  volatility_50: value,
  atr_14: value,
  rsi_14: value,
  macd: value,
  macd_signal: value,
  macd_histogram: value,
  ema_20: value,
  ema_50: value,
  bb_upper: value,
  bb_middle: value,
  bb_lower: value,
  /** (upper - lower) / middle. */
  bb_width: value,
  volume_mean_20: value,
  /** volume / volume_mean_20. */
  volume_ratio: value,
  trend: trendRegimeSchema.nullable(),
  compression: compressionRegimeSchema.nullable(),
});
export type FeaturePoint = z.infer<typeof featurePointSchema>;

/** The market calendar a series is counted against (see packages/calendar): regular or extended NYSE hours, FX 24x5, 24x7. */
export const calendarNameSchema = z.enum(['nyse', 'nyse-extended', 'fx', '24x7']);

export const enrichmentFeaturesSchema = z.object({
  symbol: z.string(),
  timeframe: timeframeSchema,
  calendar: calendarNameSchema,
  /** Bars per year used to annualise volatility: 252 sessions x bars per session, or 365 x bars per day. */
  periods_per_year: z.number(),
  /** Bars read before the first point returned, so its indicators are already settled. */
  warmup_bars: z.number().int(),
  latest: featurePointSchema.nullable(),
  regimes: z.object({ trend: trendRegimeSchema.nullable(), compression: compressionRegimeSchema.nullable() }),
  /** Oldest first. */
  series: z.array(featurePointSchema),
});
export type EnrichmentFeatures = z.infer<typeof enrichmentFeaturesSchema>;

export const enrichmentCoverageInputSchema = z
  .object({
    symbol: symbolSchema,
    timeframe: timeframeSchema,
    /** Window start (inclusive); by default the series' first bar. */
    from: instant('from').optional(),
    /** Window end (exclusive); by default just after the series' last bar. */
    to: instant('to').optional(),
  })
  .refine((v) => !v.from || !v.to || Date.parse(v.from) < Date.parse(v.to), {
    message: 'from must be before to',
    path: ['from'],
  });
export type EnrichmentCoverageInput = z.input<typeof enrichmentCoverageInputSchema>;

/**
 * gap: never asked of the provider (no completed backfill covered it); fill gaps fetches it.
 * quiet: a completed backfill asked for it and the provider had no bar (no trades).
 */
export const MISSING_KINDS = ['gap', 'quiet'] as const;
export const missingKindSchema = z.enum(MISSING_KINDS);
export type MissingKind = z.infer<typeof missingKindSchema>;

/** A run of missing bars: opens in [from, to), `bars` of them. */
export const missingRangeSchema = z.object({
  from: z.string(),
  to: z.string(),
  bars: z.number().int(),
  kind: missingKindSchema,
});
export type MissingRangeInfo = z.infer<typeof missingRangeSchema>;

export const enrichmentCoverageSchema = z.object({
  symbol: z.string(),
  timeframe: timeframeSchema,
  calendar: calendarNameSchema,
  first: z.string().nullable(),
  last: z.string().nullable(),
  /** Candles stored for the whole series. */
  count: z.number().int(),
  /** Bars the calendar expects from first to last, both included. */
  expected: z.number().int(),
  /** The window looked at: the requested range, or first..last. Future bars are never expected. */
  window: z.object({
    from: z.string().nullable(),
    to: z.string().nullable(),
    count: z.number().int(),
    expected: z.number().int(),
    missing_bars: z.number().int(),
    /** Share of expected bars present, 0-100; null when none are expected. */
    coverage_pct: z.number().nullable(),
  }),
  gaps: z.object({ ranges: z.number().int(), bars: z.number().int() }),
  quiet: z.object({ ranges: z.number().int(), bars: z.number().int() }),
  /** Oldest first; at most 500 listed (the counts above include all). */
  missing: z.array(missingRangeSchema),
  missing_truncated: z.boolean(),
  /**
   * The window's bars by `source`, most first: more than one entry means the series mixes
   * providers (a symbol whose provider was changed, or a CSV import beside fetched bars).
   */
  sources: z.array(z.object({ source: z.string(), bars: z.number().int() })),
  /** Bars in the window that are not candles. */
  sanity: z.object({
    high_below_body: z.number().int(),
    low_above_body: z.number().int(),
    negative_volume: z.number().int(),
  }),
});
export type EnrichmentCoverage = z.infer<typeof enrichmentCoverageSchema>;

export const enrichmentFillGapsInputSchema = enrichmentCoverageInputSchema;
export type EnrichmentFillGapsInput = z.input<typeof enrichmentFillGapsInputSchema>;

export const enrichmentFillGapsSchema = z.object({
  /** The created job, or null when there was nothing to fill. */
  job: backfillCreatedSchema.nullable(),
  /** The ranges the job fetches, one unit each. */
  ranges: z.array(missingRangeSchema),
  message: z.string(),
});
export type EnrichmentFillGaps = z.infer<typeof enrichmentFillGapsSchema>;
