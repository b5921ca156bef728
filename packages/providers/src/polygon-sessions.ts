import { DAY_MS, sessionBars } from '@candlebase/calendar';
import type { Timeframe } from '@candlebase/contracts';
import type { POLYGON_SPANS } from './polygon-wire';
import { symbolShape } from './symbol-notation';
import type { FetchCandlesRequest, ProviderCandle } from './types';

/**
 * Polygon's bars are clock-aligned (an hour bar starts on the hour, New York time) and include
 * pre-market (from 04:00) and after-hours (to 20:00) trades. 5m and 15m bars fall on the regular
 * session's grid, so the bars outside the session are simply not stored. Its 1h bars do not: the
 * 09:00 bar mixes half an hour of pre-market into the open. A regular-session stock's 1h series
 * is therefore built from 30-minute bars on the session grid (09:30-10:30, ..., 15:30-16:00, the
 * last one a half hour; 12:30-13:00 on a 13:00 early close). 30 minutes is the coarsest span
 * whose grid holds the open and every close; Polygon's `limit` caps the minute bars read per
 * request, not the bars returned, so 30-minute bars cost exactly the requests hour bars would,
 * where 5-minute bars would cost the same requests but six times the rows.
 */
type Span = (typeof POLYGON_SPANS)[Timeframe];

export interface SessionBuild {
  span: Span;
  /** The bars the 30-minute bars of a page complete, in order; an hour still open waits for the next page. */
  push(bars: readonly ProviderCandle[]): ProviderCandle[];
  /** The last hour, once no more bars will come. */
  flush(): ProviderCandle[];
}

const HOUR_MS = 3_600_000;
const HALF_HOUR: Span = { multiplier: 30, timespan: 'minute' };

/** Whether a request is for a stock's regular-session hours (crypto, FX and indices keep Polygon's clock hours). */
function regularStockHours(request: FetchCandlesRequest, ticker: string): boolean {
  if (request.timeframe !== '1h' || request.session === 'extended') return false;
  if (ticker.includes(':')) return false;
  const kind = symbolShape(request.symbol).kind;
  return kind === 'plain' || kind === 'class_share';
}

/** The open of the regular 1h bar holding the 30-minute bar at `ts`, or null outside the session. */
function hourOf(ts: number): number | null {
  const day = Math.floor(ts / DAY_MS);
  const g = sessionBars('nyse', '1h', day);
  if (g === null || ts < g.open || ts >= g.close) return null;
  return g.first + Math.floor((ts - g.first) / HOUR_MS) * HOUR_MS;
}

function merge(hour: number, parts: readonly ProviderCandle[]): ProviderCandle {
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (first === undefined || last === undefined) throw new Error('an hour is built from at least one bar');
  let high = first.high;
  let low = first.low;
  let volume = 0;
  let notional = 0;
  let trades = 0;
  let vwapKnown = true;
  let tradesKnown = true;
  for (const p of parts) {
    high = Math.max(high, p.high);
    low = Math.min(low, p.low);
    volume += p.volume;
    if (p.vwap === null) vwapKnown = false;
    else notional += p.vwap * p.volume;
    if (p.trades === null) tradesKnown = false;
    else trades += p.trades;
  }
  return {
    ts: hour,
    open: first.open,
    high,
    low,
    close: last.close,
    volume,
    vwap: vwapKnown && volume > 0 ? notional / volume : null,
    trades: tradesKnown ? trades : null,
  };
}

function regularHourBuild(): SessionBuild {
  let hour: number | null = null;
  let parts: ProviderCandle[] = [];
  const close = (): ProviderCandle[] => {
    const done = hour === null || parts.length === 0 ? [] : [merge(hour, parts)];
    hour = null;
    parts = [];
    return done;
  };
  return {
    span: HALF_HOUR,
    push(bars) {
      const out: ProviderCandle[] = [];
      for (const bar of bars) {
        const h = hourOf(bar.ts);
        // Pre-market and after-hours half hours belong to no regular hour.
        if (h === null) continue;
        if (h !== hour) {
          out.push(...close());
          hour = h;
        }
        parts.push(bar);
      }
      return out;
    },
    flush: close,
  };
}

/** How to ask Polygon for a request whose bars must be built on the session grid; undefined when its own bars serve. */
export function sessionBuildFor(request: FetchCandlesRequest, ticker: string): SessionBuild | undefined {
  return regularStockHours(request, ticker) ? regularHourBuild() : undefined;
}
