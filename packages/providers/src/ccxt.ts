import { createRequire } from 'node:module';
import { TIMEFRAME_LIST, timeframeMs } from '@candlebase/contracts';
import type * as Ccxt from 'ccxt';
import type { BudgetFactory } from './budget';
import { isTransient, retryAfterOf, toProviderError } from './ccxt-errors';
import { memoryBudgets } from './memory-budget';
import { parsePair } from './pairs';
import { backoffDelay, type RetryOptions, resolveRetryOptions } from './retry';
import { abortable, sleep } from './sleep';
import type { FetchCandlesRequest, MarketDataProvider, ProviderCandle } from './types';
import { ProviderError } from './types';

type CcxtModule = typeof Ccxt;

let loaded: CcxtModule | undefined;

/**
 * ccxt bundles every exchange it supports (1-2 s and about 100 MB to load), so it is loaded only
 * when a ccxt provider is configured, and synchronously, so a bad exchange id fails at start-up.
 */
function loadCcxt(): CcxtModule {
  loaded ??= createRequire(import.meta.url)('ccxt') as CcxtModule;
  return loaded;
}

function exchangeIds(ccxt: CcxtModule): string[] {
  const list: unknown = ccxt.exchanges;
  return Array.isArray(list) ? list.map(String) : Object.keys(ccxt.exchanges);
}

/** Why `ccxt:<id>` cannot work, in a sentence, or undefined when it can. */
export function ccxtExchangeProblem(id: string): string | undefined {
  const ccxt = loadCcxt();
  if (!exchangeIds(ccxt).includes(id)) {
    return (
      `ccxt has no exchange "${id}": use its lower-case id, such as ccxt:coinbase, ccxt:kraken or ccxt:binanceus ` +
      `(the full list: node -e "console.log(require('ccxt').exchanges.join(' '))" in packages/providers, ` +
      'or https://docs.ccxt.com/#/Exchange-Markets)'
    );
  }
  const Exchange = (ccxt as unknown as Record<string, new (config?: object) => Ccxt.Exchange>)[id];
  if (Exchange && !new Exchange().has.fetchOHLCV)
    return `ccxt's ${id} cannot fetch OHLCV candles; choose another exchange`;
  return undefined;
}

export interface CcxtProviderOptions {
  /** ccxt's id of the exchange: coinbase, kraken, binanceus, ... */
  exchangeId: string;
  /**
   * Replaces the scheme and host of every REST URL of the exchange, paths kept (a proxy, or a test's
   * fake exchange); none of the exchange's own hosts is called then.
   */
  baseUrl?: string;
  /** Milliseconds between requests; the exchange's own `rateLimit` by default. */
  rateLimitMs?: number;
  /** Candles asked per request; 300 suits every exchange we know (Coinbase's cap). */
  pageLimit?: number;
  timeoutMs?: number;
  retry?: RetryOptions;
  /** The clock that decides which candle is still open; tests pin it. */
  now?: () => number;
  /** Where the exchange's request budget is counted: this process (the default), or a store every process shares. */
  budget?: BudgetFactory;
}

/** BTC-USD (ours) to BTC/USD (ccxt's unified symbol); one already in ccxt's form passes through. */
export function toCcxtSymbol(symbol: string): string | undefined {
  const upper = symbol.trim().toUpperCase();
  if (upper.includes('/')) return upper;
  const pair = parsePair(upper, { anyQuote: true });
  return pair ? `${pair.base}/${pair.quote}` : undefined;
}

function withBase(urls: unknown, base: string): unknown {
  if (typeof urls === 'string') return urls.replace(/^https?:\/\/[^/]+/, base);
  if (typeof urls !== 'object' || urls === null) return urls;
  return Object.fromEntries(Object.entries(urls).map(([k, v]) => [k, withBase(v, base)]));
}

