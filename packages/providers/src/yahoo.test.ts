import { afterEach, describe, expect, it } from 'vitest';
import { type FakeServer, sendText, startFakeServer } from './testing/fake-server';
import { type FakeYahooOptions, type FakeYahooSymbol, type RawBar, yahooChart } from './testing/fake-yahoo';
import type { FetchCandlesRequest, ProviderCandle, RetryInfo } from './types';
import { createYahooProvider, toYahooSymbol } from './yahoo';

/** The part of Yahoo's chart answer these tests read back from the fake. */
type ChartBody = {
  chart: { result: [{ timestamp?: number[]; indicators: { quote: [{ open?: number[] }] } }] };
};

const MIN = 60_000;
const DAY = 86_400_000;
// Friday 15 March 2024, 14:00 New York (EDT since the 10th): mid-session.
const NOW = Date.UTC(2024, 2, 15, 18, 0);
const utc = (iso: string) => Date.parse(iso);

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const priced = (t: number): RawBar => {
  const p = 100 + ((t / MIN) % 97);
  return { open: p, high: p + 2, low: p - 1, close: p + 1, volume: 1000 + ((t / MIN) % 13) };
};

function equity(overrides: Partial<FakeYahooSymbol> = {}): FakeYahooSymbol {
  return {
    instrumentType: 'EQUITY',
    currency: 'USD',
    exchangeName: 'NMS',
    fullExchangeName: 'NasdaqGS',
    longName: 'Apple Inc.',
    calendar: 'nyse',
    bar: priced,
    ...overrides,
  };
}

async function start(options: Partial<FakeYahooOptions> = {}, handler?: Parameters<typeof startFakeServer>[0]) {
  server = await startFakeServer(handler ?? yahooChart({ now: NOW, symbols: { AAPL: equity() }, ...options }));
  return createYahooProvider({ baseUrl: server.baseUrl, now: () => NOW, retry: { baseDelayMs: 1, maxDelayMs: 5 } });
}

