export { type BinanceProviderOptions, createBinanceProvider, fromBinanceSymbol, toBinanceSymbol } from './binance';
export { createCsvProvider } from './csv';
export { createProvider, PROVIDER_NAMES, type ProviderConfig, type ProviderName } from './factory';
export { createPolygonProvider, type PolygonProviderOptions, toPolygonTicker } from './polygon';
export type { RetryOptions } from './retry';
export { createSyntheticProvider } from './synthetic';
export {
  type FetchCandlesRequest,
  type MarketDataProvider,
  type ProviderAction,
  type ProviderCandle,
  ProviderError,
  type ProviderErrorOptions,
  type RetryInfo,
  type SymbolFacts,
} from './types';
