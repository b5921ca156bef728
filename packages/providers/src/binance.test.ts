import { afterEach, describe, expect, it } from 'vitest';
import {
  type BinanceProviderOptions,
  createBinanceProvider,
  fromBinanceSymbol,
  parseBinanceAliases,
  toBinanceSymbol,
} from './binance';
import { binanceKlines } from './testing/fake-binance';
import { type FakeServer, sendJson, sendText, startFakeServer } from './testing/fake-server';
import type { FetchCandlesRequest, ProviderCandle, RetryInfo } from './types';

const MIN = 60_000;
const STEP = 5 * MIN;
const T0 = Date.UTC(2024, 0, 2);
const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 5 };
/** The fake exchange has klines from T0 up to the one open at NOW (2 minutes into kline 2600). */
const NOW = T0 + 2600 * STEP + 2 * MIN;

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const EXCHANGE = { symbol: 'BTCUSDT', listedAt: T0, now: NOW };

function provider(overrides: Partial<BinanceProviderOptions> = {}) {
  if (!server) throw new Error('start the fake server first');
  return createBinanceProvider({ baseUrl: server.baseUrl, retry: FAST_RETRY, now: () => NOW, ...overrides });
}

function request(overrides: Partial<FetchCandlesRequest> = {}): FetchCandlesRequest {
  return {
    symbol: 'BTC-USDT',
    timeframe: '5m',
    from: new Date(T0),
    to: new Date(T0 + 30 * 24 * 60 * MIN),
    ...overrides,
  };
}

async function collect(pages: AsyncIterable<ProviderCandle[]>): Promise<ProviderCandle[][]> {
  const all: ProviderCandle[][] = [];
  for await (const page of pages) all.push(page);
  return all;
}

describe('Binance symbols', () => {
  it('maps our pairs to Binance spot symbols under their own quote', () => {
    expect(['BTC-USDT', 'ETH-USDT', 'SOL-BTC', 'ETH-EUR', 'btc/usdt'].map((s) => toBinanceSymbol(s))).toEqual([
      'BTCUSDT',
      'ETHUSDT',
      'SOLBTC',
      'ETHEUR',
      'BTCUSDT',
    ]);
  });

  it('refuses a USD pair, which Binance does not trade, unless an alias names its market', () => {
    expect(() => toBinanceSymbol('BTC-USD')).toThrow(
      /^Binance has no BTC market in US dollars; add BTC-USDT for its USDT market, or configure BINANCE_SYMBOL_ALIASES=BTC-USD=BTCUSDT/,
    );
    expect(() => toBinanceSymbol('BTC-USD')).toThrow(expect.objectContaining({ retryable: false }));
    const aliases = parseBinanceAliases('btc-usd=BTCUSDT, ETH-USD=ETHUSDC');
    expect(toBinanceSymbol('BTC-USD', aliases)).toBe('BTCUSDT');
    expect(toBinanceSymbol('ETH-USD', aliases)).toBe('ETHUSDC');
    expect(toBinanceSymbol('SOL-BTC', aliases)).toBe('SOLBTC');
    expect(() => parseBinanceAliases('BTC-USD')).toThrow(/"BTC-USD" is not SYMBOL=BINANCESYMBOL/);
  });

  it('maps back under the quote Binance trades, and round-trips every Binance symbol', () => {
    const symbols = ['BTCUSDT', 'ETHBTC', 'ETHEUR', 'SOLFDUSD', 'BNBUSDC', 'BTCTRY'];
    expect(symbols.map(fromBinanceSymbol)).toEqual([
      'BTC-USDT',
      'ETH-BTC',
      'ETH-EUR',
      'SOL-FDUSD',
      'BNB-USDC',
      'BTC-TRY',
    ]);
    expect(symbols.map((s) => toBinanceSymbol(fromBinanceSymbol(s) ?? ''))).toEqual(symbols);
    expect(fromBinanceSymbol('AAPL')).toBeUndefined();
  });

  it('refuses an equity with a non-retryable error that says why', () => {
    expect(() => toBinanceSymbol('AAPL')).toThrow(
      /^Binance only serves crypto pairs such as BTC-USDT or ETH-BTC; AAPL looks like a stock/,
    );
    expect(() => toBinanceSymbol('BRK-B')).toThrow(expect.objectContaining({ retryable: false }));
  });
});

