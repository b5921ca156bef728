import { createBinanceProvider } from './binance';
import { createCsvProvider } from './csv';
import { createPolygonProvider } from './polygon';
import { createSyntheticProvider } from './synthetic';
import type { MarketDataProvider } from './types';

export const PROVIDER_NAMES = ['synthetic', 'csv', 'polygon', 'binance'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** What the server's config module hands over; env is read there, never here. */
export interface ProviderConfig {
  name: ProviderName;
  csvDir?: string;
  polygonApiKey?: string;
  polygonBaseUrl?: string;
  polygonRequestsPerMinute?: number;
  polygonSettleMs?: number;
  binanceBaseUrl?: string;
}

/** The configured provider; fails at start-up, in words, when a setting it needs is missing. */
export function createProvider(config: ProviderConfig): MarketDataProvider {
  switch (config.name) {
    case 'synthetic':
      return createSyntheticProvider();
    case 'csv': {
      const dir = config.csvDir?.trim();
      if (!dir) throw new Error('MARKET_DATA_PROVIDER=csv needs CSV_DIR (a folder of CSV files)');
      return createCsvProvider({ dir });
    }
    case 'polygon': {
      const apiKey = config.polygonApiKey?.trim();
      if (!apiKey) throw new Error('MARKET_DATA_PROVIDER=polygon needs POLYGON_API_KEY');
      return createPolygonProvider({
        apiKey,
        baseUrl: config.polygonBaseUrl,
        requestsPerMinute: config.polygonRequestsPerMinute,
        settleMs: config.polygonSettleMs,
      });
    }
    case 'binance':
      return createBinanceProvider({ baseUrl: config.binanceBaseUrl });
    default: {
      const unknown: never = config.name;
      throw new Error(`Unknown market-data provider "${String(unknown)}": use one of ${PROVIDER_NAMES.join(', ')}`);
    }
  }
}
