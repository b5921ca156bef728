import type { Adjust, Candle, Timeframe } from '@candlebase/contracts';

const HEADER = ['timestamp', 'open', 'high', 'low', 'close', 'volume', 'vwap', 'trades', 'source'];

function cell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Oldest first, as spreadsheets and pandas expect. */
export function candlesToCsv(candles: Candle[]): string {
  const rows = [...candles]
    .sort((a, b) => a.ts.localeCompare(b.ts))
    .map((c) => [c.ts, c.open, c.high, c.low, c.close, c.volume, c.vwap, c.trades, c.source].map(cell).join(','));
  return `${[HEADER.join(','), ...rows].join('\n')}\n`;
}

export function downloadText(filename: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** AAPL_1d.csv for the default split-adjusted prices; AAPL_1d_none.csv or AAPL_1d_all.csv says otherwise. */
export function csvName(symbol: string, timeframe: Timeframe, adjust: Adjust): string {
  return `${symbol.replaceAll('/', '-')}_${timeframe}${adjust === 'splits' ? '' : `_${adjust}`}.csv`;
}
