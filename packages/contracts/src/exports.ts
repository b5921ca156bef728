import { z } from 'zod';
import { ADJUST_MODES, type Adjust } from './actions';
import { BACKFILL_MESSAGES, MAX_SYMBOLS_PER_BACKFILL, normalizeSymbols } from './backfill';
import { isValidIsoDate } from './dates';
import { invalidSymbolMessage, SYMBOL_PATTERN } from './symbols';
import { TIMEFRAME_LIST, type Timeframe } from './timeframes';

export const MAX_EXPORT_PAGE = 5000;
export const DEFAULT_EXPORT_PAGE = 1000;

/** The columns of a CSV or Parquet export, in order. */
export const EXPORT_COLUMNS = [
  'symbol',
  'timeframe',
  'ts',
  'open',
  'high',
  'low',
  'close',
  'volume',
  'vwap',
  'trades',
  'source',
] as const;

/**
 * The query of `GET /api/v1/candles`, `.csv` and `.parquet` as it arrives (lists already split).
 * Dates are YYYY-MM-DD, UTC, inclusive; without them the export holds the whole stored series.
 */
export const candlesExportFieldsSchema = z.object({
  symbols: z.array(z.string()).optional().meta({ description: 'Repeated or comma-separated, e.g. AAPL,MSFT' }),
  timeframe: z
    .string()
    .optional()
    .meta({ description: `One of ${TIMEFRAME_LIST.join(', ')}`, example: '1d' }),
  start_date: z.string().optional().meta({ description: 'First day (YYYY-MM-DD, UTC, inclusive)' }),
  end_date: z.string().optional().meta({ description: 'Last day (YYYY-MM-DD, UTC, inclusive)' }),
  adjust: z.string().optional().meta({ description: 'none, splits (the default) or all' }),
  /** JSON only: rows per page. */
  limit: z
    .string()
    .optional()
    .meta({ description: `JSON only: rows per page, 1 to ${MAX_EXPORT_PAGE}` }),
  /** JSON only: the `next_cursor` of the previous page. */
  cursor: z.string().optional().meta({ description: 'JSON only: the next_cursor of the previous page' }),
});
export type CandlesExportFields = z.input<typeof candlesExportFieldsSchema>;

/** Every bad field in one pass, each named in a sentence, as the backfill request does. */
export const candlesExportQuerySchema = candlesExportFieldsSchema.transform((raw, ctx) => {
  const fail = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  const symbols = normalizeSymbols(raw.symbols ?? []);
  if (symbols.length === 0) fail('symbols', 'symbols is required, e.g. ?symbols=AAPL or ?symbols=AAPL,MSFT');
  else if (symbols.length > MAX_SYMBOLS_PER_BACKFILL)
    fail('symbols', `At most ${MAX_SYMBOLS_PER_BACKFILL} symbols per export`);
  const badSymbol = symbols.find((s) => !SYMBOL_PATTERN.test(s));
  if (badSymbol !== undefined) fail('symbols', invalidSymbolMessage(badSymbol));

  const timeframe = raw.timeframe?.trim() ?? '';
  if (timeframe === '') fail('timeframe', `timeframe is required: one of ${TIMEFRAME_LIST.join(', ')}`);
  else if (!(TIMEFRAME_LIST as readonly string[]).includes(timeframe))
    fail('timeframe', `Unknown timeframe "${timeframe.slice(0, 20)}": use one of ${TIMEFRAME_LIST.join(', ')}`);

  const date = (value: string | undefined, field: string, label: string) => {
    if (value === undefined) return undefined;
    const v = value.trim();
    if (!isValidIsoDate(v)) fail(field, `${label} must be a date in the form YYYY-MM-DD`);
    return v;
  };
  const start_date = date(raw.start_date, 'start_date', 'Start date');
  const end_date = date(raw.end_date, 'end_date', 'End date');
  if (start_date && end_date && isValidIsoDate(start_date) && isValidIsoDate(end_date) && start_date > end_date) {
    fail('start_date', BACKFILL_MESSAGES.startAfterEnd);
  }

  const adjust = raw.adjust?.trim() || 'splits';
  if (!(ADJUST_MODES as readonly string[]).includes(adjust))
    fail('adjust', 'adjust must be one of none, splits or all');

  const limitText = raw.limit?.trim();
  const limit = limitText === undefined ? DEFAULT_EXPORT_PAGE : Number(limitText);
  if (!/^\d+$/.test(limitText ?? '1') || limit < 1 || limit > MAX_EXPORT_PAGE)
    fail('limit', `limit must be a whole number from 1 to ${MAX_EXPORT_PAGE}`);

  const cursor = raw.cursor === undefined || raw.cursor === '' ? null : decodeExportCursor(raw.cursor);
  if (cursor === undefined || (cursor && !symbols.includes(cursor.symbol)))
    fail('cursor', 'cursor must be the next_cursor of a previous page of this query');

  return {
    symbols,
    timeframe: timeframe as Timeframe,
    start_date: start_date ?? null,
    end_date: end_date ?? null,
    adjust: adjust as Adjust,
    limit,
    cursor: cursor ?? null,
  };
});
export type CandlesExportQuery = z.output<typeof candlesExportQuerySchema>;

/** Where a page ends: the last row's symbol and ts (ms); the next page starts after it. */
export interface ExportCursor {
  symbol: string;
  ts: number;
}

/** `SYMBOL~ISO ts`: readable, and `~` appears in no symbol. */
export function encodeExportCursor(c: ExportCursor): string {
  return `${c.symbol}~${new Date(c.ts).toISOString()}`;
}

/** Undefined when the text is not a cursor this server wrote. */
export function decodeExportCursor(text: string): ExportCursor | undefined {
  const [symbol, at, ...rest] = text.split('~');
  const ts = Date.parse(at ?? '');
  if (rest.length > 0 || !symbol || !SYMBOL_PATTERN.test(symbol) || Number.isNaN(ts)) return undefined;
  return { symbol, ts };
}

/** One exported row: the CSV and Parquet columns, `ts` as an ISO instant. */
export const exportCandleSchema = z.object({
  symbol: z.string(),
  timeframe: z.string(),
  ts: z.string(),
  open: z.number(),
  high: z.number(),
  low: z.number(),
  close: z.number(),
  volume: z.number(),
  vwap: z.number().nullable(),
  trades: z.number().int().nullable(),
  source: z.string(),
});
export type ExportCandle = z.infer<typeof exportCandleSchema>;

/** A page of `GET /api/v1/candles`: oldest first, symbol by symbol; `next_cursor` null on the last. */
export const candlesExportPageSchema = z.object({
  timeframe: z.string(),
  adjust: z.enum(ADJUST_MODES),
  candles: z.array(exportCandleSchema),
  next_cursor: z.string().nullable(),
});
export type CandlesExportPage = z.infer<typeof candlesExportPageSchema>;
