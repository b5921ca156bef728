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

  it('parses defaults and names every bad value', () => {
    expect(loadConfig({})).toMatchObject({
      HOST: '127.0.0.1',
      PORT: 3000,
      MARKET_DATA_PROVIDER: 'synthetic',
      WORKER_CONCURRENCY: 2,
    });
    expect(() => loadConfig({ MARKET_DATA_PROVIDER: 'yahoo' })).toThrow(
      'MARKET_DATA_PROVIDER must be one of synthetic, csv, polygon, binance (got "yahoo")',
    );
    expect(() => loadConfig({ MARKET_DATA_PROVIDER: 'polygon' })).toThrow(
      'MARKET_DATA_PROVIDER=polygon needs POLYGON_API_KEY',
    );
    expect(() => loadConfig({ WORKER_CONCURRENCY: '0' })).toThrow(/WORKER_CONCURRENCY must be an integer from 1 to 64/);
    expect(() => loadConfig({ MAX_RANGE_DAYS: '2h=3' })).toThrow(/MAX_RANGE_DAYS must look like/);
  });
});
