import { type Timeframe, timeframeMs } from '@candlebase/contracts';
import { type BinanceAliases, toBinanceSymbol } from './binance-symbols';
import type { BudgetFactory } from './budget';
import { createJsonClient, type ErrorResponse, isRecord, MalformedResponseError } from './http';
import { memoryBudgets } from './memory-budget';
import { parseRetryAfter, type RetryOptions } from './retry';
import type { FetchCandlesRequest, MarketDataProvider, ProviderCandle } from './types';
import { ProviderError } from './types';

export { type BinanceAliases, fromBinanceSymbol, parseBinanceAliases, toBinanceSymbol } from './binance-symbols';

export interface BinanceProviderOptions {
  baseUrl?: string;
  timeoutMs?: number;
  retry?: RetryOptions;
  /** Binance's request-weight limit per IP and minute (6000 on api.binance.com). */
  maxWeightPerMinute?: number;
  /** The window that weight is counted over: a minute, unless a test wants it shorter. */
  weightWindowMs?: number;
  /** Where the weight budget is counted: this process (the default), or a store every process shares. */
  budget?: BudgetFactory;
  /** The clock that decides which klines are still open; tests pin it. */
  now?: () => number;
  /** Stored symbols kept under another Binance market (BTC-USD -> BTCUSDT); only these are renamed. */
  aliases?: BinanceAliases;
}

/** Binance's kline interval names happen to be ours; a Record so a new timeframe must be mapped. */
const INTERVALS: Record<Timeframe, string> = { '5m': '5m', '15m': '15m', '1h': '1h', '1d': '1d' };
const TIMEFRAMES = Object.keys(INTERVALS) as Timeframe[];
const PAGE_LIMIT = 1000;
const KLINES_WEIGHT = 2;
/** exchangeInfo costs 20 whether it asks for one symbol or all. */
const EXCHANGE_INFO_WEIGHT = 20;

interface Kline {
  candle: ProviderCandle;
  closeTime: number;
}

export function createBinanceProvider(options: BinanceProviderOptions = {}): MarketDataProvider {
  const base = `${(options.baseUrl ?? 'https://api.binance.com').replace(/\/+$/, '')}/`;
  const now = options.now ?? Date.now;
  const windowMs = options.weightWindowMs ?? 60_000;
  const budget = (options.budget ?? memoryBudgets)({
    provider: 'binance',
    // Binance limits weight per IP, not per key: the host is what the budget is shared on.
    key: new URL(base).host,
    limit: options.maxWeightPerMinute ?? 6000,
    windowMs,
    // Binance counts weight per clock minute (X-MBX-USED-WEIGHT-1M resets at each minute).
    window: 'clock',
    unit: 'weight',
    // Stopping at 90% leaves room for anything else on this IP, which counts against the same limit.
    usable: 0.9,
    // Our clock and Binance's differ a little; waiting a sixtieth of the window past the turn covers that.
    marginMs: Math.ceil(windowMs / 60),
  });
  const client = createJsonClient({
    provider: 'Binance',
    timeoutMs: options.timeoutMs,
    retry: options.retry,
    budget,
    usedFromHeaders: (headers) => {
      const header = headers.get('x-mbx-used-weight-1m');
      const value = header === null ? Number.NaN : Number(header);
      return Number.isFinite(value) ? value : undefined;
    },
  });

  async function* fetchCandles(request: FetchCandlesRequest): AsyncGenerator<ProviderCandle[]> {
    const from = request.from.getTime();
    const to = request.to.getTime();
    if (!(from < to)) return;
    const pair = toBinanceSymbol(request.symbol, options.aliases);
    const step = timeframeMs(request.timeframe);
    let cursor = from;
    while (cursor < to) {
      const url = new URL('api/v3/klines', base);
      url.search = new URLSearchParams({
        symbol: pair,
        interval: INTERVALS[request.timeframe],
        startTime: String(cursor),
        // endTime is inclusive of open times; -1 keeps the range half-open like ours.
        endTime: String(to - 1),
        limit: String(PAGE_LIMIT),
      }).toString();
      const rows = await client.getJson({
        url,
        cost: KLINES_WEIGHT,
        parse: parseKlines,
        signal: request.signal,
        onRetry: request.onRetry,
        explainError: explainError(request.symbol, pair),
      });
      const closedBefore = now();
      const candles: ProviderCandle[] = [];
      let reachedOpenKline = false;
      for (const { candle, closeTime } of rows) {
        // A kline that has not closed yet would be stored with a partial volume and never fixed.
        if (closeTime >= closedBefore) {
          reachedOpenKline = true;
          break;
        }
        if (candle.ts >= cursor && candle.ts < to) candles.push(candle);
      }
      if (candles.length > 0) yield candles;
      const last = rows.at(-1);
      if (reachedOpenKline || last === undefined || rows.length < PAGE_LIMIT) return;
      const next = last.candle.ts + step;
      if (next <= cursor) {
        throw new ProviderError('Binance sent klines older than asked for; stopping rather than looping', {
          retryable: false,
        });
      }
      cursor = next;
    }
  }

  return {
    name: 'binance',
    demo: false,
    budgets: [budget],
    timeframes: TIMEFRAMES,
    // A kline is final at its close time: Binance documents no later revision.
    settleMs: 0,
    earliest: () => undefined,
    fetchCandles,
    // Pages of 1000 klines until one comes back short or the range is read.
    planRequests: ({ from, to, bars }) => (from < to ? Math.max(1, Math.ceil(bars / PAGE_LIMIT)) : 0),
    // exchangeInfo for the one pair: 400 -1121 "Invalid symbol." when Binance does not list it.
    async lookup(symbol, signal) {
      let pair: string;
      try {
        pair = toBinanceSymbol(symbol, options.aliases);
      } catch (error) {
        // Not a pair Binance could list (a stock, a USD market): no request needed to say so.
        if (error instanceof ProviderError) return { exists: false, message: error.message };
        throw error;
      }
      try {
        const url = new URL('api/v3/exchangeInfo', base);
        url.searchParams.set('symbol', pair);
        const listed = await client.getJson({
          url,
          cost: EXCHANGE_INFO_WEIGHT,
          parse: (body) => parseExchangeInfo(body, pair),
          signal,
          maxAttempts: 2,
          explainError: explainError(symbol, pair),
        });
        const trading = listed.status === 'TRADING';
        return {
          exists: trading,
          message: trading ? `Binance lists ${pair}` : `Binance lists ${pair} but it is not trading (${listed.status})`,
        };
      } catch (error) {
        if (error instanceof ProviderError && error.status === 400) return { exists: false, message: error.message };
        throw error;
      }
    },
    async ping(signal) {
      await client.getJson({
        url: new URL('api/v3/ping', base),
        parse: () => undefined,
        signal,
        maxAttempts: 1,
        explainError: explainError('', ''),
      });
    },
  };
}

