import { afterEach, describe, expect, it } from 'vitest';
import { createPolygonProvider, type PolygonProviderOptions, toPolygonTicker } from './polygon';
import { polygonAggs, wireBar } from './testing/fake-polygon';
import { type FakeServer, maxInAnyWindow, sendJson, sendText, startFakeServer } from './testing/fake-server';
import type { FetchCandlesRequest, ProviderCandle, RetryInfo } from './types';

const MIN = 60_000;
const T0 = Date.UTC(2024, 0, 2, 14, 30);
const KEY = 'test-key';
const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 5 };

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function provider(overrides: Partial<PolygonProviderOptions> = {}) {
  if (!server) throw new Error('start the fake server first');
  return createPolygonProvider({
    apiKey: KEY,
    baseUrl: server.baseUrl,
    requestsPerMinute: 1000,
    retry: FAST_RETRY,
    ...overrides,
  });
}

async function collect(pages: AsyncIterable<ProviderCandle[]>): Promise<ProviderCandle[][]> {
  const all: ProviderCandle[][] = [];
  for await (const page of pages) all.push(page);
  return all;
}

function request(overrides: Partial<FetchCandlesRequest> = {}): FetchCandlesRequest {
  return { symbol: 'AAPL', timeframe: '5m', from: new Date(T0), to: new Date(T0 + 100 * 5 * MIN), ...overrides };
}

