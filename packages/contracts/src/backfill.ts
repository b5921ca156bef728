import { z } from 'zod';
import { defaultDateRange, isValidIsoDate } from './dates';
import { invalidSymbolsMessage, SYMBOL_PATTERN } from './symbols';
import { TIMEFRAME_LIST, type Timeframe, timeframeSchema } from './timeframes';

/** The validation messages, word for word; the UI shows them and tests compare them. */
export const BACKFILL_MESSAGES = {
  noSymbols: 'No symbols selected',
  tooManySymbols: 'At most 100 symbols per backfill',
  startRequired: 'Start date is required',
  endRequired: 'End date is required',
  startAfterEnd: 'Start date must be before end date',
  noTimeframes: 'Please select at least one timeframe',
} as const;

export const MAX_SYMBOLS_PER_BACKFILL = 100;

/** Why a range that starts after today (UTC) is refused: no bar of it can exist yet. */
export function futureRangeMessage(startDate: string, today: string): string {
  return `Start date ${startDate} is in the future (today is ${today}, UTC): there are no bars to fetch yet`;
}

/** Trims, upper-cases and de-duplicates, keeping the first-seen order. */
export function normalizeSymbols(raw: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const s of raw) {
    const v = String(s).trim().toUpperCase();
    if (v) seen.add(v);
  }
  return [...seen];
}

/** Splits "AAPL, msft  btc-usd" into symbols; the chip input and the REST query both use it. */
export function splitSymbols(text: string): string[] {
  return normalizeSymbols(text.split(/[\s,;]+/));
}

/**
 * The backfill request. Every rule is checked in one pass so that a form shows all its
 * problems at once; absent dates default to the last 30 days, empty ones are refused.
 */
export const backfillRequestFieldsSchema = z.object({
  symbols: z.array(z.string({ error: 'Each symbol must be text' }), { error: BACKFILL_MESSAGES.noSymbols }).optional(),
  start_date: z.string({ error: 'Start date must be a date in the form YYYY-MM-DD' }).optional(),
  end_date: z.string({ error: 'End date must be a date in the form YYYY-MM-DD' }).optional(),
  timeframes: z
    .array(z.string({ error: 'Each timeframe must be text' }), { error: BACKFILL_MESSAGES.noTimeframes })
    .optional(),
  /** Fetch again even where coverage shows the range complete. */
  refetch: z.boolean({ error: 'refetch must be true or false' }).optional(),
  /** Fetch every symbol from this provider instead of each symbol's own (e.g. yahoo, ccxt:kraken). */
  provider: z
    .string({ error: 'Provider must be text' })
    .trim()
    .max(60, 'Provider must be at most 60 characters')
    .optional(),
});

export const backfillRequestSchema = backfillRequestFieldsSchema.transform((raw, ctx) => {
  const fail = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  const symbols = normalizeSymbols(raw.symbols ?? []);
  if (symbols.length === 0) fail('symbols', BACKFILL_MESSAGES.noSymbols);
  else if (symbols.length > MAX_SYMBOLS_PER_BACKFILL) fail('symbols', BACKFILL_MESSAGES.tooManySymbols);
  const badSymbols = symbols.filter((s) => !SYMBOL_PATTERN.test(s));
  if (badSymbols.length > 0) fail('symbols', invalidSymbolsMessage(badSymbols));

  const defaults = defaultDateRange();
  const date = (value: string | undefined, fallback: string, field: string, label: string, required: string) => {
    if (value === undefined) return fallback;
    const v = value.trim();
    if (v.length === 0) fail(field, required);
    else if (!isValidIsoDate(v)) fail(field, `${label} must be a date in the form YYYY-MM-DD`);
    return v;
  };
  const start_date = date(
    raw.start_date,
    defaults.start_date,
    'start_date',
    'Start date',
    BACKFILL_MESSAGES.startRequired,
  );
  const end_date = date(raw.end_date, defaults.end_date, 'end_date', 'End date', BACKFILL_MESSAGES.endRequired);
  if (isValidIsoDate(start_date) && isValidIsoDate(end_date) && start_date > end_date) {
    fail('start_date', BACKFILL_MESSAGES.startAfterEnd);
  }

  const requested = (raw.timeframes ?? []).map((t) => t.trim());
  const unknown = requested.find((t) => !(TIMEFRAME_LIST as readonly string[]).includes(t));
  if (unknown !== undefined)
    fail('timeframes', `Unknown timeframe "${unknown.slice(0, 20)}": use ${TIMEFRAME_LIST.join(', ')}`);
  const timeframes = TIMEFRAME_LIST.filter((tf) => requested.includes(tf));
  if (requested.length === 0) fail('timeframes', BACKFILL_MESSAGES.noTimeframes);

  const provider = raw.provider === undefined || raw.provider === '' ? undefined : raw.provider;
  return {
    symbols,
    start_date,
    end_date,
    timeframes: timeframes as Timeframe[],
    refetch: raw.refetch ?? false,
    ...(provider === undefined ? {} : { provider }),
  };
});

