import { barOpens, countBars, DAY_MS } from '@candlebase/calendar';
import { timeframeMs, type UnitStatus } from '@candlebase/contracts';
import { finalAt, type SettlePolicy } from './closed-bars';

export interface Span {
  from: number;
  to: number;
}

/** Bars of [from, to) the run would store by `now`: the calendar's, less those still forming or settling. */
export function closedBarCount(policy: SettlePolicy, range: Span, now: number): number {
  const { calendar, timeframe } = policy;
  const opened = countBars(calendar, timeframe, range.from, Math.min(range.to, now));
  // Only bars that opened within a day and a settle time of now can still be open.
  const recent = Math.max(range.from, now - DAY_MS - timeframeMs(timeframe) - policy.settleMs);
  let open = 0;
  for (const t of barOpens(calendar, timeframe, recent, Math.min(range.to, now))) if (finalAt(policy, t) > now) open++;
  return opened - open;
}

/**
 * Bars a unit has passed: those the calendar expects before its cursor (the end of the last page
 * written). A span the run skipped as already stored counts once the cursor is past it.
 */
export function barsPassed(policy: SettlePolicy, range: Span, cursor: number | null): number {
  if (cursor === null || cursor <= range.from) return 0;
  return countBars(policy.calendar, policy.timeframe, range.from, Math.min(cursor, range.to));
}

export interface UnitBars {
  /** Bars the calendar expects in the unit's range, closed by now (by its end, once it ended). */
  expected: number;
  /** Of those, the ones the run has passed: all of them once it completed. */
  done: number;
}

/**
 * A unit's progress in bars, the measure that moves while a long unit runs (a two-year 5m unit
 * is one unit, but 40,000 bars). Bars no provider had (a halt, a quiet hour) count as passed.
 */
export function unitBars(
  policy: SettlePolicy,
  unit: { range: Span; cursor: number | null; status: UnitStatus; completedAt: number | null },
  now: number,
): UnitBars {
  const horizon = unit.status === 'pending' || unit.status === 'running' ? now : (unit.completedAt ?? now);
  const expected = closedBarCount(policy, unit.range, horizon);
  if (unit.status === 'completed') return { expected, done: expected };
  return { expected, done: Math.min(expected, barsPassed(policy, unit.range, unit.cursor)) };
}
