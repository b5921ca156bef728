import type { AssetClass, SessionPolicy, Timeframe } from '@candlebase/contracts';
import type { RequestBudget } from './budget';

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
  /**
   * The hours an equity series keeps (regular unless said). A provider whose own bars for a
   * timeframe straddle the regular open (Polygon's clock hours) builds them on the session's grid.
   */
  session?: SessionPolicy | undefined;
  /**
   * Told, in a sentence for people, when the source serves less than was asked without failing
   * (e.g. Yahoo keeps 5m bars for about 60 days, so an older start is moved up), or of what it did
   * to the data on the way (rows of a file it skipped). Each becomes a `unit_notice` event and
   * rides on the unit's completion message.
   */
  onNotice?: ((message: string) => void) | undefined;
}

/** What a backfill's preview asks a provider to count. */
export interface RequestPlan {
  symbol: string;
  timeframe: Timeframe;
  from: Date;
  to: Date;
  /** The bars the exchange calendar expects in [from, to). */
  bars: number;
}

/** A split or cash dividend as the source publishes it. `ratio` is new shares per old share (4 for a 4:1 split, 0.1 for a 1:10 reverse split); `amount` is cash per share in the symbol's currency. */
export interface ProviderAction {
  exDate: string /* YYYY-MM-DD */;
  kind: 'split' | 'dividend';
  ratio?: number;
  amount?: number;
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

/** A provider's answer to "do you have this symbol?". */
export interface SymbolLookupAnswer {
  exists: boolean;
  /** Why not, or what it is (the source's name for it), for the add dialog. */
  message: string;
  name?: string | undefined;
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
  /**
   * How long after a bar's interval ends (a daily bar's: its session's close) the source's values
   * for it are final. The engine stores no bar before then. 0 or absent: final at the close.
   */
  readonly settleMs?: number;
  /** The first instant the source has for this symbol and timeframe, where known; earlier requests are clamped. */
  earliest(symbol: string, timeframe: Timeframe): Date | undefined;
  fetchCandles(request: FetchCandlesRequest): AsyncIterable<ProviderCandle[]>;
  /** What the source knows of a symbol (asset class, name), where it knows anything. */
  describeSymbol?(symbol: string, signal?: AbortSignal): Promise<SymbolFacts | undefined>;
  /**
   * Whether the source has this symbol, where it can tell, in its own words for a `false`. Throws
   * (a ProviderError) when it could not answer (unreachable, a bad key); `symbols.add` then lets
   * the symbol in, as when a provider cannot tell at all.
   */
  lookup?(symbol: string, signal?: AbortSignal): Promise<SymbolLookupAnswer>;
  /** Splits and dividends with ex-dates in [from, to], where the source publishes them. */
  fetchActions?(request: { symbol: string; from: Date; to: Date; signal?: AbortSignal }): Promise<ProviderAction[]>;
  /**
   * The requests (or pages, for local sources) `fetchCandles` would make for [from, to), where
   * `bars` are expected: for a backfill's preview, without sending anything.
   */
  planRequests?(request: RequestPlan): number;
  /** The requests `fetchActions` makes for a symbol; 0 when it spends none. */
  actionRequests?(symbol: string): number;
  /** The request budgets this client spends, for `system.health`; none for local sources. */
  readonly budgets?: readonly RequestBudget[];
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
