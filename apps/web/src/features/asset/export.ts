import type { Adjust, CandlesExportFields, Coverage, Timeframe } from '@candlebase/contracts';
import { currentToken } from '../../lib/api-token';

export type ExportFormat = 'csv' | 'parquet';

export interface ExportRequest {
  symbol: string;
  timeframe: Timeframe;
  start_date: string;
  end_date: string;
  adjust: Adjust;
}

/** The export endpoint's URL for a request: what a script would fetch too. */
export function exportUrl(req: ExportRequest, format: ExportFormat, origin = window.location.origin): string {
  return exportUrlOf([req.symbol], req, format, origin);
}

/** The same for several symbols over one span (the coverage map's selection). */
export function exportUrlOf(
  symbols: readonly string[],
  req: Omit<ExportRequest, 'symbol'>,
  format: ExportFormat,
  origin = window.location.origin,
): string {
  // Named as the contract names the query, so a renamed field fails the type check here.
  const fields = {
    symbols: [...symbols],
    timeframe: req.timeframe,
    start_date: req.start_date,
    end_date: req.end_date,
    adjust: req.adjust,
  } satisfies CandlesExportFields;
  const q = new URLSearchParams({ ...fields, symbols: fields.symbols.join(',') });
  return `${origin}/api/v1/candles.${format}?${q.toString()}`;
}

/** The stored series' first and last days (UTC): what the export offers until told otherwise. */
export function seriesDays(coverage: Coverage | undefined): { start: string; end: string } | null {
  if (!coverage?.first || !coverage.last) return null;
  return { start: coverage.first.slice(0, 10), end: coverage.last.slice(0, 10) };
}

const ADJUST_LABEL: Record<Adjust, string> = {
  none: 'as traded',
  splits: 'split-adjusted',
  all: 'split and dividend adjusted',
};

/** "AAPL · 1h · 2024-01-01 to 2024-03-31 · split-adjusted": what the file holds, before it is asked for. */
export function exportLabel(req: ExportRequest): string {
  return `${req.symbol} · ${req.timeframe} · ${req.start_date} to ${req.end_date} · ${ADJUST_LABEL[req.adjust]}`;
}

/**
 * Saves the export. Without a token the browser downloads the URL itself, streamed to disk; with
 * one (a server that guards reads) the header has to go along, so the file comes through fetch.
 */
export async function downloadExport(url: string): Promise<void> {
  const token = currentToken();
  let href = url;
  if (token) {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`The export failed (${res.status})`);
    href = URL.createObjectURL(await res.blob());
    setTimeout(() => URL.revokeObjectURL(href), 60_000);
  }
  const a = document.createElement('a');
  a.href = href;
  a.download = '';
  document.body.append(a);
  a.click();
  a.remove();
}
