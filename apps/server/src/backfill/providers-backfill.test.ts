import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEngines } from '@candlebase/db/testing';
import { createBinanceProvider, createCsvProvider } from '@candlebase/providers';
import { binanceKlines, wireKline } from '@candlebase/providers/testing/fake-binance';
import { startFakeServer } from '@candlebase/providers/testing/fake-server';
import { describe, expect, it } from 'vitest';
import { finishedJob, storedBars } from '../testing/backfill-checks';
import { startHarness } from '../testing/harness';

const HOUR = 3_600_000;

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
