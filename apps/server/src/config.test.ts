import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

function startWith(env: Record<string, string>) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: res.status, stderr: res.stderr.trim() };
}

describe('configuration', () => {
  it('stops a start with a bad PORT: one clear line, non-zero exit', () => {
    const r = startWith({ PORT: 'abc' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Invalid configuration: PORT must be an integer from 0 to 65535 (got "abc")');
  });

  it('reads the hardening settings and refuses a malformed host list', () => {
    const c = loadConfig({ ALLOWED_HOSTS: 'candles.example.com, 10.0.0.5:3000 ,[fd00::1]' });
    expect(c.ALLOWED_HOSTS).toEqual(['candles.example.com', '10.0.0.5:3000', '[fd00::1]']);
    expect(c.HTTP_REQUEST_TIMEOUT_SECONDS).toBe(30);
    expect(c.HTTP_MAX_CONNECTIONS).toBe(4096);
    expect(() => loadConfig({ ALLOWED_HOSTS: 'https://candles.example.com/' })).toThrow(
      'Invalid configuration: ALLOWED_HOSTS must list host names such as candlebase.example.com or 10.0.0.5:3000, comma-separated',
    );
    expect(() => loadConfig({ HTTP_MAX_CONNECTIONS: '3' })).toThrow(/HTTP_MAX_CONNECTIONS must be an integer from 16/);
  });

  it('stops a start with a malformed DATABASE_URL', () => {
    const r = startWith({ DATABASE_URL: 'mysql:/nope' });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^Invalid configuration: DATABASE_URL must be a postgres:\/\/ URL/);
  });

  it('reads the replica and the direct URL beside DATABASE_URL, and refuses them malformed or alone', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://app@pgbouncer:6432/candles',
      DATABASE_READ_URL: ' postgres://app@replica:5432/candles ',
      DATABASE_LISTEN_URL: 'postgres://app@primary:5432/candles',
    });
    expect(c.DATABASE_READ_URL).toBe('postgres://app@replica:5432/candles');
    expect(c.DATABASE_LISTEN_URL).toBe('postgres://app@primary:5432/candles');
    const plain = loadConfig({ DATABASE_URL: 'postgres://app@db/candles', DATABASE_READ_URL: ' ' });
    expect([plain.DATABASE_READ_URL, plain.DATABASE_LISTEN_URL]).toEqual([undefined, undefined]);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://app@db/c', DATABASE_READ_URL: 'replica:5432' })).toThrow(
      'Invalid configuration: DATABASE_READ_URL must be a postgres:// URL such as postgres://user:password@replica.internal:5432/candlebase',
    );
    expect(() => loadConfig({ DATABASE_LISTEN_URL: 'postgres://app@primary/c' })).toThrow(
      'Invalid configuration: DATABASE_LISTEN_URL needs DATABASE_URL (the primary) beside it; the embedded PGlite database has no replicas or pooler',
    );
    expect(() => loadConfig({ DATABASE_READ_URL: 'postgres://app@replica/c' })).toThrow(
      /^Invalid configuration: DATABASE_READ_URL needs DATABASE_URL/,
    );
  });

  it('parses defaults and names every bad value', () => {
    expect(loadConfig({})).toMatchObject({
      HOST: '127.0.0.1',
      PORT: 3000,
      MARKET_DATA_PROVIDER: 'synthetic',
      WORKER_CONCURRENCY: 2,
      POLYGON_REQUESTS_PER_MINUTE: 5,
      POLYGON_QUOTA_WINDOW_MS: 60_000,
    });
    expect(() => loadConfig({ POLYGON_QUOTA_WINDOW_MS: '2.5s' })).toThrow(
      'POLYGON_QUOTA_WINDOW_MS must be an integer from 100 to 86400000 (got "2.5s")',
    );
    expect(() => loadConfig({ MARKET_DATA_PROVIDER: 'alpaca' })).toThrow(
      'MARKET_DATA_PROVIDER must be one of synthetic, csv, polygon, binance, yahoo or ccxt:<exchange id> such as ccxt:kraken (got "alpaca")',
    );
    expect(loadConfig({ MARKET_DATA_PROVIDER: 'yahoo' })).toMatchObject({
      MARKET_DATA_PROVIDER: 'yahoo',
      YAHOO_BASE_URL: 'https://query2.finance.yahoo.com',
    });
    expect(loadConfig({ MARKET_DATA_PROVIDER: 'ccxt:kraken' }).MARKET_DATA_PROVIDER).toBe('ccxt:kraken');
    expect(() => loadConfig({ MARKET_DATA_PROVIDER: 'ccxt:krakn' })).toThrow(
      /^Invalid configuration: MARKET_DATA_PROVIDER=ccxt:krakn: ccxt has no exchange "krakn": use its lower-case id, such as ccxt:coinbase/,
    );
    expect(() => loadConfig({ YAHOO_BASE_URL: 'query2.finance.yahoo.com' })).toThrow(
      'YAHOO_BASE_URL must be an http:// or https:// URL',
    );
    expect(() => loadConfig({ MARKET_DATA_PROVIDER: 'polygon' })).toThrow(
      'MARKET_DATA_PROVIDER=polygon needs POLYGON_API_KEY',
    );
    expect(() => loadConfig({ WORKER_CONCURRENCY: '0' })).toThrow(/WORKER_CONCURRENCY must be an integer from 1 to 64/);
    expect(() => loadConfig({ MAX_RANGE_DAYS: '2h=3' })).toThrow(/MAX_RANGE_DAYS must look like/);
    expect(() => loadConfig({ BINANCE_SYMBOL_ALIASES: 'BTC-USD' })).toThrow(
      /BINANCE_SYMBOL_ALIASES: "BTC-USD" is not SYMBOL=BINANCESYMBOL/,
    );
    expect(loadConfig({ BINANCE_SYMBOL_ALIASES: 'BTC-USD=BTCUSDT' }).BINANCE_SYMBOL_ALIASES.get('BTC-USD')).toBe(
      'BTCUSDT',
    );
    expect(loadConfig({}).BINANCE_SYMBOL_ALIASES.size).toBe(0);
  });

  it('takes CSV_TIMEZONE as an IANA zone, and names a wrong one', () => {
    expect(loadConfig({ CSV_TIMEZONE: ' America/New_York ' }).CSV_TIMEZONE).toBe('America/New_York');
    expect(loadConfig({}).CSV_TIMEZONE).toBeUndefined();
    expect(() => loadConfig({ CSV_TIMEZONE: 'EST5EDT-ish' })).toThrow(
      'Invalid configuration: CSV_TIMEZONE must be an IANA time zone such as America/New_York or Europe/Berlin',
    );
  });

  it('settle and re-read windows: defaults, and a bad value named', () => {
    expect(loadConfig({})).toMatchObject({
      POLYGON_SETTLE_MINUTES: 15,
      REFRESH_REREAD_MINUTES: 60,
      REFRESH_REREAD_SESSIONS: 2,
    });
    expect(loadConfig({ POLYGON_SETTLE_MINUTES: '0', REFRESH_REREAD_MINUTES: '0' })).toMatchObject({
      POLYGON_SETTLE_MINUTES: 0,
      REFRESH_REREAD_MINUTES: 0,
    });
    expect(() => loadConfig({ POLYGON_SETTLE_MINUTES: '-1' })).toThrow(/POLYGON_SETTLE_MINUTES must be an integer/);
    expect(() => loadConfig({ REFRESH_REREAD_SESSIONS: 'two' })).toThrow(/REFRESH_REREAD_SESSIONS must be an integer/);
  });
});
