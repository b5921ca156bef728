export {
  type BinanceAliases,
  type BinanceProviderOptions,
  createBinanceProvider,
  fromBinanceSymbol,
  parseBinanceAliases,
  toBinanceSymbol,
} from './binance';
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
export { type CcxtProviderOptions, ccxtExchangeProblem, createCcxtProvider, toCcxtSymbol } from './ccxt';
export { type CsvProvider, type CsvProviderOptions, createCsvProvider } from './csv';
export { CSV_LAYOUTS, type CsvLayoutName } from './csv-layouts';
export {
  type CsvFile,
  type CsvFileOptions,
  type CsvInspection,
  type CsvLineNote,
  type CsvPagesOptions,
  type CsvReport,
  inspectCsvFile,
  parseCsvFile,
} from './csv-parse';
export { isTimeZone } from './csv-time';
export { ccxtExchangeId, createProvider, PROVIDER_NAMES, type ProviderConfig, type ProviderName } from './factory';
export { type BudgetClock, createMemoryBudget, memoryBudgets } from './memory-budget';
export { createPolygonProvider, type PolygonProviderOptions, toPolygonTicker } from './polygon';
export { backoffDelay, parseRetryAfter, type RetryOptions } from './retry';
export { canonicalSymbol, NOTATIONS, type Notation, symbolShape, toProviderSymbol } from './symbol-notation';
export { createSyntheticProvider } from './synthetic';
export {
  type FetchCandlesRequest,
  type MarketDataProvider,
  type ProviderAction,
  type ProviderCandle,
  ProviderError,
  type ProviderErrorOptions,
  type RequestPlan,
  type RetryInfo,
  type SymbolFacts,
} from './types';
export { createYahooProvider, DEFAULT_YAHOO_BASE_URL, toYahooSymbol, type YahooProviderOptions } from './yahoo';
