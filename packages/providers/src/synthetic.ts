import { TIMEFRAME_LIST, TIMEFRAMES, type Timeframe } from '@candlebase/contracts';
import { syntheticActions, unadjust } from './synthetic-actions';
import { createSyntheticCursor } from './synthetic-aggregate';
import { buildSymbolModel, type SymbolModel } from './synthetic-model';
import { type FetchCandlesRequest, type MarketDataProvider, type ProviderCandle, ProviderError } from './types';

/**
 * The offline default: deterministic, realistic demo data. Each symbol's prices are a pure
 * function of time seeded by its name (see synthetic-path.ts), so a bar is identical whichever
 * range, page or process produced it, and re-running a backfill inserts nothing new. Equities
 * trade NYSE sessions (holidays, early closes, DST), crypto around the clock, and only bars that
 * have closed by `now()` exist. Coarser timeframes are built from the 5-minute bars, so they agree
 * with them exactly (see synthetic-aggregate.ts).
 */
export interface SyntheticProviderOptions {
  /**
   * Candles per page; 10,000 by default. Each page is one write transaction for the engine, and
   * its fixed cost (a handful of round trips) made 5,000-candle pages 15% slower to ingest; the
   * worker peak RSS rose 225 -> 240 MB (bench/README.md).
   */
  pageSize?: number;
  /** The clock that decides which bars have closed; tests pin it. */
  now?: () => number;
}

const EARLIEST_MS = Date.UTC(2000, 0, 1);
const DEFAULT_PAGE_SIZE = 10_000;
const MODEL_CACHE_LIMIT = 1000;

export function createSyntheticProvider(options: SyntheticProviderOptions = {}): MarketDataProvider {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new RangeError(`pageSize must be a positive whole number, got ${pageSize}`);
  }
  const now = options.now ?? Date.now;
  const models = new Map<string, SymbolModel>();

  const modelFor = (symbol: string): SymbolModel => {
    const key = symbol.trim().toUpperCase();
    let model = models.get(key);
    if (model === undefined) {
      if (models.size >= MODEL_CACHE_LIMIT) models.clear();
      model = buildSymbolModel(key);
      models.set(key, model);
    }
    return model;
  };

  async function* fetchCandles(request: FetchCandlesRequest): AsyncGenerator<ProviderCandle[]> {
    const { symbol, timeframe, from, to, signal } = request;
    signal?.throwIfAborted();
    if (!Object.hasOwn(TIMEFRAMES, timeframe)) {
      throw new ProviderError(`The synthetic provider has no ${String(timeframe)} bars`, { retryable: false });
    }
    const fromMs = Math.max(from.getTime(), EARLIEST_MS);
    const toMs = to.getTime();
    if (Number.isNaN(fromMs) || Number.isNaN(toMs)) {
      throw new ProviderError('The requested range has an invalid date', { retryable: false });
    }
    if (symbol.trim() === '') throw new ProviderError('No symbol given', { retryable: false });

    const model = modelFor(symbol);
    // An extended-hours equity series trades 04:00-20:00 New York on the same days.
    const hours =
      request.session === 'extended' && model.calendar === 'nyse'
        ? { ...model, calendar: 'nyse-extended' as const }
        : model;
    const cursor = createSyntheticCursor(hours, timeframe, fromMs, toMs, now());
    for (;;) {
      const page = cursor.nextPage(pageSize);
      if (page.length === 0) return;
      yield unadjust(symbol, timeframe, page);
      signal?.throwIfAborted();
    }
  }

  return {
    name: 'synthetic',
    demo: true,
    timeframes: TIMEFRAME_LIST,
    earliest: (_symbol: string, _timeframe: Timeframe) => new Date(EARLIEST_MS),
    fetchCandles,
    planRequests: ({ bars }) => Math.ceil(bars / pageSize),
    actionRequests: () => 0,
    // Generated data exists for any name, so this cannot catch a typo; it says so rather than vouch for it.
    lookup: async (symbol: string) => ({
      exists: true,
      message: `Demo data: the synthetic provider makes up prices for any well-formed symbol, so it cannot tell whether ${symbol} is real`,
    }),
    fetchActions: async ({ symbol, from, to, signal }) => {
      signal?.throwIfAborted();
      return syntheticActions(symbol, from, to);
    },
    async ping(signal?: AbortSignal) {
      signal?.throwIfAborted();
    },
  };
}
