import { EXPORT_COLUMNS } from '@candlebase/contracts';
import type { ExportRow } from './read-candles';

/** A field as RFC 4180 wants it: quoted only when it holds a separator, a quote or a line break. */
function field(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Shortest text that reads back as the same double (JS number formatting), empty for null. */
const num = (v: number | null) => (v === null ? '' : String(v));

/** The rows of one page as CSV lines; `String(number)` round-trips every double exactly. */
export function csvLines(rows: readonly ExportRow[]): string {
  let out = '';
  for (const r of rows) {
    out += `${field(r.symbol)},${r.timeframe},${new Date(r.ts).toISOString()},${r.open},${r.high},${r.low},${r.close},${r.volume},${num(r.vwap)},${num(r.trades)},${field(r.source)}\r\n`;
  }
  return out;
}

/** The header, then one chunk per page: nothing is held beyond the page being written. */
export async function* csvChunks(pages: AsyncIterable<ExportRow[]>): AsyncGenerator<string> {
  yield `${EXPORT_COLUMNS.join(',')}\r\n`;
  for await (const page of pages) yield csvLines(page);
}