describe('createPolygonProvider', () => {
  it('follows next_url to the end, re-attaching the key, and maps every field', async () => {
    server = await startFakeServer(polygonAggs({ apiKey: KEY, pageSize: 40 }));
    const pages = await collect(provider().fetchCandles(request()));

    expect(pages.map((p) => p.length)).toEqual([40, 40, 20]);
    const candles = pages.flat();
    expect(candles[0]).toEqual({
      ts: T0,
      open: 100,
      high: 101,
      low: 99,
      close: 100.5,
      volume: 1000.5,
      vwap: 100.25,
      trades: 10,
    });
    expect(candles[9]).toEqual({
      ts: T0 + 45 * MIN,
      open: 109,
      high: 110,
      low: 108,
      close: 109.5,
      volume: 1009.5,
      vwap: null,
      trades: null,
    });
    expect(candles.at(-1)?.ts).toBe(T0 + 99 * 5 * MIN);

    expect(server.requests).toHaveLength(3);
    const [first, ...next] = server.requests.map((r) => r.url);
    expect(first?.pathname).toBe(`/v2/aggs/ticker/AAPL/range/5/minute/${T0}/${T0 + 500 * MIN - 1}`);
    expect(Object.fromEntries(first?.searchParams ?? [])).toEqual({
      adjusted: 'false',
      sort: 'asc',
      limit: '50000',
      apiKey: KEY,
    });
    expect(next.map((u) => [u.searchParams.get('cursor'), u.searchParams.get('apiKey')])).toEqual([
      ['40', KEY],
      ['80', KEY],
    ]);
  });

  it('splits long intraday ranges into windows one response cannot truncate, within the request rate', async () => {
    server = await startFakeServer(polygonAggs({ apiKey: KEY, pageSize: 50_000 }));
    const from = T0;
    const to = T0 + 6 * 60 * MIN;
    const p = provider({ pageLimit: 100, requestsPerMinute: 2, rateWindowMs: 250 });
    const candles = (await collect(p.fetchCandles(request({ from: new Date(from), to: new Date(to) })))).flat();

    expect(candles).toHaveLength(72);
    expect(candles.map((c) => c.ts)).toEqual(Array.from({ length: 72 }, (_, i) => from + i * 5 * MIN));
    // `limit` counts minute aggregates: 100 minutes per request, all inside the session here.
    const windows = server.requests.map((r) => r.url.pathname.split('/').slice(-2).map(Number));
    expect(windows).toEqual([
      [from, from + 100 * MIN - 1],
      [from + 100 * MIN, from + 200 * MIN - 1],
      [from + 200 * MIN, from + 300 * MIN - 1],
      [from + 300 * MIN, to - 1],
    ]);
    expect(server.requests.every((r) => r.url.searchParams.get('limit') === '100')).toBe(true);
    // 40 ms of the window allow for the requests' differing trips over loopback on a busy machine.
    const arrivals = server.requests.map((r) => r.at);
    expect(maxInAnyWindow(arrivals, 250, 40)).toBeLessThanOrEqual(2);
    expect((arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(250 - 40);
  });

  it('yields nothing when the answer has no results key', async () => {
    server = await startFakeServer((_req, res) =>
      sendJson(res, 200, {
        ticker: 'AAPL',
        queryCount: 0,
        resultsCount: 0,
        adjusted: true,
        status: 'OK',
        request_id: 'r',
      }),
    );
    expect(await collect(provider().fetchCandles(request()))).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('asks for daily bars by date and keys each by its UTC calendar date', async () => {
    const jan = (d: number) => Date.UTC(2024, 0, d);
    server = await startFakeServer((_req, res) =>
      // Stock daily bars are stamped at midnight New York time; one falls before the range.
      sendJson(res, 200, { status: 'OK', results: [1, 2, 3, 4, 5].map((d, i) => wireBar(jan(d) + 5 * 60 * MIN, i)) }),
    );
    const candles = (
      await collect(provider().fetchCandles(request({ timeframe: '1d', from: new Date(jan(2)), to: new Date(jan(6)) })))
    ).flat();
    expect(server.requests[0]?.url.pathname).toBe('/v2/aggs/ticker/AAPL/range/1/day/2024-01-02/2024-01-05');
    expect(candles.map((c) => c.ts)).toEqual([jan(2), jan(3), jan(4), jan(5)]);
    expect(candles[0]?.open).toBe(101);
  });

  it('drops bars outside [from, to) that the API sends anyway', async () => {
    server = await startFakeServer((_req, res) =>
      sendJson(res, 200, { status: 'OK', results: [-1, 0, 1, 2].map((k, i) => wireBar(T0 + k * 5 * MIN, i)) }),
    );
    const candles = (await collect(provider().fetchCandles(request({ to: new Date(T0 + 10 * MIN) })))).flat();
    expect(candles.map((c) => c.ts)).toEqual([T0, T0 + 5 * MIN]);
  });

  it('maps crypto pairs to X: tickers, currencies and metals to C:, class shares to BRK.B', async () => {
    expect(
      ['BTC-USD', 'eth-usdt', 'EUR-USD', 'XAU-USD', 'AAPL', 'BRK.B', 'BRK-B', 'I:SPX'].map(toPolygonTicker),
    ).toEqual(['X:BTCUSD', 'X:ETHUSDT', 'C:EURUSD', 'C:XAUUSD', 'AAPL', 'BRK.B', 'BRK.B', 'I:SPX']);
    server = await startFakeServer(polygonAggs({ apiKey: KEY, pageSize: 50_000 }));
    await collect(provider().fetchCandles(request({ symbol: 'BTC-USD' })));
    await collect(provider().fetchCandles(request({ symbol: 'BRK.B' })));
    expect(server.requests.map((r) => r.url.pathname.split('/')[4])).toEqual(['X:BTCUSD', 'BRK.B']);
  });

  it('moves a next_url naming another host onto the base URL, so the key only goes there', async () => {
    server = await startFakeServer((req, res) => {
      if (req.url.searchParams.has('cursor')) sendJson(res, 200, { status: 'OK', results: [wireBar(T0 + 5 * MIN, 1)] });
      else
        sendJson(res, 200, {
          status: 'OK',
          results: [wireBar(T0, 0)],
          next_url: `https://api.polygon.io${req.url.pathname}?cursor=abc`,
        });
    });
    const candles = (await collect(provider().fetchCandles(request()))).flat();
    expect(candles).toHaveLength(2);
    expect(server.requests[1]?.url.search).toBe(`?cursor=abc&apiKey=${KEY}`);
  });

  it('waits out a 429 for as long as Retry-After says, then carries on', async () => {
    server = await startFakeServer(
      polygonAggs({
        apiKey: KEY,
        pageSize: 50_000,
        fault: (_req, res, index) => {
          const body = { status: 'ERROR', request_id: 'r', error: 'You have exceeded the maximum requests per minute' };
          if (index === 0) sendJson(res, 429, body, { 'retry-after': '1' });
          return index === 0;
        },
      }),
    );
    const retries: RetryInfo[] = [];
    const candles = (await collect(provider().fetchCandles(request({ onRetry: (r) => retries.push(r) })))).flat();
    expect(candles).toHaveLength(100);
    expect(retries).toEqual([{ attempt: 1, delayMs: 1000, reason: 'HTTP 429 Too Many Requests' }]);
    const [first, second] = server.requests.map((r) => r.at);
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(990);
  });

  it('retries a 500 and then succeeds', async () => {
    server = await startFakeServer(
      polygonAggs({
        apiKey: KEY,
        pageSize: 50_000,
        fault: (_req, res, index) => {
          if (index === 0) sendText(res, 500, 'Internal Server Error');
          return index === 0;
        },
      }),
    );
    const retries: RetryInfo[] = [];
    const candles = (await collect(provider().fetchCandles(request({ onRetry: (r) => retries.push(r) })))).flat();
    expect(candles).toHaveLength(100);
    expect(server.requests).toHaveLength(2);
    expect(retries.map((r) => r.reason)).toEqual(['HTTP 500 Internal Server Error']);
  });

  it('retries a malformed answer a couple of times, then fails in words', async () => {
    server = await startFakeServer((_req, res) => sendText(res, 200, '<html><body>Proxy error</body></html>'));
    const error = await collect(provider().fetchCandles(request())).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ProviderError', retryable: false });
    expect(String(error)).toContain('malformed response from Polygon 3 times');
    expect(server.requests).toHaveLength(3);
  });

  it('recovers when only one answer was malformed', async () => {
    server = await startFakeServer(
      polygonAggs({
        apiKey: KEY,
        pageSize: 50_000,
        fault: (_req, res, index) => {
          if (index === 0) sendText(res, 200, '{"results": [');
          return index === 0;
        },
      }),
    );
    expect((await collect(provider().fetchCandles(request()))).flat()).toHaveLength(100);
    expect(server.requests).toHaveLength(2);
  });

  it('times out a hung request and retries it', async () => {
    server = await startFakeServer(
      polygonAggs({ apiKey: KEY, pageSize: 50_000, fault: (_req, _res, index) => index === 0 }),
    );
    const retries: RetryInfo[] = [];
    const p = provider({ timeoutMs: 100 });
    const started = Date.now();
    const candles = (await collect(p.fetchCandles(request({ onRetry: (r) => retries.push(r) })))).flat();
    expect(candles).toHaveLength(100);
    expect(server.requests).toHaveLength(2);
    expect(retries.map((r) => r.reason)).toEqual(['no answer within 100 ms']);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it.each([
    [
      401,
      { status: 'ERROR', request_id: 'r', error: 'Unknown API Key' },
      'Polygon rejected the API key (401): check POLYGON_API_KEY (Polygon says: Unknown API Key)',
    ],
    [
      403,
      { status: 'NOT_AUTHORIZED', request_id: 'r', message: 'You are not entitled to this data.' },
      'Polygon rejected the API key (403): check POLYGON_API_KEY and that your plan covers this data (Polygon says: You are not entitled to this data.)',
    ],
  ])('fails at once, without retrying, on %i', async (status, body, message) => {
    server = await startFakeServer((_req, res) => sendJson(res, status, body));
    const error = await collect(provider().fetchCandles(request())).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ProviderError', retryable: false, status, message });
    expect(server.requests).toHaveLength(1);
  });

  it('says which ticker Polygon does not know on 404', async () => {
    server = await startFakeServer((_req, res) =>
      sendJson(res, 404, { status: 'NOT_FOUND', request_id: 'r', message: 'Ticker not found.' }),
    );
    const error = await collect(provider().fetchCandles(request({ symbol: 'XYZ' }))).catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: false, status: 404, message: 'Polygon does not know the ticker XYZ' });
    expect(server.requests).toHaveLength(1);
  });

  it('stops waiting for the rate limiter the moment the caller aborts', async () => {
    server = await startFakeServer(polygonAggs({ apiKey: KEY, pageSize: 40 }));
    const controller = new AbortController();
    const p = provider({ requestsPerMinute: 1, rateWindowMs: 60_000 });
    const started = Date.now();
    const pages = p.fetchCandles(request({ signal: controller.signal }));
    const seen: number[] = [];
    const done = (async () => {
      for await (const page of pages) {
        seen.push(page.length);
        setTimeout(() => controller.abort(new Error('backfill cancelled')), 20);
      }
    })();
    await expect(done).rejects.toThrow('backfill cancelled');
    expect(seen).toEqual([40]);
    expect(server.requests).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('pings the market-status endpoint with the key', async () => {
    server = await startFakeServer((_req, res) =>
      sendJson(res, 200, { market: 'closed', serverTime: '2024-01-02T20:00:00-05:00' }),
    );
    await provider().ping();
    expect(server.requests.map((r) => r.url.pathname + r.url.search)).toEqual([`/v1/marketstatus/now?apiKey=${KEY}`]);
  });
});
