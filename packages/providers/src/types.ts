import type { AssetClass, Timeframe } from '@candlebase/contracts';

/** One bar as a provider hands it over. `ts` is the bar's open, epoch milliseconds UTC. */
export interface ProviderCandle {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  vwap: number | null;
  trades: number | null;
}

export interface RetryInfo {
  attempt: number;
  delayMs: number;
  reason: string;
}

export interface FetchCandlesRequest {
  symbol: string;
  timeframe: Timeframe;
  /** Bars whose open is in [from, to) are wanted. */
  from: Date;
  to: Date;
  signal?: AbortSignal | undefined;
  /** Told of each retry the provider makes on its own (429, 5xx, network errors). */
  onRetry?: ((info: RetryInfo) => void) | undefined;
}

export interface SymbolFacts {
  name?: string;
  assetClass?: AssetClass;
  exchange?: string;
  currency?: string;
}

/** A split or cash dividend as the source publishes it. `ratio` is new shares per old share (4 for a 4:1 split, 0.1 for a 1:10 reverse split); `amount` is cash per share in the symbol's currency. */
export interface ProviderAction {
  exDate: string /* YYYY-MM-DD */;
  kind: 'split' | 'dividend';
  ratio?: number;
  amount?: number;
}

/**
 * The one interface every market-data source implements. `fetchCandles` yields pages in
 * ascending time and never holds the whole range in memory; it stops promptly when `signal`
 * aborts (by throwing the signal's reason).
 */
export interface MarketDataProvider {
  readonly name: string;
  /** True for generated data, which the UI labels "demo data". */
  readonly demo: boolean;
  readonly timeframes: readonly Timeframe[];
  /** The first instant the source has for this symbol and timeframe, where known; earlier requests are clamped. */
  earliest(symbol: string, timeframe: Timeframe): Date | undefined;
  fetchCandles(request: FetchCandlesRequest): AsyncIterable<ProviderCandle[]>;
  /** What the source knows of a symbol (asset class, name), where it knows anything. */
  describeSymbol?(symbol: string, signal?: AbortSignal): Promise<SymbolFacts | undefined>;
  /** Splits and dividends with ex-dates in [from, to], where the source publishes them. */
  fetchActions?(request: { symbol: string; from: Date; to: Date; signal?: AbortSignal }): Promise<ProviderAction[]>;
  /** Resolves when the source answers; for the "provider reachable" check. */
  ping(signal?: AbortSignal): Promise<void>;
}

export interface ProviderErrorOptions {
  retryable: boolean;
  status?: number | undefined;
  retryAfterMs?: number | undefined;
  cause?: unknown;
}

/** A provider's failure, with whether trying again later can help. Messages are for people. */
export class ProviderError extends Error {
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: ProviderErrorOptions) {
    super(message, { cause: options.cause });
    this.name = 'ProviderError';
    this.retryable = options.retryable;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}
