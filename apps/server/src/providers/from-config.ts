import { join } from 'node:path';
import {
  type BudgetFactory,
  createCsvProvider,
  createProvider,
  type MarketDataProvider,
  type ProviderName,
} from '@candlebase/providers';
import { type Config, ccxtSettings } from '../config';
import { ProviderRegistry } from './registry';

/** One provider by name, with this configuration's keys and URLs. */
export function providerFromConfig(
  config: Config,
  budget?: BudgetFactory,
  name: ProviderName = config.MARKET_DATA_PROVIDER,
): MarketDataProvider {
  return createProvider({
    name,
    csvDir: config.CSV_DIR,
    csvTimezone: config.CSV_TIMEZONE,
    polygonApiKey: config.POLYGON_API_KEY,
    polygonBaseUrl: config.POLYGON_BASE_URL,
    polygonRequestsPerMinute: config.POLYGON_REQUESTS_PER_MINUTE,
    polygonQuotaWindowMs: config.POLYGON_QUOTA_WINDOW_MS,
    polygonSettleMs: config.POLYGON_SETTLE_MINUTES * 60_000,
    binanceBaseUrl: config.BINANCE_BASE_URL,
    yahooBaseUrl: config.YAHOO_BASE_URL,
    binanceAliases: config.BINANCE_SYMBOL_ALIASES,
    budget,
  });
}

/** The names of every provider this configuration makes available, keyless ones always. */
export function configuredProviderNames(config: Config): ProviderName[] {
  const names: ProviderName[] = ['synthetic', 'binance', 'yahoo'];
  if (config.CSV_DIR) names.push('csv');
  if (config.POLYGON_API_KEY) names.push('polygon');
  for (const [, id] of ccxtSettings(config)) names.push(`ccxt:${id}`);
  return names;
}

export interface RegistryOverrides {
  /** Replaces the default provider (a test's client of a local fake); the rule's default becomes its name. */
  provider?: MarketDataProvider | undefined;
  /** More clients (or replacements by name), e.g. real clients pointed at local fakes. */
  providers?: readonly MarketDataProvider[] | undefined;
}

/**
 * Every configured provider at once. Clients are cheap to build (no request is sent before a
 * fetch); ccxt loads its library only when an exchange is named.
 */
export function registryFromConfig(
  config: Config,
  budget?: BudgetFactory,
  overrides: RegistryOverrides = {},
): ProviderRegistry {
  const byName = new Map<string, MarketDataProvider>();
  for (const name of configuredProviderNames(config)) {
    if (name === overrides.provider?.name) continue;
    byName.set(name, providerFromConfig(config, budget, name));
  }
  // The dashboard's uploads: a CSV provider of its own, so imported bars say `upload` as their source.
  byName.set(UPLOAD_PROVIDER, createCsvProvider({ dir: uploadSeriesDir(config), name: UPLOAD_PROVIDER }));
  for (const p of [...(overrides.providers ?? []), ...(overrides.provider ? [overrides.provider] : [])]) {
    byName.set(p.name, p);
  }
  return new ProviderRegistry(byName.values(), {
    default: overrides.provider?.name ?? config.MARKET_DATA_PROVIDER,
    crypto: config.CRYPTO_PROVIDER,
    equity: config.EQUITY_PROVIDER,
    fx: config.FX_PROVIDER,
  });
}

export const UPLOAD_PROVIDER = 'upload';

/** Where imported uploads live, one `SYMBOL_timeframe.csv` (and its `.json` zone) per series. */
export function uploadSeriesDir(config: Config): string {
  return join(config.UPLOAD_DIR, 'series');
}