describe('createBinanceProvider', () => {
  it('pages by advancing startTime, parses the kline layout and drops the kline still open', async () => {
    server = await startFakeServer(binanceKlines(EXCHANGE));
    const pages = await collect(provider().fetchCandles(request()));

    expect(pages.map((p) => p.length)).toEqual([1000, 1000, 600]);
    const candles = pages.flat();
    expect(candles[0]).toEqual({
      ts: T0,
      open: 20_000,
      high: 20_010,
      low: 19_990,
      close: 20_005,
      volume: 2.5,
      vwap: 20_000.25,
      trades: 100,
    });
    expect(candles[50]).toMatchObject({ ts: T0 + 50 * STEP, volume: 0, vwap: null, trades: 150 });
    expect(candles.at(-1)?.ts).toBe(T0 + 2599 * STEP);
    expect(new Set(candles.map((c) => c.ts)).size).toBe(2600);

    expect(server.requests).toHaveLength(3);
    const [first] = server.requests;
    expect(first?.url.pathname).toBe('/api/v3/klines');
    expect(Object.fromEntries(first?.url.searchParams ?? [])).toEqual({
      symbol: 'BTCUSDT',
      interval: '5m',
      startTime: String(T0),
      endTime: String(T0 + 30 * 24 * 60 * MIN - 1),
      limit: '1000',
    });
    expect(server.requests.map((r) => Number(r.url.searchParams.get('startTime')))).toEqual([
      T0,
      T0 + 1000 * STEP,
      T0 + 2000 * STEP,
    ]);
  });

  it('stops once past `to` without asking for an empty page', async () => {
    server = await startFakeServer(binanceKlines(EXCHANGE));
    const candles = (await collect(provider().fetchCandles(request({ to: new Date(T0 + 1000 * STEP) })))).flat();
    expect(candles).toHaveLength(1000);
    expect(server.requests).toHaveLength(1);
  });

  it('yields nothing for an empty answer', async () => {
    server = await startFakeServer((_req, res) => sendJson(res, 200, []));
    expect(await collect(provider().fetchCandles(request()))).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('pauses for the next minute when the used weight nears the limit, and never exceeds it', async () => {
    const weightWindowMs = 200;
    // Something else on this IP has used 6 of the 10 allowed; only the header can tell the client so.
    server = await startFakeServer(
      binanceKlines({
        ...EXCHANGE,
        weightWindowMs,
        otherWeight: 6,
      }),
    );
    const candles = (
      await collect(provider({ maxWeightPerMinute: 10, weightWindowMs }).fetchCandles(request()))
    ).flat();
    expect(candles).toHaveLength(2600);

    expect(server.requests).toHaveLength(3);
    const windows = server.requests.map((r) => Math.floor(r.at / weightWindowMs));
    // One request per window: each answer reports 8 of 10 used, so the next one waits for a new window.
    expect(new Set(windows).size).toBe(3);
  });

  it('honours a Retry-After given as an HTTP date on 429', async () => {
    let retryAt = 0;
    server = await startFakeServer(
      binanceKlines({
        ...EXCHANGE,
        fault: (_req, res, index) => {
          if (index > 0) return false;
          retryAt = Math.ceil((Date.now() + 500) / 1000) * 1000;
          sendJson(
            res,
            429,
            { code: -1003, msg: 'Too many requests.' },
            { 'retry-after': new Date(retryAt).toUTCString() },
          );
          return true;
        },
      }),
    );
    const retries: RetryInfo[] = [];
    const candles = (await collect(provider().fetchCandles(request({ onRetry: (r) => retries.push(r) })))).flat();
    expect(candles).toHaveLength(2600);
    expect(retries).toHaveLength(1);
    expect(retries[0]?.reason).toBe('HTTP 429 Too Many Requests');
    expect(server.requests[1]?.at).toBeGreaterThanOrEqual(retryAt - 5);
  });

  it('retries a 500, a hung request and a malformed answer, then succeeds', async () => {
    server = await startFakeServer(
      binanceKlines({
        ...EXCHANGE,
        fault: (_req, res, index) => {
          if (index === 0) sendJson(res, 500, { code: -1000, msg: 'An unknown error occurred.' });
          if (index === 2) sendText(res, 200, '<html>502 Bad Gateway</html>');
          return index <= 2; // index 1 hangs
        },
      }),
    );
    const retries: RetryInfo[] = [];
    const p = provider({ timeoutMs: 100 });
    const candles = (await collect(p.fetchCandles(request({ onRetry: (r) => retries.push(r) })))).flat();
    expect(candles).toHaveLength(2600);
    expect(retries.map((r) => [r.attempt, r.reason])).toEqual([
      [1, 'HTTP 500 Internal Server Error'],
      [2, 'no answer within 100 ms'],
      [3, 'not JSON: "<html>502 Bad Gateway</html>"'],
    ]);
    expect(server.requests).toHaveLength(3 + 3);
  });

  it('gives up on an answer that stays malformed', async () => {
    server = await startFakeServer((_req, res) => sendJson(res, 200, { code: 0, msg: 'maintenance' }));
    const error = await collect(provider().fetchCandles(request())).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ProviderError', retryable: false });
    expect(String(error)).toContain('malformed response from Binance 3 times (expected a list of klines)');
    expect(server.requests).toHaveLength(3);
  });

  it('stops at once when Binance has banned the IP (418)', async () => {
    server = await startFakeServer((_req, res) =>
      sendJson(
        res,
        418,
        { code: -1003, msg: 'Way too many requests; IP banned until 1704200000000.' },
        { 'retry-after': '120' },
      ),
    );
    const error = await collect(provider().fetchCandles(request())).catch((e: unknown) => e);
    expect(error).toMatchObject({
      retryable: false,
      status: 418,
      retryAfterMs: 120_000,
      message:
        'Binance has banned this IP address (HTTP 418) for sending too many requests; the ban lifts in about 2 min',
    });
    expect(server.requests).toHaveLength(1);
  });

  it('says which symbol Binance does not list (-1121)', async () => {
    server = await startFakeServer(binanceKlines(EXCHANGE));
    const error = await collect(provider().fetchCandles(request({ symbol: 'BTC-XYZ' }))).catch((e: unknown) => e);
    expect(error).toMatchObject({
      retryable: false,
      status: 400,
      message: 'Binance does not list BTCXYZ (asked for BTC-XYZ)',
    });
    expect(server.requests).toHaveLength(1);
  });

  it('refuses an equity without asking Binance', async () => {
    server = await startFakeServer(binanceKlines(EXCHANGE));
    const error = await collect(provider().fetchCandles(request({ symbol: 'AAPL' }))).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ProviderError', retryable: false });
    expect(server.requests).toHaveLength(0);
  });

  it('pings /api/v3/ping', async () => {
    server = await startFakeServer((_req, res) => sendJson(res, 200, {}));
    await provider().ping();
    expect(server.requests.map((r) => r.url.pathname)).toEqual(['/api/v3/ping']);
  });
});
