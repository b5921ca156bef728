import type { Timeframe } from '@candlebase/contracts';
import { createJsonClient, type ErrorResponse, serverMessage } from './http';
import { parseDividends, parseSplits, type ReferencePage } from './polygon-actions';
import {
  type AggsPage,
  dailyBarDate,
  intradayWindowMs,
  isoDate,
  POLYGON_SPANS,
  parseAggs,
  toPolygonTicker,
} from './polygon-wire';
import { createRateLimiter } from './rate-limiter';
import type { RetryOptions } from './retry';
import type { FetchCandlesRequest, MarketDataProvider, ProviderAction, ProviderCandle } from './types';
import { ProviderError } from './types';

export { toPolygonTicker } from './polygon-wire';

export interface PolygonProviderOptions {
  apiKey: string;
  baseUrl?: string;
  /** Polygon's free plan allows 5 requests a minute; paid plans set this higher. */
  requestsPerMinute?: number;
  /** The window `requestsPerMinute` counts over: a minute, unless a test wants it shorter. */
  rateWindowMs?: number;
  /** The `limit` sent with each request (at most 50,000); also sizes the intraday windows. */
  pageLimit?: number;
  timeoutMs?: number;
  retry?: RetryOptions;
}

const TIMEFRAMES = Object.keys(POLYGON_SPANS) as Timeframe[];

