import { describe, expect, it } from 'vitest';
import { createProvider } from './factory';
import { type FakeServer, sendJson, startFakeServer } from './testing/fake-server';

describe('createProvider', () => {
  it('builds each provider by name', () => {
    expect(createProvider({ name: 'synthetic' })).toMatchObject({ name: 'synthetic', demo: true });
    expect(createProvider({ name: 'csv', csvDir: '/tmp/candles' })).toMatchObject({ demo: false });
    expect(createProvider({ name: 'polygon', polygonApiKey: 'k' })).toMatchObject({ name: 'polygon', demo: false });
    expect(createProvider({ name: 'binance' })).toMatchObject({ name: 'binance', demo: false });
    expect(createProvider({ name: 'yahoo' })).toMatchObject({ name: 'yahoo', demo: false });
    expect(createProvider({ name: 'ccxt:kraken' })).toMatchObject({ name: 'ccxt:kraken', demo: false });
  });

  it('refuses an exchange ccxt does not know, saying where the ids are', () => {
    expect(() => createProvider({ name: 'ccxt:nosuchexchange' })).toThrow(
      /ccxt has no exchange "nosuchexchange": use its lower-case id, such as ccxt:coinbase, ccxt:kraken or ccxt:binanceus/,
    );
  });

  it('says how long after a close the bars of each provider settle', () => {
    // Polygon folds late prints into recent bars for about 15 minutes; a Binance kline is final at its close.
    expect(createProvider({ name: 'polygon', polygonApiKey: 'k' }).settleMs).toBe(15 * 60_000);
    expect(createProvider({ name: 'polygon', polygonApiKey: 'k', polygonSettleMs: 120_000 }).settleMs).toBe(120_000);
    expect(createProvider({ name: 'binance' }).settleMs).toBe(0);
    expect(createProvider({ name: 'synthetic' }).settleMs ?? 0).toBe(0);
  });

  it('says which setting is missing', () => {
    expect(() => createProvider({ name: 'polygon' })).toThrow('MARKET_DATA_PROVIDER=polygon needs POLYGON_API_KEY');
    expect(() => createProvider({ name: 'polygon', polygonApiKey: '  ' })).toThrow('needs POLYGON_API_KEY');
    expect(() => createProvider({ name: 'csv' })).toThrow('MARKET_DATA_PROVIDER=csv needs CSV_DIR');
  });

  it('passes the configured base URLs on', async () => {
    const server: FakeServer = await startFakeServer((_req, res) => sendJson(res, 200, {}));
    try {
      await createProvider({ name: 'polygon', polygonApiKey: 'k', polygonBaseUrl: server.baseUrl }).ping();
      await createProvider({ name: 'binance', binanceBaseUrl: `${server.baseUrl}/` }).ping();
      await createProvider({ name: 'yahoo', yahooBaseUrl: server.baseUrl }).ping();
      expect(server.requests.map((r) => r.url.pathname)).toEqual([
        '/v1/marketstatus/now',
        '/api/v3/ping',
        '/v8/finance/chart/SPY',
      ]);
    } finally {
      await server.close();
    }
  });
});
