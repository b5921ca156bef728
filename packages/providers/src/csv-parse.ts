import type { CsvFileOptions, CsvReport } from './csv-report';
import { KEPT_NOTES, type Scan, type ScanMode, scan } from './csv-scan';
import type { ProviderCandle } from './types';

/**
 * Reading one CSV file for the provider or for an upload preview: parseCsvFile checks the whole
 * file and then streams its bars; inspectCsvFile collects what is wrong with it instead.
 */
export type { CsvFileOptions, CsvLineNote, CsvReport } from './csv-report';

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

const DEFAULT_PAGE_SIZE = 5000;

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
  const mode: ScanMode = { maxErrors: Math.max(1, options.maxErrors ?? KEPT_NOTES) };
  for await (const batch of scan(path, options, mode, out)) {
    for (const candle of batch) if (sample.length < sampleSize) sample.push(candle);
  }
  const report = out.report;
  if (report === undefined) throw new Error('the scan ended without a report');
  if (report.volume === 'tick volume' && sample.length > 0) {
    // Known only at the end: the sample is read again with the volume the file will store.
    sample.length = 0;
    for await (const batch of scan(path, options, { ...mode, tickVolume: true }, { realVolumeSeen: false })) {
      sample.push(...batch.slice(0, sampleSize - sample.length));
      if (sample.length >= sampleSize) break;
    }
  }
  return { report, sample };
}
