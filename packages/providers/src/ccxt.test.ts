import { afterEach, describe, expect, it } from 'vitest';
import { ccxtExchangeProblem, createCcxtProvider, toCcxtSymbol } from './ccxt';
import { coinbaseCandle, coinbaseExchange, type FakeCoinbaseOptions } from './testing/fake-coinbase';
import { krakenFrame, krakenPublic } from './testing/fake-kraken';
import { type FakeServer, maxInAnyWindow, sendJson, startFakeServer } from './testing/fake-server';
import type { FetchCandlesRequest, ProviderCandle, RetryInfo } from './types';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
// Mid-hour on 31 January: the 12:00 candle is still open.
const NOW = Date.UTC(2024, 0, 31, 12, 30);

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Partial<FakeCoinbaseOptions> = {}, rateLimitMs = 1) {
  server = await startFakeServer(coinbaseExchange({ products: ['BTC-USD', 'ETH-USDT'], now: NOW, ...options }));
  return createCcxtProvider({
    exchangeId: 'coinbaseexchange',
    baseUrl: server.baseUrl,
    rateLimitMs,
    now: () => NOW,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  });
}

async function collect(pages: AsyncIterable<ProviderCandle[]>): Promise<ProviderCandle[][]> {
  const all: ProviderCandle[][] = [];
  for await (const page of pages) all.push(page);
  return all;
}

function request(overrides: Partial<FetchCandlesRequest> = {}): FetchCandlesRequest {
  return { symbol: 'BTC-USD', timeframe: '1h', from: new Date(T0), to: new Date(T0 + 30 * 24 * HOUR), ...overrides };
}

const candleRequests = () => (server?.requests ?? []).filter((r) => r.url.pathname.endsWith('/candles'));

