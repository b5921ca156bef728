import type { CoverageMapBucket } from '@candlebase/contracts';

const DAY_MS = 86_400_000;

/** One column of the coverage map: the UTC span [lo, hi). */
export interface Column {
  lo: number;
  hi: number;
}

/** The start of the bucket after the one holding `ms` (UTC months, ISO weeks from Monday, days). */
function nextBoundary(bucket: CoverageMapBucket, ms: number): number {
  const day = Math.floor(ms / DAY_MS);
  if (bucket === 'day') return (day + 1) * DAY_MS;
  // 1970-01-01 was a Thursday: (day + 3) % 7 is 0 on Mondays.
  if (bucket === 'week') return (day + 7 - ((day + 3) % 7)) * DAY_MS;
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** The columns from the first day to the last (both inclusive, YYYY-MM-DD), the outer two clipped to them. */
export function mapColumns(bucket: CoverageMapBucket, fromDay: string, toDay: string): Column[] {
  const end = Date.parse(`${toDay}T00:00:00Z`) + DAY_MS;
  const out: Column[] = [];
  for (let lo = Date.parse(`${fromDay}T00:00:00Z`); lo < end; ) {
    const hi = Math.min(nextBoundary(bucket, lo), end);
    out.push({ lo, hi });
    lo = hi;
  }
  return out;
}

/** The index of the column holding `ms`, clamped to the first and last column. */
export function columnOf(columns: readonly Column[], ms: number): number {
  let lo = 0;
  let hi = columns.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((columns[mid] as Column).lo <= ms) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
