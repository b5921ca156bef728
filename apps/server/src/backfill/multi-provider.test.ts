import { queryRows } from '@candlebase/db';
import { testEngines } from '@candlebase/db/testing';
import { createCcxtProvider } from '@candlebase/providers';
import { coinbaseExchange } from '@candlebase/providers/testing/fake-coinbase';
import { type FakeServer, sendJson, startFakeServer } from '@candlebase/providers/testing/fake-server';
import { type FakeYahooSymbol, yahooChart } from '@candlebase/providers/testing/fake-yahoo';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedJob } from '../testing/backfill-checks';
import { type Harness, startHarness } from '../testing/harness';

// The exchanges' clocks: long after the fixed January 2024 range, so every bar in it has closed.
const NOW = Date.UTC(2024, 1, 15, 18, 0);
const COINBASE = 'ccxt:coinbaseexchange';

const equity = (longName: string): FakeYahooSymbol => ({
  instrumentType: 'EQUITY',
  currency: 'USD',
  exchangeName: 'NMS',
  fullExchangeName: 'NasdaqGS',
  longName,
  calendar: 'nyse',
  bar: (t) => {
    const p = 180 + ((t / 86_400_000) % 7);
    return { open: p, high: p + 2, low: p - 1, close: p + 1, volume: 50_000 };
  },
});

