import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBinanceProvider } from './binance';
import { createCsvProvider } from './csv';
import { createPolygonProvider } from './polygon';
import { createSyntheticProvider } from './synthetic';
import { CSV_FIXTURES } from './testing/csv-fixtures';
import { binanceKlines } from './testing/fake-binance';
import { polygonAggs } from './testing/fake-polygon';
import { type FakeServer, sendJson, startFakeServer } from './testing/fake-server';
import { yahooChart } from './testing/fake-yahoo';
import { createYahooProvider } from './yahoo';

const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 5 };
const NOW = Date.UTC(2024, 2, 15, 18, 0);

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('looking a symbol up before it is added', () => {
  it('Polygon: ticker details list a real ticker by name and answer 404 for a typo', async () => {
    server = await startFakeServer(polygonAggs({ apiKey: 'k', pageSize: 10, unlisted: ['ZZQQNOTREAL'] }));
    const polygon = createPolygonProvider({ apiKey: 'k', baseUrl: server.baseUrl, retry: FAST_RETRY });
    expect(await polygon.lookup?.('AAPL')).toEqual({
      exists: true,
      name: 'AAPL Fake Inc.',
      message: 'Polygon lists AAPL: AAPL Fake Inc.',
    });
    expect(await polygon.lookup?.('ZZQQNOTREAL')).toEqual({
      exists: false,
      message: 'Polygon does not know the ticker ZZQQNOTREAL',
    });
    expect(server.requests.map((r) => r.url.pathname)).toEqual([
      '/v3/reference/tickers/AAPL',
      '/v3/reference/tickers/ZZQQNOTREAL',
    ]);
  });

  it('Polygon: a rejected key is no answer about the symbol, so it throws rather than say "unknown"', async () => {
    server = await startFakeServer(polygonAggs({ apiKey: 'right', pageSize: 10 }));
    const polygon = createPolygonProvider({ apiKey: 'wrong', baseUrl: server.baseUrl, retry: FAST_RETRY });
    await expect(polygon.lookup?.('AAPL')).rejects.toThrow(/rejected the API key/);
  });

  it('Yahoo: the chart API names a listed symbol and says "No data found" for an unknown one', async () => {
    server = await startFakeServer(
      yahooChart({
        now: NOW,
        symbols: {
          AAPL: {
            instrumentType: 'EQUITY',
            currency: 'USD',
            exchangeName: 'NMS',
            fullExchangeName: 'NasdaqGS',
            longName: 'Apple Inc.',
            calendar: 'nyse',
            bar: () => ({ open: 1, high: 2, low: 1, close: 2, volume: 10 }),
          },
        },
      }),
    );
    const yahoo = createYahooProvider({ baseUrl: server.baseUrl, now: () => NOW, retry: FAST_RETRY });
    expect(await yahoo.lookup?.('AAPL')).toMatchObject({ exists: true, name: 'Apple Inc.' });
    expect(await yahoo.lookup?.('ZZQQNOTREAL')).toEqual({
      exists: false,
      message: 'Yahoo Finance: No data found, symbol may be delisted',
    });
  });

  it('Yahoo: a server error is no answer about the symbol', async () => {
    server = await startFakeServer((_req, res) => sendJson(res, 503, { error: 'down' }));
    const yahoo = createYahooProvider({
      baseUrl: server.baseUrl,
      now: () => NOW,
      retry: { ...FAST_RETRY, maxAttempts: 1 },
    });
    await expect(yahoo.lookup?.('AAPL')).rejects.toThrow();
  });

  it('Binance: exchangeInfo lists a trading pair; an unlisted one or a stock is refused in words', async () => {
    server = await startFakeServer(binanceKlines({ symbol: 'BTCUSDT', listedAt: 0, now: NOW }));
    const binance = createBinanceProvider({ baseUrl: server.baseUrl, retry: FAST_RETRY, now: () => NOW });
    expect(await binance.lookup?.('BTC-USDT')).toEqual({ exists: true, message: 'Binance lists BTCUSDT' });
    expect(await binance.lookup?.('ZZQ-USDT')).toEqual({
      exists: false,
      message: 'Binance does not list ZZQUSDT (asked for ZZQ-USDT)',
    });
    expect((await binance.lookup?.('AAPL'))?.exists).toBe(false);
    // The stock was refused without a request.
    expect(server.requests.map((r) => `${r.url.pathname}?${r.url.searchParams}`)).toEqual([
      '/api/v3/exchangeInfo?symbol=BTCUSDT',
      '/api/v3/exchangeInfo?symbol=ZZQUSDT',
    ]);
  });

  it('CSV: a symbol exists when the folder holds a file for it', async () => {
    const csv = createCsvProvider({ dir: join(CSV_FIXTURES, 'plain') });
    expect(await csv.lookup?.('AAPL')).toEqual({ exists: true, message: 'AAPL_5m.csv holds AAPL' });
    expect(await csv.lookup?.('ZZQQNOTREAL')).toMatchObject({
      exists: false,
      message: expect.stringMatching(/^No CSV file for ZZQQNOTREAL in /),
    });
  });

  it('synthetic: any well-formed symbol has demo data, and it says it cannot tell a typo', async () => {
    const answer = await createSyntheticProvider().lookup?.('ZZQQNOTREAL');
    expect(answer).toMatchObject({
      exists: true,
      message: expect.stringMatching(/^Demo data: .*cannot tell whether ZZQQNOTREAL is real/),
    });
  });
});
