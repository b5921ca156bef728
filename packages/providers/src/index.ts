export {
  type BinanceAliases,
  type BinanceProviderOptions,
  createBinanceProvider,
  fromBinanceSymbol,
  parseBinanceAliases,
  toBinanceSymbol,
} from './binance';
export { createCsvProvider } from './csv';
export { createProvider, PROVIDER_NAMES, type ProviderConfig, type ProviderName } from './factory';
export { createPolygonProvider, type PolygonProviderOptions, toPolygonTicker } from './polygon';
export type { RetryOptions } from './retry';
export { canonicalSymbol, NOTATIONS, type Notation, symbolShape, toProviderSymbol } from './symbol-notation';
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
