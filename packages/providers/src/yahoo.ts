import { DAY_MS } from '@candlebase/calendar';
import { type Timeframe, timeframeMs } from '@candlebase/contracts';
import type { BudgetFactory } from './budget';
import { createJsonClient, type ErrorResponse } from './http';
import { memoryBudgets } from './memory-budget';
import type { RetryOptions } from './retry';
import type { FetchCandlesRequest, MarketDataProvider, ProviderAction, ProviderCandle } from './types';
import { ProviderError } from './types';
import {
  exchangeDate,
  INTRADAY_HISTORY_DAYS,
  splitActions,
  splitFactors,
  toCandle,
  YAHOO_INTERVALS,
} from './yahoo-bars';
import { type Chart, chartErrorDescription, parseChart, toYahooSymbol } from './yahoo-wire';

export { toYahooSymbol } from './yahoo-wire';

export const DEFAULT_YAHOO_BASE_URL = 'https://query2.finance.yahoo.com';

export interface YahooProviderOptions {
  baseUrl?: string;
  timeoutMs?: number;
  retry?: RetryOptions;
  /** The clock that decides which bars are still forming and how far back intraday history goes; tests pin it. */
  now?: () => number;
  /** Where the request budget is counted: this process (the default), or a store every process shares. */
  budget?: BudgetFactory;
  /** Requests per minute; Yahoo publishes no limit, so the default stays well under what users report it tolerates. */
  requestsPerMinute?: number;
}

const TIMEFRAMES = Object.keys(YAHOO_INTERVALS) as Timeframe[];
/** Days per request: each answer is one JSON document, so long ranges go in windows to stay streamed. */
const WINDOW_DAYS: Record<Timeframe, number> = { '5m': 10, '15m': 30, '1h': 180, '1d': 3650 };
// Yahoo refuses clients that do not look like a browser with 429s that no waiting cures.
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36';

/** Thrown by explainError when Yahoo wants a crumb; caught below, never shown. */
class CrumbNeeded extends ProviderError {}

