import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryRows } from '@candlebase/db';
import { testEngines } from '@candlebase/db/testing';
import {
  createBinanceProvider,
  createCcxtProvider,
  createCsvProvider,
  createYahooProvider,
} from '@candlebase/providers';
import { binanceKlines, wireKline } from '@candlebase/providers/testing/fake-binance';
import { coinbaseCandle, coinbaseExchange } from '@candlebase/providers/testing/fake-coinbase';
import { startFakeServer } from '@candlebase/providers/testing/fake-server';
import { type FakeYahooSymbol, yahooChart } from '@candlebase/providers/testing/fake-yahoo';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { finishedJob, storedBars, unitRows } from '../testing/backfill-checks';
import { startHarness } from '../testing/harness';

const HOUR = 3_600_000;
// Yahoo's clock in these tests: Friday 15 March 2024, 14:00 New York.
const YAHOO_NOW = Date.UTC(2024, 2, 15, 18, 0);
const PRE_SPLIT = { open: 400, high: 408, low: 396, close: 404, volume: 1_000 };
const POST_SPLIT = { open: 100, high: 102, low: 99, close: 101, volume: 4_000 };

/** AAPL as Yahoo serves it: a 4:1 split on Wednesday 6 March 2024, a dividend before it and one after. */
const splitAapl: FakeYahooSymbol = {
  instrumentType: 'EQUITY',
  currency: 'USD',
  exchangeName: 'NMS',
  fullExchangeName: 'NasdaqGS',
  longName: 'Apple Inc.',
  calendar: 'nyse',
  bar: (t) => (t < Date.UTC(2024, 2, 6) ? PRE_SPLIT : POST_SPLIT),
  splits: [{ exDate: '2024-03-06', numerator: 4, denominator: 1 }],
  dividends: [
    { exDate: '2024-03-04', amount: 0.88 },
    { exDate: '2024-03-12', amount: 0.24 },
  ],
};

