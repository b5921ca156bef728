export { type BinanceProviderOptions, createBinanceProvider, fromBinanceSymbol, toBinanceSymbol } from './binance';
export {
  type BudgetFactory,
  type BudgetSpec,
  type BudgetState,
  type BudgetUsage,
  bookPause,
  bookReported,
  bookSettled,
  decide,
  emptyState,
  prune,
  type RequestBudget,
  type Spend,
  usedAt,
} from './budget';
export { createCsvProvider } from './csv';
export { createProvider, PROVIDER_NAMES, type ProviderConfig, type ProviderName } from './factory';
export { type BudgetClock, createMemoryBudget, memoryBudgets } from './memory-budget';
export { createPolygonProvider, type PolygonProviderOptions, toPolygonTicker } from './polygon';
export type { RetryOptions } from './retry';
export { createSyntheticProvider } from './synthetic';
export {
  type FetchCandlesRequest,
  type MarketDataProvider,
  type ProviderCandle,
  ProviderError,
  type ProviderErrorOptions,
  type RetryInfo,
  type SymbolFacts,
} from './types';