export function createCcxtProvider(options: CcxtProviderOptions): MarketDataProvider {
  const { exchangeId } = options;
  const problem = ccxtExchangeProblem(exchangeId);
  if (problem) throw new Error(problem);
  const ccxt = loadCcxt();
  const Exchange = (ccxt as unknown as Record<string, new (config?: object) => Ccxt.Exchange>)[exchangeId];
  if (!Exchange) throw new Error(`ccxt has no exchange "${exchangeId}"`);
  const probe = new Exchange();
  const exchange = new Exchange({
    enableRateLimit: true,
    ...(options.rateLimitMs !== undefined && { rateLimit: options.rateLimitMs }),
    ...(options.timeoutMs !== undefined && { timeout: options.timeoutMs }),
    // Markets are all we need; currency lists cost a request and, on some exchanges, an API key.
    has: { fetchCurrencies: false },
    ...(options.baseUrl && {
      hostname: new URL(options.baseUrl).host,
      urls: { ...probe.urls, api: withBase(probe.urls.api, options.baseUrl.replace(/\/+$/, '')) },
    }),
  });
  const now = options.now ?? Date.now;
  const pageLimit = Math.max(1, options.pageLimit ?? 300);
  const retry = resolveRetryOptions(options.retry);
  const name = `ccxt:${exchangeId}`;
  // ccxt's own token bucket lets two requests through back to back after a pause; this budget keeps
  // every window of `rateLimit` ms to one request, as the exchange may count it, and (given the
  // shared store) holds every process on the database to it.
  const budget = (options.budget ?? memoryBudgets)({
    provider: name,
    key: exchangeId,
    limit: 1,
    windowMs: Math.max(1, exchange.rateLimit ?? 1),
    window: 'sliding',
    unit: 'requests',
  });
  const timeframes = TIMEFRAME_LIST.filter((tf) => tf in (exchange.timeframes ?? {}));

  // ccxt keeps a failed markets load as its answer until asked to reload; ask after each failure.
  let marketsFailed = false;
  async function loadMarkets(): Promise<void> {
    try {
      await exchange.loadMarkets(marketsFailed);
      marketsFailed = false;
    } catch (error) {
      marketsFailed = true;
      throw error;
    }
  }

  /** One ccxt call with our retries around it: ccxt throttles, but leaves retrying to its caller. */
  async function call<T>(
    run: () => Promise<T>,
    request: Pick<FetchCandlesRequest, 'signal' | 'onRetry'>,
    context: { symbol: string; market: string },
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      request.signal?.throwIfAborted();
      try {
        const spend = await budget.take(1, request.signal);
        try {
          return await abortable(run(), request.signal);
        } finally {
          await spend.settle().catch(() => undefined);
        }
      } catch (error) {
        if (request.signal?.aborted) throw request.signal.reason;
        if (!isTransient(ccxt, error) || attempt >= retry.maxAttempts)
          throw toProviderError(ccxt, exchange, error, context);
        const retryAfterMs = retryAfterOf(exchange);
        if (retryAfterMs !== undefined && retryAfterMs > retry.maxRetryAfterMs)
          throw toProviderError(ccxt, exchange, error, context);
        const delayMs = retryAfterMs ?? backoffDelay(attempt, retry);
        request.onRetry?.({
          attempt,
          delayMs,
          reason: error instanceof Error ? error.message.slice(0, 200) : String(error),
        });
        await sleep(delayMs, request.signal);
      }
    }
  }

  async function* fetchCandles(request: FetchCandlesRequest): AsyncGenerator<ProviderCandle[]> {
    const from = request.from.getTime();
    const to = request.to.getTime();
    if (!(from < to)) return;
    const market = toCcxtSymbol(request.symbol);
    const context = { symbol: request.symbol, market: market ?? request.symbol };
    if (!market) {
      throw new ProviderError(
        `${exchange.name ?? exchangeId} trades currency pairs such as BTC-USD; ${request.symbol} is not one`,
        {
          retryable: false,
        },
      );
    }
    if (!timeframes.includes(request.timeframe)) {
      const offered = Object.keys(exchange.timeframes ?? {}).join(', ');
      throw new ProviderError(
        `${exchange.name ?? exchangeId} has no ${request.timeframe} candles (it offers ${offered || 'none'})`,
        {
          retryable: false,
        },
      );
    }
    if (!exchange.markets) await call(loadMarkets, request, context);
    const step = timeframeMs(request.timeframe);
    const first = Math.ceil(from / step) * step;
    let cursor = first;
    while (cursor < to && cursor + step <= now()) {
      const since = cursor;
      const rows = await call(() => exchange.fetchOHLCV(market, request.timeframe, since, pageLimit), request, context);
      const closedBefore = now();
      const earliest = rows[0]?.[0];
      // Say so when the exchange starts later than asked (Kraken keeps 720 frames; a pair listed later).
      if (since === first && typeof earliest === 'number' && earliest > since)
        request.onNotice?.(lateStart(request, since, earliest, to));
      const candles: ProviderCandle[] = [];
      let reachedOpen = false;
      let reachedEnd = false;
      for (const [ts, open, high, low, close, volume] of rows) {
        if (typeof ts === 'number' && ts >= to) reachedEnd = true;
        if (typeof ts !== 'number' || ts < cursor || ts >= to) continue;
        // The candle still open would be stored with a partial volume and never fixed.
        if (ts + step > closedBefore) {
          reachedOpen = true;
          break;
        }
        if (open == null || high == null || low == null || close == null) continue;
        candles.push({ ts, open, high, low, close, volume: volume ?? 0, vwap: null, trades: null });
      }
      if (candles.length > 0) yield candles;
      const last = candles.at(-1);
      // A candle at or after `to` means the exchange has nothing more inside the range (some, like
      // Kraken, answer an old `since` with their most recent candles only).
      if (reachedOpen || reachedEnd) return;
      // An empty page is a stretch without trades (exchanges send no candle then), not the end.
      const next = last ? last.ts + step : since + pageLimit * step;
      if (next <= cursor)
        throw new ProviderError(`${name} sent candles older than asked for; stopping rather than looping`, {
          retryable: false,
        });
      cursor = next;
    }
  }

  function lateStart(request: FetchCandlesRequest, since: number, earliest: number, to: number): string {
    const at = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
    const who = `${exchange.name ?? exchangeId} sent no ${request.timeframe} candles`;
    return earliest >= to
      ? `${who} in the range: the earliest it has now is ${at(earliest)}`
      : `${who} before ${at(earliest)} (asked from ${at(since)})`;
  }

  return {
    name,
    demo: false,
    timeframes,
    earliest: () => undefined,
    budgets: [budget],
    fetchCandles,
    async ping(signal) {
      // A cheap request that reaches the exchange each time (loaded markets are kept).
      const reach = exchange.has.fetchTime ? exchange.fetchTime() : exchange.loadMarkets(true);
      await abortable<unknown>(reach, signal).catch((error: unknown) => {
        throw toProviderError(ccxt, exchange, error, { symbol: '', market: '' });
      });
    },
  };
}
