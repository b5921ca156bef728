import { DAY_MS, dayFromIso } from '@candlebase/calendar';
import { type Timeframe, timeframeMs } from '@candlebase/contracts';
import type { ProviderAction, ProviderCandle } from './types';
import type { Chart, ChartMeta, WireBar } from './yahoo-wire';

/** Yahoo's interval names for ours; a Record so a new timeframe must be mapped. */
export const YAHOO_INTERVALS: Record<Timeframe, string> = { '5m': '5m', '15m': '15m', '1h': '60m', '1d': '1d' };

/**
 * How far back Yahoo serves intraday bars ("The requested range must be within the last 60 days",
 * 730 for 60m). We stay a day inside, because Yahoo counts from its own clock.
 */
export const INTRADAY_HISTORY_DAYS: Partial<Record<Timeframe, number>> = { '5m': 60, '15m': 60, '1h': 730 };

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of an instant in the exchange's zone: a daily bar belongs to that session. */
export function exchangeDate(tsSec: number, meta: ChartMeta): string {
  const zone = meta.timeZone;
  if (zone) {
    let format = formatters.get(zone);
    if (!format) {
      try {
        format = new Intl.DateTimeFormat('en-CA', {
          timeZone: zone,
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
        });
      } catch {
        format = undefined;
      }
      if (format) formatters.set(zone, format);
    }
    if (format) return format.format(new Date(tsSec * 1000));
  }
  // An unknown zone: today's offset is right for all but the bars near a DST change, which stay on their date anyway.
  return new Date((tsSec + meta.gmtOffset) * 1000).toISOString().slice(0, 10);
}

export function dateMs(iso: string): number {
  return dayFromIso(iso) * DAY_MS;
}

/** Splits as ProviderActions (ratio = new shares per old), oldest first. */
export function splitActions(chart: Chart): ProviderAction[] {
  return chart.splits.map((s) => ({
    exDate: exchangeDate(s.date, chart.meta),
    kind: 'split' as const,
    ratio: s.numerator / s.denominator,
  }));
}

/**
 * Yahoo's prices (and dividends) are adjusted for every split since; `factor(date)` is the product
 * of the ratios of the splits after `date`, by which an adjusted price is multiplied (and a volume
 * divided) to get back what traded that day. A bar on the ex-date itself is already post-split.
 */
export function splitFactors(splits: readonly ProviderAction[]): (isoDate: string) => number {
  const sorted = splits.filter((s) => s.kind === 'split' && s.ratio && s.ratio > 0);
  return (isoDate) => {
    let factor = 1;
    for (const s of sorted) if (s.exDate > isoDate) factor *= s.ratio ?? 1;
    return factor;
  };
}

export interface BarRules {
  timeframe: Timeframe;
  nowMs: number;
  factor: (isoDate: string) => number;
}

/**
 * A wire bar as we store it, or undefined when it must not be stored: a row with a null (no trades,
 * a halt), a bar still forming at `nowMs`, or a stamp off the interval's grid (the live bar is
 * stamped at its last trade). Daily bars are keyed by their session's date at 00:00 UTC. Intraday
 * bars are stored at their own open: Yahoo stamps a New York stock's 60m bars at 09:30, 10:30, ...,
 * the regular session's own 1h grid, and a round-the-clock symbol's on the clock hour, so a 60m
 * stamp is on a half-hour grid either way. A bar stamped at the close (the closing print Yahoo
 * sometimes adds at 16:00) is passed on; the worker's session filter keeps only the calendar's.
 */
export function toCandle(bar: WireBar, meta: ChartMeta, rules: BarRules): ProviderCandle | undefined {
  const { open, high, low, close, volume } = bar;
  if (open === null || high === null || low === null || close === null || volume === null) return undefined;
  const ms = bar.ts * 1000;
  const date = exchangeDate(bar.ts, meta);
  let ts: number;
  if (rules.timeframe === '1d') {
    ts = dateMs(date);
    if (!dailyClosed(date, meta, rules.nowMs)) return undefined;
  } else {
    const step = timeframeMs(rules.timeframe);
    const grid = rules.timeframe === '1h' ? 30 * 60_000 : step;
    // The session's last bar ends at its close (15:30-16:00 New York), not a whole step later.
    const regular = meta.regular;
    const inToday = regular !== undefined && ms >= regular.start * 1000 && ms < regular.end * 1000;
    const closes = inToday ? Math.min(ms + step, regular.end * 1000) : ms + step;
    if (ms % grid !== 0 || closes > rules.nowMs) return undefined;
    ts = ms;
  }
  const f = rules.factor(date);
  return {
    ts,
    open: open * f,
    high: high * f,
    low: low * f,
    close: close * f,
    volume: f === 1 ? volume : volume / f,
    vwap: null,
    trades: null,
  };
}

/**
 * A session's daily bar is final once that session's regular hours are over: Yahoo says when the
 * current one ends; an earlier date is over, and without that fact we wait for local midnight.
 */
function dailyClosed(date: string, meta: ChartMeta, nowMs: number): boolean {
  const regular = meta.regular;
  if (regular) {
    const current = exchangeDate(regular.start, meta);
    if (date < current) return true;
    if (date === current) return nowMs >= regular.end * 1000;
    return false;
  }
  return nowMs >= dateMs(date) + DAY_MS - meta.gmtOffset * 1000;
}
