import { DAY_MS, utcOffsetMinutes } from '@candlebase/calendar';
import { type Timeframe, timeframeMs } from '@candlebase/contracts';

const MIN = 60_000;
/** Polygon's extended session for US stocks: 04:00 to 20:00 New York time, weekdays. */
const EXTENDED_OPEN_MIN = 4 * 60;
const EXTENDED_CLOSE_MIN = 20 * 60;

/**
 * Where a minute aggregate can exist for a ticker: crypto (`X:`), forex (`C:`) and indices (`I:`)
 * are counted as trading every minute (FX's weekend is counted too: a window a little short
 * costs a request, one a little long loses bars without a word). A stock trades only in the
 * extended session on weekdays; holidays are counted as possible minutes for the same reason.
 */
function everyMinute(ticker: string): boolean {
  return /^[A-Z]:/.test(ticker);
}

/** The end of the span from `from` that holds `minutes` minutes in which the ticker can trade. */
function advance(ticker: string, from: number, minutes: number): number {
  if (everyMinute(ticker)) return from + minutes * MIN;
  let left = minutes;
  // A New York day's session starts after its UTC midnight, so the day of `from` minus one covers it.
  for (let day = Math.floor(from / DAY_MS) - 1; ; day++) {
    const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday
    if (weekday === 0 || weekday === 6) continue;
    const offset = utcOffsetMinutes('America/New_York', day);
    const open = day * DAY_MS + (EXTENDED_OPEN_MIN - offset) * MIN;
    const close = day * DAY_MS + (EXTENDED_CLOSE_MIN - offset) * MIN;
    const start = Math.max(open, from);
    if (close <= start) continue;
    const available = (close - start) / MIN;
    if (available >= left) return start + left * MIN;
    left -= available;
  }
}

/**
 * The intraday request windows for [from, to): Polygon's `limit` counts the minute aggregates it
 * reads to build the answer, not the bars it returns, and cuts the answer short without a word
 * past it. So each window holds exactly as many minutes in which the ticker can trade as `limit`
 * allows (50,000: about 34.7 days of crypto, 52 weekdays of a stock's 16-hour extended session),
 * ending on a bar boundary so no bar straddles two requests: the fewest requests that lose nothing.
 * Returned as [start, end) pairs in epoch ms.
 */
export function requestWindows(
  ticker: string,
  timeframe: Timeframe,
  from: number,
  to: number,
  limit: number,
): [number, number][] {
  const step = timeframeMs(timeframe);
  const windows: [number, number][] = [];
  for (let start = from; start < to; ) {
    const reach = advance(ticker, start, limit);
    const end = Math.min(to, Math.max(start + step, Math.floor(reach / step) * step));
    windows.push([start, end]);
    start = end;
  }
  return windows;
}
