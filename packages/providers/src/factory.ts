import { createBinanceProvider } from './binance';
import type { BudgetFactory } from './budget';
import { createCcxtProvider } from './ccxt';
import { createCsvProvider } from './csv';
import { createPolygonProvider } from './polygon';
import { createSyntheticProvider } from './synthetic';
import type { MarketDataProvider } from './types';
import { createYahooProvider } from './yahoo';

/** The providers with a fixed name; `ccxt:<exchange id>` adds one per exchange ccxt supports. */
export const PROVIDER_NAMES = ['synthetic', 'csv', 'polygon', 'binance', 'yahoo'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number] | `ccxt:${string}`;

/** The exchange id of `ccxt:<id>`, or undefined for any other provider name. */
export function ccxtExchangeId(name: string): string | undefined {
  return name.startsWith('ccxt:') ? name.slice('ccxt:'.length) : undefined;
}

/** What the server's config module hands over; env is read there, never here. */
export interface ProviderConfig {
  name: ProviderName;
  csvDir?: string;
  /** CSV_TIMEZONE: the zone of CSV times written without one. */
  csvTimezone?: string;
  polygonApiKey?: string;
  polygonBaseUrl?: string;
  polygonRequestsPerMinute?: number;
  /** The window Polygon's budget counts over: a minute, shorter only for tests or plans that say so. */
  polygonQuotaWindowMs?: number;
  polygonSettleMs?: number;
  binanceBaseUrl?: string;
  yahooBaseUrl?: string;
  /** Stored symbols kept under another Binance market (BTC-USD -> BTCUSDT). */
  binanceAliases?: ReadonlyMap<string, string>;
  /** Where request budgets are counted; each client in its own memory unless given. */
  budget?: BudgetFactory;
}

/** The configured provider; fails at start-up, in words, when a setting it needs is missing. */
export function createProvider(config: ProviderConfig): MarketDataProvider {
  const exchangeId = ccxtExchangeId(config.name);
  if (exchangeId !== undefined) return createCcxtProvider({ exchangeId, budget: config.budget });
  switch (config.name) {
    case 'synthetic':
      return createSyntheticProvider();
    case 'csv': {
      const dir = config.csvDir?.trim();
      if (!dir) throw new Error('MARKET_DATA_PROVIDER=csv needs CSV_DIR (a folder of CSV files)');
      return createCsvProvider({ dir, timezone: config.csvTimezone });
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
        settleMs: config.polygonSettleMs,
      });
    }
    case 'binance':
      return createBinanceProvider({
        baseUrl: config.binanceBaseUrl,
        aliases: config.binanceAliases,
        budget: config.budget,
      });
    case 'yahoo':
      return createYahooProvider({ baseUrl: config.yahooBaseUrl, budget: config.budget });
    default: {
      throw new Error(
        `Unknown market-data provider "${String(config.name)}": use one of ${PROVIDER_NAMES.join(', ')} or ccxt:<exchange id>`,
      );
    }
  }
}
