import type { Timeframe } from '@candlebase/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { createBinanceProvider } from './binance';
import { createSyntheticProvider } from './synthetic';
import { binanceKlines } from './testing/fake-binance';
import { type FakeServer, startFakeServer } from './testing/fake-server';
import { yahooChart } from './testing/fake-yahoo';
import type { MarketDataProvider } from './types';
import { createYahooProvider } from './yahoo';

const MIN = 60_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 2);
const NOW = Date.UTC(2024, 2, 15, 18, 0);
const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 5 };

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Fetches [from, to) and returns what the plan said against what was sent and served. */
async function planAndFetch(
  provider: MarketDataProvider,
  symbol: string,
  timeframe: Timeframe,
  from: number,
  to: number,
  bars: number,
) {
  const planned = provider.planRequests?.({ symbol, timeframe, from: new Date(from), to: new Date(to), bars });
  const before = server?.requests.length ?? 0;
  let pages = 0;
  let served = 0;
  for await (const page of provider.fetchCandles({ symbol, timeframe, from: new Date(from), to: new Date(to) })) {
    pages++;
    served += page.length;
  }
  return { planned, sent: (server?.requests.length ?? 0) - before, pages, served };
}

describe("each provider's request plan matches what it sends", () => {
  it('Binance: 1000 klines a page, until the range is read', async () => {
    server = await startFakeServer(binanceKlines({ symbol: 'BTCUSDT', listedAt: T0, now: NOW }));
    const binance = createBinanceProvider({ baseUrl: server.baseUrl, retry: FAST_RETRY, now: () => NOW });
    for (const bars of [1, 999, 1000, 2500]) {
      const r = await planAndFetch(binance, 'BTC-USDT', '5m', T0, T0 + bars * 5 * MIN, bars);
      expect({ bars, sent: r.sent, served: r.served }).toEqual({ bars, sent: r.planned, served: bars });
    }
  });

  it('Yahoo: the split history once, then one chart request per window of the range', async () => {
    const priced = (t: number) => {
      const p = 100 + ((t / MIN) % 97);
      return { open: p, high: p + 2, low: p - 1, close: p + 1, volume: 1000 };
    };
    const aapl = {
      instrumentType: 'EQUITY' as const,
      currency: 'USD',
      exchangeName: 'NMS',
      fullExchangeName: 'NasdaqGS',
      calendar: 'nyse' as const,
      bar: priced,
    };
    server = await startFakeServer(yahooChart({ now: NOW, symbols: { AAPL: aapl } }));
    const yahoo = createYahooProvider({ baseUrl: server.baseUrl, now: () => NOW, retry: FAST_RETRY });
    const cases: [Timeframe, number, number][] = [
      ['5m', NOW - 25 * DAY, NOW - 2 * DAY],
      ['5m', NOW - 200 * DAY, NOW - 2 * DAY], // moved up to the 60 days Yahoo keeps
      ['1h', NOW - 400 * DAY, NOW - DAY],
      ['1d', Date.UTC(2014, 0, 1), Date.UTC(2024, 0, 1)],
    ];
    for (const [timeframe, from, to] of cases) {
      const r = await planAndFetch(yahoo, 'AAPL', timeframe, from, to, 0);
      expect({ timeframe, sent: r.sent }).toEqual({ timeframe, sent: r.planned });
    }
  });

  it('synthetic: one page per pageSize bars it generates', async () => {
    const synthetic = createSyntheticProvider({ pageSize: 100, now: () => NOW });
    const r = await planAndFetch(synthetic, 'BTC-USD', '1h', T0, T0 + 30 * DAY, 30 * 24);
    expect(r.served).toBe(720);
    expect(r.pages).toBe(r.planned);
  });
});
