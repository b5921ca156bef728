import { z } from 'zod';
import { isValidIsoDate } from './dates';
import { assetClassSchema, symbolStatusSchema } from './symbols';
import { timeframeSchema } from './timeframes';

/** The map's columns: UTC calendar months, ISO weeks (Monday first) or days. */
export const COVERAGE_MAP_BUCKETS = ['month', 'week', 'day'] as const;
export const coverageMapBucketSchema = z.enum(COVERAGE_MAP_BUCKETS);
export type CoverageMapBucket = z.infer<typeof coverageMapBucketSchema>;

/**
 * A cell's state; its index is the code sent in `cells`. none: the calendar expects no closed bar
 * there (a weekend day, the future). quiet: every missing bar lies where a completed backfill asked
 * and the provider had none. failed: bars are missing and a failed unit overlaps the span.
 * in_progress: a pending or running unit overlaps it.
 */
export const COVERAGE_MAP_STATES = [
  'none',
  'complete',
  'partial',
  'missing',
  'quiet',
  'failed',
  'in_progress',
] as const;
export type CoverageMapState = (typeof COVERAGE_MAP_STATES)[number];

export const MAX_MAP_ROWS = 1000;
export const DEFAULT_MAP_ROWS = 500;
export const MAX_MAP_COLUMNS = 800;

const date = (label: string) =>
  z.string({ error: `${label} is required` }).refine(isValidIsoDate, `${label} must be a date (YYYY-MM-DD)`);

export const coverageMapInputSchema = z
  .object({
    timeframe: timeframeSchema,
    /** First day (UTC, inclusive). */
    from: date('From'),
    /** Last day (UTC, inclusive). */
    to: date('To'),
    bucket: coverageMapBucketSchema.default('month'),
    /** Symbol or name contains this, case-insensitive, as in the symbol table. */
    search: z.string().trim().max(100, 'Search must be at most 100 characters').optional(),
    status: symbolStatusSchema.optional(),
    asset_class: assetClassSchema.optional(),
    offset: z.number().int().min(0, 'Offset must not be negative').default(0),
    limit: z
      .number()
      .int()
      .min(1, 'Limit must be at least 1')
      .max(MAX_MAP_ROWS, `Limit must be at most ${MAX_MAP_ROWS}`)
      .default(DEFAULT_MAP_ROWS),
  })
  .refine((v) => v.from <= v.to, { message: 'From must not be after To', path: ['from'] });
export type CoverageMapInput = z.input<typeof coverageMapInputSchema>;

export const coverageMapRowSchema = z.object({
  symbol: z.string(),
  asset_class: assetClassSchema,
  status: symbolStatusSchema,
  /** Per column, three numbers: bars stored, bars expected (closed ones only), state code. */
  cells: z.array(z.number().int()),
});
export type CoverageMapRow = z.infer<typeof coverageMapRowSchema>;

export const coverageMapSchema = z.object({
  timeframe: timeframeSchema,
  bucket: coverageMapBucketSchema,
  /** Each column's span [start, end) as UTC instants, clipped to from..to. */
  columns: z.array(z.object({ start: z.string(), end: z.string() })),
  /** Symbols matching the filters (the rows are `offset`..`offset + limit` of them, by symbol). */
  total: z.number().int(),
  offset: z.number().int(),
  rows: z.array(coverageMapRowSchema),
});
export type CoverageMap = z.infer<typeof coverageMapSchema>;
