import { type Timeframe, timeframeMs } from '@candlebase/contracts';
import { isRecord, MalformedResponseError } from './http';
import { toProviderSymbol } from './symbol-notation';
import { type ProviderCandle, ProviderError } from './types';

/** How each of our timeframes is asked of `/v2/aggs`; a Record so a new timeframe fails to compile until mapped. */
export const POLYGON_SPANS: Record<Timeframe, { multiplier: number; timespan: 'minute' | 'hour' | 'day' }> = {
  '5m': { multiplier: 5, timespan: 'minute' },
  '15m': { multiplier: 15, timespan: 'minute' },
  '1h': { multiplier: 1, timespan: 'hour' },
  '1d': { multiplier: 1, timespan: 'day' },
};

/**
 * Our symbol to Polygon's ticker: crypto pairs get the `X:` prefix (`BTC-USD` -> `X:BTCUSD`), pairs
 * of ISO 4217 currencies and metals `C:` (`EUR-USD` -> `C:EURUSD`, `XAU-USD` -> `C:XAUUSD`), class
 * shares a dot (`BRK-B` -> `BRK.B`); equities and prefixed tickers (`I:SPX`) pass through.
 */
export function toPolygonTicker(symbol: string): string {
  return toProviderSymbol('polygon', symbol) ?? symbol.trim().toUpperCase();
}

export interface AggsPage {
  bars: ProviderCandle[];
  nextUrl: string | undefined;
}

/**
 * The envelope every Polygon answer shares: an error status refused in Polygon's words, `results`
 * (absent when there is nothing) and the `next_url` of the next page, if any.
 */
export function parseEnvelope(body: unknown): { results: unknown[]; nextUrl: string | undefined } {
  if (!isRecord(body)) throw new MalformedResponseError('expected a JSON object');
  if (body.status === 'ERROR' || body.status === 'NOT_AUTHORIZED') {
    const says = typeof body.error === 'string' ? body.error : typeof body.message === 'string' ? body.message : '';
    throw new ProviderError(`Polygon answered with an error${says ? `: ${says}` : ''}`, { retryable: false });
  }
  const results = body.results ?? [];
  if (!Array.isArray(results)) throw new MalformedResponseError('"results" is not a list');
  const next = body.next_url;
  if (next !== undefined && next !== null && typeof next !== 'string') {
    throw new MalformedResponseError('"next_url" is not text');
  }
  return { results, nextUrl: typeof next === 'string' && next !== '' ? next : undefined };
}

/** Reads one `/v2/aggs` answer; `results` is absent when there is no data. */
export function parseAggs(body: unknown): AggsPage {
  const { results, nextUrl } = parseEnvelope(body);
  return { bars: results.map(parseBar), nextUrl };
}

function parseBar(raw: unknown, index: number): ProviderCandle {
  if (!isRecord(raw)) throw new MalformedResponseError(`result ${index} is not an object`);
  const num = (key: string): number => {
    const value = raw[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new MalformedResponseError(`result ${index} has no numeric "${key}"`);
    }
    return value;
  };
  const optional = (key: string): number | null => {
    const value = raw[key];
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  };
  return {
    ts: num('t'),
    open: num('o'),
    high: num('h'),
    low: num('l'),
    close: num('c'),
    volume: num('v'),
    vwap: optional('vw'),
    trades: optional('n'),
  };
}

const DAY_MS = timeframeMs('1d');

/**
 * Polygon stamps a stock's daily bar at midnight New York time (04:00 or 05:00 UTC) and a crypto
 * daily bar at midnight UTC. Rounding to the nearest UTC midnight keys both by their calendar
 * date, as Binance and the other sources do, so one day is one row whichever source filled it.
 */
export function dailyBarDate(ts: number): number {
  return Math.round(ts / DAY_MS) * DAY_MS;
}

/** `YYYY-MM-DD` of an instant in UTC, the form `/v2/aggs` takes for whole days. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `/v3/reference/tickers/{ticker}`: `results` is one object, the ticker's details. */
export function parseTickerDetails(body: unknown): { ticker: string; name: string | undefined } {
  if (!isRecord(body) || !isRecord(body.results))
    throw new MalformedResponseError('expected "results" to be an object');
  const { ticker, name } = body.results;
  if (typeof ticker !== 'string') throw new MalformedResponseError('"results.ticker" is not text');
  return { ticker, name: typeof name === 'string' && name !== '' ? name : undefined };
}
