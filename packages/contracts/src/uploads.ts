import { z } from 'zod';
import { symbolSchema } from './symbols';
import { TIMEFRAME_LIST, type Timeframe, timeframeSchema } from './timeframes';

/** `POST /api/v1/uploads`: the file is on the server's disk, waiting for a preview and an import. */
export const uploadCreatedSchema = z.object({
  upload_id: z.string(),
  filename: z.string(),
  bytes: z.number().int(),
});
export type UploadCreated = z.infer<typeof uploadCreatedSchema>;

export const uploadIdSchema = z.uuid({ error: 'Upload id must be a UUID' });

/** What the analyst says of a file where the file does not say it; the zone only for zone-less times. */
export const uploadSettingsSchema = z.object({
  symbol: symbolSchema,
  timeframe: z.string({ error: 'Timeframe is required' }).transform((v, ctx): Timeframe => {
    const tf = v.trim();
    if ((TIMEFRAME_LIST as readonly string[]).includes(tf)) return tf as Timeframe;
    ctx.addIssue({
      code: 'custom',
      message:
        tf === '' ? 'Choose a timeframe' : `Unknown timeframe "${tf.slice(0, 20)}": use ${TIMEFRAME_LIST.join(', ')}`,
    });
    return z.NEVER;
  }),
  timezone: z
    .string()
    .trim()
    .max(64, 'Time zone must be at most 64 characters')
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
});
export type UploadSettings = z.output<typeof uploadSettingsSchema>;

export const uploadRowSchema = z.object({
  ts: z.string(),
  open: z.number(),
  high: z.number(),
  low: z.number(),
  close: z.number(),
  volume: z.number(),
});

/** `GET /api/v1/uploads/{id}/preview`: the file as it would be stored. */
export const uploadPreviewSchema = z.object({
  upload_id: z.string(),
  filename: z.string(),
  symbol: z.string(),
  timeframe: timeframeSchema,
  /** The export it was recognised as (plain, yahoo, yfinance, mt4, mt5, binance, stooq, tradingview). */
  layout: z.string(),
  /** The zone its zone-less times were read in; null when every time carries its own. */
  timezone: z.string().nullable(),
  calendar: z.string(),
  /** Bars that will be stored. */
  rows: z.number().int(),
  first: z.string().nullable(),
  last: z.string().nullable(),
  /** Rows without prices (Yahoo's `null` rows): skipped, not refused. */
  skipped: z.number().int(),
  /** Refused rows (the first ones, with their lines); any at all and the import is refused. */
  errors: z.array(z.object({ line: z.number().int(), reason: z.string() })),
  error_count: z.number().int(),
  notes: z.array(z.string()),
  /** The first bars as they will be stored. */
  sample: z.array(uploadRowSchema),
});
export type UploadPreview = z.infer<typeof uploadPreviewSchema>;
