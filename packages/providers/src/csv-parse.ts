import { basename } from 'node:path';
import type { CalendarName } from '@candlebase/calendar';
import type { Timeframe } from '@candlebase/contracts';
import { CsvRowError } from './csv-errors';
import { type CsvLayout, type CsvLayoutName, detectLayout } from './csv-layouts';
import { Placer } from './csv-place';
import { type CsvRecord, type Delimiter, readRecords, sniffDelimiter } from './csv-read';
import { parseRecord, type RawBar } from './csv-row';
import { calendarForSymbol } from './csv-symbols';
import { isTimeZone, ZoneClock } from './csv-time';
import { type ProviderCandle, ProviderError } from './types';

/**
 * One CSV file read end to end: its layout recognised, every row checked and placed on the
 * calendar, and a report of what it holds. The provider and an upload preview both use this.
 */
export interface CsvFileOptions {
  symbol: string;
  timeframe: Timeframe;
  /** The IANA zone (e.g. America/New_York) of times written without one; such times fail without it. */
  zone?: string | undefined;
  /** Which sessions the bars must fall in; by default from the symbol (pairs 24x7, the rest NYSE). */
  calendar?: CalendarName | undefined;
  /** How messages name the file; its base name by default. */
  label?: string | undefined;
  /** How to declare a zone, as the caller offers it; the end of the "no zone" message. */
  zoneHint?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface CsvLineNote {
  line: number;
  reason: string;
}

export interface CsvReport {
  file: string;
  layout: CsvLayoutName;
  delimiter: Delimiter;
  zone: string | null;
  calendar: CalendarName;
  /** Bars the file holds, as they will be stored. */
  rows: number;
  /** Rows without prices (Yahoo's `null` rows), skipped: how many, and the first 100 with their lines. */
  skipped: { count: number; rows: CsvLineNote[] };
  /** Rows refused, when inspecting (a strict read throws at the first instead). */
  errors: CsvLineNote[];
  first: string | null;
  last: string | null;
  /** Minutes the file's bars sit past the grid, each placed in the slot that holds its open (yfinance 1h: 30). */
  shiftMinutes: number;
  volume: 'volume' | 'tick volume' | 'none';
  notes: string[];
}

export interface CsvPagesOptions {
  /** Bars whose open is in [from, to), epoch ms; everything by default. */
  from?: number;
  to?: number;
  pageSize?: number;
  signal?: AbortSignal | undefined;
}

export interface CsvFile {
  report: CsvReport;
  /** The file's bars, re-read from disk in pages, in constant memory. */
  pages(options?: CsvPagesOptions): AsyncGenerator<ProviderCandle[]>;
}

const KEPT_NOTES = 100;
const DEFAULT_PAGE_SIZE = 5000;

interface ScanMode {
  /** Collect up to this many refused rows instead of throwing at the first. */
  maxErrors: number;
  /** MetaTrader: the real volume is zero throughout, so the tick volume stands in. */
  tickVolume?: boolean;
}

/** Filled in as the scan goes; final once the scan has ended. */
interface Scan {
  report?: CsvReport;
  realVolumeSeen: boolean;
}

function settings(path: string, options: CsvFileOptions) {
  const label = options.label ?? basename(path);
  const zone = options.zone?.trim() || undefined;
  if (zone !== undefined && !isTimeZone(zone)) {
    throw new ProviderError(`${label}: "${zone}" is not a time zone; use an IANA name such as America/New_York`, {
      retryable: false,
    });
  }
  const calendar = options.calendar ?? calendarForSymbol(options.symbol);
  const zoneHint =
    options.zoneHint ?? 'set CSV_TIMEZONE (e.g. CSV_TIMEZONE=America/New_York) or declare the zone for this file';
  return { label, zone, calendar, zoneHint };
}

const STOOQ_PERIODS: Record<string, Timeframe> = { D: '1d', '5': '5m', '15': '15m', '60': '1h' };

/**
 * Reads every record once, yielding the bars of each batch of records as they will be stored, in
 * ascending time. A bad row throws (file:line) unless `mode.maxErrors` asks for them to be
 * collected. `out` holds the report once the scan has ended.
 */
async function* scan(
  path: string,
  options: CsvFileOptions,
  mode: ScanMode,
  out: Scan,
): AsyncGenerator<ProviderCandle[]> {
  const { label, zone, calendar, zoneHint } = settings(path, options);
  const { timeframe, signal } = options;
  let delimiter: Delimiter;
  try {
    delimiter = await sniffDelimiter(path);
  } catch (err) {
    throw new ProviderError(`Cannot read ${label}: ${err instanceof Error ? err.message : String(err)}`, {
      retryable: false,
      cause: err,
    });
  }
  const placer = new Placer({ timeframe, calendar, clock: zone ? new ZoneClock(zone) : undefined, zoneHint });
  const report: CsvReport = {
    file: label,
    layout: 'plain',
    delimiter,
    zone: zone ?? null,
    calendar,
    rows: 0,
    skipped: { count: 0, rows: [] },
    errors: [],
    first: null,
    last: null,
    shiftMinutes: 0,
    volume: 'none',
    notes: [],
  };
  out.report = report;
  const rowOptions = { decimalComma: delimiter !== ',' };
  let layout: CsvLayout | undefined;
  const head: CsvRecord[] = [];
  let previous = Number.NEGATIVE_INFINITY;
  let stop = false;
  let batchOut: ProviderCandle[] = [];

  const refuse = (line: number, err: unknown) => {
    if (!(err instanceof CsvRowError)) throw err;
    if (report.errors.length < mode.maxErrors) {
      report.errors.push({ line, reason: err.message });
      return;
    }
    if (mode.maxErrors > 0) return;
    throw new ProviderError(`${label}:${line}: ${err.message}`, { retryable: false });
  };

  const bar = (raw: RawBar, layoutNow: CsvLayout, text: string): ProviderCandle => {
    if (raw.period !== undefined && STOOQ_PERIODS[raw.period] !== timeframe) {
      throw new CsvRowError(`the <PER> column says ${raw.period}, which is not ${timeframe} bars`);
    }
    const ts = placer.place(raw.when, text);
    if (ts <= previous) {
      throw new CsvRowError(
        `timestamp ${new Date(ts).toISOString()} does not come after the row before it (${new Date(previous).toISOString()}); rows must be in ascending time without repeats`,
      );
    }
    placer.checkSession(ts);
    if (raw.volume > 0) out.realVolumeSeen = true;
    const useTicks = layoutNow.tickVolume !== undefined && (layoutNow.volume === undefined || mode.tickVolume === true);
    return {
      ts,
      open: raw.open,
      high: raw.high,
      low: raw.low,
      close: raw.close,
      volume: useTicks ? raw.tickVolume : raw.volume,
      vwap: raw.vwap,
      trades: raw.trades,
    };
  };

  const data = (record: CsvRecord, layoutNow: CsvLayout) => {
    try {
      const raw = parseRecord(record.fields, layoutNow, rowOptions);
      if (raw === null) {
        report.skipped.count++;
        if (report.skipped.rows.length < KEPT_NOTES) {
          report.skipped.rows.push({ line: record.line, reason: 'no prices (null), a bar without trades' });
        }
        return;
      }
      const candle = bar(raw, layoutNow, (record.fields[layoutNow.time] ?? '').trim());
      previous = candle.ts;
      report.rows++;
      const at = new Date(candle.ts).toISOString();
      if (report.first === null) report.first = at;
      report.last = at;
      batchOut.push(candle);
    } catch (err) {
      refuse(record.line, err);
    }
  };

  const settle = (): CsvLayout | undefined => {
    const firstLine = head[0]?.line ?? 1;
    try {
      layout = detectLayout(head.map((r) => r.fields));
    } catch (err) {
      if (mode.maxErrors > 0 && err instanceof CsvRowError) {
        report.errors.push({ line: firstLine, reason: err.message });
        stop = true;
        return undefined;
      }
      refuse(firstLine, err);
      return undefined;
    }
    report.layout = layout.name;
    for (const record of head.slice(layout.headerRows)) if (!stop) data(record, layout);
    return layout;
  };

  try {
    for await (const batch of readRecords(path, delimiter, signal)) {
      for (const record of batch) {
        if (stop) break;
        if (layout === undefined) {
          head.push(record);
          if (head.length === 3) settle();
          continue;
        }
        data(record, layout);
      }
      if (batchOut.length > 0) {
        const ready = batchOut;
        batchOut = [];
        yield ready;
      }
      if (stop) break;
    }
  } catch (err) {
    if (err instanceof ProviderError || signal?.aborted) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new ProviderError(`Cannot read ${label}: ${reason}`, { retryable: false, cause: err });
  }
  if (layout === undefined && head.length > 0 && !stop) settle();
  if (batchOut.length > 0) yield batchOut;
  if (head.length === 0) {
    throw new ProviderError(
      `${label} is empty: its first line must be a header such as timestamp,open,high,low,close,volume`,
      { retryable: false },
    );
  }
  report.shiftMinutes = placer.shiftMinutes;
  if (report.shiftMinutes !== 0) {
    report.notes.push(
      `bars stamped ${report.shiftMinutes} min past the ${timeframe} grid are stored in the slot that holds their open`,
    );
  }
  if (layout !== undefined) {
    const ticks = layout.tickVolume !== undefined && (layout.volume === undefined || !out.realVolumeSeen);
    report.volume = ticks ? 'tick volume' : layout.volume !== undefined ? 'volume' : 'none';
    if (ticks) report.notes.push('the file has no real volume, so the tick volume is stored as the volume');
    if (report.volume === 'none') report.notes.push('the file has no volume column, so volume is stored as 0');
  }
  if (report.skipped.count > 0) {
    report.notes.push(`${report.skipped.count} rows without prices (null) were skipped`);
  }
}

async function drain(path: string, options: CsvFileOptions, mode: ScanMode): Promise<Scan & { report: CsvReport }> {
  const out: Scan = { realVolumeSeen: false };
  for await (const _batch of scan(path, options, mode, out)) {
    // Reading is the check.
  }
  if (out.report === undefined) throw new Error('the scan ended without a report');
  return { ...out, report: out.report };
}

/**
 * Reads and checks a whole file before anything is handed over: the first bad row throws a
 * ProviderError naming the file and line. Then `pages()` streams the bars, re-reading the file.
 */
export async function parseCsvFile(path: string, options: CsvFileOptions): Promise<CsvFile> {
  const checked = await drain(path, options, { maxErrors: 0 });
  const tickVolume = !checked.realVolumeSeen;
  return {
    report: checked.report,
    async *pages(pageOptions: CsvPagesOptions = {}) {
      const from = pageOptions.from ?? Number.NEGATIVE_INFINITY;
      const to = pageOptions.to ?? Number.POSITIVE_INFINITY;
      const pageSize = pageOptions.pageSize ?? DEFAULT_PAGE_SIZE;
      const signal = pageOptions.signal ?? options.signal;
      if (!(to > from)) return;
      let page: ProviderCandle[] = [];
      const out: Scan = { realVolumeSeen: false };
      for await (const batch of scan(path, { ...options, signal }, { maxErrors: 0, tickVolume }, out)) {
        for (const candle of batch) {
          if (candle.ts < from) continue;
          if (candle.ts >= to) {
            if (page.length > 0) yield page;
            return;
          }
          page.push(candle);
          if (page.length === pageSize) {
            yield page;
            page = [];
            signal?.throwIfAborted();
          }
        }
      }
      if (page.length > 0) yield page;
    },
  };
}

export interface CsvInspection {
  report: CsvReport;
  /** The first bars as they will be stored. */
  sample: ProviderCandle[];
}

/**
 * For a preview: reads the whole file like parseCsvFile but collects refused rows (up to
 * `maxErrors`, 100 by default) in `report.errors` instead of throwing at the first.
 */
export async function inspectCsvFile(
  path: string,
  options: CsvFileOptions & { maxErrors?: number; sampleSize?: number },
): Promise<CsvInspection> {
  const out: Scan = { realVolumeSeen: false };
  const sample: ProviderCandle[] = [];
  const sampleSize = options.sampleSize ?? 20;
  for await (const batch of scan(path, options, { maxErrors: Math.max(1, options.maxErrors ?? KEPT_NOTES) }, out)) {
    for (const candle of batch) if (sample.length < sampleSize) sample.push(candle);
  }
  if (out.report === undefined) throw new Error('the scan ended without a report');
  return { report: out.report, sample };
}
