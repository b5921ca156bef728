import { type Timeframe, timeframeMs } from '@candlebase/contracts';
import { countBars, isBarOpen, lastBarBefore, nextBarAtOrAfter } from './bars';
import type { CalendarName } from './sessions';

/** A run of expected bars that are absent: opens in [from, to), `bars` of them. */
export interface MissingRange {
  from: number;
  to: number;
  bars: number;
}

/**
 * The expected bars in [fromMs, toMs) that `presentSortedTs` lacks, merged into maximal runs: a run
 * spans nights, weekends and holidays when no stored bar interrupts it, so a missing week is one
 * range (what a backfill would be asked to fetch), not five. Stored bars the calendar does not
 * expect (pre-market prints, misaligned stamps) fill no slot and are ignored. Work is proportional
 * to the stored bars plus the days the gaps span, never to the bars a gap would hold.
 */
export function missingRanges(
  cal: CalendarName,
  timeframe: Timeframe,
  fromMs: number,
  toMs: number,
  presentSortedTs: Iterable<number>,
): MissingRange[] {
  const step = timeframeMs(timeframe);
  const ranges: MissingRange[] = [];
  const addGap = (lo: number, hi: number) => {
    if (hi <= lo) return;
    const bars = countBars(cal, timeframe, lo, hi);
    if (bars === 0) return;
    const first = nextBarAtOrAfter(cal, timeframe, lo, hi);
    const last = lastBarBefore(cal, timeframe, hi, lo);
    if (first === null || last === null) return;
    ranges.push({ from: first, to: last + step, bars });
  };

  let cursor = fromMs;
  let previous = Number.NEGATIVE_INFINITY;
  let lastExpected = Number.NaN;
  for (const ts of presentSortedTs) {
    if (ts < previous) throw new RangeError('missingRanges needs the present timestamps in ascending order');
    previous = ts;
    if (ts < cursor) continue;
    if (ts >= toMs) break;
    if (!isBarOpen(cal, timeframe, ts)) continue;
    // Dense series are the common case: the next slot is filled, so skip the counting.
    if (ts !== lastExpected + step) addGap(cursor, ts);
    lastExpected = ts;
    cursor = ts + 1;
  }
  addGap(cursor, toMs);
  return ranges;
}