export type BackfillRequestInput = z.input<typeof backfillRequestSchema>;
export type BackfillRequest = z.output<typeof backfillRequestSchema>;

export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export const jobStatusSchema = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof jobStatusSchema>;
export const FINISHED_JOB_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

export const UNIT_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;
export const unitStatusSchema = z.enum(UNIT_STATUSES);
export type UnitStatus = z.infer<typeof unitStatusSchema>;

export const jobIdSchema = z.uuid({ error: 'Job id must be a UUID' });

/** A running unit of the job waits for its provider's shared quota (ISO instants; `until` is the expected end). */
export const quotaWaitSchema = z.object({ provider: z.string(), since: z.string(), until: z.string() });
export type QuotaWaitInfo = z.infer<typeof quotaWaitSchema>;

export const backfillJobSchema = z.object({
  job_id: z.string(),
  status: jobStatusSchema,
  symbols: z.array(z.string()),
  start_date: z.string(),
  end_date: z.string(),
  timeframes: z.array(timeframeSchema),
  provider: z.string(),
  progress_pct: z.number(),
  symbols_completed: z.number().int(),
  symbols_total: z.number().int(),
  /** New rows only: a bar stored before and fetched again never counts here. */
  total_records_inserted: z.number().int(),
  /** Stored bars whose values a later fetch changed (provider revisions, late prints). */
  total_records_updated: z.number().int(),
  current_symbol: z.string().nullable(),
  error: z.string().nullable(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  cancel_requested_at: z.string().nullable(),
  /** Added to the classic fields: set while one of the job's running units waits for quota (recent jobs, status). */
  waiting_for_quota: quotaWaitSchema.nullable().optional(),
  /**
   * Added on the status and the progress snapshot: the bars the exchange calendar expects in the
   * job's ranges, closed by now (by each unit's end once it ended), and of those the bars its runs
   * have passed, fetched or found already stored. Unlike progress_pct, this moves inside a long unit.
   */
  bars_expected: z.number().int().optional(),
  bars_done: z.number().int().optional(),
  /** Added on the status and the snapshot of an unfinished job: what its remaining bars still need at the providers' quotas (the preview's estimate). */
  quota_seconds_left: z.number().nullable().optional(),
});
export type BackfillJob = z.infer<typeof backfillJobSchema>;

export const backfillUnitSchema = z.object({
  symbol: z.string(),
  timeframe: timeframeSchema,
  /** The provider this unit fetched from (its symbol's, or the one the request named); its bars carry it as `source`. */
  provider: z.string(),
  status: unitStatusSchema,
  records_fetched: z.number().int(),
  records_inserted: z.number().int(),
  records_updated: z.number().int(),
  duration_seconds: z.number().nullable(),
  error_message: z.string().nullable(),
  attempts: z.number().int(),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  /** As the job's: bars the calendar expects in this unit's range, and those its runs have passed. */
  bars_expected: z.number().int().optional(),
  bars_done: z.number().int().optional(),
});
export type BackfillUnit = z.infer<typeof backfillUnitSchema>;

/** The classic answer to a new backfill. */
export const backfillCreatedSchema = z.object({
  job_id: z.string(),
  status: z.literal('queued'),
  symbols_count: z.number().int(),
  symbols: z.array(z.string()),
  date_range: z.object({ start: z.string(), end: z.string() }),
  timeframes: z.array(timeframeSchema),
  timestamp: z.string(),
});
export type BackfillCreated = z.infer<typeof backfillCreatedSchema>;

/** The classic status answer; `details` lists every symbol x timeframe unit. */
export const backfillStatusSchema = backfillJobSchema.extend({ details: z.array(backfillUnitSchema) });
export type BackfillStatus = z.infer<typeof backfillStatusSchema>;

export const backfillStatusInputSchema = z.object({ jobId: jobIdSchema });
export const backfillRecentInputSchema = z
  .object({
    limit: z.number().int().min(1, 'Limit must be at least 1').max(100, 'Limit must be at most 100').default(10),
  })
  .default({ limit: 10 });

export const JOB_EVENT_KINDS = [
  'job_created',
  'job_started',
  'unit_started',
  'unit_progress',
  'unit_retrying',
  /** The provider served less than asked without failing (e.g. Yahoo's 60-day intraday history); the unit goes on. */
  'unit_notice',
  'unit_completed',
  'unit_failed',
  'unit_cancelled',
  'job_completed',
  'job_failed',
  'job_cancelled',
  'job_retried',
  'cancel_requested',
  /** A symbol's splits and dividends were fetched and stored (once per job and symbol). */
  'actions_recorded',
  /** Fetching them failed; the candles go on regardless. */
  'actions_failed',
] as const;
export const jobEventKindSchema = z.enum(JOB_EVENT_KINDS);
export type JobEventKind = z.infer<typeof jobEventKindSchema>;

export const jobEventSchema = z.object({
  id: z.string(),
  job_id: z.string(),
  at: z.string(),
  kind: jobEventKindSchema,
  symbol: z.string().nullable(),
  timeframe: z.string().nullable(),
  message: z.string(),
  data: z.record(z.string(), z.unknown()).nullable(),
});
export type JobEvent = z.infer<typeof jobEventSchema>;

/** Event ids are Postgres bigserials: a larger number can name no event (and would fail its cast). */
const MAX_EVENT_ID = 9223372036854775807n;
const eventIdSchema = z
  .string()
  .regex(/^\d{1,19}$/, 'lastEventId must be an event id')
  // Runs after a failed regex too (zod goes on checking): test the shape before BigInt.
  .refine(
    (v) => !/^\d{1,19}$/.test(v) || BigInt(v) <= MAX_EVENT_ID,
    'lastEventId must be an event id (at most 9223372036854775807)',
  );

export const onProgressInputSchema = z.object({
  jobId: jobIdSchema,
  /** Resume point: events after this id are sent. tRPC's httpSubscriptionLink sets it on reconnect. */
  lastEventId: eventIdSchema.nullish(),
});

/** What `backfill.onProgress` yields: a snapshot first, then each event with the job's aggregates after it. */
export const progressMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), job: backfillJobSchema, units: z.array(backfillUnitSchema) }),
  z.object({ type: z.literal('event'), event: jobEventSchema, job: backfillJobSchema }),
]);
export type ProgressMessage = z.infer<typeof progressMessageSchema>;

export function isFinished(status: JobStatus): boolean {
  return FINISHED_JOB_STATUSES.includes(status);
}

export type { Timeframe };

/** One stretch a backfill would ask the provider for: ISO instants [start, end) and the bars it should hold. */
export const previewRangeSchema = z.object({ start: z.string(), end: z.string(), bars: z.number().int() });

/**
 * What a backfill would fetch, before it is started: per symbol and timeframe the ranges not yet
 * stored (complete stored spans skipped, as the run does), the bars the exchange calendar expects
 * in them and the provider requests they cost; `estimated_seconds` from the providers' quotas.
 */
export const backfillPreviewSchema = z.object({
  items: z.array(
    z.object({
      symbol: z.string(),
      timeframe: timeframeSchema,
      provider: z.string(),
      ranges: z.array(previewRangeSchema),
      bars: z.number().int(),
      requests: z.number().int(),
    }),
  ),
  total_bars: z.number().int(),
  total_requests: z.number().int(),
  estimated_seconds: z.number(),
});
export type BackfillPreview = z.infer<typeof backfillPreviewSchema>;