export function createYahooProvider(options: YahooProviderOptions = {}): MarketDataProvider {
  const base = `${(options.baseUrl ?? DEFAULT_YAHOO_BASE_URL).replace(/\/+$/, '')}/`;
  const now = options.now ?? Date.now;
  // Yahoo limits by address, not by key: the host is what the budget is shared on.
  const budget = (options.budget ?? memoryBudgets)({
    provider: 'yahoo',
    key: new URL(base).host,
    limit: options.requestsPerMinute ?? 60,
    windowMs: 60_000,
    window: 'sliding',
    unit: 'requests',
  });
  const client = createJsonClient({
    provider: 'Yahoo Finance',
    timeoutMs: options.timeoutMs,
    retry: options.retry,
    headers: { 'user-agent': USER_AGENT },
    budget,
  });
  let session: { crumb: string; cookie: string | undefined } | undefined;
  let cookie: string | undefined;
  const keepCookie = (headers: Headers) => {
    const set = headers.getSetCookie?.() ?? [];
    if (set.length > 0) cookie = set.map((c) => c.split(';')[0]).join('; ');
  };

  function explainError(symbol: string) {
    return (response: ErrorResponse): ProviderError | undefined => {
      const { status } = response;
      const says = chartErrorDescription(response.body);
      if (status === 401 && (says === undefined || /crumb|unauthori[sz]ed/i.test(says))) {
        return new CrumbNeeded('Yahoo Finance asked for a crumb', { retryable: false, status });
      }
      if (status >= 400 && status < 500 && status !== 408 && status !== 429 && says) {
        const yahoo = toYahooSymbol(symbol);
        const asked = symbol === '' || yahoo === symbol ? '' : ` (${symbol} is ${yahoo} at Yahoo)`;
        return new ProviderError(`Yahoo Finance: ${says}${asked}`, { retryable: false, status });
      }
      return undefined;
    };
  }

  /** A crumb from the same base as the data, so a proxy or a fake can stand in for the whole service. */
  async function getCrumb(signal?: AbortSignal): Promise<void> {
    const crumb = await client.getJson({
      url: new URL('v1/test/getcrumb', base),
      text: true,
      parse: (body) => String(body).trim(),
      signal,
      headers: cookie ? { cookie } : undefined,
      onHeaders: keepCookie,
    });
    if (crumb === '' || /[{<\s]/.test(crumb)) {
      throw new ProviderError('Yahoo Finance did not hand out a crumb; try again later', { retryable: true });
    }
    session = { crumb, cookie };
  }

  async function chart(
    symbol: string,
    params: Record<string, string>,
    request: { signal?: AbortSignal | undefined; onRetry?: FetchCandlesRequest['onRetry'] },
  ): Promise<Chart> {
    for (let attempt = 0; ; attempt++) {
      const url = new URL(`v8/finance/chart/${encodeURIComponent(toYahooSymbol(symbol))}`, base);
      url.search = new URLSearchParams({ ...params, ...(session && { crumb: session.crumb }) }).toString();
      try {
        return await client.getJson({
          url,
          parse: parseChart,
          signal: request.signal,
          onRetry: request.onRetry,
          explainError: explainError(symbol),
          headers: (session?.cookie ?? cookie) ? { cookie: session?.cookie ?? cookie ?? '' } : undefined,
          onHeaders: keepCookie,
        });
      } catch (error) {
        if (!(error instanceof CrumbNeeded)) throw error;
        if (attempt > 0) {
          throw new ProviderError('Yahoo Finance refused our crumb twice (HTTP 401); try again later', {
            retryable: true,
            status: 401,
          });
        }
        await getCrumb(request.signal);
      }
    }
  }

  /** Splits and dividends from `fromMs` to now, ex-dates in the exchange's zone, amounts in raw per-share terms. */
  async function actionsSince(
    symbol: string,
    fromMs: number,
    request: { signal?: AbortSignal | undefined; onRetry?: FetchCandlesRequest['onRetry'] },
  ): Promise<ProviderAction[]> {
    // A coarse interval keeps the answer small: the events are what this request is for.
    const answer = await chart(
      symbol,
      {
        period1: String(Math.floor(fromMs / 1000) - 86_400),
        period2: String(Math.ceil(now() / 1000)),
        interval: '3mo',
        includePrePost: 'false',
        events: 'div|split',
      },
      request,
    );
    const splits = splitActions(answer);
    const factor = splitFactors(splits);
    const dividends = answer.dividends.map((d): ProviderAction => {
      const exDate = exchangeDate(d.date, answer.meta);
      return { exDate, kind: 'dividend', amount: d.amount * factor(exDate) };
    });
    return [...splits, ...dividends].sort((a, b) => a.exDate.localeCompare(b.exDate) || a.kind.localeCompare(b.kind));
  }

  /** Moves an intraday start up to what Yahoo still keeps, saying so; undefined when nothing is left. */
  function clampStart(request: FetchCandlesRequest, from: number, to: number): number | undefined {
    const days = INTRADAY_HISTORY_DAYS[request.timeframe];
    if (days === undefined) return from;
    const step = timeframeMs(request.timeframe);
    const oldest = Math.ceil((now() - (days - 1) * DAY_MS) / step) * step;
    if (from >= oldest) return from;
    const keeps = `Yahoo Finance keeps ${request.timeframe} bars for about the last ${days} days`;
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    if (to <= oldest) {
      request.onNotice?.(`${keeps}; nothing from ${day(from)} to ${day(to - 1)} is available there`);
      return undefined;
    }
    request.onNotice?.(`${keeps}: fetched from ${day(oldest)} instead of ${day(from)}`);
    return oldest;
  }

  async function* fetchCandles(request: FetchCandlesRequest): AsyncGenerator<ProviderCandle[]> {
    const to = request.to.getTime();
    const from = clampStart(request, request.from.getTime(), to);
    if (from === undefined || !(from < to)) return;
    const { timeframe } = request;
    const factor = splitFactors(await actionsSince(request.symbol, from, request));
    const daily = timeframe === '1d';
    // A daily bar is stamped at its session's open, which may be the UTC day before (Sydney), and a
    // 60m bar at the half hour before its slot: ask a little wider and keep what maps into [from, to).
    const margin = daily ? DAY_MS : timeframeMs(timeframe);
    const window = WINDOW_DAYS[timeframe] * DAY_MS;
    let lastTs = Number.NEGATIVE_INFINITY;
    for (let start = from - margin; start < to + (daily ? margin : 0); start += window) {
      const end = Math.min(start + window, to + (daily ? margin : 0));
      const answer = await chart(
        request.symbol,
        {
          period1: String(Math.floor(start / 1000)),
          period2: String(Math.ceil(end / 1000)),
          interval: YAHOO_INTERVALS[timeframe],
          includePrePost: 'false',
          events: 'div|split',
        },
        request,
      );
      const rules = { timeframe, nowMs: now(), factor };
      const candles: ProviderCandle[] = [];
      for (const bar of answer.bars) {
        const candle = toCandle(bar, answer.meta, rules);
        if (!candle || candle.ts < from || candle.ts >= to || candle.ts <= lastTs) continue;
        lastTs = candle.ts;
        candles.push(candle);
      }
      if (candles.length > 0) yield candles;
    }
  }

  return {
    name: 'yahoo',
    demo: false,
    timeframes: TIMEFRAMES,
    earliest: () => undefined,
    budgets: [budget],
    fetchCandles,
    // As fetchCandles asks: the split history once, then one chart request per window of the range.
    planRequests({ symbol, timeframe, from, to }) {
      const toMs = to.getTime();
      const fromMs = clampStart({ symbol, timeframe, from, to }, from.getTime(), toMs);
      if (fromMs === undefined || !(fromMs < toMs)) return 0;
      const daily = timeframe === '1d';
      const margin = daily ? DAY_MS : timeframeMs(timeframe);
      const span = toMs + (daily ? margin : 0) - (fromMs - margin);
      return 1 + Math.ceil(span / (WINDOW_DAYS[timeframe] * DAY_MS));
    },
    actionRequests: () => 1,
    async fetchActions({ symbol, from, to, signal }) {
      const fromDate = from.toISOString().slice(0, 10);
      const toDate = to.toISOString().slice(0, 10);
      const all = await actionsSince(symbol, from.getTime(), { signal });
      return all.filter((a) => a.exDate >= fromDate && a.exDate <= toDate);
    },
    async describeSymbol(symbol, signal) {
      const answer = await chart(symbol, { range: '1d', interval: '1d' }, { signal });
      return answer.meta.facts;
    },
    // The chart API answers 404 "No data found, symbol may be delisted" for a symbol it lacks.
    async lookup(symbol, signal) {
      try {
        const { name } = (await chart(symbol, { range: '1d', interval: '1d' }, { signal })).meta.facts ?? {};
        return { exists: true, name, message: `Yahoo Finance has ${symbol}${name ? `: ${name}` : ''}` };
      } catch (error) {
        if (error instanceof ProviderError && error.status === 404) return { exists: false, message: error.message };
        throw error;
      }
    },
    async ping(signal) {
      try {
        await client.getJson({
          url: new URL('v8/finance/chart/SPY?range=1d&interval=1d', base),
          parse: () => undefined,
          signal,
          maxAttempts: 1,
          headers: cookie ? { cookie } : undefined,
        });
      } catch (error) {
        // A 401 asking for a crumb is Yahoo answering: reachable, and the next fetch gets a crumb.
        if (error instanceof ProviderError && error.status === 401) return;
        throw error;
      }
    },
  };
}