export function createPolygonProvider(options: PolygonProviderOptions): MarketDataProvider {
  const { apiKey } = options;
  if (apiKey.trim() === '') throw new Error('The Polygon provider needs an API key (POLYGON_API_KEY)');
  const base = new URL(`${(options.baseUrl ?? 'https://api.polygon.io').replace(/\/+$/, '')}/`);
  // Polygon caps `limit` at 50,000; asking for more would be cut short silently and break the windowing below.
  const pageLimit = Math.max(1, Math.min(options.pageLimit ?? 50_000, 50_000));
  const client = createJsonClient({
    provider: 'Polygon',
    timeoutMs: options.timeoutMs,
    retry: options.retry,
    throttle: createRateLimiter({ limit: options.requestsPerMinute ?? 5, windowMs: options.rateWindowMs ?? 60_000 }),
  });

  function endpoint(path: string, params: Record<string, string> = {}): URL {
    const url = new URL(path.replace(/^\/+/, ''), base);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    url.searchParams.set('apiKey', apiKey);
    return url;
  }

  /**
   * `next_url` carries no key, and behind a proxy it still names Polygon's own host. One on another
   * host is moved onto our base URL, path and query kept, so the key only ever goes to the
   * configured host and a proxy keeps working.
   */
  function followNext(nextUrl: string): URL {
    const next = new URL(nextUrl, base);
    const url =
      next.origin === base.origin
        ? next
        : new URL(`${base.pathname.replace(/\/$/, '')}${next.pathname}${next.search}`, base);
    url.searchParams.set('apiKey', apiKey);
    return url;
  }

  function explainError(symbol: string, ticker: string) {
    return (response: ErrorResponse): ProviderError | undefined => {
      const { status } = response;
      if (status === 401 || status === 403) {
        const says = serverMessage(response.body, response.text);
        const plan = status === 403 ? ' and that your plan covers this data' : '';
        return new ProviderError(
          `Polygon rejected the API key (${status}): check POLYGON_API_KEY${plan}${says ? ` (Polygon says: ${says})` : ''}`,
          { retryable: false, status },
        );
      }
      if (status === 404 && ticker !== '') {
        const asked = ticker === symbol ? '' : ` (asked for ${symbol})`;
        return new ProviderError(`Polygon does not know the ticker ${ticker}${asked}`, { retryable: false, status });
      }
      return undefined;
    };
  }

  /** One window of `/v2/aggs`, following `next_url` to its end. */
  async function* aggsPages(
    request: FetchCandlesRequest,
    ticker: string,
    from: string,
    to: string,
  ): AsyncGenerator<AggsPage> {
    const { multiplier, timespan } = POLYGON_SPANS[request.timeframe];
    const path = `v2/aggs/ticker/${encodeURIComponent(ticker).replace(/%3A/gi, ':')}/range/${multiplier}/${timespan}/${from}/${to}`;
    // Raw prices, as traded: splits and dividends are stored apart and applied when read, so a
    // split announced after a fetch never leaves a cliff between older and newer bars.
    let url: URL | undefined = endpoint(path, { adjusted: 'false', sort: 'asc', limit: String(pageLimit) });
    const seen = new Set<string>();
    while (url) {
      seen.add(url.href);
      const page: AggsPage = await client.getJson({
        url,
        parse: parseAggs,
        signal: request.signal,
        onRetry: request.onRetry,
        explainError: explainError(request.symbol, ticker),
      });
      yield page;
      url = page.nextUrl === undefined ? undefined : followNext(page.nextUrl);
      if (url && seen.has(url.href)) {
        throw new ProviderError('Polygon sent the same next_url twice; stopping rather than looping', {
          retryable: false,
        });
      }
    }
  }

  /** A `/v3/reference` list, every page through `next_url`. */
  async function referenceList(
    path: string,
    params: Record<string, string>,
    parse: (body: unknown) => ReferencePage,
    signal: AbortSignal | undefined,
  ): Promise<ProviderAction[]> {
    const out: ProviderAction[] = [];
    let url: URL | undefined = endpoint(path, { ...params, limit: '1000' });
    const seen = new Set<string>();
    while (url) {
      seen.add(url.href);
      const page: ReferencePage = await client.getJson({ url, parse, signal, explainError: explainError('', '') });
      out.push(...page.actions);
      url = page.nextUrl === undefined ? undefined : followNext(page.nextUrl);
      if (url && seen.has(url.href)) {
        throw new ProviderError('Polygon sent the same next_url twice; stopping rather than looping', {
          retryable: false,
        });
      }
    }
    return out;
  }

  async function fetchActions(request: {
    symbol: string;
    from: Date;
    to: Date;
    signal?: AbortSignal;
  }): Promise<ProviderAction[]> {
    const ticker = toPolygonTicker(request.symbol);
    // Crypto (X:), currencies (C:) and indices (I:) have no splits or dividends: spend no quota on them.
    if (ticker.includes(':')) return [];
    const from = isoDate(request.from.getTime());
    const to = isoDate(request.to.getTime());
    const splits = await referenceList(
      'v3/reference/splits',
      { ticker, 'execution_date.gte': from, 'execution_date.lte': to, order: 'asc', sort: 'execution_date' },
      parseSplits,
      request.signal,
    );
    const dividends = await referenceList(
      'v3/reference/dividends',
      { ticker, 'ex_dividend_date.gte': from, 'ex_dividend_date.lte': to, order: 'asc', sort: 'ex_dividend_date' },
      parseDividends,
      request.signal,
    );
    return [...splits, ...dividends].filter((a) => a.exDate >= from && a.exDate <= to);
  }

  async function* fetchCandles(request: FetchCandlesRequest): AsyncGenerator<ProviderCandle[]> {
    const from = request.from.getTime();
    const to = request.to.getTime();
    if (!(from < to)) return;
    const ticker = toPolygonTicker(request.symbol);
    const daily = request.timeframe === '1d';
    // Daily bars are asked by date (inclusive on both ends); intraday by ms in windows (see intradayWindowMs).
    const windows: [string, string][] = [];
    if (daily) {
      windows.push([isoDate(from), isoDate(to - 1)]);
    } else {
      const size = intradayWindowMs(pageLimit, request.timeframe);
      for (let start = from; start < to; start += size)
        windows.push([String(start), String(Math.min(start + size, to) - 1)]);
    }

    let lastTs = Number.NEGATIVE_INFINITY;
    for (const [windowFrom, windowTo] of windows) {
      for await (const page of aggsPages(request, ticker, windowFrom, windowTo)) {
        const candles: ProviderCandle[] = [];
        for (const bar of page.bars) {
          const ts = daily ? dailyBarDate(bar.ts) : bar.ts;
          // Drops what lies outside [from, to) and any repeat where windows or pages overlap.
          if (ts < from || ts >= to || ts <= lastTs) continue;
          lastTs = ts;
          candles.push({ ...bar, ts });
        }
        if (candles.length > 0) yield candles;
      }
    }
  }

  return {
    name: 'polygon',
    demo: false,
    timeframes: TIMEFRAMES,
    earliest: () => undefined,
    fetchCandles,
    fetchActions,
    async ping(signal) {
      await client.getJson({
        url: endpoint('v1/marketstatus/now'),
        parse: () => undefined,
        signal,
        maxAttempts: 1,
        explainError: explainError('', ''),
      });
    },
  };
}