describe('createCcxtProvider (Coinbase Exchange at the wire)', () => {
  it('pages by since across several requests, every candle in order, values as served', async () => {
    const provider = await start();
    const pages = await collect(provider.fetchCandles(request()));
    expect(pages.map((p) => p.length)).toEqual([300, 300, 120]);
    const candles = pages.flat();
    expect(candles.map((c) => c.ts)).toEqual(Array.from({ length: 720 }, (_, i) => T0 + i * HOUR));
    expect(candles[5]).toEqual({ ts: T0 + 5 * HOUR, ...coinbaseCandle(T0 + 5 * HOUR), vwap: null, trades: null });
    // Markets first (the only other request), then one candles request per page; nothing else went anywhere.
    expect(server?.requests.map((r) => r.url.pathname)).toEqual([
      '/products',
      ...Array(3).fill('/products/BTC-USD/candles'),
    ]);
    expect(
      candleRequests().map((r) => [r.url.searchParams.get('granularity'), r.url.searchParams.get('start')]),
    ).toEqual([
      ['3600', '2024-01-01T00:00:00.000Z'],
      ['3600', '2024-01-13T12:00:00.000Z'],
      ['3600', '2024-01-26T00:00:00.000Z'],
    ]);
  });

  it('maps our symbols to ccxt unified ones (BTC-USD <-> BTC/USD) and on to the exchange id', async () => {
    expect(['BTC-USD', 'eth-usdt', 'BTC/USD', 'AAPL', 'BRK-B'].map(toCcxtSymbol)).toEqual([
      'BTC/USD',
      'ETH/USDT',
      'BTC/USD',
      undefined,
      undefined,
    ]);
    const provider = await start();
    const pages = await collect(provider.fetchCandles(request({ symbol: 'ETH-USDT', timeframe: '1d' })));
    expect(pages.flat()).toHaveLength(30);
    expect(candleRequests()[0]?.url.pathname).toBe('/products/ETH-USDT/candles');
    // Ours that the exchange's `timeframes` offer (Coinbase Exchange: 1m, 5m, 15m, 1h, 6h, 1d).
    expect(provider.timeframes).toEqual(['5m', '15m', '1h', '1d']);
    await expect(collect(provider.fetchCandles(request({ symbol: 'AAPL' })))).rejects.toThrow(
      'Coinbase Exchange trades currency pairs such as BTC-USD; AAPL is not one',
    );
  });

  it("drops the candle still open at the provider's clock", async () => {
    const provider = await start();
    const candles = (
      await collect(provider.fetchCandles(request({ from: new Date(NOW - 5 * HOUR), to: new Date(NOW + 5 * HOUR) })))
    ).flat();
    const lastClosed = Date.UTC(2024, 0, 31, 11);
    expect(candles.map((c) => c.ts)).toEqual([
      lastClosed - 3 * HOUR,
      lastClosed - 2 * HOUR,
      lastClosed - HOUR,
      lastClosed,
    ]);
    expect(candleRequests()).toHaveLength(1);
  });

  it('keeps paging across a quiet stretch with no candles at all', async () => {
    const quietFrom = T0 + 10 * HOUR;
    const quietTo = T0 + 400 * HOUR;
    const provider = await start({ quiet: (t) => t >= quietFrom && t < quietTo });
    const candles = (await collect(provider.fetchCandles(request()))).flat();
    expect(candles).toHaveLength(720 - 390);
    expect(candles[10]?.ts).toBe(quietTo);
  });

  it("respects the exchange's rate limit between requests", async () => {
    server = await startFakeServer(coinbaseExchange({ products: ['BTC-USD'], now: NOW }));
    const provider = createCcxtProvider({
      exchangeId: 'coinbaseexchange',
      baseUrl: server.baseUrl,
      rateLimitMs: 120,
      pageLimit: 100,
      now: () => NOW,
    });
    await collect(provider.fetchCandles(request()));
    const arrivals = server.requests.map((r) => r.at);
    expect(arrivals).toHaveLength(1 + 8);
    // At most one request in any 120 ms (less 15 ms for timer and network jitter), bursts included.
    expect(maxInAnyWindow(arrivals, 120, 15)).toBe(1);
  });

  it('retries a 429 and goes on', async () => {
    const inner = coinbaseExchange({ products: ['BTC-USD'], now: NOW });
    server = await startFakeServer((req, res, index) => {
      if (index === 1) {
        sendJson(res, 429, { message: 'Public rate limit exceeded' });
        return;
      }
      inner(req, res, index);
    });
    const provider = createCcxtProvider({
      exchangeId: 'coinbaseexchange',
      baseUrl: server.baseUrl,
      rateLimitMs: 1,
      now: () => NOW,
      retry: { baseDelayMs: 1, maxDelayMs: 2 },
    });
    const retries: RetryInfo[] = [];
    const candles = (await collect(provider.fetchCandles(request({ onRetry: (r) => retries.push(r) })))).flat();
    expect(candles).toHaveLength(720);
    expect(retries).toHaveLength(1);
  });

  it("fails with the exchange's own words: a pair it does not list, or a refusal", async () => {
    const provider = await start();
    await expect(collect(provider.fetchCandles(request({ symbol: 'DOGE-USD' })))).rejects.toMatchObject({
      message: 'Coinbase Exchange does not list DOGE/USD (asked for DOGE-USD)',
      retryable: false,
    });
    const inner = coinbaseExchange({ products: ['BTC-USD'], now: NOW });
    await server?.close();
    server = await startFakeServer((req, res, index) => {
      if (req.url.pathname.endsWith('/candles')) {
        sendJson(res, 400, { message: 'product BTC-USD is delisted' });
        return;
      }
      inner(req, res, index);
    });
    const refused = createCcxtProvider({
      exchangeId: 'coinbaseexchange',
      baseUrl: server.baseUrl,
      rateLimitMs: 1,
      now: () => NOW,
    });
    await expect(collect(refused.fetchCandles(request()))).rejects.toMatchObject({
      message: 'Coinbase Exchange refused the request: product BTC-USD is delisted',
      retryable: false,
    });
  });

  it('refuses an unknown exchange id with a sentence that says where the ids are', () => {
    expect(ccxtExchangeProblem('coinbaseexchange')).toBeUndefined();
    expect(ccxtExchangeProblem('kraken')).toBeUndefined();
    expect(() => createCcxtProvider({ exchangeId: 'coinbse' })).toThrow(
      /^ccxt has no exchange "coinbse": use its lower-case id, such as ccxt:coinbase, ccxt:kraken or ccxt:binanceus \(the full list: /,
    );
  });
});

describe('createCcxtProvider (Kraken at the wire)', () => {
  async function kraken() {
    server = await startFakeServer(krakenPublic({ now: NOW }));
    return createCcxtProvider({ exchangeId: 'kraken', baseUrl: server.baseUrl, rateLimitMs: 1, now: () => NOW });
  }

  it('keeps the API path under the replaced host, maps BTC-USD to XXBTZUSD and drops the forming frame', async () => {
    const provider = await kraken();
    const from = Date.UTC(2024, 0, 29, 12);
    const candles = (
      await collect(provider.fetchCandles(request({ from: new Date(from), to: new Date(NOW + HOUR) })))
    ).flat();
    expect(candles.map((c) => c.ts)).toEqual(Array.from({ length: 48 }, (_, i) => from + i * HOUR));
    const f = krakenFrame(from);
    expect(candles[0]).toEqual({
      ts: from,
      open: f.open,
      high: f.high,
      low: f.low,
      close: f.close,
      volume: Number(f.volume.toFixed(8)),
      vwap: null,
      trades: null,
    });
    expect(server?.requests.map((r) => r.url.pathname)).toEqual(['/0/public/AssetPairs', '/0/public/OHLC']);
    expect(Object.fromEntries(server?.requests[1]?.url.searchParams ?? [])).toMatchObject({
      pair: 'XXBTZUSD',
      interval: '60',
    });
  });

  it('stops at once when the exchange answers an old since with only its recent frames', async () => {
    const provider = await kraken();
    const notices: string[] = [];
    const old = request({
      from: new Date(Date.UTC(2023, 5, 1)),
      to: new Date(Date.UTC(2023, 5, 3)),
      onNotice: (m) => notices.push(m),
    });
    expect((await collect(provider.fetchCandles(old))).flat()).toEqual([]);
    // 720 frames back from the forming 12:00 frame of 31 January.
    expect(notices).toEqual([
      'Kraken sent no 1h candles in the range: the earliest it has now is 2024-01-01T13:00:00Z',
    ]);
    expect(server?.requests.filter((r) => r.url.pathname === '/0/public/OHLC')).toHaveLength(1);
  });
});
