import type { BackfillRequestInput, Timeframe } from '@candlebase/contracts';

/** A rectangle of selected cells, by row index (in the filtered order) and column index, inclusive. */
export interface CellRect {
  r0: number;
  r1: number;
  c0: number;
  c1: number;
}

export const MAX_SYMBOLS_PER_JOB = 100;

export function normalise(a: { row: number; col: number }, b: { row: number; col: number }): CellRect {
  return {
    r0: Math.min(a.row, b.row),
    r1: Math.max(a.row, b.row),
    c0: Math.min(a.col, b.col),
    c1: Math.max(a.col, b.col),
  };
}

export function isSelected(rects: readonly CellRect[], row: number, col: number): boolean {
  return rects.some((r) => row >= r.r0 && row <= r.r1 && col >= r.c0 && col <= r.c1);
}

export function rowsOf(rects: readonly CellRect[]): number[] {
  const rows = new Set<number>();
  for (const r of rects) for (let i = r.r0; i <= r.r1; i++) rows.add(i);
  return [...rows].sort((a, b) => a - b);
}

const DAY_MS = 86_400_000;

/**
 * The backfill requests for a selection: per symbol, its selected columns merged into runs of
 * adjacent ones, each run a date span; symbols with the same span share jobs of at most 100.
 * `skip(row, col)` leaves out cells with nothing to fetch (complete, or nothing expected).
 */
export function requestsFor(
  rects: readonly CellRect[],
  symbolAt: (row: number) => string | undefined,
  columns: readonly { start: string; end: string }[],
  timeframe: Timeframe,
  skip: (row: number, col: number) => boolean = () => false,
): BackfillRequestInput[] {
  const bySpan = new Map<string, string[]>();
  for (const row of rowsOf(rects)) {
    const symbol = symbolAt(row);
    if (!symbol) continue;
    let runStart = -1;
    const flush = (end: number) => {
      if (runStart < 0) return;
      const start = (columns[runStart] as { start: string }).start.slice(0, 10);
      const last = new Date(Date.parse((columns[end] as { end: string }).end) - DAY_MS).toISOString().slice(0, 10);
      const key = `${start} ${last}`;
      const list = bySpan.get(key) ?? [];
      list.push(symbol);
      bySpan.set(key, list);
      runStart = -1;
    };
    for (let col = 0; col < columns.length; col++) {
      const on = isSelected(rects, row, col) && !skip(row, col);
      if (on && runStart < 0) runStart = col;
      if (!on) flush(col - 1);
    }
    flush(columns.length - 1);
  }
  const out: BackfillRequestInput[] = [];
  for (const [key, symbols] of bySpan) {
    const [start_date, end_date] = key.split(' ') as [string, string];
    for (let i = 0; i < symbols.length; i += MAX_SYMBOLS_PER_JOB) {
      out.push({ symbols: symbols.slice(i, i + MAX_SYMBOLS_PER_JOB), start_date, end_date, timeframes: [timeframe] });
    }
  }
  return out;
}
