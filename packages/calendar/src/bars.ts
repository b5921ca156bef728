import { type Timeframe, timeframeMs } from '@candlebase/contracts';
import { DAY_MS } from './days';
import { type CalendarName, sessionOnDay } from './sessions';

/**
 * Which bars a calendar expects. Intraday bars run on the session's own grid: from its open, one
 * step at a time, the last one cut short by the close (a regular NYSE 1h series is 09:30, 10:30,
 * ..., 15:30-16:00 New York; 5m and 15m bars fall on the clock anyway). A daily bar is stamped
 * 00:00 UTC of its trading date; the extended session's daily bar is the regular one (a provider's
 * daily bar is the official session's). A session lies within a day either side of its date, so
 * every question here stays O(days), not O(bars).
 */

/** Latest-closed-bar look-back; the longest NYSE closure on record (9/11 plus weekends) is 6 days. */
const MAX_LOOKBACK_DAYS = 400;

/** One trading day's bars: opens first, first + step, ..., last; all complete by `close`. */
export interface SessionBars {
  day: number;
  open: number;
  close: number;
  first: number;
  last: number;
  step: number;
}

function stepOf(timeframe: Timeframe): number {
  const step = timeframeMs(timeframe);
  if (step > DAY_MS || DAY_MS % step !== 0) {
    throw new RangeError(`The calendar only knows timeframes that divide a day; ${timeframe} does not`);
  }
  return step;
}

/** The bars trading day `day` has in a timeframe, or null when the market is shut that day. */
export function sessionBars(cal: CalendarName, timeframe: Timeframe, day: number): SessionBars | null {
  const step = stepOf(timeframe);
  if (step === DAY_MS) {
    const s = sessionOnDay(cal === 'nyse-extended' ? 'nyse' : cal, day);
    if (s === null) return null;
    return { day, open: s.open, close: s.close, first: day * DAY_MS, last: day * DAY_MS, step };
  }
  const s = sessionOnDay(cal, day);
  if (s === null) return null;
  const last = s.open + Math.floor((s.close - 1 - s.open) / step) * step;
  return { day, open: s.open, close: s.close, first: s.open, last, step };
}

export function alignDown(ms: number, timeframe: Timeframe): number {
  const step = timeframeMs(timeframe);
  return Math.floor(ms / step) * step;
}

/** The first bar of `g` at or after `ms`. */
function firstFrom(g: SessionBars, ms: number): number {
  return ms <= g.first ? g.first : g.first + Math.ceil((ms - g.first) / g.step) * g.step;
}

/** The last bar of `g` at or before `ms`, or below `g.first` when there is none. */
function lastUntil(g: SessionBars, ms: number): number {
  if (ms < g.first) return g.first - g.step;
  return Math.min(g.last, g.first + Math.floor((ms - g.first) / g.step) * g.step);
}

const dayOf = (ms: number) => Math.floor(ms / DAY_MS);

/** Every bar open in [fromMs, toMs), ascending, one trading day at a time. */
export function* barOpens(cal: CalendarName, timeframe: Timeframe, fromMs: number, toMs: number): Generator<number> {
  stepOf(timeframe);
  if (!(toMs > fromMs)) return;
  const lastDay = dayOf(toMs - 1) + 1;
  for (let day = dayOf(fromMs) - 1; day <= lastDay; day++) {
    const g = sessionBars(cal, timeframe, day);
    if (g === null) continue;
    const end = lastUntil(g, toMs - 1);
    for (let t = firstFrom(g, fromMs); t <= end; t += g.step) yield t;
  }
}

/** How many bars `barOpens` would yield, without visiting them. */
export function countBars(cal: CalendarName, timeframe: Timeframe, fromMs: number, toMs: number): number {
  const step = stepOf(timeframe);
  if (!(toMs > fromMs)) return 0;
  if (cal === '24x7') return Math.ceil(toMs / step) - Math.ceil(fromMs / step);
  const lastDay = dayOf(toMs - 1) + 1;
  let n = 0;
  for (let day = dayOf(fromMs) - 1; day <= lastDay; day++) {
    const g = sessionBars(cal, timeframe, day);
    if (g === null) continue;
    const a = firstFrom(g, fromMs);
    const b = lastUntil(g, toMs - 1);
    if (b >= a) n += (b - a) / step + 1;
  }
  return n;
}

/** The trading day whose bars include one opening at `ms`, or null when none does. */
function barDay(cal: CalendarName, timeframe: Timeframe, ms: number): SessionBars | null {
  const day = dayOf(ms);
  for (let d = day - 1; d <= day + 1; d++) {
    const g = sessionBars(cal, timeframe, d);
    if (g !== null && ms >= g.first && ms <= g.last && (ms - g.first) % g.step === 0) return g;
  }
  return null;
}

/** Whether a bar opening at `ms` is expected. */
export function isBarOpen(cal: CalendarName, timeframe: Timeframe, ms: number): boolean {
  return barDay(cal, timeframe, ms) !== null;
}

/**
 * When the bar opening at `openMs` is complete: its interval's end, or the session's close when
 * that comes first (a daily NYSE bar is final at 16:00 New York time). Null when no such bar exists.
 */
export function barCloseMs(cal: CalendarName, timeframe: Timeframe, openMs: number): number | null {
  const g = barDay(cal, timeframe, openMs);
  if (g === null) return null;
  return g.step === DAY_MS ? g.close : Math.min(openMs + g.step, g.close);
}

/**
 * The open of the most recent bar complete by `nowMs`, or null when none is within reach. Freshness
 * compares the newest stored bar with this, so a weekend or a holiday never makes an equity stale.
 */
export function latestClosedBar(cal: CalendarName, timeframe: Timeframe, nowMs: number): number | null {
  const step = stepOf(timeframe);
  const today = dayOf(nowMs) + 1;
  for (let day = today; day > today - MAX_LOOKBACK_DAYS; day--) {
    const g = sessionBars(cal, timeframe, day);
    if (g === null) continue;
    if (nowMs >= g.close) return g.last;
    if (step === DAY_MS || nowMs < g.first) continue;
    // Mid-session: the newest bar whose full interval has passed.
    const k = Math.floor((nowMs - g.first) / step) - 1;
    if (k >= 0) return g.first + k * step;
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
  stepOf(timeframe);
  if (!(ms > floorMs)) return null;
  for (let day = dayOf(ms - 1) + 1; day >= dayOf(floorMs) - 1; day--) {
    const g = sessionBars(cal, timeframe, day);
    if (g === null) continue;
    const t = lastUntil(g, ms - 1);
    if (t >= g.first && t >= firstFrom(g, floorMs)) return t;
    if (t >= g.first) return null;
  }
  return null;
}
