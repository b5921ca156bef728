import { basename } from 'node:path';
import type { Timeframe } from '@candlebase/contracts';
import { CsvRowError, CsvSyntaxError } from './csv-errors';
import { type CsvLayout, detectLayout } from './csv-layouts';
import { Placer } from './csv-place';
import { type CsvRecord, type Delimiter, readRecords, sniffDelimiter } from './csv-read';
import type { CsvFileOptions, CsvReport } from './csv-report';
import { parseRecord, type RawBar } from './csv-row';
import { sidecarPath } from './csv-sidecar';
import { calendarForSymbol } from './csv-symbols';
import { isTimeZone, ZoneClock } from './csv-time';
import { type ProviderCandle, ProviderError } from './types';

/** Notes (skipped rows, refused rows) a report lists by line; beyond this it only counts them. */
export const KEPT_NOTES = 100;

export interface ScanMode {
  /** Collect up to this many refused rows instead of throwing at the first. */
  maxErrors: number;
  /** MetaTrader: the real volume is zero throughout, so the tick volume stands in. */
  tickVolume?: boolean;
}

/** Filled in as the scan goes; final once the scan has ended. */
export interface Scan {
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
  return { label, zone, calendar, zoneHint, calendarHint: options.calendarHint };
}

const STOOQ_PERIODS: Record<string, Timeframe> = { D: '1d', '5': '5m', '15': '15m', '60': '1h' };

/**
 * Reads every record once, yielding the bars of each batch of records as they will be stored, in
 * ascending time. A bad row throws (file:line) unless `mode.maxErrors` asks for them to be
 * collected. `out` holds the report once the scan has ended.
 */
export async function* scan(
  path: string,
  options: CsvFileOptions,
  mode: ScanMode,
  out: Scan,
): AsyncGenerator<ProviderCandle[]> {
  const { label, zone, calendar, zoneHint, calendarHint } = settings(path, options);
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
  const clock = zone ? new ZoneClock(zone) : undefined;
  const placer = new Placer({ timeframe, calendar, clock, zoneHint, calendarHint, sidecarName: sidecarPath(label) });
  const report: CsvReport = {
    file: label,
    layout: 'plain',
    delimiter,
    zone: zone ?? null,
    calendar,
    rows: 0,
    skipped: { count: 0, rows: [] },
    errors: [],
    errorCount: 0,
    first: null,
    last: null,
    volume: 'none',
    notes: [],
  };
  out.report = report;
  const rowOptions = { decimalComma: delimiter !== ',' };
  let layout: CsvLayout | undefined;
  const head: CsvRecord[] = [];
  let previous = Number.NEGATIVE_INFINITY;
  let first: number | undefined;
  let stop = false;
  let batchOut: ProviderCandle[] = [];

  const refuse = (line: number, err: unknown) => {
    if (!(err instanceof CsvRowError)) throw err;
    if (mode.maxErrors > 0) report.errorCount++;
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
      const { fields } = record;
      const timeText =
        layoutNow.clock === undefined
          ? (fields[layoutNow.time] ?? '')
          : `${fields[layoutNow.time] ?? ''} ${fields[layoutNow.clock] ?? ''}`;
      const candle = bar(raw, layoutNow, timeText);
      previous = candle.ts;
      report.rows++;
      if (first === undefined) first = candle.ts;
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
        report.errorCount++;
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
    const where = err instanceof CsvSyntaxError ? `${label}:${err.line}: ` : `Cannot read ${label}: `;
    throw new ProviderError(`${where}${reason}`, { retryable: false, cause: err });
  }
  if (layout === undefined && head.length > 0 && !stop) settle();
  if (batchOut.length > 0) yield batchOut;
  if (head.length === 0) {
    throw new ProviderError(
      `${label} is empty: its first line must be a header such as timestamp,open,high,low,close,volume`,
      { retryable: false },
    );
  }
  if (first !== undefined) {
    report.first = new Date(first).toISOString();
    report.last = new Date(previous).toISOString();
  }
  if (layout !== undefined) {
    const ticks = layout.tickVolume !== undefined && (layout.volume === undefined || !out.realVolumeSeen);
    report.volume = ticks ? 'tick volume' : layout.volume !== undefined ? 'volume' : 'none';
    if (ticks) report.notes.push('the file has no real volume, so the tick volume is stored as the volume');
    if (report.volume === 'none') report.notes.push('the file has no volume column, so volume is stored as 0');
  }
  if (report.skipped.count > 0) {
    const n = report.skipped.count;
    report.notes.push(`${n} ${n === 1 ? 'row' : 'rows'} without prices (null) ${n === 1 ? 'was' : 'were'} skipped`);
  }
}