describe.each(testEngines())('several providers at once, on %s', (engine) => {
  let h: Harness;
  let yahoo: FakeServer;
  let coinbase: FakeServer;
  let binance: FakeServer;

  const sources = () =>
    queryRows<{ symbol: string; source: string; n: number }>(
      h.test.database.db,
      sql`select symbol, source, count(*)::int as n from candles group by symbol, source order by symbol, source`,
    );

  beforeAll(async () => {
    yahoo = await startFakeServer(
      yahooChart({
        now: NOW,
        // MSFT is listed so that adding it passes the lookup against Yahoo.
        symbols: { AAPL: equity('Apple Inc.'), SPY: equity('SPY'), MSFT: equity('Microsoft Corporation') },
      }),
    );
    coinbase = await startFakeServer(coinbaseExchange({ products: ['BTC-USD'], now: NOW }));
    // Binance is configured but down: health must say so in its words, and nothing else may suffer.
    binance = await startFakeServer((_req, res) => sendJson(res, 503, { code: -1001, msg: 'Service unavailable.' }));
    h = await startHarness(engine, {
      env: {
        MARKET_DATA_PROVIDER: 'yahoo',
        CRYPTO_PROVIDER: COINBASE,
        YAHOO_BASE_URL: yahoo.baseUrl,
        BINANCE_BASE_URL: binance.baseUrl,
      },
      // ccxt builds its own URLs: the configured client is replaced by one pointed at the fake.
      providers: [
        createCcxtProvider({
          exchangeId: 'coinbaseexchange',
          baseUrl: coinbase.baseUrl,
          rateLimitMs: 1,
          now: () => NOW,
          retry: { baseDelayMs: 1, maxDelayMs: 5 },
        }),
      ],
    });
  });
  afterAll(async () => {
    await h?.close();
    await Promise.all([yahoo?.close(), coinbase?.close(), binance?.close()]);
  });

  it('runs one job with AAPL from Yahoo and BTC-USD from Coinbase, each unit and bar naming its source', async () => {
    const res = await fetch(
      `${h.url}/api/v1/backfill?symbols=AAPL,BTC-USD&start_date=2024-01-02&end_date=2024-01-12&timeframes=1d`,
      { method: 'POST' },
    );
    expect(res.status).toBe(200);
    const { job_id } = (await res.json()) as { job_id: string };
    const status = await finishedJob(h.test.database.db, job_id);
    expect(status.status).toBe('completed');
    expect(status.provider).toBe(`${COINBASE}, yahoo`);
    expect(status.details.map((d) => [d.symbol, d.provider, d.status, d.records_inserted])).toEqual([
      ['AAPL', 'yahoo', 'completed', 9],
      ['BTC-USD', COINBASE, 'completed', 11],
    ]);
    expect(await sources()).toEqual([
      { symbol: 'AAPL', source: 'yahoo', n: 9 },
      { symbol: 'BTC-USD', source: COINBASE, n: 11 },
    ]);
    // Both requests went where they belong, and no other.
    expect(yahoo.requests.some((r) => r.url.pathname === '/v8/finance/chart/AAPL')).toBe(true);
    expect(coinbase.requests.some((r) => r.url.pathname === '/products/BTC-USD/candles')).toBe(true);
    expect(binance.requests).toEqual([]);
  });

  it('gives a new symbol its provider by asset class, shown in the list', async () => {
    await h.caller.symbols.add({ symbol: 'ETH-USD' });
    await h.caller.symbols.add({ symbol: 'MSFT' });
    const list = await h.caller.symbols.list();
    const providerOf = (s: string) => list.find((r) => r.symbol === s)?.provider;
    expect(['AAPL', 'BTC-USD', 'ETH-USD', 'MSFT'].map(providerOf)).toEqual(['yahoo', COINBASE, COINBASE, 'yahoo']);
  });

  it('changes a symbol provider; the next job fetches from it and coverage shows both sources', async () => {
    await expect(h.caller.symbols.setProvider({ symbol: 'BTC-USD', provider: 'polygon' })).rejects.toThrow(
      'The provider polygon is not configured on this server (set POLYGON_API_KEY); this server offers binance, ccxt:coinbaseexchange, synthetic, upload, yahoo',
    );
    await expect(h.caller.symbols.setProvider({ symbol: 'BTC-USD', provider: 'alpaca' })).rejects.toThrow(
      'Unknown provider "alpaca": this server offers binance, ccxt:coinbaseexchange, synthetic, upload, yahoo',
    );
    await expect(h.caller.symbols.setProvider({ symbol: 'NOPE', provider: 'synthetic' })).rejects.toThrow(
      'Symbol NOPE is not in the watchlist',
    );
    const changed = await h.caller.symbols.setProvider({ symbol: 'BTC-USD', provider: 'synthetic' });
    expect(changed.provider).toBe('synthetic');

    const created = await h.caller.backfill.create({
      symbols: ['BTC-USD'],
      start_date: '2024-01-13',
      end_date: '2024-01-14',
      timeframes: ['1d'],
    });
    const status = await finishedJob(h.test.database.db, created.job_id);
    expect(status.details.map((d) => [d.provider, d.status, d.records_inserted])).toEqual([
      ['synthetic', 'completed', 2],
    ]);
    const coverage = await h.caller.enrichment.coverage({ symbol: 'BTC-USD', timeframe: '1d' });
    expect(coverage.sources).toEqual([
      { source: COINBASE, bars: 11 },
      { source: 'synthetic', bars: 2 },
    ]);
  });

  it('fetches every symbol of a job from the provider the request names, and refuses one it lacks', async () => {
    const created = await h.caller.backfill.create({
      symbols: ['MSFT'],
      start_date: '2024-01-02',
      end_date: '2024-01-03',
      timeframes: ['1d'],
      provider: 'synthetic',
    });
    const status = await finishedJob(h.test.database.db, created.job_id);
    expect(status.provider).toBe('synthetic');
    expect(status.details.map((d) => [d.provider, d.status])).toEqual([['synthetic', 'completed']]);
    // The symbol keeps its own provider: naming one in a request does not move it.
    expect((await h.caller.symbols.get({ symbol: 'MSFT' })).provider).toBe('yahoo');

    const refused = await fetch(
      `${h.url}/api/v1/backfill?symbols=MSFT&start_date=2024-01-02&end_date=2024-01-03&timeframes=1d&provider=ccxt:kraken`,
      { method: 'POST' },
    );
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({
      detail: [
        {
          loc: ['query', 'provider'],
          msg: 'The provider ccxt:kraken is not configured on this server (name its exchange in CCXT_EXCHANGES); this server offers binance, ccxt:coinbaseexchange, synthetic, upload, yahoo',
          type: 'value_error',
        },
      ],
    });
  });

  it('lists every provider in system.health with its reachability and budgets, pinging only on demand', async () => {
    const spyPings = () => yahoo.requests.filter((r) => r.url.pathname === '/v8/finance/chart/SPY').length;
    const health = await h.caller.system.health();
    expect(health.provider).toEqual({ name: 'yahoo', demo: false });
    const byName = Object.fromEntries(health.all_providers.map((p) => [p.name, p]));
    expect(Object.keys(byName)).toEqual(['binance', COINBASE, 'synthetic', 'upload', 'yahoo']);
    // What the jobs above showed; synthetic costs nothing to ping; Binance was never asked.
    expect(byName.yahoo).toMatchObject({ reachable: true, default_for: ['equity', 'etf', 'index', 'fx'], error: null });
    expect(byName[COINBASE]).toMatchObject({ reachable: true, default_for: ['crypto'] });
    expect(byName.synthetic).toMatchObject({ reachable: true, demo: true, default_for: [] });
    expect(byName.upload).toMatchObject({ reachable: true, demo: false, budgets: [] });
    expect(byName.binance).toMatchObject({ reachable: null, checked_at: null });
    expect(byName.binance?.budgets.map((b) => b.unit)).toEqual(['weight']);
    expect(byName.yahoo?.budgets.length).toBeGreaterThan(0);
    // `providers` stays the default provider's budgets.
    expect(health.providers).toEqual(byName.yahoo?.budgets);
    expect(spyPings()).toBe(0);
    expect(binance.requests).toEqual([]);

    const pinged = await h.caller.system.pingProviders();
    const after = Object.fromEntries(pinged.all_providers.map((p) => [p.name, p]));
    expect(after.yahoo).toMatchObject({ reachable: true, error: null });
    expect(after.binance?.reachable).toBe(false);
    expect(after.binance?.error).toMatch(/503|unavailable/i);
    expect(spyPings()).toBe(1);
    expect(binance.requests.map((r) => r.url.pathname)).toEqual(['/api/v3/ping']);
    // Health alone sends no ping to a provider with a budget.
    await h.caller.system.health();
    expect(spyPings()).toBe(1);
  });
});
