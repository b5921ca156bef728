import { createBinanceProvider } from './binance';
import type { BudgetFactory } from './budget';
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
  /** The window Polygon's budget counts over: a minute, shorter only for tests or plans that say so. */
  polygonQuotaWindowMs?: number;
  binanceBaseUrl?: string;
  /** Where request budgets are counted; each client in its own memory unless given. */
  budget?: BudgetFactory;
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
        rateWindowMs: config.polygonQuotaWindowMs,
        budget: config.budget,
      });
    }
    case 'binance':
      return createBinanceProvider({ baseUrl: config.binanceBaseUrl, budget: config.budget });
    default: {
      const unknown: never = config.name;
      throw new Error(`Unknown market-data provider "${String(unknown)}": use one of ${PROVIDER_NAMES.join(', ')}`);
    }
  }
}
