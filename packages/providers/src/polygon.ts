import type { Timeframe } from '@candlebase/contracts';
import type { BudgetFactory } from './budget';
import { createJsonClient, type ErrorResponse, serverMessage } from './http';
import { memoryBudgets } from './memory-budget';
import { parseDividends, parseSplits, type ReferencePage } from './polygon-actions';
import { type SessionBuild, sessionBuildFor } from './polygon-sessions';
import { requestWindows } from './polygon-windows';
import {
  type AggsPage,
  dailyBarDate,
  isoDate,
  POLYGON_SPANS,
  parseAggs,
  parseTickerDetails,
  toPolygonTicker,
} from './polygon-wire';
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
  /** Where the key's budget is counted: this process (the default), or a store every process shares. */
  budget?: BudgetFactory;
  /** The `limit` sent with each request (at most 50,000); also sizes the intraday windows. */
  pageLimit?: number;
  timeoutMs?: number;
  retry?: RetryOptions;
  /**
   * How long after a bar closes its values stop changing. Polygon keeps folding late prints into
   * minute-based bars for about 15 minutes after their close, so that is the default.
   */
  settleMs?: number;
}

const DEFAULT_SETTLE_MS = 15 * 60_000;

const TIMEFRAMES = Object.keys(POLYGON_SPANS) as Timeframe[];

export function createPolygonProvider(options: PolygonProviderOptions): MarketDataProvider {
  const { apiKey } = options;
  if (apiKey.trim() === '') throw new Error('The Polygon provider needs an API key (POLYGON_API_KEY)');
  const base = new URL(`${(options.baseUrl ?? 'https://api.polygon.io').replace(/\/+$/, '')}/`);
  // Polygon caps `limit` at 50,000; asking for more would be cut short silently and break the windowing below.
  const pageLimit = Math.max(1, Math.min(options.pageLimit ?? 50_000, 50_000));
  const windowMs = options.rateWindowMs ?? 60_000;
  const budget = (options.budget ?? memoryBudgets)({
    provider: 'polygon',
    key: apiKey,
    limit: options.requestsPerMinute ?? 5,
    windowMs,
    window: 'sliding',
    unit: 'requests',
    // A second a minute covers the difference between our clocks and Polygon's.
    marginMs: Math.ceil(windowMs / 60),
  });
  const client = createJsonClient({ provider: 'Polygon', timeoutMs: options.timeoutMs, retry: options.retry, budget });

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
    span = POLYGON_SPANS[request.timeframe],
  ): AsyncGenerator<AggsPage> {
    const { multiplier, timespan } = span;
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
    // Daily bars are asked by date (inclusive on both ends); intraday by ms in windows (see requestWindows).
    const windows: [string, string][] = daily
      ? [[isoDate(from), isoDate(to - 1)]]
      : requestWindows(ticker, request.timeframe, from, to, pageLimit).map(([a, b]) => [String(a), String(b - 1)]);

    let lastTs = Number.NEGATIVE_INFINITY;
    // Bars Polygon does not serve on the session grid are built from finer ones (polygon-sessions.ts).
    const build: SessionBuild | undefined = sessionBuildFor(request, ticker);
    const keep = (bars: readonly ProviderCandle[]): ProviderCandle[] => {
      const candles: ProviderCandle[] = [];
      for (const bar of bars) {
        const ts = daily ? dailyBarDate(bar.ts) : bar.ts;
        // Drops what lies outside [from, to) and any repeat where windows or pages overlap.
        if (ts < from || ts >= to || ts <= lastTs) continue;
        lastTs = ts;
        candles.push({ ...bar, ts });
      }
      return candles;
    };
    for (const [windowFrom, windowTo] of windows) {
      for await (const page of aggsPages(request, ticker, windowFrom, windowTo, build?.span)) {
        const candles = keep(build ? build.push(page.bars) : page.bars);
        if (candles.length > 0) yield candles;
      }
    }
    if (build) {
      const last = keep(build.flush());
      if (last.length > 0) yield last;
    }
  }

  return {
    name: 'polygon',
    demo: false,
    budgets: [budget],
    timeframes: TIMEFRAMES,
    settleMs: Math.max(0, options.settleMs ?? DEFAULT_SETTLE_MS),
    earliest: () => undefined,
    fetchCandles,
    fetchActions,
    // As fetchCandles asks: one request per window (a window holds at most `limit` minutes, so
    // its bars fit one answer); daily bars in one window, paged by `limit` bars.
    planRequests({ symbol, timeframe, from, to, bars }) {
      if (!(from < to)) return 0;
      if (timeframe === '1d') return Math.max(1, Math.ceil(bars / pageLimit));
      return requestWindows(toPolygonTicker(symbol), timeframe, from.getTime(), to.getTime(), pageLimit).length;
    },
    // Splits, then dividends: one page each for all but the longest-listed tickers.
    actionRequests: (symbol) => (toPolygonTicker(symbol).includes(':') ? 0 : 2),
    // Ticker details answer 404 for a ticker Polygon has never listed: the typo a user meant to catch.
    async lookup(symbol, signal) {
      const ticker = toPolygonTicker(symbol);
      try {
        const found = await client.getJson({
          url: endpoint(`v3/reference/tickers/${encodeURIComponent(ticker).replace(/%3A/gi, ':')}`),
          parse: parseTickerDetails,
          signal,
          maxAttempts: 2,
          explainError: explainError(symbol, ticker),
        });
        return {
          exists: true,
          name: found.name,
          message: `Polygon lists ${found.ticker}${found.name ? `: ${found.name}` : ''}`,
        };
      } catch (error) {
        if (error instanceof ProviderError && error.status === 404) return { exists: false, message: error.message };
        throw error;
      }
    },
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