function explainError(symbol: string, pair: string) {
  return (response: ErrorResponse): ProviderError | undefined => {
    const { status, body } = response;
    if (status === 418) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      const lifts =
        retryAfterMs === undefined ? '' : `; the ban lifts in about ${Math.ceil(retryAfterMs / 60_000)} min`;
      return new ProviderError(`Binance has banned this IP address (HTTP 418) for sending too many requests${lifts}`, {
        retryable: false,
        status,
        retryAfterMs,
      });
    }
    if (status === 400 && isRecord(body) && body.code === -1121 && pair !== '') {
      const asked = pair === symbol ? '' : ` (asked for ${symbol})`;
      return new ProviderError(`Binance does not list ${pair}${asked}`, { retryable: false, status });
    }
    return undefined;
  };
}

/** exchangeInfo's entry for the pair asked about: `{ symbols: [{ symbol, status, ... }] }`. */
function parseExchangeInfo(body: unknown, pair: string): { status: string } {
  if (!isRecord(body) || !Array.isArray(body.symbols))
    throw new MalformedResponseError('expected "symbols" to be a list');
  const entry: unknown = body.symbols.find((s: unknown) => isRecord(s) && s.symbol === pair);
  if (!isRecord(entry) || typeof entry.status !== 'string') {
    throw new MalformedResponseError(`exchangeInfo has no entry for ${pair}`);
  }
  return { status: entry.status };
}

/** The klines layout: [openTime, open, high, low, close, volume, closeTime, quoteVolume, trades, ...], decimals as strings. */
function parseKlines(body: unknown): Kline[] {
  if (!Array.isArray(body)) throw new MalformedResponseError('expected a list of klines');
  return body.map((row: unknown, index) => {
    if (!Array.isArray(row) || row.length < 9) throw new MalformedResponseError(`kline ${index} is not a kline row`);
    const num = (at: number): number => {
      const value: unknown = row[at];
      const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof parsed !== 'number' || !Number.isFinite(parsed)) {
        throw new MalformedResponseError(`kline ${index} has no number at position ${at}`);
      }
      return parsed;
    };
    const volume = num(5);
    const quoteVolume = num(7);
    return {
      closeTime: num(6),
      candle: {
        ts: num(0),
        open: num(1),
        high: num(2),
        low: num(3),
        close: num(4),
        volume,
        // Binance gives no VWAP; quote volume over base volume is exactly that average price.
        vwap: volume > 0 ? quoteVolume / volume : null,
        trades: num(8),
      },
    };
  });
}