describe.each(testEngines())('a backfill stores exactly what the source served, on %s', (engine) => {
  it('binance: every closed kline of the range, values as served', async () => {
    const listedAt = Date.UTC(2024, 0, 1);
    const fake = await startFakeServer(binanceKlines({ symbol: 'BTCUSDT', listedAt, now: Date.UTC(2024, 0, 3) }));
    const provider = createBinanceProvider({ baseUrl: fake.baseUrl, now: () => Date.UTC(2024, 0, 3) });
    const h = await startHarness(engine, { provider, http: false });
    try {
      const created = await h.caller.backfill.create({
        symbols: ['BTC-USDT'],
        timeframes: ['1h'],
        start_date: '2024-01-01',
        end_date: '2024-01-02',
      });
      const s = await finishedJob(h.test.database.db, created.job_id);
      expect(s.status).toBe('completed');
      const expected = Array.from({ length: 48 }, (_, i) => {
        const k = wireKline(listedAt + i * HOUR, i, HOUR);
        return {
          ts: Number(k[0]),
          open: Number(k[1]),
          high: Number(k[2]),
          low: Number(k[3]),
          close: Number(k[4]),
          volume: Number(k[5]),
          trades: Number(k[8]),
        };
      });
      expect(await storedBars(h.test.database.db, 'BTC-USDT', '1h')).toMatchObject(expected);
      // Stored under Binance's own quote, with that quote as its currency: never mixed with a USD market.
      expect(await h.caller.symbols.get({ symbol: 'BTC-USDT' })).toMatchObject({
        asset_class: 'crypto',
        currency: 'USDT',
      });
      expect(s.total_records_inserted).toBe(48);
    } finally {
      await h.close();
      await fake.close();
    }
  });

  it('yahoo: a backfill across a 4:1 split stores what traded (raw prices), source yahoo', async () => {
    const fake = await startFakeServer(yahooChart({ now: YAHOO_NOW, symbols: { AAPL: splitAapl } }));
    const provider = createYahooProvider({ baseUrl: fake.baseUrl, now: () => YAHOO_NOW });
    const h = await startHarness(engine, { provider, http: false });
    try {
      const created = await h.caller.backfill.create({
        symbols: ['AAPL'],
        timeframes: ['1d'],
        start_date: '2024-03-01',
        end_date: '2024-03-08',
      });
      const s = await finishedJob(h.test.database.db, created.job_id);
      expect(s.status).toBe('completed');
      const day = (d: number) => Date.UTC(2024, 2, d);
      expect(await storedBars(h.test.database.db, 'AAPL', '1d')).toMatchObject([
        { ts: day(1), ...PRE_SPLIT },
        { ts: day(4), ...PRE_SPLIT },
        { ts: day(5), ...PRE_SPLIT },
        { ts: day(6), ...POST_SPLIT },
        { ts: day(7), ...POST_SPLIT },
        { ts: day(8), ...POST_SPLIT },
      ]);
      const sources = await queryRows<{ source: string }>(
        h.test.database.db,
        sql`select distinct source from candles where symbol = 'AAPL'`,
      );
      expect(sources).toEqual([{ source: 'yahoo' }]);
      expect(s.total_records_inserted).toBe(6);
      // Yahoo's split and dividend events are recorded beside the raw prices, so reads can adjust.
      const actions = await h.caller.candles.actions({ symbol: 'AAPL' });
      expect(actions.filter((a) => a.kind === 'split')).toEqual([
        expect.objectContaining({ ex_date: '2024-03-06', kind: 'split', ratio: 4, source: 'yahoo' }),
      ]);
      expect(actions.filter((a) => a.kind === 'dividend').map((a) => a.ex_date)).toEqual(['2024-03-04', '2024-03-12']);
      const adjusted = await h.caller.candles.list({ symbol: 'AAPL', timeframe: '1d', adjust: 'splits' });
      const closes = adjusted.candles.map((c) => c.close);
      // Split-adjusted, the series has no 4x step at the ex-date.
      expect(Math.max(...closes) / Math.min(...closes)).toBeLessThan(2);
    } finally {
      await h.close();
      await fake.close();
    }
  });

  it("yahoo: an intraday start older than Yahoo keeps is moved up and the unit says so; an unknown symbol fails in Yahoo's words", async () => {
    const fake = await startFakeServer(yahooChart({ now: YAHOO_NOW, symbols: { AAPL: splitAapl } }));
    const provider = createYahooProvider({ baseUrl: fake.baseUrl, now: () => YAHOO_NOW });
    const h = await startHarness(engine, { provider, http: false });
    try {
      const created = await h.caller.backfill.create({
        symbols: ['AAPL'],
        timeframes: ['5m'],
        start_date: '2024-01-10',
        end_date: '2024-01-17',
      });
      const s = await finishedJob(h.test.database.db, created.job_id);
      expect(s.status).toBe('completed');
      const bars = await storedBars(h.test.database.db, 'AAPL', '5m');
      // 16 January from 18:00 UTC (Yahoo's 60 days, a day inside) and all of the 17th, 09:30-16:00 New York.
      expect(bars).toHaveLength(36 + 78);
      expect(bars[0]).toMatchObject({ ts: Date.UTC(2024, 0, 16, 18), ...PRE_SPLIT });
      const notice =
        'Yahoo Finance keeps 5m bars for about the last 60 days: fetched from 2024-01-16 instead of 2024-01-10';
      const events = await queryRows<{ kind: string; message: string }>(
        h.test.database.db,
        sql`select kind, message from backfill_job_events
            where job_id = ${created.job_id} and kind in ('unit_notice', 'unit_completed') order by id`,
      );
      expect(events).toEqual([
        { kind: 'unit_notice', message: `AAPL 5m: ${notice}` },
        {
          kind: 'unit_completed',
          message: expect.stringMatching(new RegExp(`^AAPL 5m: 114 records inserted in [\\d.]+ s; ${notice}$`)),
        },
      ]);

      // An unknown symbol: Yahoo's chart.error.description is the unit's message, on the first attempt.
      const unknown = await h.caller.backfill.create({
        symbols: ['NOPE'],
        timeframes: ['1d'],
        start_date: '2024-03-01',
        end_date: '2024-03-08',
      });
      expect((await finishedJob(h.test.database.db, unknown.job_id)).status).toBe('failed');
      expect(await unitRows(h.test.database.db, unknown.job_id)).toMatchObject([
        { status: 'failed', attempts: 1, error_message: 'Yahoo Finance: No data found, symbol may be delisted' },
      ]);
    } finally {
      await h.close();
      await fake.close();
    }
  });

  it("yahoo: 60m bars are stored at Yahoo's own :30 stamps, the regular 1h grid; the closing print at 16:00 (13:00 on an early close) is not", async () => {
    const quiet = { open: 50, high: 51, low: 49, close: 50.5, volume: 700 };
    const symbol: FakeYahooSymbol = { ...splitAapl, splits: [], dividends: [], bar: () => quiet, closePrint: true };
    const fake = await startFakeServer(yahooChart({ now: YAHOO_NOW, symbols: { MSFT: symbol } }));
    const provider = createYahooProvider({ baseUrl: fake.baseUrl, now: () => YAHOO_NOW });
    const h = await startHarness(engine, { provider, http: false });
    try {
      // Friday 24 November 2023 closes at 13:00; Monday the 27th is a full day (EST, 14:30 UTC open).
      const hourly = await h.caller.backfill.create({
        symbols: ['MSFT'],
        timeframes: ['1h'],
        start_date: '2023-11-24',
        end_date: '2023-11-27',
      });
      expect((await finishedJob(h.test.database.db, hourly.job_id)).status).toBe('completed');
      const hours = (await storedBars(h.test.database.db, 'MSFT', '1h')).map((b) => new Date(b.ts).toISOString());
      expect(hours).toEqual([
        ...['14:30', '15:30', '16:30', '17:30'].map((t) => `2023-11-24T${t}:00.000Z`),
        ...['14:30', '15:30', '16:30', '17:30', '18:30', '19:30', '20:30'].map((t) => `2023-11-27T${t}:00.000Z`),
      ]);
      const [unit] = await unitRows(h.test.database.db, hourly.job_id);
      expect(unit?.status).toBe('completed');

      // 5m on Thursday 14 March 2024 (EDT): 09:30 ... 15:55, and no 16:00 (20:00 UTC) print.
      const fives = await h.caller.backfill.create({
        symbols: ['MSFT'],
        timeframes: ['5m'],
        start_date: '2024-03-14',
        end_date: '2024-03-14',
      });
      expect((await finishedJob(h.test.database.db, fives.job_id)).status).toBe('completed');
      const bars = await storedBars(h.test.database.db, 'MSFT', '5m');
      expect(bars).toHaveLength(78);
      expect(bars[0]).toMatchObject({ ts: Date.UTC(2024, 2, 14, 13, 30), ...quiet });
      expect(bars.at(-1)?.ts).toBe(Date.UTC(2024, 2, 14, 19, 55));
    } finally {
      await h.close();
      await fake.close();
    }
  });

  it('ccxt (Coinbase Exchange): every closed candle of the range across pages, values as served', async () => {
    const now = Date.UTC(2024, 0, 20, 12, 30);
    const fake = await startFakeServer(coinbaseExchange({ products: ['BTC-USD'], now }));
    const provider = createCcxtProvider({
      exchangeId: 'coinbaseexchange',
      baseUrl: fake.baseUrl,
      rateLimitMs: 1,
      now: () => now,
    });
    const h = await startHarness(engine, { provider, http: false });
    try {
      const created = await h.caller.backfill.create({
        symbols: ['BTC-USD'],
        timeframes: ['1h'],
        start_date: '2024-01-01',
        end_date: '2024-01-14',
      });
      const s = await finishedJob(h.test.database.db, created.job_id);
      expect(s.status).toBe('completed');
      const start = Date.UTC(2024, 0, 1);
      const expected = Array.from({ length: 14 * 24 }, (_, i) => ({
        ts: start + i * HOUR,
        ...coinbaseCandle(start + i * HOUR),
      }));
      expect(await storedBars(h.test.database.db, 'BTC-USD', '1h')).toEqual(
        expected.map((c) => ({ ...c, vwap: null, trades: null })),
      );
      expect(s.total_records_inserted).toBe(336);
      expect(fake.requests.filter((r) => r.url.pathname === '/products/BTC-USD/candles')).toHaveLength(2);
      const sources = await queryRows<{ source: string }>(
        h.test.database.db,
        sql`select distinct source from candles where symbol = 'BTC-USD'`,
      );
      expect(sources).toEqual([{ source: 'ccxt:coinbaseexchange' }]);
    } finally {
      await h.close();
      await fake.close();
    }
  });

  it('csv: the rows of the file within the range, values as written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'candlebase-csv-'));
    writeFileSync(
      join(dir, 'IBM_1d.csv'),
      [
        'timestamp,open,high,low,close,volume',
        '2024-01-02,161.5,162.8,160.9,162.0,4500000',
        '2024-01-03,162.0,163.1,161.2,161.4,3900000',
        '2024-01-04,161.4,161.9,159.8,160.2,5100000.5',
        '2024-01-05,160.2,161.0,159.5,160.9,4200000',
      ].join('\n'),
    );
    const h = await startHarness(engine, { provider: createCsvProvider({ dir }), http: false });
    try {
      const created = await h.caller.backfill.create({
        symbols: ['IBM'],
        timeframes: ['1d'],
        start_date: '2024-01-03',
        end_date: '2024-01-31',
      });
      const s = await finishedJob(h.test.database.db, created.job_id);
      expect(s.status).toBe('completed');
      expect(await storedBars(h.test.database.db, 'IBM', '1d')).toMatchObject([
        {
          ts: Date.UTC(2024, 0, 3),
          open: 162.0,
          high: 163.1,
          low: 161.2,
          close: 161.4,
          volume: 3900000,
          trades: null,
        },
        {
          ts: Date.UTC(2024, 0, 4),
          open: 161.4,
          high: 161.9,
          low: 159.8,
          close: 160.2,
          volume: 5100000.5,
          trades: null,
        },
        {
          ts: Date.UTC(2024, 0, 5),
          open: 160.2,
          high: 161.0,
          low: 159.5,
          close: 160.9,
          volume: 4200000,
          trades: null,
        },
      ]);
    } finally {
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
