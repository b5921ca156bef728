import { type Timeframe, timeframeMs } from '@candlebase/contracts';
import { DAY_MS } from './days';
import { type CalendarName, type Session, sessionOnDay } from './sessions';

/**
 * Which bars a calendar expects. Bars are aligned to the timeframe in UTC and a bar exists when
 * its interval overlaps a session; a daily bar is stamped 00:00 UTC of its trading day. Because
 * every session lies inside one UTC day and each timeframe divides a day, a day's bars are simply
 * alignDown(open) .. alignDown(close - 1), which keeps every question here O(days), not O(bars).
 */

/** Latest-closed-bar look-back; the longest NYSE closure on record (9/11 plus weekends) is 6 days. */
const MAX_LOOKBACK_DAYS = 400;

function stepOf(timeframe: Timeframe): number {
  const step = timeframeMs(timeframe);
  if (step > DAY_MS || DAY_MS % step !== 0) {
    throw new RangeError(`The calendar only knows timeframes that divide a day; ${timeframe} does not`);
  }
  return step;
}

export function alignDown(ms: number, timeframe: Timeframe): number {
  const step = timeframeMs(timeframe);
  return Math.floor(ms / step) * step;
}

function alignUp(ms: number, step: number): number {
  return Math.ceil(ms / step) * step;
}

function firstBar(s: Readonly<Session>, step: number): number {
  return Math.floor(s.open / step) * step;
}

function lastBar(s: Readonly<Session>, step: number): number {
  return Math.floor((s.close - 1) / step) * step;
}

/** Every bar open in [fromMs, toMs), ascending, one day's session at a time. */
export function* barOpens(cal: CalendarName, timeframe: Timeframe, fromMs: number, toMs: number): Generator<number> {
  const step = stepOf(timeframe);
  if (!(toMs > fromMs)) return;
  const lo = alignUp(fromMs, step);
  const lastDay = Math.floor((toMs - 1) / DAY_MS);
  for (let day = Math.floor(lo / DAY_MS); day <= lastDay; day++) {
    const s = sessionOnDay(cal, day);
    if (s === null) continue;
    const end = Math.min(lastBar(s, step), toMs - 1);
    for (let t = Math.max(firstBar(s, step), lo); t <= end; t += step) yield t;
  }
}

/** How many bars `barOpens` would yield, without visiting them. */
export function countBars(cal: CalendarName, timeframe: Timeframe, fromMs: number, toMs: number): number {
  const step = stepOf(timeframe);
  if (!(toMs > fromMs)) return 0;
  if (cal === '24x7') return Math.ceil(toMs / step) - Math.ceil(fromMs / step);
  const lo = alignUp(fromMs, step);
  const hi = Math.floor((toMs - 1) / step) * step;
  const lastDay = Math.floor((toMs - 1) / DAY_MS);
  let n = 0;
  for (let day = Math.floor(lo / DAY_MS); day <= lastDay; day++) {
    const s = sessionOnDay(cal, day);
    if (s === null) continue;
    const a = Math.max(firstBar(s, step), lo);
    const b = Math.min(lastBar(s, step), hi);
    if (b >= a) n += (b - a) / step + 1;
  }
  return n;
}

/** Whether a bar opening at `ms` is expected. */
export function isBarOpen(cal: CalendarName, timeframe: Timeframe, ms: number): boolean {
  const step = stepOf(timeframe);
  if (ms % step !== 0) return false;
  const s = sessionOnDay(cal, Math.floor(ms / DAY_MS));
  return s !== null && ms >= firstBar(s, step) && ms <= lastBar(s, step);
}

/**
 * When the bar opening at `openMs` is complete: its interval's end, or the session's close when
 * that comes first (a daily NYSE bar is final at 16:00 New York time). Null when no such bar exists.
 */
export function barCloseMs(cal: CalendarName, timeframe: Timeframe, openMs: number): number | null {
  if (!isBarOpen(cal, timeframe, openMs)) return null;
  const s = sessionOnDay(cal, Math.floor(openMs / DAY_MS));
  return s === null ? null : Math.min(openMs + timeframeMs(timeframe), s.close);
}

/**
 * The open of the most recent bar complete by `nowMs`, or null when none is within reach. Freshness
 * compares the newest stored bar with this, so a weekend or a holiday never makes an equity stale.
 */
export function latestClosedBar(cal: CalendarName, timeframe: Timeframe, nowMs: number): number | null {
  const step = stepOf(timeframe);
  const today = Math.floor(nowMs / DAY_MS);
  for (let day = today; day > today - MAX_LOOKBACK_DAYS; day--) {
    const s = sessionOnDay(cal, day);
    if (s === null) continue;
    if (nowMs >= s.close) return lastBar(s, step);
    // Mid-session: the newest bar whose full interval has passed.
    const candidate = Math.floor(nowMs / step) * step - step;
    if (candidate >= firstBar(s, step)) return candidate;
  }
  return null;
}

/** The first expected bar at or after `ms`, looking no further than `limitMs` (exclusive). */
export function nextBarAtOrAfter(cal: CalendarName, timeframe: Timeframe, ms: number, limitMs: number): number | null {
  for (const t of barOpens(cal, timeframe, ms, limitMs)) return t;
  return null;
}

/** The last expected bar before `ms`, looking no further back than `floorMs` (inclusive). */
export function lastBarBefore(cal: CalendarName, timeframe: Timeframe, ms: number, floorMs: number): number | null {
  const step = stepOf(timeframe);
  const hi = Math.floor((ms - 1) / step) * step;
  const lo = alignUp(floorMs, step);
  for (let day = Math.floor(hi / DAY_MS); day >= Math.floor(lo / DAY_MS); day--) {
    const s = sessionOnDay(cal, day);
    if (s === null) continue;
    const t = Math.min(lastBar(s, step), hi);
    if (t >= Math.max(firstBar(s, step), lo)) return t;
  }
  return null;
}