async function collect(pages: AsyncIterable<ProviderCandle[]>): Promise<ProviderCandle[]> {
  const all: ProviderCandle[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}

function request(overrides: Partial<FetchCandlesRequest> = {}): FetchCandlesRequest {
  return {
    symbol: 'AAPL',
    timeframe: '1d',
    from: new Date(utc('2024-03-04T00:00:00Z')),
    to: new Date(utc('2024-03-09T00:00:00Z')),
    ...overrides,
  };
}

const chartRequests = () => (server?.requests ?? []).filter((r) => r.url.searchParams.get('interval') !== '3mo');

describe('createYahooProvider', () => {
  it('maps symbols to Yahoo by the documented rule', () => {
    expect(
      ['BRK.B', 'BTC-USD', 'BTC/USD', 'I:GSPC', 'EUR-USD', 'F:ES', 'VOD.L', 'aapl', 'BRK-B'].map(toYahooSymbol),
    ).toEqual(['BRK-B', 'BTC-USD', 'BTC-USD', '^GSPC', 'EURUSD=X', 'ES=F', 'VOD.L', 'AAPL', 'BRK-B']);
  });

  it('an empty range (no "timestamp" array at all) yields nothing and fails nothing', async () => {
    const provider = await start();
    // A weekend: Yahoo answers with meta and an empty quote object.
    const candles = await collect(
      provider.fetchCandles(
        request({
          timeframe: '5m',
          from: new Date(utc('2024-03-09T00:00:00Z')),
          to: new Date(utc('2024-03-11T00:00:00Z')),
        }),
      ),
    );
    expect(candles).toEqual([]);
    const body = (await (
      await fetch(`${server?.baseUrl}${chartRequests()[0]?.url.pathname}${chartRequests()[0]?.url.search}`)
    ).json()) as ChartBody;
    expect(body.chart.result[0].timestamp).toBeUndefined();
    expect(body.chart.result[0].indicators.quote).toEqual([{}]);
  });

  it('skips bars with nulls instead of storing zeros', async () => {
    const nullAt = utc('2024-03-06T14:30:00Z');
    const provider = await start({
      symbols: { AAPL: equity({ bar: (t) => (t === nullAt ? null : priced(t)) }) },
    });
    const candles = await collect(provider.fetchCandles(request()));
    expect(candles.map((c) => new Date(c.ts).toISOString().slice(0, 10))).toEqual([
      '2024-03-04',
      '2024-03-05',
      '2024-03-07',
      '2024-03-08',
    ]);
    expect(candles.every((c) => c.volume > 0 && c.open > 0)).toBe(true);
  });

  it('dates daily bars by their session: 14:30 or 13:30 UTC in New York, 00:00 UTC for crypto', async () => {
    const provider = await start({
      symbols: { AAPL: equity(), 'BTC-USD': equity({ instrumentType: 'CRYPTOCURRENCY', calendar: '24x7' }) },
    });
    // The week of the DST change: Friday the 8th opens 14:30 UTC, Monday the 11th 13:30 UTC.
    const range = { from: new Date(utc('2024-03-08T00:00:00Z')), to: new Date(utc('2024-03-12T00:00:00Z')) };
    const stocks = await collect(provider.fetchCandles(request(range)));
    expect(stocks.map((c) => c.ts)).toEqual([utc('2024-03-08T00:00:00Z'), utc('2024-03-11T00:00:00Z')]);
    expect(stocks[0]?.open).toBe(priced(utc('2024-03-08T14:30:00Z'))?.open);
    expect(stocks[1]?.open).toBe(priced(utc('2024-03-11T13:30:00Z'))?.open);
    const crypto = await collect(provider.fetchCandles(request({ ...range, symbol: 'BTC-USD' })));
    expect(crypto.map((c) => new Date(c.ts).toISOString().slice(0, 10))).toEqual([
      '2024-03-08',
      '2024-03-09',
      '2024-03-10',
      '2024-03-11',
    ]);
    expect(crypto[0]?.open).toBe(priced(utc('2024-03-08T00:00:00Z'))?.open);
  });

  it("drops the bar still forming at the provider's clock", async () => {
    const provider = await start();
    const daily = await collect(
      provider.fetchCandles(
        request({ from: new Date(utc('2024-03-13T00:00:00Z')), to: new Date(utc('2024-03-16T00:00:00Z')) }),
      ),
    );
    expect(daily.map((c) => new Date(c.ts).toISOString().slice(0, 10))).toEqual(['2024-03-13', '2024-03-14']);
    const intraday = await collect(
      provider.fetchCandles(
        request({
          timeframe: '5m',
          from: new Date(utc('2024-03-15T17:00:00Z')),
          to: new Date(utc('2024-03-15T19:00:00Z')),
        }),
      ),
    );
    // 17:00 .. 17:55 closed; 18:00 opened at NOW and is still forming.
    expect(intraday.map((c) => c.ts)).toEqual(
      Array.from({ length: 12 }, (_, i) => utc('2024-03-15T17:00:00Z') + i * 5 * MIN),
    );
  });

  it('stores 60m bars at the half-hour stamps Yahoo gives them: the regular session grid, 09:30 ... 15:30', async () => {
    const provider = await start();
    const bars = await collect(
      provider.fetchCandles(
        request({
          timeframe: '1h',
          from: new Date(utc('2024-03-14T00:00:00Z')),
          to: new Date(utc('2024-03-15T00:00:00Z')),
        }),
      ),
    );
    expect(bars.map((c) => new Date(c.ts).toISOString().slice(11, 16))).toEqual([
      '13:30',
      '14:30',
      '15:30',
      '16:30',
      '17:30',
      '18:30',
      '19:30',
    ]);
    expect(bars[0]?.open).toBe(priced(utc('2024-03-14T13:30:00Z'))?.open);
  });

  it('stores the last 60m bar of a session (15:30-16:00) once the session has closed, not an hour later', async () => {
    const afterClose = utc('2024-03-14T20:10:00Z'); // 16:10 New York
    server = await startFakeServer(yahooChart({ now: afterClose, symbols: { AAPL: equity() } }));
    const provider = createYahooProvider({ baseUrl: server.baseUrl, now: () => afterClose });
    const bars = await collect(
      provider.fetchCandles(
        request({
          timeframe: '1h',
          from: new Date(utc('2024-03-14T00:00:00Z')),
          to: new Date(utc('2024-03-15T00:00:00Z')),
        }),
      ),
    );
    expect(bars).toHaveLength(7);
    expect(bars.at(-1)?.ts).toBe(utc('2024-03-14T19:30:00Z'));
  });

  it("passes on Yahoo's closing print at 16:00 (volume 0) for the worker's session filter to drop", async () => {
    const provider = await start({ symbols: { AAPL: equity({ closePrint: true }) } });
    const bars = await collect(
      provider.fetchCandles(
        request({
          timeframe: '5m',
          from: new Date(utc('2024-03-14T19:50:00Z')),
          to: new Date(utc('2024-03-14T21:00:00Z')),
        }),
      ),
    );
    expect(bars.map((c) => [new Date(c.ts).toISOString().slice(11, 16), c.volume])).toEqual([
      ['19:50', priced(utc('2024-03-14T19:50:00Z'))?.volume],
      ['19:55', priced(utc('2024-03-14T19:55:00Z'))?.volume],
      ['20:00', 0],
    ]);
  });

  it('clamps an intraday start to the 60 days Yahoo keeps and says so, instead of failing', async () => {
    const provider = await start();
    const notices: string[] = [];
    const candles = await collect(
      provider.fetchCandles(
        request({
          timeframe: '15m',
          from: new Date(utc('2023-11-01T00:00:00Z')),
          to: new Date(utc('2024-01-20T00:00:00Z')),
          onNotice: (m) => notices.push(m),
        }),
      ),
    );
    expect(notices).toEqual([
      'Yahoo Finance keeps 15m bars for about the last 60 days: fetched from 2024-01-16 instead of 2023-11-01',
    ]);
    expect(candles[0]?.ts).toBe(utc('2024-01-16T18:00:00Z'));
    expect(candles.at(-1)?.ts).toBe(utc('2024-01-19T20:45:00Z'));
    for (const r of chartRequests())
      expect(Number(r.url.searchParams.get('period1')) * 1000).toBeGreaterThanOrEqual(NOW - 60 * DAY);

    const none: string[] = [];
    const old = await collect(
      provider.fetchCandles(
        request({
          timeframe: '5m',
          from: new Date(utc('2023-01-02T00:00:00Z')),
          to: new Date(utc('2023-01-05T00:00:00Z')),
          onNotice: (m) => none.push(m),
        }),
      ),
    );
    expect(old).toEqual([]);
    expect(none).toEqual([
      'Yahoo Finance keeps 5m bars for about the last 60 days; nothing from 2023-01-02 to 2023-01-04 is available there',
    ]);
  });

  it('un-adjusts prices across a 4:1 split into what traded, and reports the split and the dividends', async () => {
    // Raw prices near 400 before the split (ex-date Wed 6 March), near 100 after; volume 4x lower after.
    const raw = (t: number): RawBar =>
      t < utc('2024-03-06T00:00:00Z')
        ? { open: 400, high: 408, low: 396, close: 404, volume: 1_000 }
        : { open: 100, high: 102, low: 99, close: 101, volume: 4_000 };
    const provider = await start({
      symbols: {
        AAPL: equity({
          bar: raw,
          splits: [{ exDate: '2024-03-06', numerator: 4, denominator: 1 }],
          dividends: [
            { exDate: '2024-03-04', amount: 0.88 },
            { exDate: '2024-03-12', amount: 0.24 },
          ],
        }),
      },
    });
    const candles = await collect(provider.fetchCandles(request()));
    expect(
      candles.map((c) => [new Date(c.ts).toISOString().slice(0, 10), c.open, c.high, c.low, c.close, c.volume]),
    ).toEqual([
      ['2024-03-04', 400, 408, 396, 404, 1000],
      ['2024-03-05', 400, 408, 396, 404, 1000],
      ['2024-03-06', 100, 102, 99, 101, 4000],
      ['2024-03-07', 100, 102, 99, 101, 4000],
      ['2024-03-08', 100, 102, 99, 101, 4000],
    ]);
    // Served adjusted: the fake really divided the early bars by 4.
    const served = (await (
      await fetch(`${server?.baseUrl}/v8/finance/chart/AAPL?period1=1709510400&period2=1709596800&interval=1d`)
    ).json()) as ChartBody;
    expect(served.chart.result[0].indicators.quote[0].open).toEqual([100]);

    const actions = await provider.fetchActions?.({
      symbol: 'AAPL',
      from: new Date(utc('2024-03-01T00:00:00Z')),
      to: new Date(utc('2024-03-14T00:00:00Z')),
    });
    expect(actions).toEqual([
      { exDate: '2024-03-04', kind: 'dividend', amount: 0.88 },
      { exDate: '2024-03-06', kind: 'split', ratio: 4 },
      { exDate: '2024-03-12', kind: 'dividend', amount: 0.24 },
    ]);
  });

  it('un-adjusts a 1:10 reverse split the other way (ratio 0.1)', async () => {
    const raw = (t: number): RawBar =>
      t < utc('2024-03-07T00:00:00Z')
        ? { open: 1, high: 1.5, low: 0.5, close: 1, volume: 10_000 }
        : { open: 10, high: 15, low: 5, close: 10, volume: 1_000 };
    const provider = await start({
      symbols: { AAPL: equity({ bar: raw, splits: [{ exDate: '2024-03-07', numerator: 1, denominator: 10 }] }) },
    });
    const candles = await collect(provider.fetchCandles(request()));
    expect(candles.map((c) => [c.open, c.high, c.low, c.close, c.volume])).toEqual([
      [1, 1.5, 0.5, 1, 10_000],
      [1, 1.5, 0.5, 1, 10_000],
      [1, 1.5, 0.5, 1, 10_000],
      [10, 15, 5, 10, 1_000],
      [10, 15, 5, 10, 1_000],
    ]);
    const actions = await provider.fetchActions?.({
      symbol: 'AAPL',
      from: new Date(utc('2024-03-01T00:00:00Z')),
      to: new Date(NOW),
    });
    expect(actions).toEqual([{ exDate: '2024-03-07', kind: 'split', ratio: 0.1 }]);
  });

  it('retries a 429 after its Retry-After and a 5xx with backoff, then succeeds', async () => {
    const inner = yahooChart({ now: NOW, symbols: { AAPL: equity() } });
    const provider = await start({}, (req, res, index, raw) => {
      // Yahoo's edge answers a 429 in plain text.
      if (index === 0) return sendText(res, 429, 'Edge: Too Many Requests', { 'retry-after': '1' });
      if (index === 1) return sendText(res, 503, '<html><body>Service Unavailable</body></html>');
      inner(req, res, index, raw);
    });
    const retries: RetryInfo[] = [];
    const candles = await collect(provider.fetchCandles(request({ onRetry: (r) => retries.push(r) })));
    expect(candles).toHaveLength(5);
    expect(retries.map((r) => [r.attempt, r.reason])).toEqual([
      [1, 'HTTP 429 Too Many Requests'],
      [2, 'HTTP 503 Service Unavailable'],
    ]);
    expect(retries[0]?.delayMs).toBe(1000);
    const [first, second] = server?.requests ?? [];
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(990);
    expect(server?.requests.length).toBe(4);
  });

  it('an unknown symbol fails at once with chart.error.description', async () => {
    const provider = await start();
    await expect(collect(provider.fetchCandles(request({ symbol: 'NOPE' })))).rejects.toMatchObject({
      message: 'Yahoo Finance: No data found, symbol may be delisted',
      retryable: false,
      status: 404,
    });
    expect(server?.requests).toHaveLength(1);
  });

  it('fetches a crumb (and its cookie) from the same base when Yahoo answers 401 Invalid Crumb', async () => {
    const provider = await start({ crumb: 'Xy7.crumb/1' });
    const candles = await collect(provider.fetchCandles(request()));
    expect(candles).toHaveLength(5);
    const paths = server?.requests.map((r) => r.url.pathname) ?? [];
    expect(paths.slice(0, 3)).toEqual(['/v8/finance/chart/AAPL', '/v1/test/getcrumb', '/v8/finance/chart/AAPL']);
    expect(server?.requests.slice(2).every((r) => r.url.searchParams.get('crumb') === 'Xy7.crumb/1')).toBe(true);
    // Reachable all the same: a 401 asking for a crumb is Yahoo answering.
    await expect(provider.ping()).resolves.toBeUndefined();
  });

  it('describes a symbol from the chart meta', async () => {
    const provider = await start();
    expect(await provider.describeSymbol?.('AAPL')).toEqual({
      name: 'Apple Inc.',
      assetClass: 'equity',
      exchange: 'NasdaqGS',
      currency: 'USD',
    });
  });
});
