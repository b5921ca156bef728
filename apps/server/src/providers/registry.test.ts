import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { registryFromConfig } from './from-config';

describe('the provider registry from configuration', () => {
  it('offers the keyless providers always, and csv, polygon and ccxt exchanges only when configured', () => {
    expect(registryFromConfig(loadConfig({})).names()).toEqual(['binance', 'synthetic', 'upload', 'yahoo']);
    const full = registryFromConfig(
      loadConfig({
        CSV_DIR: '/tmp',
        POLYGON_API_KEY: 'k',
        CCXT_EXCHANGES: 'kraken, coinbase',
        FX_PROVIDER: 'ccxt:kraken',
      }),
    );
    expect(full.names()).toEqual([
      'binance',
      'ccxt:coinbase',
      'ccxt:kraken',
      'csv',
      'polygon',
      'synthetic',
      'upload',
      'yahoo',
    ]);
  });

  it('gives each asset class the default unless CRYPTO_PROVIDER, EQUITY_PROVIDER or FX_PROVIDER says otherwise', () => {
    const registry = registryFromConfig(
      loadConfig({ MARKET_DATA_PROVIDER: 'synthetic', CRYPTO_PROVIDER: 'binance', EQUITY_PROVIDER: 'yahoo' }),
    );
    expect((['equity', 'etf', 'index', 'crypto', 'fx'] as const).map((c) => registry.forAssetClass(c))).toEqual([
      'yahoo',
      'yahoo',
      'yahoo',
      'binance',
      'synthetic',
    ]);
    expect(registry.default.name).toBe('synthetic');
    expect(registry.ruleFor('binance')).toEqual(['crypto']);
  });

  it('refuses bad provider settings at start, each in one sentence', () => {
    expect(() => loadConfig({ CRYPTO_PROVIDER: 'coinbase' })).toThrow(
      'CRYPTO_PROVIDER must be one of synthetic, csv, polygon, binance, yahoo or ccxt:<exchange id> such as ccxt:kraken (got "coinbase")',
    );
    expect(() => loadConfig({ EQUITY_PROVIDER: 'polygon' })).toThrow(
      'Invalid configuration: EQUITY_PROVIDER=polygon needs POLYGON_API_KEY',
    );
    expect(() => loadConfig({ FX_PROVIDER: 'csv' })).toThrow(
      'Invalid configuration: FX_PROVIDER=csv needs CSV_DIR (a folder of CSV files)',
    );
    expect(() => loadConfig({ CRYPTO_PROVIDER: 'ccxt:krakn' })).toThrow(
      /^Invalid configuration: CRYPTO_PROVIDER=ccxt:krakn: ccxt has no exchange "krakn"/,
    );
    expect(() => loadConfig({ CCXT_EXCHANGES: 'kraken,Bit Stamp' })).toThrow(
      'CCXT_EXCHANGES must list ccxt exchange ids separated by commas, such as kraken,coinbase (got "Bit Stamp")',
    );
  });
});
