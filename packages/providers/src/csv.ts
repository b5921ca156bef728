/**
 * The CSV provider: candles from a folder of CSV files a user already has.
 *
 * Layout: one file per symbol and timeframe, `{dir}/{SYMBOL}_{timeframe}.csv` (e.g. AAPL_1h.csv,
 * BTC-USD_5m.csv; `/` and `:` in a symbol become `_`), or `{dir}/{SYMBOL}/{timeframe}.csv`; the flat
 * name wins when both exist. The file's layout (plain, classic Yahoo, yfinance, MetaTrader 4 and 5,
 * Binance public data, Stooq, TradingView) is recognised from its header or its absence
 * (csv-layouts.ts); times without a zone are placed by the file's sidecar zone (AAPL_1h.json) or
 * CSV_TIMEZONE, and fail without one.
 *
 * Guarantee: a file is checked from end to end before its first page is handed over, so a bad row
 * anywhere (wrong column count, bad price, a time off the grid or outside the session, out of
 * order) fails the fetch, with file and line, before anything is stored. Files that passed are
 * remembered by size and modification time (and their sidecar's) and not re-checked. A file
 * rewritten while it is being read can still fail midway; the error then says so in the same words.
 * See docs/csv-provider.md.
 */
import { stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { type SessionPolicy, TIMEFRAME_LIST, type Timeframe } from '@candlebase/contracts';
import { readActionsCsv } from './csv-actions';
import { type CsvFile, type CsvReport, parseCsvFile } from './csv-parse';
import { readSidecar, sidecarPath } from './csv-sidecar';
import { calendarForSymbol } from './csv-symbols';
import { isTimeZone } from './csv-time';
import { type FetchCandlesRequest, type MarketDataProvider, type ProviderCandle, ProviderError } from './types';

export interface CsvProviderOptions {
  dir: string;
  /** The provider's name, and so its bars' `source`: `csv` unless said (the dashboard's uploads are `upload`). */
  name?: string;
  /** The zone of times written without one (CSV_TIMEZONE); a file's sidecar overrides it. */
  timezone?: string | undefined;
  /** Candles per page; 5000 by default. */
  pageSize?: number;
  /** Told what each file held once it has been checked (layout, rows, skipped rows, notes). */
  onReport?: (report: CsvReport) => void;
}

const DEFAULT_PAGE_SIZE = 5000;

export function fileNameSymbol(symbol: string): string {
  return symbol.trim().toUpperCase().replace(/[/:]/g, '_');
}

async function isFile(path: string): Promise<{ size: number; mtimeMs: number } | null> {
  try {
    const s = await stat(path);
    return s.isFile() ? { size: s.size, mtimeMs: s.mtimeMs } : null;
  } catch {
    return null;
  }
}

export interface CsvProvider extends MarketDataProvider {
  /** What the last check of a file found, by symbol and timeframe. */
  lastReport(symbol: string, timeframe: Timeframe): CsvReport | undefined;
}

export function createCsvProvider(options: CsvProviderOptions): CsvProvider {
  const { dir } = options;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new RangeError(`pageSize must be a positive whole number, got ${pageSize}`);
  }
  const timezone = options.timezone?.trim() || undefined;
  if (timezone !== undefined && !isTimeZone(timezone)) {
    throw new RangeError(`CSV_TIMEZONE "${timezone}" is not a time zone; use an IANA name such as America/New_York`);
  }
  // Files that passed the whole-file check, by path, with what they were checked as.
  const checked = new Map<string, { stamp: string; file: CsvFile }>();
  const reports = new Map<string, CsvReport>();

  const locate = async (symbol: string, timeframe: Timeframe) => {
    const name = fileNameSymbol(symbol);
    if (name === '' || name === '.' || name === '..' || basename(name) !== name || name.includes('\0')) {
      throw new ProviderError(`"${symbol}" cannot name a CSV file`, { retryable: false });
    }
    for (const path of [join(dir, `${name}_${timeframe}.csv`), join(dir, name, `${timeframe}.csv`)]) {
      const found = await isFile(path);
      if (found !== null) return { path, label: relative(dir, path), ...found };
    }
    throw new ProviderError(`No CSV file for ${name} ${timeframe} in ${dir} (expected ${name}_${timeframe}.csv)`, {
      retryable: false,
    });
  };

  const open = async (
    symbol: string,
    timeframe: Timeframe,
    session: SessionPolicy | undefined,
    signal: AbortSignal | undefined,
  ): Promise<CsvFile> => {
    const { path, label, size, mtimeMs } = await locate(symbol, timeframe);
    const sidecar = await readSidecar(path, label);
    const zone = sidecar.timezone ?? timezone;
    // An equity series kept extended is checked against the extended session (clock hours
    // 04:00-20:00 New York), unless the file's settings name a calendar.
    const extended = session === 'extended' && calendarForSymbol(symbol) === 'nyse';
    const calendar = sidecar.calendar ?? (extended ? 'nyse-extended' : undefined);
    const stamp = `${size}:${mtimeMs}|${sidecar.stamp}|${zone ?? ''}|${calendar ?? ''}`;
    const known = checked.get(path);
    if (known !== undefined && known.stamp === stamp) return known.file;
    const file = await parseCsvFile(path, {
      symbol,
      timeframe,
      zone,
      calendar,
      label,
      zoneHint: `set CSV_TIMEZONE (e.g. CSV_TIMEZONE=America/New_York), or put {"timezone": "America/New_York"} in ${sidecarPath(label)}`,
      calendarHint: `if ${fileNameSymbol(symbol)} trades around the clock, put {"calendar": "24x7"} in ${sidecarPath(label)}`,
      signal,
    });
    checked.set(path, { stamp, file });
    reports.set(`${fileNameSymbol(symbol)} ${timeframe}`, file.report);
    options.onReport?.(file.report);
    return file;
  };

  async function* fetchCandles(request: FetchCandlesRequest): AsyncGenerator<ProviderCandle[]> {
    const { symbol, timeframe, from, to, signal } = request;
    signal?.throwIfAborted();
    const fromMs = from.getTime();
    const toMs = to.getTime();
    if (Number.isNaN(fromMs) || Number.isNaN(toMs)) {
      throw new ProviderError('The requested range has an invalid date', { retryable: false });
    }
    const file = await open(symbol, timeframe, request.session, signal);
    for (const note of file.report.notes) request.onNotice?.(`${file.report.file}: ${note}`);
    if (!(toMs > fromMs)) return;
    yield* file.pages({ from: fromMs, to: toMs, pageSize, signal });
  }

  return {
    name: options.name ?? 'csv',
    demo: false,
    timeframes: TIMEFRAME_LIST,
    earliest: () => undefined,
    fetchCandles,
    // Counted from the calendar: the file may hold fewer bars (or more, off-session), which it pages alike.
    planRequests: ({ bars }) => Math.ceil(bars / pageSize),
    actionRequests: () => 0,
    // A symbol exists here when a file holds it, in either layout, for any timeframe.
    async lookup(symbol: string, signal?: AbortSignal) {
      for (const timeframe of TIMEFRAME_LIST) {
        signal?.throwIfAborted();
        const found = await locate(symbol, timeframe).catch(() => undefined);
        if (found) return { exists: true, message: `${found.label} holds ${fileNameSymbol(symbol)}` };
      }
      const name = fileNameSymbol(symbol);
      return {
        exists: false,
        message: `No CSV file for ${name} in ${dir} (expected ${name}_<timeframe>.csv, e.g. ${name}_1d.csv)`,
      };
    },
    lastReport: (symbol, timeframe) => reports.get(`${fileNameSymbol(symbol)} ${timeframe}`),
    fetchActions: ({ symbol, from, to, signal }) => {
      signal?.throwIfAborted();
      return readActionsCsv(dir, fileNameSymbol(symbol), from, to);
    },
    async ping(signal?: AbortSignal) {
      signal?.throwIfAborted();
      const s = await stat(dir).catch(() => null);
      if (s === null || !s.isDirectory()) {
        throw new ProviderError(`The CSV folder ${dir} does not exist or is not a folder`, { retryable: false });
      }
    },
  };
}
