import { barCloseMs, type CalendarName, DAY_MS } from '@candlebase/calendar';
import { type Timeframe, timeframeMs } from '@candlebase/contracts';
import type { ProviderCandle } from '@candlebase/providers';

export interface SettlePolicy {
  calendar: CalendarName;
  timeframe: Timeframe;
  /** The provider's settle time after a bar's close (`MarketDataProvider.settleMs`). */
  settleMs: number;
}

/**
 * When a bar's values are final at the source: its close (the interval's end, or the session's
 * close when that comes first, so an NYSE daily bar closes at 16:00 New York time and a crypto one
 * at midnight UTC) plus the provider's settle time. A bar the calendar does not expect (outside
 * the session) closes at its interval's end.
 */
export function finalAt(policy: SettlePolicy, openMs: number): number {
  const step = timeframeMs(policy.timeframe);
  // The calendar knows only timeframes that divide a day; a longer bar (a week) closes at its end.
  const close = (DAY_MS % step === 0 ? barCloseMs(policy.calendar, policy.timeframe, openMs) : null) ?? openMs + step;
  return close + policy.settleMs;
}

/**
 * The bars of a page that are final by `now`. A forming bar, or one the provider may still revise,
 * is left out: it is stored by a later run, once it has settled, instead of frozen half-made.
 */
export function closedBars(page: ProviderCandle[], policy: SettlePolicy, now: number): ProviderCandle[] {
  const last = page[page.length - 1];
  // Hot: a whole page of history is final when its last interval ended a settle time ago (a bar
  // never closes after its interval's end), so the calendar is asked only near `now`.
  if (!last || last.ts + timeframeMs(policy.timeframe) + policy.settleMs <= now) return page;
  return page.filter((c) => finalAt(policy, c.ts) <= now);
}
