import {
  type CalendarName,
  countBars,
  lastBarBefore,
  latestClosedBar,
  type MissingRange,
  nextBarAtOrAfter,
} from '@candlebase/calendar';
import { type MissingKind, type Timeframe, timeframeMs } from '@candlebase/contracts';

export interface Interval {
  from: number;
  to: number;
}

export interface ClassifiedRange extends MissingRange {
  kind: MissingKind;
}

/** A completed backfill unit: the range it asked the provider for and what came back. */
export interface CompletedUnit {
  rangeStart: number;
  rangeEnd: number;
  recordsFetched: number;
  completedAt: number;
}

/** The end of the newest bar complete at `ms`: bars after it cannot be missing yet. */
export function closedEnd(cal: CalendarName, timeframe: Timeframe, ms: number): number {
  const bar = latestClosedBar(cal, timeframe, ms);
  return bar === null ? ms : bar + timeframeMs(timeframe);
}

/**
 * The spans where the provider was asked and answered with holes: completed units that fetched
 * fewer bars than the calendar expected over their range (counting only bars that had closed when
 * the unit finished). A unit that got every bar vouches for nothing: a bar missing there now was
 * lost afterwards (deleted, say) and is a real gap that a new fetch restores. A gap-filling unit
 * that comes back empty turns its range quiet, so asking once more settles the question.
 * Known blind spot: a unit that skipped an already-stored span fetched fewer than its range holds
 * and so vouches for that span too, though it never asked for it.
 */
export function quietSpans(cal: CalendarName, timeframe: Timeframe, units: readonly CompletedUnit[]): Interval[] {
  const spans = units
    .filter((u) => {
      const end = Math.min(u.rangeEnd, closedEnd(cal, timeframe, u.completedAt));
      return u.recordsFetched < countBars(cal, timeframe, u.rangeStart, end);
    })
    .map((u) => ({ from: u.rangeStart, to: u.rangeEnd }))
    .sort((a, b) => a.from - b.from);
  const merged: Interval[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else merged.push({ ...s });
  }
  return merged;
}

/**
 * Splits each missing run where it enters or leaves a quiet span: the parts inside are quiet, the
 * rest are gaps. Each part is snapped to the bars it holds (first open .. last open + step).
 */
export function classifyMissing(
  cal: CalendarName,
  timeframe: Timeframe,
  missing: readonly MissingRange[],
  quiet: readonly Interval[],
): ClassifiedRange[] {
  const step = timeframeMs(timeframe);
  const out: ClassifiedRange[] = [];
  const piece = (lo: number, hi: number, kind: MissingKind) => {
    if (hi <= lo) return;
    const bars = countBars(cal, timeframe, lo, hi);
    if (bars === 0) return;
    const first = nextBarAtOrAfter(cal, timeframe, lo, hi);
    const last = lastBarBefore(cal, timeframe, hi, lo);
    if (first === null || last === null) return;
    out.push({ from: first, to: last + step, bars, kind });
  };
  for (const m of missing) {
    let cursor = m.from;
    for (const q of quiet) {
      if (q.to <= cursor) continue;
      if (q.from >= m.to) break;
      piece(cursor, Math.max(cursor, q.from), 'gap');
      const end = Math.min(m.to, q.to);
      piece(Math.max(cursor, q.from), end, 'quiet');
      cursor = end;
      if (cursor >= m.to) break;
    }
    piece(cursor, m.to, 'gap');
  }
  return out;
}
